import { describeRuleStatically } from '../../../../test/rewrite/static-rule.ts';

describeRuleStatically('order-by-random');
