import type { Finding } from '../../model/index.ts';
import { childrenOf } from '../enrich-plan.ts';
import { count, defineTip, ms, nodeLabel, threshold, tipFinding } from './plan-tip.ts';

const ANY_ARRAY = /^\(?\s*\(?([\w."]+)\)?\s*=\s*ANY\s*\(\s*(ARRAY\[[\s\S]*\]|[\s\S]+?)\s*\)\s*\)?$/;

/** `ON x = ANY (ARRAY[a, b])` cannot be hashed: the nested loop compares every pair of rows. */
export const joinFilterAnyArrayTip = defineTip({
  id: 'plan-join-filter-any-array',
  title: 'A join on "= ANY (ARRAY[…])" compares every pair of rows',
  description: 'A join condition of the form x = ANY(array built from the other side) is evaluated for every outer × inner row pair in a nested loop.',
  thresholds: {
    minComparisons: { default: 100_000, description: 'pairs the join filter evaluated (rows removed + rows kept) before it is reported' },
  },
  check(context) {
    const { plan } = context;
    const out: Finding[] = [];
    for (const n of plan.nodes) {
      if (n.node.nodeType !== 'Nested Loop' || n.node.joinFilter === null || !/=\s*ANY\s*\(/i.test(n.node.joinFilter)) continue;
      const loops = n.node.actualLoops ?? 1;
      const compared = ((n.node.rowsRemovedByJoinFilter ?? 0) + (n.node.actualRows ?? 0)) * loops;
      if (compared < threshold(context, this, 'minComparisons')) continue;
      const m = ANY_ARRAY.exec(n.node.joinFilter);
      const column = m?.[1] ?? '<column>';
      const array = m?.[2] ?? '<array>';
      const [outer, inner] = childrenOf(plan, n.path).filter((c) => c.node.subplanName === null);
      out.push(
        tipFinding(plan, {
          rule: 'plan-join-filter-any-array',
          node: n,
          title: `${nodeLabel(n)} evaluated ${n.node.joinFilter} ${count(compared)} times: join on the unnested array so it can hash`,
          savingMs: (n.exclusiveMs ?? 0) * 0.9,
          savingBasis: 'uncertain: 90 % of the nested loop time (a hash join compares each row once)',
          evidence: {
            joinFilter: n.node.joinFilter,
            comparisons: compared,
            rowsRemovedByJoinFilter: (n.node.rowsRemovedByJoinFilter ?? 0) * loops,
            ...(outer === undefined ? {} : { outer: nodeLabel(outer) }),
            ...(inner === undefined ? {} : { inner: nodeLabel(inner), innerLoops: inner.node.actualLoops }),
          },
          description:
            `The planner cannot hash or merge on "${column} = ANY (…)" when the array comes from the other side, so the nested loop ` +
            `compared ${count(compared)} row pairs in ${ms(n.exclusiveMs)} and kept ${count((n.node.actualRows ?? 0) * loops)}. Turning the array into rows makes it an equality join.`,
          nextSteps: [
            `rewrite (unverified: check the result is the same, unnest keeps duplicates): … CROSS JOIN LATERAL unnest(${array}) AS k(v) JOIN … ON ${column} = k.v`,
            'or, when the array has a fixed length, one join per element combined with UNION ALL',
          ],
        }),
      );
    }
    return out;
  },
});
