import type { Snapshot, Table } from '../model/index.ts';
import { equalitySelectivity } from './column-stats.ts';
import type { Candidate, WriteOverhead } from './types.ts';

export interface WriteModel {
  /** planner cost units charged per index entry written (page dirtying, WAL, later vacuum) */
  readonly costPerEntry: number;
  /** updates per day from the workload, per table and column set, to detect HOT breaks */
  readonly workloadUpdates: ReadonlyMap<string, { columns: ReadonlySet<string>; perDay: number }[]>;
  /** writes per day from the workload when pg_stat_user_tables has no window */
  readonly workloadWrites: ReadonlyMap<string, number>;
  /**
   * 'stats': the larger of pg_stat_user_tables rates and the workload's writes; 'workload': the
   * workload's writes only (when the counters reflect a bulk load, not the steady state)
   */
  readonly source: 'stats' | 'workload';
}

/** Extra work multiplier per method: GIN writes several entries per row, BRIN summarizes ranges. */
const METHOD_FACTOR: Readonly<Record<Candidate['method'], number>> = { btree: 1, gin: 4, brin: 0.02 };

function perDayRate(count: number, snapshot: Snapshot): number {
  const age = snapshot.server.statsAgeSeconds;
  return age > 0 ? (count * 86_400) / Math.max(age, 3600) : count;
}

/**
 * Index maintenance a candidate adds: every insert, non-HOT update and delete on the table writes
 * an entry (a partial index only for matching rows), and an index on a column that HOT updates
 * change turns those updates into non-HOT ones that write every index of the table.
 */
export function writeOverhead(c: Candidate, table: Table | undefined, snapshot: Snapshot, model: WriteModel): WriteOverhead {
  const a = table?.activity;
  const statsWrites = a === null || a === undefined || model.source === 'workload' ? 0 : perDayRate(a.nTupIns + (a.nTupUpd - a.nTupHotUpd) + a.nTupDel, snapshot);
  const writes = Math.max(statsWrites, model.workloadWrites.get(c.table) ?? 0);
  let fraction = 1;
  const m = c.predicate === null ? null : /^"?(\w+)"? = '(.*)'$/.exec(c.predicate);
  if (m !== null && table !== undefined) fraction = equalitySelectivity(table, m[1] ?? '', (m[2] ?? '').replace(/''/g, "'")) ?? 1;
  const entriesPerDay = writes * fraction;
  const hotRate = a === null || a === undefined || a.nTupUpd === 0 ? 0 : a.nTupHotUpd / a.nTupUpd;
  let breaksHotUpdatesPerDay = 0;
  const breaksHotColumns = new Set<string>();
  for (const u of model.workloadUpdates.get(c.table) ?? []) {
    const hit = c.columns.filter((col) => u.columns.has(col));
    if (hit.length === 0) continue;
    for (const h of hit) breaksHotColumns.add(h);
    breaksHotUpdatesPerDay += u.perDay * (a === null || a === undefined ? 1 : hotRate);
  }
  const indexesOnTable = snapshot.indexes.filter((i) => i.table === c.table).length + 1;
  const costPerDay = model.costPerEntry * (entriesPerDay * METHOD_FACTOR[c.method] + breaksHotUpdatesPerDay * indexesOnTable);
  return { entriesPerDay, costPerDay, breaksHotUpdatesPerDay, breaksHotColumns: [...breaksHotColumns].sort() };
}
