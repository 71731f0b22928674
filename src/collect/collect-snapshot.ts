import type {
  Column,
  ColumnStats,
  CollectionIssue,
  Constraint,
  ConstraintType,
  DatabaseAge,
  Extension,
  Index,
  Privileges,
  RelationKind,
  Sequence,
  ServerInfo,
  Setting,
  Snapshot,
  Table,
  TableActivity,
  TableIo,
} from '../model/index.ts';
import * as q from './catalog-queries.ts';
import type { Database } from './connection.ts';
import { deepFreeze } from './deep-freeze.ts';
import { parsePgArray } from './pg-array.ts';
import { statsWindow } from './stats-window.ts';

import { iso, num, numOrNull, str, strOrNull } from './row-values.ts';
import type { Row } from './row-values.ts';
import { toCheckpoints, toConnections, toDatabaseStats, toSender, toSlot } from './server-rows.ts';

export interface CollectOptions {
  /** keep literal values in pg_stat_activity texts (off by default) */
  readonly showLiterals?: boolean;
  readonly onProgress?: (part: string) => void;
}

/**
 * Collects the Snapshot in one parallel pass over at most three sessions. A part that
 * fails (privileges, timeout) is recorded in `issues` and the rest is still collected.
 */
export async function collectSnapshot(db: Database, options: CollectOptions = {}): Promise<Snapshot> {
  const issues: CollectionIssue[] = [];
  const run = async (part: string, sql: string): Promise<Row[] | null> => {
    try {
      const rows = await db.query<Row>(sql);
      options.onProgress?.(part);
      return rows;
    } catch (error) {
      issues.push({ part, message: (error as Error).message });
      return null;
    }
  };

  const serverRows = await run('server', q.SERVER_SQL);
  const s0 = serverRows?.[0];
  if (s0 === undefined) throw new Error(`could not read server information: ${issues.map((i) => i.message).join('; ')}`);
  const versionNum = num(s0.version_num);
  const major = Math.floor(versionNum / 10_000);

  // the two index slices go first: they are the longest queries on large catalogs
  const [indexesA, indexesB, ext, priv, settings, tables, columns, stats, constraints, sequences, dbRows, ages, activity, limits, senders, slots, checkpoints, views] =
    await Promise.all([
      run('indexes', q.indexesSql(0, 2)),
      run('indexes', q.indexesSql(1, 2)),
      run('extensions', q.EXTENSIONS_SQL),
      run('privileges', q.PRIVILEGES_SQL),
      run('settings', q.SETTINGS_SQL),
      run('tables', q.TABLES_SQL),
      run('columns', q.COLUMNS_SQL),
      run('column statistics', q.STATS_SQL),
      run('constraints', q.CONSTRAINTS_SQL),
      run('sequences', q.SEQUENCES_SQL),
      run('database statistics', q.DATABASE_SQL),
      run('database ages', q.DATABASE_AGES_SQL),
      run('activity', q.ACTIVITY_SQL),
      run('connection limits', q.CONNECTION_LIMITS_SQL),
      run('replication', q.REPLICATION_SENDERS_SQL),
      run('replication slots', q.REPLICATION_SLOTS_SQL),
      run('checkpoints', major >= 17 ? q.CHECKPOINTS_SQL_17 : q.CHECKPOINTS_SQL_14),
      run('views', q.VIEWS_SQL),
    ]);

  const indexes = indexesA === null || indexesB === null ? [] : [...indexesA, ...indexesB].map(toIndex);
  indexes.sort((a, b) => compareText(a.schema, b.schema) || compareText(a.name, b.name));
  const statsReset = iso(s0.stats_reset);
  const now = s0.now instanceof Date ? s0.now : new Date(str(s0.now));
  const uptime = num(s0.uptime_seconds);
  const created = s0.can_stat_file === true ? await db.query<Row>(q.DATABASE_CREATED_SQL).catch(() => []) : [];
  const builtTables = buildTables(tables ?? [], columns ?? [], stats ?? [], indexes);
  const window = statsWindow({
    now,
    statsReset,
    startedAt: iso(s0.started_at),
    statsDiscardedAt: iso(s0.stats_discarded_at),
    databaseCreatedAt: iso(created[0]?.created_at),
    maintenanceTimes: builtTables.flatMap((t) => (t.activity === null ? [] : [t.activity.lastVacuum, t.activity.lastAutovacuum, t.activity.lastAnalyze, t.activity.lastAutoanalyze])).filter((x): x is string => x !== null),
  });
  const server: ServerInfo = {
    version: str(s0.version),
    versionNum,
    major,
    database: str(s0.database),
    user: str(s0.user),
    host: strOrNull(s0.host),
    startedAt: iso(s0.started_at) ?? '',
    uptimeSeconds: uptime,
    statsResetAt: statsReset,
    statsAgeSeconds: window.seconds,
    statsAgeBasis: window.basis,
    isReplica: s0.is_replica === true,
    blockSize: num(s0.block_size, 8192),
  };

  const p0 = priv?.[0];
  const privileges: Privileges = {
    role: str(p0?.role ?? server.user),
    superuser: p0?.superuser === true,
    pgReadAllStats: p0?.read_all_stats === true,
    pgMonitor: p0?.monitor === true,
    canReadAllStats: p0?.superuser === true || p0?.read_all_stats === true || p0?.monitor === true,
  };

  const snapshot: Snapshot = {
    collectedAt: now.toISOString(),
    server,
    extensions: (ext ?? []).map(toExtension),
    privileges,
    settings: (settings ?? []).map(toSetting),
    tables: builtTables,
    indexes,
    constraints: (constraints ?? []).map(toConstraint),
    sequences: (sequences ?? []).map(toSequence),
    views: (views ?? []).map((r) => ({
      schema: str(r.schema),
      name: str(r.name),
      qualifiedName: str(r.qname),
      definition: str(r.definition),
      securityBarrier: r.security_barrier === true,
    })),
    database: dbRows?.[0] === undefined ? null : toDatabaseStats(dbRows[0]),
    databaseAges: (ages ?? []).map(
      (r): DatabaseAge => ({ name: str(r.name), frozenXidAge: num(r.frozen_age), minMxidAge: num(r.mxid_age) }),
    ),
    connections: activity === null || limits === null ? null : toConnections(activity, limits[0] ?? {}, options.showLiterals === true),
    replication: senders === null && slots === null ? null : { senders: (senders ?? []).map(toSender), slots: (slots ?? []).map(toSlot) },
    checkpoints: checkpoints?.[0] === undefined ? null : toCheckpoints(checkpoints[0]),
    issues,
  };
  return deepFreeze(snapshot);
}

