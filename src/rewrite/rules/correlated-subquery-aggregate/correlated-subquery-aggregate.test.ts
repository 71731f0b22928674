import { describeRuleStatically } from '../../../../test/rewrite/static-rule.ts';

describeRuleStatically('correlated-subquery-aggregate');
