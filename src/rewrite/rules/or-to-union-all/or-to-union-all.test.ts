import { describeRuleStatically } from '../../../../test/rewrite/static-rule.ts';

describeRuleStatically('or-to-union-all');
