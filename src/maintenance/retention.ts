import { DbOptimizeError } from '../errors/index.ts';
import type { Snapshot, Table } from '../model/index.ts';
import { splitQualifiedName } from '../sql/quote.ts';

/** How long rows of a table are kept: the evidence archiving and partition drops need. */
export interface Retention {
  readonly schema: string;
  readonly name: string;
  readonly column: string;
  readonly days: number;
  readonly partitioned: boolean;
}

const TIME_TYPES = /^(date|timestamp(\(\d\))?( without time zone| with time zone)?)$/;
const TIME_NAMES = /^(created|inserted|occurred|logged|recorded|received|event|sent)_?(at|on|time|ts|date)$|^(ts|timestamp|time|created)$/;

/**
 * Parses `--retain TABLE[.COLUMN]=DAYS` against the snapshot. The column must be a date or
 * timestamp; without one named, the table must have exactly one obvious time column, else the
 * user is asked to name it (archiving on a guessed column would delete the wrong rows).
 */
export function parseRetention(spec: string, snapshot: Snapshot): Retention {
  const m = /^([\s\S]+)=(\d+)\s*(d|days?)?$/.exec(spec.trim());
  if (m === null || Number(m[2]) < 1) {
    throw new DbOptimizeError('E_BAD_FLAG', 'usage', `--retain expects TABLE[.COLUMN]=DAYS (e.g. events.created_at=90), got "${spec}"`);
  }
  const days = Number(m[2]);
  const parts = splitQualifiedName(m[1] ?? '');
  const tableMatches = (names: readonly string[]): Table[] =>
    snapshot.tables.filter((t) => !t.isPartition && (t.kind === 'table' || t.kind === 'partitioned') && (names.length === 1 ? t.name === names[0] : t.schema === names[0] && t.name === names[1]));
  // TABLE, SCHEMA.TABLE, TABLE.COLUMN or SCHEMA.TABLE.COLUMN: try the longest table name first
  const candidates: { table: Table; column: string | null }[] = [];
  if (parts.length <= 2) for (const t of tableMatches(parts)) candidates.push({ table: t, column: null });
  if (candidates.length === 0 && parts.length >= 2) for (const t of tableMatches(parts.slice(0, -1))) candidates.push({ table: t, column: parts[parts.length - 1] ?? null });
  if (candidates.length === 0) throw new DbOptimizeError('E_BAD_FLAG', 'usage', `--retain: no table ${m[1] ?? ''} in ${snapshot.server.database}`);
  if (candidates.length > 1) {
    throw new DbOptimizeError('E_BAD_FLAG', 'usage', `--retain: ${m[1] ?? ''} is ambiguous (${candidates.map((c) => c.table.qualifiedName).join(', ')}): qualify it with the schema`);
  }
  const { table, column } = candidates[0] as { table: Table; column: string | null };
  const timeColumns = table.columns.filter((c) => TIME_TYPES.test(c.type));
  let chosen = column;
  if (chosen === null) {
    const named = timeColumns.filter((c) => TIME_NAMES.test(c.name));
    const pick = timeColumns.length === 1 ? timeColumns : named;
    if (pick.length !== 1) {
      throw new DbOptimizeError('E_BAD_FLAG', 'usage', `--retain ${spec}: name the time column (${table.qualifiedName} has ${timeColumns.length === 0 ? 'no date or timestamp column' : timeColumns.map((c) => c.name).join(', ')})`, {
        hint: `e.g. --retain ${table.name}.${timeColumns[0]?.name ?? 'created_at'}=${days}`,
      });
    }
    chosen = pick[0]?.name ?? null;
  }
  const col = table.columns.find((c) => c.name === chosen);
  if (col === undefined || !TIME_TYPES.test(col.type)) {
    throw new DbOptimizeError('E_BAD_FLAG', 'usage', `--retain ${spec}: ${table.qualifiedName}.${chosen ?? ''} is ${col === undefined ? 'not a column' : `${col.type}, not a date or timestamp`}`);
  }
  return { schema: table.schema, name: table.name, column: col.name, days, partitioned: table.kind === 'partitioned' };
}
