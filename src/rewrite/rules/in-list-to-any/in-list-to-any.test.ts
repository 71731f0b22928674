import { describeRuleStatically } from '../../../../test/rewrite/static-rule.ts';

describeRuleStatically('in-list-to-any');
