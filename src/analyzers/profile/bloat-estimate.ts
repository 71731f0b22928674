import type { Index, Table } from '../../model/index.ts';
import { quoteIdent } from '../../format/format.ts';
import { tableOption } from './settings-lookup.ts';

/**
 * Bloat estimates in the style of the well-known ioguix queries (pgsql-bloat-estimation):
 * expected size from pg_stats average widths and null fractions, compared with the real size.
 * They are estimates (±10-20 %): variable-length and TOASTed columns, alignment padding between
 * columns and dropped columns are approximated.
 */
const MAXALIGN = 8;
const PAGE_HEADER = 24;
const HEAP_TUPLE_HEADER = 23;
const ITEM_ID = 4;
const BTREE_OPAQUE = 16;
const INDEX_TUPLE_HEADER = 8;

const alignUp = (n: number): number => Math.ceil(n / MAXALIGN) * MAXALIGN;

export interface BloatEstimate {
  readonly realBytes: number;
  readonly expectedBytes: number;
  readonly bloatBytes: number;
  readonly bloatRatio: number;
  readonly fillfactor: number;
}

function estimate(realPages: number, expectedPages: number, blockSize: number, fillfactor: number): BloatEstimate {
  const realBytes = realPages * blockSize;
  const expectedBytes = Math.min(realBytes, expectedPages * blockSize);
  const bloatBytes = Math.max(0, realBytes - expectedBytes);
  return { realBytes, expectedBytes, bloatBytes, bloatRatio: realBytes > 0 ? bloatBytes / realBytes : 0, fillfactor };
}

/** Heap bloat of a table; null when a column has no statistics (never analyzed) or the table is empty. */
export function estimateTableBloat(table: Table, blockSize: number): BloatEstimate | null {
  if (table.kind !== 'table' && table.kind !== 'matview') return null;
  if (table.rowEstimate < 0 || table.pages <= 0 || table.columns.length === 0) return null;
  let data = 0;
  let hasNulls = false;
  for (const c of table.columns) {
    if (c.stats === null) return null;
    data += (1 - c.stats.nullFrac) * c.stats.avgWidth;
    if (c.stats.nullFrac > 0) hasNulls = true;
  }
  const header = alignUp(HEAP_TUPLE_HEADER + (hasNulls ? Math.ceil(table.columns.length / 8) : 0));
  const tuple = ITEM_ID + header + alignUp(data);
  const fillfactor = Number(tableOption(table, 'fillfactor') ?? 100);
  const perPage = ((blockSize - PAGE_HEADER) * fillfactor) / 100 / tuple;
  const expectedPages = Math.ceil(table.rowEstimate / perPage);
  return estimate(table.pages, expectedPages, blockSize, fillfactor);
}

/** Bloat of a plain btree index (no expressions, no predicate); null when it cannot be estimated. */
export function estimateIndexBloat(index: Index, table: Table, blockSize: number): BloatEstimate | null {
  if (index.method !== 'btree' || index.predicate !== null || table.rowEstimate < 0) return null;
  let data = 0;
  let hasNulls = false;
  for (const name of [...index.columns.map((c) => (c.isExpression ? null : c.name)), ...index.includeColumns]) {
    if (name === null) return null;
    const col = table.columns.find((c) => c.name === name || quoteIdent(c.name) === name);
    if (col?.stats === null || col === undefined) return null;
    data += (1 - col.stats.nullFrac) * col.stats.avgWidth;
    if (col.stats.nullFrac > 0) hasNulls = true;
  }
  const realPages = Math.round(index.sizeBytes / blockSize);
  if (realPages <= 1) return null;
  const tuple = ITEM_ID + alignUp(INDEX_TUPLE_HEADER + (hasNulls ? 4 : 0) + data);
  const fillfactor = Number(/fillfactor='?(\d+)/.exec(index.definition)?.[1] ?? 90);
  const perPage = ((blockSize - PAGE_HEADER - BTREE_OPAQUE) * fillfactor) / 100 / tuple;
  // +1 for the metapage; leaf pages only (inner pages are ~1 % of a btree)
  const expectedPages = Math.ceil(table.rowEstimate / perPage) + 1;
  return estimate(realPages, expectedPages, blockSize, fillfactor);
}
