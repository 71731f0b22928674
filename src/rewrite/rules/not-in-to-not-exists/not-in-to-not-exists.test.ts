import { describeRuleStatically } from '../../../../test/rewrite/static-rule.ts';

describeRuleStatically('not-in-to-not-exists');
