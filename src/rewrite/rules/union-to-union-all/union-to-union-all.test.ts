import { describeRuleStatically } from '../../../../test/rewrite/static-rule.ts';

describeRuleStatically('union-to-union-all');
