import type { RewriteRule } from '../rule.ts';
import { correlatedSubqueryAggregate } from './correlated-subquery-aggregate/index.ts';
import { countToExists } from './count-to-exists/index.ts';
import { cteMaterialization } from './cte-materialization/index.ts';
import { distinctJoinToExists } from './distinct-join-to-exists/index.ts';
import { inListToAny } from './in-list-to-any/index.ts';
import { inSubqueryToExists } from './in-subquery-to-exists/index.ts';
import { leadingWildcardLike } from './leading-wildcard-like/index.ts';
import { notInToNotExists } from './not-in-to-not-exists/index.ts';
import { offsetToKeyset } from './offset-to-keyset/index.ts';
import { orderByRandom } from './order-by-random/index.ts';
import { orToUnionAll } from './or-to-union-all/index.ts';
import { sargablePredicate } from './sargable-predicate/index.ts';
import { selectStarColumns } from './select-star-columns/index.ts';
import { unionToUnionAll } from './union-to-union-all/index.ts';

/** Every rewrite rule, in the order they are tried and documented. */
export const REWRITE_RULES: readonly RewriteRule[] = [
  correlatedSubqueryAggregate,
  inSubqueryToExists,
  notInToNotExists,
  offsetToKeyset,
  orToUnionAll,
  selectStarColumns,
  countToExists,
  distinctJoinToExists,
  sargablePredicate,
  leadingWildcardLike,
  orderByRandom,
  unionToUnionAll,
  inListToAny,
  cteMaterialization,
];

export function rewriteRuleById(id: string): RewriteRule | undefined {
  return REWRITE_RULES.find((r) => r.id === id);
}
