import { describeRuleStatically } from '../../../../test/rewrite/static-rule.ts';

describeRuleStatically('count-to-exists');
