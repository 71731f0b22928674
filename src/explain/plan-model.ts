/** Where a plan came from; JSON and text of the same plan must yield the same model. */
export type PlanSourceFormat = 'json' | 'text';

export type ParentRelationship = 'Outer' | 'Inner' | 'Member' | 'Subquery' | 'InitPlan' | 'SubPlan' | 'Child' | 'None';

export interface PlanWorker {
  readonly workerNumber: number;
  readonly actualTotalTimeMs: number | null;
  readonly actualRows: number | null;
  readonly actualLoops: number | null;
}

/** One plan node, as EXPLAIN reports it (field names follow the JSON format, camelCased). */
export interface PlanNode {
  readonly nodeType: string;
  /** e.g. "Left" for "Hash Left Join" */
  readonly joinType: string | null;
  /** Aggregate / SetOp strategy: Plain, Sorted, Hashed, Mixed */
  readonly strategy: string | null;
  /** Aggregate partial mode: Simple, Partial, Finalize */
  readonly partialMode: string | null;
  /** ModifyTable: Insert, Update, Delete, Merge */
  readonly operation: string | null;
  readonly parentRelationship: ParentRelationship;
  /** "InitPlan 1 (returns $0)", "SubPlan 2", "CTE name" */
  readonly subplanName: string | null;
  readonly parallelAware: boolean;
  readonly relationName: string | null;
  readonly schema: string | null;
  readonly alias: string | null;
  readonly indexName: string | null;
  readonly cteName: string | null;
  readonly functionName: string | null;
  readonly scanDirection: string | null;

  readonly startupCost: number;
  readonly totalCost: number;
  readonly planRows: number;
  readonly planWidth: number;

  /** null when the plan was not run with ANALYZE */
  readonly actualStartupTimeMs: number | null;
  readonly actualTotalTimeMs: number | null;
  readonly actualRows: number | null;
  readonly actualLoops: number | null;
  /** ANALYZE ran but this node never did */
  readonly neverExecuted: boolean;

  readonly filter: string | null;
  readonly indexCond: string | null;
  readonly recheckCond: string | null;
  readonly joinFilter: string | null;
  readonly hashCond: string | null;
  readonly mergeCond: string | null;
  readonly sortKey: readonly string[];
  readonly presortedKey: readonly string[];
  readonly groupKey: readonly string[];
  readonly output: readonly string[];

  readonly rowsRemovedByFilter: number | null;
  readonly rowsRemovedByJoinFilter: number | null;
  readonly rowsRemovedByIndexRecheck: number | null;
  readonly heapFetches: number | null;
  readonly exactHeapBlocks: number | null;
  readonly lossyHeapBlocks: number | null;

  readonly sortMethod: string | null;
  readonly sortSpaceUsedKb: number | null;
  readonly sortSpaceType: string | null;
  readonly hashBuckets: number | null;
  readonly hashBatches: number | null;
  readonly originalHashBatches: number | null;
  readonly peakMemoryUsageKb: number | null;
  /** HashAggregate batches and disk usage (PG13+) */
  readonly aggBatches: number | null;
  readonly diskUsageKb: number | null;

  readonly workersPlanned: number | null;
  readonly workersLaunched: number | null;
  readonly workers: readonly PlanWorker[];

  readonly buffers: PlanBuffers | null;
  /** milliseconds of I/O wait, when track_io_timing was on */
  readonly ioReadTimeMs: number | null;
  readonly ioWriteTimeMs: number | null;

  readonly children: readonly PlanNode[];
}

export interface PlanBuffers {
  readonly sharedHit: number;
  readonly sharedRead: number;
  readonly sharedDirtied: number;
  readonly sharedWritten: number;
  readonly localHit: number;
  readonly localRead: number;
  readonly localDirtied: number;
  readonly localWritten: number;
  readonly tempRead: number;
  readonly tempWritten: number;
}

export interface PlanTrigger {
  readonly name: string;
  readonly constraintName: string | null;
  readonly relation: string | null;
  readonly timeMs: number;
  readonly calls: number;
}

export interface PlanJit {
  readonly functions: number;
  readonly generationMs: number;
  readonly inliningMs: number;
  readonly optimizationMs: number;
  readonly emissionMs: number;
  readonly totalMs: number;
}

/** A whole EXPLAIN output: the node tree plus the statement-level lines. */
export interface Plan {
  readonly root: PlanNode;
  readonly format: PlanSourceFormat;
  readonly analyzed: boolean;
  readonly planningTimeMs: number | null;
  readonly executionTimeMs: number | null;
  readonly planningBuffers: PlanBuffers | null;
  readonly triggers: readonly PlanTrigger[];
  readonly jit: PlanJit | null;
  /** non-default planner settings (EXPLAIN SETTINGS) */
  readonly settings: Readonly<Record<string, string>>;
  /** statement text when the source carried it (auto_explain "Query Text") */
  readonly queryText: string | null;
  /** auto_explain "duration:" of the logged statement */
  readonly loggedDurationMs: number | null;
  /** plans found in the auto_explain log (the slowest was taken) */
  readonly loggedEntries: number | null;
  /** assumptions the parser made to read a pasted plan (tab width, wrapped lines, a second plan ignored) */
  readonly parseWarnings: readonly string[];
}
