import type { Index, Snapshot, Table } from '../model/index.ts';

/** Index of the snapshot by qualified name, built once per snapshot. */
const tableCache = new WeakMap<Snapshot, Map<string, Table>>();

export function tableByName(snapshot: Snapshot, qualifiedName: string): Table | undefined {
  let map = tableCache.get(snapshot);
  if (map === undefined) {
    map = new Map(snapshot.tables.map((t) => [t.qualifiedName, t]));
    tableCache.set(snapshot, map);
  }
  return map.get(qualifiedName);
}

const indexesCache = new WeakMap<Snapshot, Map<string, Index[]>>();

export function indexesOf(snapshot: Snapshot, table: string): readonly Index[] {
  let map = indexesCache.get(snapshot);
  if (map === undefined) {
    map = new Map();
    for (const i of snapshot.indexes) {
      const list = map.get(i.table);
      if (list === undefined) map.set(i.table, [i]);
      else list.push(i);
    }
    indexesCache.set(snapshot, map);
  }
  return map.get(table) ?? [];
}

/** Index entry writes since the stats reset that every index on the table absorbs (inserts, non-HOT updates, deletes). */
export function indexWriteCount(table: Table | undefined): number {
  const a = table?.activity;
  if (a === null || a === undefined) return 0;
  return a.nTupIns + (a.nTupUpd - a.nTupHotUpd) + a.nTupDel;
}

/** Shortest window a per-day rate is extrapolated from: a few seconds after a reset say little about a day. */
export const MIN_RATE_WINDOW_SECONDS = 3_600;

/**
 * Expresses a counter observed over the stats window as a per-day rate. Windows shorter than an
 * hour count as an hour, so a burst right after a statistics reset is not multiplied into an
 * impossible daily figure.
 */
export function perDay(count: number, windowSeconds: number): number {
  return windowSeconds > 0 ? (count * 86_400) / Math.max(windowSeconds, MIN_RATE_WINDOW_SECONDS) : count;
}
