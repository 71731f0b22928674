import { describeRuleStatically } from '../../../../test/rewrite/static-rule.ts';

describeRuleStatically('select-star-columns');
