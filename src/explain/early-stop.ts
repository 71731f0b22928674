import { ancestorsOf } from './enrich-plan.ts';
import type { EnrichedNode, EnrichedPlan } from './enrich-plan.ts';

/** Nodes that stop pulling rows from their input once they have what they need. */
function stopsEarly(n: EnrichedNode): boolean {
  const t = n.node.nodeType;
  return t === 'Limit' || t === 'Merge Join' || n.node.joinType === 'Semi' || n.node.joinType === 'Anti';
}

/**
 * True when the node may have been stopped before it produced all its rows: under a LIMIT, a merge
 * or semi/anti join, an InitPlan/SubPlan that took one row (EXISTS), or a CTE whose every reader
 * stopped early. Such a node returning fewer rows than planned is no misestimate.
 */
export function stoppedEarly(plan: EnrichedPlan, n: EnrichedNode, seen: Set<string> = new Set()): boolean {
  if (seen.has(n.path)) return false;
  seen.add(n.path);
  for (const x of [n, ...ancestorsOf(plan, n.path)]) {
    if (x !== n && stopsEarly(x)) return true;
    const label = x.node.subplanName;
    if (label === null) continue;
    // EXISTS and ANY sublinks read until the first match: at most one row per loop comes out
    if (/^(InitPlan|SubPlan)/.test(label) && (x.node.actualRows ?? 2) <= 1 && x.node.planRows > 1) return true;
    if (label.startsWith('CTE ')) {
      const name = label.slice(4);
      const readers = plan.nodes.filter((r) => r.node.nodeType === 'CTE Scan' && r.node.cteName === name);
      if (readers.length > 0 && readers.every((r) => stoppedEarly(plan, r, seen))) return true;
    }
  }
  return false;
}

/** Nodes whose row count says nothing about the estimate: bitmap combinators and ModifyTable without RETURNING always report 0. */
export function rowsNotReported(n: EnrichedNode): boolean {
  const t = n.node.nodeType;
  return t === 'BitmapAnd' || t === 'BitmapOr' || (t === 'ModifyTable' && (n.node.actualRows ?? 0) === 0);
}
