import type { JsonValue } from '../model/index.ts';
import type { EnrichedPlan } from './enrich-plan.ts';

function r(n: number | null, digits = 3): number | null {
  if (n === null) return null;
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** The enriched plan as plain JSON for the report's "plan" field (one entry per node, pre-order). */
export function planSummary(plan: EnrichedPlan): { [key: string]: JsonValue } {
  const p = plan.plan;
  return {
    sourceFormat: p.format,
    analyzed: p.analyzed,
    parseWarnings: [...p.parseWarnings],
    planningTimeMs: p.planningTimeMs,
    executionTimeMs: p.executionTimeMs,
    totalMs: r(plan.totalMs),
    hottestPath: plan.hottestPath,
    jit: p.jit === null ? null : { functions: p.jit.functions, totalMs: p.jit.totalMs },
    triggers: p.triggers.map((t) => ({ name: t.name, constraint: t.constraintName, timeMs: t.timeMs, calls: t.calls })),
    settings: { ...p.settings },
    nodes: plan.nodes.map((n) => ({
      path: n.path,
      nodeType: n.node.nodeType,
      ...(n.node.joinType === null ? {} : { joinType: n.node.joinType }),
      ...(n.node.strategy === null ? {} : { strategy: n.node.strategy }),
      parentRelationship: n.node.parentRelationship,
      ...(n.node.subplanName === null ? {} : { subplanName: n.node.subplanName }),
      relation: n.relation,
      alias: n.node.alias,
      index: n.node.indexName,
      parallelAware: n.node.parallelAware,
      totalCost: n.node.totalCost,
      exclusiveCost: r(n.exclusiveCost, 2),
      planRows: n.node.planRows,
      actualRows: n.node.actualRows,
      loops: n.node.actualLoops,
      actualRowsTotal: n.actualRowsTotal,
      inclusiveMs: r(n.inclusiveMs),
      exclusiveMs: r(n.exclusiveMs),
      exclusiveShare: r(n.exclusiveShare, 4),
      misestimateFactor: r(n.misestimateFactor, 2),
      misestimateDirection: n.misestimateDirection,
      exclusiveBuffers: n.exclusiveBuffers === null ? null : { ...n.exclusiveBuffers },
      ioMs: r(n.ioMs),
      workersPlanned: n.node.workersPlanned,
      workersLaunched: n.node.workersLaunched,
      hot: n.hot,
    })),
  };
}
