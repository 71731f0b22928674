import { describeRuleStatically } from '../../../../test/rewrite/static-rule.ts';

describeRuleStatically('leading-wildcard-like');
