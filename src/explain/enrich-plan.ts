import type { Plan, PlanBuffers, PlanNode } from './plan-model.ts';

export type MisestimateDirection = 'under' | 'over' | 'exact';

/** Derived per-node figures (pure; computed from one parsed Plan). */
export interface EnrichedNode {
  readonly node: PlanNode;
  /** stable path of child indexes from the root, e.g. "0.1.0" */
  readonly path: string;
  readonly parentPath: string | null;
  readonly depth: number;
  /** schema-qualified when the plan named the schema (VERBOSE), else as printed */
  readonly relation: string | null;
  /** processes sharing this node: workers launched + leader when below a Gather, else 1 */
  readonly parallelDivisor: number;
  /** wall-clock milliseconds spent in this node and below, over all loops */
  readonly inclusiveMs: number | null;
  /** milliseconds spent in this node alone */
  readonly exclusiveMs: number | null;
  /** exclusiveMs / execution time */
  readonly exclusiveShare: number | null;
  readonly exclusiveCost: number;
  /** actual rows × loops */
  readonly actualRowsTotal: number | null;
  /** planned rows × loops */
  readonly planRowsTotal: number;
  /** ≥ 1: how far the row estimate was off per loop */
  readonly misestimateFactor: number | null;
  readonly misestimateDirection: MisestimateDirection | null;
  readonly exclusiveBuffers: PlanBuffers | null;
  readonly ioMs: number | null;
  /** on the path from the root to the node with the most exclusive time */
  readonly hot: boolean;
  /** Gather/Gather Merge above this node, when it runs in parallel */
  readonly gatherPath: string | null;
}

export interface EnrichedPlan {
  readonly plan: Plan;
  /** every node in pre-order (root first), the same order the text format prints */
  readonly nodes: readonly EnrichedNode[];
  readonly byPath: ReadonlyMap<string, EnrichedNode>;
  /** execution time when known, else the root's inclusive time */
  readonly totalMs: number | null;
  readonly hottestPath: string | null;
}

const BUFFER_KEYS = ['sharedHit', 'sharedRead', 'sharedDirtied', 'sharedWritten', 'localHit', 'localRead', 'localDirtied', 'localWritten', 'tempRead', 'tempWritten'] as const;

function subtractBuffers(own: PlanBuffers, minus: readonly (PlanBuffers | null)[]): PlanBuffers {
  const out: Record<(typeof BUFFER_KEYS)[number], number> = { ...own };
  for (const m of minus) {
    if (m === null) continue;
    for (const k of BUFFER_KEYS) out[k] -= m[k];
  }
  for (const k of BUFFER_KEYS) out[k] = Math.max(0, out[k]);
  return out;
}

function isCteSubplan(n: PlanNode): boolean {
  return n.subplanName !== null && n.subplanName.startsWith('CTE ');
}

function ioOf(x: PlanNode): number | null {
  return x.ioReadTimeMs === null && x.ioWriteTimeMs === null ? null : (x.ioReadTimeMs ?? 0) + (x.ioWriteTimeMs ?? 0);
}

interface Walk {
  node: PlanNode;
  path: string;
  parentPath: string | null;
  depth: number;
  divisor: number;
  gatherPath: string | null;
}

/** Inclusive wall time of a node: per-loop average × loops, shared among parallel processes. */
export function inclusiveMsOf(node: PlanNode, divisor: number): number | null {
  if (node.neverExecuted) return 0;
  if (node.actualTotalTimeMs === null || node.actualLoops === null) return null;
  return (node.actualTotalTimeMs * node.actualLoops) / Math.max(1, divisor);
}

/**
 * Exclusive time, cost and buffers, misestimates and the hot path of every node. Accounts for
 * loops, parallel workers (time shared by the launched workers plus the leader), SubPlans and
 * InitPlans (their time is inside the node that evaluates them) and CTEs (their time is inside
 * the CTE Scans that read them, not inside the node they hang from).
 */