function toExtension(r: Row): Extension {
  return { name: str(r.name), installedVersion: strOrNull(r.installed_version), defaultVersion: strOrNull(r.default_version) };
}

function toSetting(r: Row): Setting {
  return {
    name: str(r.name),
    setting: str(r.setting),
    unit: strOrNull(r.unit),
    source: str(r.source),
    context: str(r.context),
    vartype: str(r.vartype),
    bootVal: strOrNull(r.boot_val),
    resetVal: strOrNull(r.reset_val),
    pendingRestart: r.pending_restart === true,
  };
}

const RELKIND: Readonly<Record<string, RelationKind>> = { r: 'table', p: 'partitioned', m: 'matview', f: 'foreign' };

/** Byte order, like PostgreSQL's "C" collation for the name type. */
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function buildTables(tables: Row[], columns: Row[], stats: Row[], indexes: readonly Index[]): Table[] {
  const indexBytes = new Map<number, number>();
  for (const i of indexes) indexBytes.set(i.tableOid, (indexBytes.get(i.tableOid) ?? 0) + i.sizeBytes);
  const statsByTable = new Map<string, Map<string, Row>>();
  for (const s of stats) {
    const key = str(s.qname);
    let byCol = statsByTable.get(key);
    if (byCol === undefined) statsByTable.set(key, (byCol = new Map()));
    const name = str(s.name);
    const existing = byCol.get(name);
    // prefer the non-inherited row for plain tables; partitioned tables only have inherited ones
    if (existing === undefined || (existing.inherited === true && s.inherited !== true)) byCol.set(name, s);
  }
  const columnsByOid = new Map<number, Row[]>();
  for (const c of columns) {
    const oid = num(c.oid);
    let list = columnsByOid.get(oid);
    if (list === undefined) columnsByOid.set(oid, (list = []));
    list.push(c);
  }
  return tables.map((t): Table => {
    const qname = str(t.qname);
    const colStats = statsByTable.get(qname);
    const cols = (columnsByOid.get(num(t.oid)) ?? []).map((c): Column => {
      const s = colStats?.get(str(c.name));
      return {
        name: str(c.name),
        num: num(c.num),
        type: str(c.type),
        notNull: c.not_null === true,
        default: strOrNull(c.default),
        identity: (str(c.identity) as Column['identity']) || '',
        generated: (str(c.generated) as Column['generated']) || '',
        stats: s === undefined ? null : toColumnStats(s),
      };
    });
    const a = t.activity as Row | null;
    const io = t.io as Row | null;
    return {
      oid: num(t.oid),
      schema: str(t.schema),
      name: str(t.name),
      qualifiedName: qname,
      kind: RELKIND[str(t.relkind)] ?? 'table',
      isPartition: t.is_partition === true,
      parent: strOrNull(t.parent),
      persistence: (str(t.persistence) as Table['persistence']) || 'p',
      tableBytes: num(t.table_bytes),
      indexesBytes: indexBytes.get(num(t.oid)) ?? 0,
      toastBytes: num(t.toast_bytes),
      totalBytes: num(t.table_bytes) + (indexBytes.get(num(t.oid)) ?? 0),
      rowEstimate: num(t.reltuples, -1),
      pages: num(t.relpages),
      replicaIdentity: (str(t.replident) as Table['replicaIdentity']) || 'd',
      options: Array.isArray(t.reloptions) ? (t.reloptions as unknown[]).map(str) : [],
      frozenXidAge: num(t.frozen_age),
      columns: cols,
      activity: a === null ? null : toActivity(a),
      io: io === null ? null : toIo(io),
    };
  });
}

