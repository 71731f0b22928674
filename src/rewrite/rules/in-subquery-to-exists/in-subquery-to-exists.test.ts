import { describeRuleStatically } from '../../../../test/rewrite/static-rule.ts';

describeRuleStatically('in-subquery-to-exists');
