import { quoteIdent, requoteQualified, shellCommand } from '../sql/quote.ts';
import type { Column, Snapshot, Table } from '../model/index.ts';

/** Shared, pure helpers for the schema analyzers: what a column name and type say about it. */
export function isTextType(type: string): boolean {
  return type === 'text' || type.startsWith('character varying') || type.startsWith('character(') || type === 'character' || type === 'citext';
}

export function isIdColumn(name: string): boolean {
  return name === 'id' || name.endsWith('_id') || name === 'uuid' || name.endsWith('_uuid');
}

export function isAmountColumn(name: string): boolean {
  return /(^|_)(amount|price|total|subtotal|cost|balance|fee|fees|tax|vat|salary|revenue|discount|payment|paid)(_|$)/.test(name) && !name.endsWith('_id') && !/(_count|_pct|_percent|_rate)$/.test(name);
}

export function isTimestampColumn(name: string): boolean {
  return /(_at|_on|_date|_time|_ts|^date|^timestamp|^time)$/.test(name) || ['created', 'updated', 'deleted', 'timestamp', 'date'].includes(name);
}

/** Rows in the table as far as the catalog knows: reltuples when analyzed, else live tuples; 0 when unknown. */
export function tableRows(t: Table): number {
  return t.rowEstimate > 0 ? t.rowEstimate : Math.max(t.activity?.nLiveTup ?? 0, 0);
}

/** Distinct values of a column from pg_stats, as an absolute count; null when unknown. */
export function distinctValues(t: Table, c: Column): number | null {
  const s = c.stats;
  if (s === null) return null;
  if (s.nDistinct >= 0) return s.nDistinct;
  return Math.round(-s.nDistinct * tableRows(t));
}

export function bareName(qualified: string): string {
  return (qualified.split('.').pop() ?? qualified).replace(/"/g, '');
}

/** Simple English plural for table names made from a column prefix (customer → customers, category → categories). */
export function plural(word: string): string {
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  return `${word}s`;
}

export function singular(word: string): string {
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (/(ses|xes|zes|ches|shes)$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

export function findTable(snapshot: Snapshot, name: string): Table | undefined {
  return snapshot.tables.find((t) => t.name === name && (t.schema === 'public' || snapshot.tables.filter((x) => x.name === name).length === 1));
}

/** Columns every one of whose values in pg_stats looks like the pattern (MCV list and histogram bounds). */
export function sampleValues(c: Column): string[] {
  return [...(c.stats?.mostCommonVals ?? []), ...(c.stats?.histogramBounds ?? [])].filter((v): v is string => v !== null);
}

/** A runnable command: the target re-quoted as SQL, then every word quoted for the shell. */
export function changeTypeCommand(table: string, column: string, type: string, using?: string): string {
  const target = `${requoteQualified(table)}.${quoteIdent(column)}`;
  return `${shellCommand(['db-optimize', 'migrate', 'plan', '--change-type', target, `${type}${using === undefined ? '' : ` USING ${using}`}`])} --db "$DATABASE_URL"`;
}