function toColumnStats(s: Row): ColumnStats {
  return {
    nullFrac: num(s.null_frac),
    avgWidth: num(s.avg_width),
    nDistinct: num(s.n_distinct),
    correlation: numOrNull(s.correlation),
    mostCommonVals: parsePgArray(strOrNull(s.mcv)),
    mostCommonFreqs: Array.isArray(s.mcf) ? (s.mcf as unknown[]).map((f) => num(f)) : null,
    histogramBounds: parsePgArray(strOrNull(s.histogram)),
  };
}

function toActivity(a: Row): TableActivity {
  return {
    seqScan: num(a.seq_scan),
    seqTupRead: num(a.seq_tup_read),
    idxScan: num(a.idx_scan),
    idxTupFetch: num(a.idx_tup_fetch),
    nTupIns: num(a.n_tup_ins),
    nTupUpd: num(a.n_tup_upd),
    nTupDel: num(a.n_tup_del),
    nTupHotUpd: num(a.n_tup_hot_upd),
    nLiveTup: num(a.n_live_tup),
    nDeadTup: num(a.n_dead_tup),
    nModSinceAnalyze: num(a.n_mod_since_analyze),
    lastVacuum: iso(a.last_vacuum),
    lastAutovacuum: iso(a.last_autovacuum),
    lastAnalyze: iso(a.last_analyze),
    lastAutoanalyze: iso(a.last_autoanalyze),
    vacuumCount: num(a.vacuum_count),
    autovacuumCount: num(a.autovacuum_count),
    analyzeCount: num(a.analyze_count),
    autoanalyzeCount: num(a.autoanalyze_count),
  };
}

