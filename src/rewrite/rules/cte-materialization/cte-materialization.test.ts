import { describeRuleStatically } from '../../../../test/rewrite/static-rule.ts';

describeRuleStatically('cte-materialization');
