import { describeRuleStatically } from '../../../../test/rewrite/static-rule.ts';

describeRuleStatically('distinct-join-to-exists');
