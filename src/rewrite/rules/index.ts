import type { RewriteRule } from '../rule.ts';
import { correlatedSubqueryAggregate } from './correlated-subquery-aggregate/index.ts';

/** Every rewrite rule, in the order they are tried and documented. */
export const REWRITE_RULES: readonly RewriteRule[] = [correlatedSubqueryAggregate];
