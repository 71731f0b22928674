import type { ParentRelationship, Plan, PlanBuffers, PlanJit, PlanNode, PlanSourceFormat, PlanTrigger, PlanWorker } from './plan-model.ts';
import { planParseError } from './plan-parse-error.ts';

/** A plan node or statement object with the key names of EXPLAIN (FORMAT JSON). */
export type RawPlanObject = Record<string, unknown>;

const RELATIONSHIPS = new Set<string>(['Outer', 'Inner', 'Member', 'Subquery', 'InitPlan', 'SubPlan', 'Child']);

function num(o: RawPlanObject, key: string): number | null {
  const v = o[key];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

function str(o: RawPlanObject, key: string): string | null {
  const v = o[key];
  return typeof v === 'string' ? v : null;
}

function list(o: RawPlanObject, key: string): string[] {
  const v = o[key];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  if (typeof v === 'string') return [v];
  return [];
}

function buffersOf(o: RawPlanObject, prefix = ''): PlanBuffers | null {
  const keys = ['Shared Hit Blocks', 'Shared Read Blocks', 'Shared Dirtied Blocks', 'Shared Written Blocks', 'Local Hit Blocks', 'Local Read Blocks', 'Local Dirtied Blocks', 'Local Written Blocks', 'Temp Read Blocks', 'Temp Written Blocks'];
  if (!keys.some((k) => o[prefix + k] !== undefined)) return null;
  const n = (k: string): number => num(o, prefix + k) ?? 0;
  // text EXPLAIN omits an all-zero Buffers line: JSON zeros mean the same as absence
  if (keys.every((k) => n(k) === 0)) return null;
  return {
    sharedHit: n('Shared Hit Blocks'),
    sharedRead: n('Shared Read Blocks'),
    sharedDirtied: n('Shared Dirtied Blocks'),
    sharedWritten: n('Shared Written Blocks'),
    localHit: n('Local Hit Blocks'),
    localRead: n('Local Read Blocks'),
    localDirtied: n('Local Dirtied Blocks'),
    localWritten: n('Local Written Blocks'),
    tempRead: n('Temp Read Blocks'),
    tempWritten: n('Temp Written Blocks'),
  };
}

function sumOrNull(values: (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : present.reduce((a, b) => a + b, 0);
}

function workersOf(o: RawPlanObject): PlanWorker[] {
  const w = o.Workers;
  if (!Array.isArray(w)) return [];
  return w
    .filter((x): x is RawPlanObject => typeof x === 'object' && x !== null)
    .map((x) => ({
      workerNumber: num(x, 'Worker Number') ?? 0,
      actualTotalTimeMs: num(x, 'Actual Total Time'),
      actualRows: num(x, 'Actual Rows'),
      actualLoops: num(x, 'Actual Loops'),
    }));
}

function nodeOf(o: RawPlanObject, depth: number): PlanNode {
  if (depth > 1000) throw planParseError('the plan is nested more than 1000 levels deep');
  const nodeType = str(o, 'Node Type');
  if (nodeType === null || nodeType === '') throw planParseError('a plan node has no "Node Type"');
  const rel = str(o, 'Parent Relationship');
  const rawChildren = o.Plans;
  if (rawChildren !== undefined && !Array.isArray(rawChildren)) throw planParseError(`"Plans" of a ${nodeType} node is not an array`);
  const children = (rawChildren ?? []).map((c: unknown) => {
    if (typeof c !== 'object' || c === null || Array.isArray(c)) throw planParseError(`a child of a ${nodeType} node is not an object`);
    return nodeOf(c as RawPlanObject, depth + 1);
  });
  const never = o['Actual Loops'] === 0 || o['Never Executed'] === true;
  const bitmapAnalyzed = nodeType === 'Bitmap Heap Scan' && o['Actual Loops'] !== undefined;
  return {
    nodeType,
    joinType: str(o, 'Join Type'),
    strategy: str(o, 'Strategy'),
    partialMode: str(o, 'Partial Mode'),
    operation: str(o, 'Operation'),
    parentRelationship: rel !== null && RELATIONSHIPS.has(rel) ? (rel as ParentRelationship) : 'None',
    subplanName: str(o, 'Subplan Name'),
    parallelAware: o['Parallel Aware'] === true,
    relationName: str(o, 'Relation Name'),
    schema: str(o, 'Schema'),
    alias: str(o, 'Alias'),
    indexName: str(o, 'Index Name'),
    cteName: str(o, 'CTE Name'),
    functionName: str(o, 'Function Name'),
    scanDirection: str(o, 'Scan Direction'),
    startupCost: num(o, 'Startup Cost') ?? 0,
    totalCost: num(o, 'Total Cost') ?? 0,
    planRows: num(o, 'Plan Rows') ?? 0,
    planWidth: num(o, 'Plan Width') ?? 0,
    actualStartupTimeMs: num(o, 'Actual Startup Time'),
    actualTotalTimeMs: num(o, 'Actual Total Time'),
    actualRows: num(o, 'Actual Rows'),
    actualLoops: num(o, 'Actual Loops'),
    neverExecuted: never,
    filter: str(o, 'Filter'),
    indexCond: str(o, 'Index Cond'),
    recheckCond: str(o, 'Recheck Cond'),
    joinFilter: str(o, 'Join Filter'),
    hashCond: str(o, 'Hash Cond'),
    mergeCond: str(o, 'Merge Cond'),
    sortKey: list(o, 'Sort Key'),
    presortedKey: list(o, 'Presorted Key'),
    groupKey: list(o, 'Group Key'),
    output: list(o, 'Output'),
    rowsRemovedByFilter: num(o, 'Rows Removed by Filter'),
    rowsRemovedByJoinFilter: num(o, 'Rows Removed by Join Filter'),
    rowsRemovedByIndexRecheck: num(o, 'Rows Removed by Index Recheck'),
    heapFetches: num(o, 'Heap Fetches'),
    // text omits "lossy=0" (and the whole line when both are 0); JSON always has both
    exactHeapBlocks: num(o, 'Exact Heap Blocks') ?? (bitmapAnalyzed ? 0 : null),
    lossyHeapBlocks: num(o, 'Lossy Heap Blocks') ?? (bitmapAnalyzed ? 0 : null),
    sortMethod: str(o, 'Sort Method'),
    sortSpaceUsedKb: num(o, 'Sort Space Used'),
    sortSpaceType: str(o, 'Sort Space Type'),
    hashBuckets: num(o, 'Hash Buckets'),
    hashBatches: num(o, 'Hash Batches'),
    originalHashBatches: num(o, 'Original Hash Batches'),
    peakMemoryUsageKb: num(o, 'Peak Memory Usage'),
    aggBatches: num(o, 'HashAgg Batches'),
    diskUsageKb: num(o, 'Disk Usage'),
    workersPlanned: num(o, 'Workers Planned'),
    workersLaunched: num(o, 'Workers Launched'),
    workers: workersOf(o),
    buffers: buffersOf(o),
    // PG 17 split the timings by shared/local/temp
    ioReadTimeMs: sumOrNull([num(o, 'I/O Read Time'), num(o, 'Shared I/O Read Time'), num(o, 'Local I/O Read Time'), num(o, 'Temp I/O Read Time')]),
    ioWriteTimeMs: sumOrNull([num(o, 'I/O Write Time'), num(o, 'Shared I/O Write Time'), num(o, 'Local I/O Write Time'), num(o, 'Temp I/O Write Time')]),
    children,
  };
}

function triggersOf(o: RawPlanObject): PlanTrigger[] {
  const t = o.Triggers;
  if (!Array.isArray(t)) return [];
  return t
    .filter((x): x is RawPlanObject => typeof x === 'object' && x !== null)
    .map((x) => ({
      name: str(x, 'Trigger Name') ?? '?',
      constraintName: str(x, 'Constraint Name'),
      relation: str(x, 'Relation'),
      timeMs: num(x, 'Time') ?? 0,
      calls: num(x, 'Calls') ?? 0,
    }));
}

function jitOf(o: RawPlanObject): PlanJit | null {
  const j = o.JIT;
  if (typeof j !== 'object' || j === null) return null;
  const jit = j as RawPlanObject;
  const timing = (typeof jit.Timing === 'object' && jit.Timing !== null ? jit.Timing : {}) as RawPlanObject;
  // PG 15+ nests Generation as an object { Deform, Expressions, Total }
  const gen = timing.Generation;
  const generationMs = typeof gen === 'object' && gen !== null ? (num(gen as RawPlanObject, 'Total') ?? 0) : (num(timing, 'Generation') ?? 0);
  return {
    functions: num(jit, 'Functions') ?? 0,
    generationMs,
    inliningMs: num(timing, 'Inlining') ?? 0,
    optimizationMs: num(timing, 'Optimization') ?? 0,
    emissionMs: num(timing, 'Emission') ?? 0,
    totalMs: num(timing, 'Total') ?? 0,
  };
}

function settingsOf(o: RawPlanObject): Record<string, string> {
  const s = o.Settings;
  if (typeof s !== 'object' || s === null || Array.isArray(s)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(s as RawPlanObject)) out[k] = String(v);
  return out;
}

/** The statement object of EXPLAIN (FORMAT JSON) — { Plan, Planning Time, ... } — to a Plan. */
export function normalizePlan(statement: RawPlanObject, format: PlanSourceFormat): Plan {
  const root = statement.Plan;
  if (typeof root !== 'object' || root === null || Array.isArray(root)) throw planParseError('there is no "Plan" object in the input');
  const rootNode = nodeOf(root as RawPlanObject, 0);
  const planning = statement.Planning;
  return {
    root: rootNode,
    format,
    analyzed: rootNode.actualLoops !== null || rootNode.neverExecuted,
    planningTimeMs: num(statement, 'Planning Time'),
    // servers up to 9.3 call it "Total Runtime"
    executionTimeMs: num(statement, 'Execution Time') ?? num(statement, 'Total Runtime'),
    planningBuffers: typeof planning === 'object' && planning !== null ? buffersOf(planning as RawPlanObject) : null,
    triggers: triggersOf(statement),
    jit: jitOf(statement),
    settings: settingsOf(statement),
    queryText: str(statement, 'Query Text'),
    loggedDurationMs: num(statement, 'Logged Duration'),
    loggedEntries: num(statement, 'Logged Entries'),
    parseWarnings: list(statement, 'Parse Warnings'),
  };
}