function toIo(io: Row): TableIo {
  return {
    heapBlksRead: num(io.heap_blks_read),
    heapBlksHit: num(io.heap_blks_hit),
    idxBlksRead: num(io.idx_blks_read),
    idxBlksHit: num(io.idx_blks_hit),
    toastBlksRead: num(io.toast_blks_read),
    toastBlksHit: num(io.toast_blks_hit),
  };
}

function toIndex(r: Row): Index {
  const defs = (r.column_defs as string[] | null) ?? [];
  const indkey = (r.indkey as number[] | null) ?? [];
  const indoption = (r.indoption as number[] | null) ?? [];
  const opclasses = (r.opclasses as string[] | null) ?? [];
  const collations = (r.collations as string[] | null) ?? [];
  const nkey = num(r.nkeyatts, defs.length);
  const stats = (r.stats as Row | null) ?? {};
  const io = (r.io as Row | null) ?? {};
  return {
    oid: num(r.oid),
    schema: str(r.schema),
    name: str(r.name),
    qualifiedName: str(r.qname),
    table: str(r.table_qname),
    tableOid: num(r.table_oid),
    method: str(r.method),
    definition: str(r.definition),
    columns: defs.slice(0, nkey).map((name, k) => ({
      name,
      isExpression: indkey[k] === 0,
      descending: ((indoption[k] ?? 0) & 1) === 1,
      nullsFirst: ((indoption[k] ?? 0) & 2) === 2,
      opclass: opclasses[k] || null,
      collation: collations[k] || null,
    })),
    includeColumns: defs.slice(nkey),
    predicate: strOrNull(r.predicate),
    isUnique: r.is_unique === true,
    isPrimary: r.is_primary === true,
    isExclusion: r.is_exclusion === true,
    isValid: r.is_valid === true,
    isReady: r.is_ready === true,
    isReplicaIdentity: r.is_replident === true,
    constraint: strOrNull(r.constraint_name),
    sizeBytes: num(r.size_bytes),
    scans: num(stats.idx_scan),
    tupRead: num(stats.idx_tup_read),
    tupFetch: num(stats.idx_tup_fetch),
    blksRead: num(io.idx_blks_read),
    blksHit: num(io.idx_blks_hit),
    lastScan: iso(stats.last_idx_scan),
  };
}

const CONTYPE: Readonly<Record<string, ConstraintType>> = {
  p: 'primary',
  f: 'foreign',
  u: 'unique',
  c: 'check',
  x: 'exclusion',
  t: 'trigger',
  n: 'not-null',
};
const FK_ACTION: Readonly<Record<string, string>> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

function toConstraint(r: Row): Constraint {
  const type = CONTYPE[str(r.contype)] ?? 'check';
  return {
    name: str(r.name),
    schema: str(r.schema),
    table: str(r.table_qname),
    type,
    validated: r.validated === true,
    columns: (r.columns as string[] | null) ?? [],
    definition: str(r.definition),
    references: r.ref_table === null || r.ref_table === undefined ? null : { table: str(r.ref_table), columns: (r.ref_columns as string[] | null) ?? [] },
    onDelete: type === 'foreign' ? (FK_ACTION[str(r.on_delete)] ?? null) : null,
    onUpdate: type === 'foreign' ? (FK_ACTION[str(r.on_update)] ?? null) : null,
  };
}

function toSequence(r: Row): Sequence {
  return {
    schema: str(r.schema),
    name: str(r.name),
    qualifiedName: str(r.qname),
    dataType: str(r.data_type),
    lastValue: numOrNull(r.last_value),
    minValue: num(r.min_value),
    maxValue: num(r.max_value),
    increment: num(r.increment, 1),
    cycle: r.cycle === true,
    ownedBy:
      r.owned_table === null || r.owned_table === undefined
        ? null
        : { table: str(r.owned_table), column: str(r.owned_column), columnType: str(r.owned_type) },
  };
}
