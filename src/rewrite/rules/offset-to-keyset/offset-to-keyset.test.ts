import { describeRuleStatically } from '../../../../test/rewrite/static-rule.ts';

describeRuleStatically('offset-to-keyset');
