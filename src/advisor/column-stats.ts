import type { Column, Table } from '../model/index.ts';

export function tableRows(table: Table): number {
  return Math.max(table.rowEstimate, table.activity?.nLiveTup ?? 0, 0);
}

export function columnOf(table: Table, name: string): Column | undefined {
  return table.columns.find((c) => c.name === name);
}

/** Distinct values of a column from pg_stats (negative n_distinct is a fraction of the rows). */
export function distinctValues(table: Table, column: string): number | null {
  const s = columnOf(table, column)?.stats;
  if (s === null || s === undefined) return null;
  return s.nDistinct < 0 ? -s.nDistinct * Math.max(1, tableRows(table)) : s.nDistinct;
}

/** Fraction of rows where column = value, from most common values or the uniform remainder. */
export function equalitySelectivity(table: Table, column: string, value: string | null): number | null {
  const s = columnOf(table, column)?.stats;
  if (s === null || s === undefined) return null;
  const vals = s.mostCommonVals ?? [];
  const freqs = s.mostCommonFreqs ?? [];
  if (value !== null) {
    const i = vals.indexOf(value);
    if (i >= 0) return freqs[i] ?? null;
  }
  const distinct = distinctValues(table, column) ?? 0;
  const rest = 1 - s.nullFrac - freqs.reduce((a, b) => a + b, 0);
  const others = distinct - vals.length;
  return others > 0 ? Math.max(0, rest) / others : Math.min(1, Math.max(0, rest));
}

export function nullSelectivity(table: Table, column: string, isNull: boolean): number | null {
  const s = columnOf(table, column)?.stats;
  if (s === null || s === undefined) return null;
  return isNull ? s.nullFrac : 1 - s.nullFrac;
}

export function avgWidth(table: Table, column: string): number {
  return columnOf(table, column)?.stats?.avgWidth ?? 8;
}
