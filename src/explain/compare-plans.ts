import type { JsonValue } from '../model/index.ts';
import type { EnrichedPlan } from './enrich-plan.ts';
import { count, ms, nodeLabel } from './tips/plan-tip.ts';

export interface PlanComparison {
  readonly lines: string[];
  readonly data: { [key: string]: JsonValue };
}

function totals(plan: EnrichedPlan): { hit: number; read: number; temp: number } {
  const t = { hit: 0, read: 0, temp: 0 };
  for (const n of plan.nodes) {
    const b = n.exclusiveBuffers;
    if (b === null) continue;
    t.hit += b.sharedHit + b.localHit;
    t.read += b.sharedRead + b.localRead;
    t.temp += b.tempRead + b.tempWritten;
  }
  return t;
}

function shape(plan: EnrichedPlan): Map<string, number> {
  const m = new Map<string, number>();
  for (const n of plan.nodes) {
    const key = n.node.relationName === null && n.node.indexName === null ? n.node.nodeType : nodeLabel(n);
    m.set(key, (m.get(key) ?? 0) + 1);
  }
  return m;
}

function change(before: number | null, after: number | null): string {
  if (before === null || after === null) return '';
  if (before === 0) return after === 0 ? '(=)' : '';
  const ratio = after / before;
  if (ratio < 1) return `(${Math.round((1 / ratio) * 10) / 10}× faster)`;
  if (ratio > 1) return `(${Math.round(ratio * 10) / 10}× slower)`;
  return '(=)';
}

/** What changed between two plans of one statement: time, buffers, node types, hottest nodes. */
export function comparePlans(before: EnrichedPlan, after: EnrichedPlan): PlanComparison {
  const lines: string[] = [];
  const b = before.plan;
  const a = after.plan;
  lines.push(`execution  ${ms(b.executionTimeMs).padStart(9)} → ${ms(a.executionTimeMs).padStart(9)}  ${change(b.executionTimeMs, a.executionTimeMs)}`);
  lines.push(`planning   ${ms(b.planningTimeMs).padStart(9)} → ${ms(a.planningTimeMs).padStart(9)}`);
  lines.push(`root cost  ${String(Math.round(before.nodes[0]?.node.totalCost ?? 0)).padStart(9)} → ${String(Math.round(after.nodes[0]?.node.totalCost ?? 0)).padStart(9)}`);
  const tb = totals(before);
  const ta = totals(after);
  lines.push(`buffers    hit ${count(tb.hit)} → ${count(ta.hit)} · read ${count(tb.read)} → ${count(ta.read)} · temp ${count(tb.temp)} → ${count(ta.temp)}`);
  const sb = shape(before);
  const sa = shape(after);
  const removed: string[] = [];
  const added: string[] = [];
  for (const [k, v] of sb) for (let i = 0; i < v - (sa.get(k) ?? 0); i++) removed.push(k);
  for (const [k, v] of sa) for (let i = 0; i < v - (sb.get(k) ?? 0); i++) added.push(k);
  if (removed.length + added.length === 0) lines.push('nodes      same node types and relations');
  else {
    lines.push('nodes:');
    for (const r of removed) lines.push(`  - ${r}`);
    for (const r of added) lines.push(`  + ${r}`);
  }
  const hottest = (p: EnrichedPlan): string => {
    const n = p.hottestPath === null ? undefined : p.byPath.get(p.hottestPath);
    return n === undefined ? '?' : `${nodeLabel(n)} ${ms(n.exclusiveMs)}`;
  };
  lines.push(`hottest    before: ${hottest(before)}`);
  lines.push(`           after:  ${hottest(after)}`);
  return {
    lines,
    data: {
      before: { executionTimeMs: b.executionTimeMs, planningTimeMs: b.planningTimeMs, totalCost: before.nodes[0]?.node.totalCost ?? null, buffers: tb, nodes: before.nodes.length },
      after: { executionTimeMs: a.executionTimeMs, planningTimeMs: a.planningTimeMs, totalCost: after.nodes[0]?.node.totalCost ?? null, buffers: ta, nodes: after.nodes.length },
      speedup: b.executionTimeMs !== null && a.executionTimeMs !== null && a.executionTimeMs > 0 ? Math.round((b.executionTimeMs / a.executionTimeMs) * 100) / 100 : null,
      removedNodes: removed,
      addedNodes: added,
    },
  };
}
