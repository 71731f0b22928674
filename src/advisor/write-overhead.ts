import type { Index, Snapshot, Table } from '../model/index.ts';
import { unquoteIdent } from '../sql/quote.ts';
import { equalitySelectivity } from './column-stats.ts';
import type { Candidate, WriteOverhead } from './types.ts';
import { statsWritesPerDay } from './write-model.ts';

export interface WriteModel {
  /** planner cost units charged per index entry written (page dirtying, WAL, later vacuum) */
  readonly costPerEntry: number;
  /** updates per day from the workload, per table and column set, to detect HOT breaks */
  readonly workloadUpdates: ReadonlyMap<string, { columns: ReadonlySet<string>; perDay: number }[]>;
  /** writes per day from the workload, per table */
  readonly workloadWrites: ReadonlyMap<string, number>;
  /**
   * per table: 'stats' charges the larger of pg_stat_user_tables rates and the workload's writes;
   * 'workload' the workload's writes only (the counters reflect a bulk load, not the steady state)
   */
  readonly sourceFor: (table: string) => 'stats' | 'workload';
}

/** Extra work multiplier per method: GIN writes several entries per row, BRIN summarizes ranges. */
const METHOD_FACTOR: Readonly<Record<Candidate['method'], number>> = { btree: 1, gin: 4, brin: 0.02 };

/** PostgreSQL 16 lets HOT updates through summarizing (BRIN) indexes. */
function blocksHot(method: string, versionNum: number): boolean {
  return method !== 'brin' || versionNum < 160000;
}

function mentions(text: string, column: string): boolean {
  return new RegExp(`(^|[^\\w"])"?${column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?($|[^\\w"])`).test(text);
}

/** Columns whose change already makes an update non-HOT: stored by an existing index (keys, INCLUDE, expressions, predicate). */
function columnsIndexedToday(indexes: readonly Index[], versionNum: number): (column: string) => boolean {
  const live = indexes.filter((i) => blocksHot(i.method, versionNum));
  return (column) =>
    live.some(
      (i) =>
        i.columns.some((c) => (c.isExpression ? mentions(c.name, column) : unquoteIdent(c.name) === column)) ||
        i.includeColumns.map(unquoteIdent).includes(column) ||
        (i.predicate !== null && mentions(i.predicate, column)),
    );
}

/**
 * Index maintenance a candidate adds: every insert, non-HOT update and delete on the table writes
 * an entry (a partial index only for matching rows). An index storing a column that the
 * workload's UPDATEs set, where no existing index stores any of their SET columns, turns those
 * HOT updates into non-HOT ones that write every index of the table.
 */
export function writeOverhead(c: Candidate, table: Table | undefined, snapshot: Snapshot, model: WriteModel): WriteOverhead {
  const existing = snapshot.indexes.filter((i) => i.table === c.table);
  const indexedToday = columnsIndexedToday(existing, snapshot.server.versionNum);
  const candidateBlocksHot = blocksHot(c.method, snapshot.server.versionNum);
  let breaksHotUpdatesPerDay = 0;
  // workload updates that stay HOT with this index too: they write no index entry
  let staysHot = 0;
  const breaksHotColumns = new Set<string>();
  for (const u of model.workloadUpdates.get(c.table) ?? []) {
    // an update that already changes an indexed column is non-HOT today: the new index adds one entry, not a HOT break
    if ([...u.columns].some(indexedToday)) continue;
    const hit = candidateBlocksHot ? c.columns.filter((col) => u.columns.has(col)) : [];
    if (hit.length === 0) {
      staysHot += u.perDay;
      continue;
    }
    for (const h of hit) breaksHotColumns.add(h);
    breaksHotUpdatesPerDay += u.perDay;
  }
  const statsWrites = model.sourceFor(c.table) === 'workload' ? 0 : statsWritesPerDay(table, snapshot, model.sourceFor);
  const writes = Math.max(statsWrites, Math.max(0, (model.workloadWrites.get(c.table) ?? 0) - staysHot));
  let fraction = 1;
  const m = c.predicate === null ? null : /^"?(\w+)"? = '(.*)'$/.exec(c.predicate);
  if (m !== null && table !== undefined) fraction = equalitySelectivity(table, m[1] ?? '', (m[2] ?? '').replace(/''/g, "'")) ?? 1;
  const entriesPerDay = writes * fraction;
  const indexesOnTable = existing.length + 1;
  const costPerDay = model.costPerEntry * (entriesPerDay * METHOD_FACTOR[c.method] + breaksHotUpdatesPerDay * indexesOnTable);
  return { entriesPerDay, costPerDay, breaksHotUpdatesPerDay, breaksHotColumns: [...breaksHotColumns].sort() };
}
