/** Everything collected from the catalog and statistics views in one pass, deep-frozen. */

/**
 * stats_reset: pg_stat_database.stats_reset; stats_discarded: the cluster statistics' last discard
 * (initdb or crash recovery; they survive clean restarts); database_created: the database is younger
 * than that; maintenance / server_start: lower bounds only (the oldest vacuum/analyze time, the start).
 */
export type StatsAgeBasis = 'stats_reset' | 'stats_discarded' | 'database_created' | 'maintenance' | 'server_start';

export interface ServerInfo {
  readonly version: string;
  /** server_version_num, e.g. 150020 */
  readonly versionNum: number;
  readonly major: number;
  readonly database: string;
  readonly user: string;
  readonly host: string | null;
  readonly startedAt: string;
  readonly uptimeSeconds: number;
  /** pg_stat_database.stats_reset for this database (null: never reset since cluster init) */
  readonly statsResetAt: string | null;
  /** how long the table counters have been accumulating (see statsAgeBasis) */
  readonly statsAgeSeconds: number;
  /** where statsAgeSeconds comes from; 'maintenance' and 'server_start' are lower bounds */
  readonly statsAgeBasis: StatsAgeBasis;
  readonly isReplica: boolean;
  readonly blockSize: number;
}

export interface Extension {
  readonly name: string;
  readonly installedVersion: string | null;
  readonly defaultVersion: string | null;
}

export interface Privileges {
  readonly role: string;
  readonly superuser: boolean;
  readonly pgReadAllStats: boolean;
  readonly pgMonitor: boolean;
  /** can see other roles' query texts and statistics */
  readonly canReadAllStats: boolean;
}

export interface Setting {
  readonly name: string;
  readonly setting: string;
  readonly unit: string | null;
  readonly source: string;
  readonly context: string;
  readonly vartype: string;
  readonly bootVal: string | null;
  readonly resetVal: string | null;
  readonly pendingRestart: boolean;
}

export interface ColumnStats {
  readonly nullFrac: number;
  readonly avgWidth: number;
  /** >0: distinct count; <0: -fraction of rows */
  readonly nDistinct: number;
  readonly correlation: number | null;
  readonly mostCommonVals: readonly (string | null)[] | null;
  readonly mostCommonFreqs: readonly number[] | null;
  readonly histogramBounds: readonly (string | null)[] | null;
}

export interface Column {
  readonly name: string;
  readonly num: number;
  readonly type: string;
  readonly notNull: boolean;
  readonly default: string | null;
  readonly identity: '' | 'a' | 'd';
  readonly generated: '' | 's' | 'v';
  readonly stats: ColumnStats | null;
}

export interface TableActivity {
  readonly seqScan: number;
  readonly seqTupRead: number;
  readonly idxScan: number;
  readonly idxTupFetch: number;
  readonly nTupIns: number;
  readonly nTupUpd: number;
  readonly nTupDel: number;
  readonly nTupHotUpd: number;
  readonly nLiveTup: number;
  readonly nDeadTup: number;
  readonly nModSinceAnalyze: number;
  readonly lastVacuum: string | null;
  readonly lastAutovacuum: string | null;
  readonly lastAnalyze: string | null;
  readonly lastAutoanalyze: string | null;
  readonly vacuumCount: number;
  readonly autovacuumCount: number;
  readonly analyzeCount: number;
  readonly autoanalyzeCount: number;
}

export interface TableIo {
  readonly heapBlksRead: number;
  readonly heapBlksHit: number;
  readonly idxBlksRead: number;
  readonly idxBlksHit: number;
  readonly toastBlksRead: number;
  readonly toastBlksHit: number;
}

export type RelationKind = 'table' | 'partitioned' | 'matview' | 'foreign';

export interface Table {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  /** schema-qualified, quoted where needed */
  readonly qualifiedName: string;
  readonly kind: RelationKind;
  readonly isPartition: boolean;
  readonly parent: string | null;
  readonly persistence: 'p' | 'u' | 't';
  readonly tableBytes: number;
  readonly indexesBytes: number;
  readonly toastBytes: number;
  readonly totalBytes: number;
  /** pg_class.reltuples (-1 when never analyzed on 14+) */
  readonly rowEstimate: number;
  readonly pages: number;
  readonly replicaIdentity: 'd' | 'n' | 'f' | 'i';
  readonly options: readonly string[];
  readonly frozenXidAge: number;
  readonly columns: readonly Column[];
  readonly activity: TableActivity | null;
  readonly io: TableIo | null;
}

export interface IndexColumn {
  /** column name, or the expression text for expression columns */
  readonly name: string;
  readonly isExpression: boolean;
  readonly descending: boolean;
  readonly nullsFirst: boolean;
  readonly opclass: string | null;
  readonly collation: string | null;
}

