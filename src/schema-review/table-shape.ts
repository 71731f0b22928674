import { quoteIdent } from '../format/format.ts';
import type { Snapshot } from '../model/index.ts';

/** A time series asked for on the command line: rate and retention, optionally the table's columns. */
export interface TimeSeriesRequest {
  readonly table: string;
  readonly timeColumn: string | null;
  readonly seriesColumn: string | null;
  readonly rowsPerMinute: number;
  readonly retentionDays: number;
  readonly series: number | null;
  readonly rowBytes: number | null;
}

/** Bytes of fixed-width types; variable-width ones without statistics are estimated in tableShape. */
export const TYPE_BYTES: Readonly<Record<string, number>> = {
  smallint: 2,
  integer: 4,
  bigint: 8,
  real: 4,
  'double precision': 8,
  boolean: 1,
  date: 4,
  'timestamp with time zone': 8,
  'timestamp without time zone': 8,
  uuid: 16,
};

/** Columns and data width of an existing table for the time-series design (widths of variable types are estimates). */
export function tableShape(snapshot: Snapshot | null, ts: TimeSeriesRequest): { table: string; columnsDdl: string[]; dataBytes: number; timeColumn: string | null; seriesColumn: string | null; valueColumn: string | null } | null {
  const t = snapshot?.tables.find((x) => x.qualifiedName === ts.table || x.name === ts.table);
  if (t === undefined) return null;
  const columnsDdl = t.columns.map((c) => `${quoteIdent(c.name)} ${c.type}${c.notNull ? ' NOT NULL' : ''}`);
  // align each column to its own width, as the heap does (8 for 8-byte types, 4 for int/date, 1 for bool)
  let bytes = 0;
  for (const c of t.columns) {
    const w = c.stats?.avgWidth ?? TYPE_BYTES[c.type] ?? (c.type.startsWith('numeric') ? 12 : c.type === 'jsonb' || c.type === 'json' ? 64 : 16);
    const align = w >= 8 ? 8 : w >= 4 ? 4 : 1;
    bytes = Math.ceil(bytes / align) * align + w;
  }
  const time = t.columns.find((c) => c.type.startsWith('timestamp') || c.type === 'date')?.name ?? null;
  const series = t.columns.find((c) => c.name !== 'id' && /_id$/.test(c.name))?.name ?? null;
  const value = t.columns.find((c) => c.name !== series && c.name !== 'id' && /^(real|double precision|numeric|integer|bigint|smallint)/.test(c.type))?.name ?? null;
  return { table: t.qualifiedName, columnsDdl, dataBytes: bytes, timeColumn: time, seriesColumn: series, valueColumn: value };
}