export function enrichPlan(plan: Plan): EnrichedPlan {
  const walks: Walk[] = [];
  const stack: Walk[] = [{ node: plan.root, path: '0', parentPath: null, depth: 0, divisor: 1, gatherPath: null }];
  while (stack.length > 0) {
    const w = stack.pop() as Walk;
    walks.push(w);
    const isGather = w.node.nodeType === 'Gather' || w.node.nodeType === 'Gather Merge';
    const launched = w.node.workersLaunched ?? w.node.workersPlanned ?? 0;
    for (let i = w.node.children.length - 1; i >= 0; i--) {
      const child = w.node.children[i] as PlanNode;
      const inParallel = isGather && child.subplanName === null;
      stack.push({
        node: child,
        path: `${w.path}.${i}`,
        parentPath: w.path,
        depth: w.depth + 1,
        divisor: inParallel ? launched + 1 : w.divisor,
        gatherPath: inParallel ? w.path : w.gatherPath,
      });
    }
  }
  // EXPLAIN (ANALYZE, COSTS OFF) prints no estimate at all: there is nothing to compare the actual rows with
  const estimated = walks.some((w) => w.node.totalCost > 0 || w.node.planRows > 0);
  const inclusive = new Map<string, number | null>();
  const divisorByPath = new Map<string, number>();
  for (const w of walks) {
    inclusive.set(w.path, inclusiveMsOf(w.node, w.divisor));
    divisorByPath.set(w.path, w.divisor);
  }
  // CTE name → time and buffers of its subplan, handed out to the CTE Scans that read it
  const cteTime = new Map<string, number>();
  const cteBuffers = new Map<string, PlanBuffers | null>();
  for (const w of walks) {
    if (isCteSubplan(w.node)) {
      const name = (w.node.subplanName as string).slice(4);
      cteTime.set(name, inclusive.get(w.path) ?? 0);
      cteBuffers.set(name, w.node.buffers);
    }
  }
  const totalMs = plan.executionTimeMs ?? inclusive.get('0') ?? null;
  const partial: Omit<EnrichedNode, 'hot'>[] = walks.map((w) => {
    const n = w.node;
    const incl = inclusive.get(w.path) ?? null;
    const counted = n.children.map((c, i) => ({ c, path: `${w.path}.${i}` })).filter(({ c }) => !isCteSubplan(c));
    let excl: number | null = null;
    if (incl !== null) {
      let e = incl;
      for (const { path } of counted) e -= inclusive.get(path) ?? 0;
      if (n.nodeType === 'CTE Scan' && n.cteName !== null) {
        const remaining = cteTime.get(n.cteName) ?? 0;
        const take = Math.min(Math.max(e, 0), remaining);
        e -= take;
        cteTime.set(n.cteName, remaining - take);
      }
      excl = Math.max(0, e);
    }
    let exclCost = n.totalCost;
    for (const { c } of counted) exclCost -= c.totalCost;
    let exclBuffers: PlanBuffers | null = null;
    if (n.buffers !== null) {
      const minus = counted.map(({ c }) => c.buffers);
      if (n.nodeType === 'CTE Scan' && n.cteName !== null && cteBuffers.has(n.cteName)) {
        minus.push(cteBuffers.get(n.cteName) ?? null);
        cteBuffers.delete(n.cteName);
      }
      exclBuffers = subtractBuffers(n.buffers, minus);
    }
    const executed = n.actualRows !== null && !n.neverExecuted && estimated;
    let factor: number | null = null;
    let direction: MisestimateDirection | null = null;
    if (executed) {
      const a = Math.max(n.actualRows as number, 1);
      const p = Math.max(n.planRows, 1);
      factor = a >= p ? a / p : p / a;
      direction = a === p || factor < 1.0001 ? 'exact' : a > p ? 'under' : 'over';
    }
    const loops = n.actualLoops ?? 1;
    // I/O timings are cumulative like buffers: keep what this node itself waited for
    const ownIo = ioOf(n);
    let io = ownIo;
    if (ownIo !== null) {
      for (const { c } of counted) io = (io as number) - (ioOf(c) ?? 0);
      io = Math.max(0, io as number);
    }
    return {
      node: n,
      path: w.path,
      parentPath: w.parentPath,
      depth: w.depth,
      relation: n.relationName === null ? null : n.schema === null ? n.relationName : `${n.schema}.${n.relationName}`,
      parallelDivisor: w.divisor,
      inclusiveMs: incl,
      exclusiveMs: excl,
      exclusiveShare: excl === null || totalMs === null || totalMs <= 0 ? null : Math.min(1, excl / totalMs),
      exclusiveCost: Math.max(0, exclCost),
      actualRowsTotal: n.actualRows === null ? null : n.actualRows * (n.actualLoops ?? 1),
      planRowsTotal: n.planRows * Math.max(loops, 1),
      misestimateFactor: factor,
      misestimateDirection: direction,
      exclusiveBuffers: exclBuffers,
      ioMs: io,
      gatherPath: w.gatherPath,
    };
  });
  let hottest: Omit<EnrichedNode, 'hot'> | null = null;
  for (const e of partial) if (e.exclusiveMs !== null && (hottest === null || e.exclusiveMs > (hottest.exclusiveMs ?? 0))) hottest = e;
  const hotPaths = new Set<string>();
  if (hottest !== null && (hottest.exclusiveMs ?? 0) > 0) {
    const parts = hottest.path.split('.');
    for (let i = 1; i <= parts.length; i++) hotPaths.add(parts.slice(0, i).join('.'));
  }
  const nodes: EnrichedNode[] = partial.map((e) => ({ ...e, hot: hotPaths.has(e.path) }));
  return {
    plan,
    nodes,
    byPath: new Map(nodes.map((n) => [n.path, n])),
    totalMs,
    hottestPath: hottest === null || hotPaths.size === 0 ? null : hottest.path,
  };
}

/** Children of a node in an enriched plan. */
export function childrenOf(plan: EnrichedPlan, path: string): EnrichedNode[] {
  const n = plan.byPath.get(path);
  if (n === undefined) return [];
  return n.node.children.map((_, i) => plan.byPath.get(`${path}.${i}`)).filter((x): x is EnrichedNode => x !== undefined);
}

/** Nearest ancestors, parent first. */
export function ancestorsOf(plan: EnrichedPlan, path: string): EnrichedNode[] {
  const out: EnrichedNode[] = [];
  let p = plan.byPath.get(path)?.parentPath ?? null;
  while (p !== null) {
    const n = plan.byPath.get(p);
    if (n === undefined) break;
    out.push(n);
    p = n.parentPath;
  }
  return out;
}