export interface Index {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  readonly qualifiedName: string;
  /** qualified name of the table */
  readonly table: string;
  readonly tableOid: number;
  readonly method: string;
  readonly definition: string;
  /** key columns, in order */
  readonly columns: readonly IndexColumn[];
  readonly includeColumns: readonly string[];
  readonly predicate: string | null;
  readonly isUnique: boolean;
  readonly isPrimary: boolean;
  readonly isExclusion: boolean;
  readonly isValid: boolean;
  readonly isReady: boolean;
  readonly isReplicaIdentity: boolean;
  /** name of the constraint this index implements (PK, unique, exclusion), if any */
  readonly constraint: string | null;
  readonly sizeBytes: number;
  readonly scans: number;
  readonly tupRead: number;
  readonly tupFetch: number;
  readonly blksRead: number;
  readonly blksHit: number;
  readonly lastScan: string | null;
}

export type ConstraintType = 'primary' | 'foreign' | 'unique' | 'check' | 'exclusion' | 'trigger' | 'not-null';

export interface Constraint {
  readonly name: string;
  readonly schema: string;
  readonly table: string;
  readonly type: ConstraintType;
  readonly validated: boolean;
  readonly columns: readonly string[];
  readonly definition: string;
  readonly references: { readonly table: string; readonly columns: readonly string[] } | null;
  readonly onDelete: string | null;
  readonly onUpdate: string | null;
}

export interface Sequence {
  readonly schema: string;
  readonly name: string;
  readonly qualifiedName: string;
  readonly dataType: string;
  readonly lastValue: number | null;
  readonly minValue: number;
  readonly maxValue: number;
  readonly increment: number;
  readonly cycle: boolean;
  readonly ownedBy: { readonly table: string; readonly column: string; readonly columnType: string } | null;
}

export interface DatabaseStats {
  readonly name: string;
  readonly sizeBytes: number;
  readonly blksHit: number;
  readonly blksRead: number;
  readonly xactCommit: number;
  readonly xactRollback: number;
  readonly deadlocks: number;
  readonly tempFiles: number;
  readonly tempBytes: number;
  readonly conflicts: number;
  readonly statsReset: string | null;
}

export interface DatabaseAge {
  readonly name: string;
  readonly frozenXidAge: number;
  readonly minMxidAge: number;
}

export interface Backend {
  readonly pid: number;
  readonly user: string | null;
  readonly applicationName: string;
  readonly clientAddr: string | null;
  readonly database: string | null;
  readonly backendType: string;
  readonly state: string | null;
  readonly waitEventType: string | null;
  readonly waitEvent: string | null;
  readonly backendStart: string | null;
  readonly xactStart: string | null;
  readonly queryStart: string | null;
  readonly stateChange: string | null;
  /** seconds since xact_start / query_start / state_change, computed by the server */
  readonly xactAgeSeconds: number | null;
  readonly queryAgeSeconds: number | null;
  readonly stateAgeSeconds: number | null;
  /** query text with literals redacted */
  readonly query: string | null;
  readonly blockedBy: readonly number[];
}

export interface Connections {
  readonly maxConnections: number;
  readonly superuserReserved: number;
  readonly reserved: number;
  readonly total: number;
  readonly byState: Readonly<Record<string, number>>;
  readonly backends: readonly Backend[];
}

export interface ReplicationSender {
  readonly pid: number;
  readonly applicationName: string;
  readonly clientAddr: string | null;
  readonly state: string;
  readonly syncState: string;
  readonly lagBytes: number | null;
  readonly writeLagSeconds: number | null;
  readonly flushLagSeconds: number | null;
  readonly replayLagSeconds: number | null;
}

export interface ReplicationSlot {
  readonly name: string;
  readonly slotType: string;
  readonly active: boolean;
  readonly database: string | null;
  readonly retainedBytes: number | null;
  readonly walStatus: string | null;
}

export interface Checkpoints {
  readonly timed: number;
  readonly requested: number;
  readonly buffersWritten: number;
  readonly statsReset: string | null;
}

export interface CollectionIssue {
  readonly part: string;
  readonly message: string;
}

/** A view, read so statements on it can be seen through to the tables it reads (the planner inlines it). */
export interface View {
  readonly schema: string;
  readonly name: string;
  readonly qualifiedName: string;
  /** pg_get_viewdef: the SELECT the view stands for */
  readonly definition: string;
  /** security_barrier views are not flattened by the planner: predicates from outside stay outside */
  readonly securityBarrier: boolean;
}

export interface Snapshot {
  readonly collectedAt: string;
  readonly server: ServerInfo;
  readonly extensions: readonly Extension[];
  readonly privileges: Privileges;
  readonly settings: readonly Setting[];
  readonly tables: readonly Table[];
  readonly indexes: readonly Index[];
  readonly constraints: readonly Constraint[];
  readonly sequences: readonly Sequence[];
  /** absent in snapshots built without a catalog (DDL files) */
  readonly views?: readonly View[];
  readonly database: DatabaseStats | null;
  readonly databaseAges: readonly DatabaseAge[];
  readonly connections: Connections | null;
  readonly replication: { readonly senders: readonly ReplicationSender[]; readonly slots: readonly ReplicationSlot[] } | null;
  readonly checkpoints: Checkpoints | null;
  /** parts that could not be collected (privileges, timeouts) */
  readonly issues: readonly CollectionIssue[];
}
