import type { Database } from '../../collect/connection.ts';
import { DbOptimizeError } from '../../errors/index.ts';
import type { TableFacts } from './build-plan.ts';
import type { Change } from './parse-change.ts';

/** Reads (read-only) what the plan needs to know about the table. Fails clearly when it does not exist. */
export async function collectTableFacts(db: Database, change: Change): Promise<{ facts: TableFacts; pgVersion: number }> {
  const [v] = await db.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`);
  const pgVersion = Math.floor(Number(v?.v ?? '0') / 10_000);
  const [rel] = await db.query<{ oid: number; reltuples: number }>(`SELECT c.oid::int AS oid, c.reltuples::float8 AS reltuples FROM pg_class c WHERE c.oid = to_regclass($1)`, [change.table]);
  if (rel === undefined) {
    throw new DbOptimizeError('E_NO_TABLE', 'input', `table ${change.table} does not exist in the database`, { hint: 'check the table name (schema-qualify it if it is not on the search_path)' });
  }
  const pk = await db.query<{ attname: string; typname: string }>(
    `SELECT a.attname, t.typname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
     JOIN pg_type t ON t.oid = a.atttypid WHERE i.indrelid = $1 AND i.indisprimary`,
    [rel.oid],
  );
  const key = pk.length === 1 && ['int2', 'int4', 'int8'].includes(pk[0]?.typname ?? '') ? (pk[0]?.attname ?? null) : null;
  let columnNotNull: boolean | null = null;
  let columnType: string | null = null;
  let columnIndexes: TableFacts['columnIndexes'] = [];
  let fkIndexed: boolean | null = null;
  if ('column' in change) {
    const [col] = await db.query<{ attnotnull: boolean; type: string }>(
      `SELECT attnotnull, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = $1 AND attname = $2 AND NOT attisdropped`,
      [rel.oid, change.column],
    );
    if (col === undefined && change.kind !== 'add-column') {
      throw new DbOptimizeError('E_NO_COLUMN', 'input', `column ${change.table}.${change.column} does not exist`, { hint: 'check the column name' });
    }
    if (col !== undefined && change.kind === 'add-column') {
      throw new DbOptimizeError('E_COLUMN_EXISTS', 'input', `column ${change.table}.${change.column} already exists (${col.type})`);
    }
    columnNotNull = col?.attnotnull ?? null;
    columnType = col?.type ?? null;
    columnIndexes = (
      await db.query<{ name: string; definition: string; primary: boolean; unique: boolean; constraint: string | null }>(
        `SELECT ic.relname AS name, pg_get_indexdef(i.indexrelid) AS definition, i.indisprimary AS primary, i.indisunique AS unique,
                (SELECT conname FROM pg_constraint WHERE conindid = i.indexrelid AND conrelid = i.indrelid LIMIT 1) AS constraint
         FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
         WHERE i.indrelid = $1 AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = i.indrelid AND a.attname = $2 AND a.attnum = ANY (i.indkey))`,
        [rel.oid, change.column],
      )
    ).map((r) => ({ ...r }));
  }
  if (change.kind === 'add-fk') {
    const rows = await db.query<{ cols: string[] }>(
      `SELECT array(SELECT a.attname::text FROM unnest(i.indkey) WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.ord) AS cols
       FROM pg_index i WHERE i.indrelid = $1 AND i.indisvalid AND i.indpred IS NULL`,
      [rel.oid],
    );
    fkIndexed = rows.some((r) => change.columns.every((c) => r.cols.slice(0, change.columns.length).includes(c)));
  }
  return { facts: { rowEstimate: rel.reltuples, key, columnNotNull, columnType, columnIndexes, fkIndexed }, pgVersion };
}

/** The volatility of a default's function per pg_proc ('i', 's', 'v'), null when unknown. */
export async function functionVolatility(db: Database, name: string): Promise<'i' | 's' | 'v' | null> {
  const rows = await db.query<{ v: string }>(`SELECT provolatile AS v FROM pg_proc WHERE proname = $1 ORDER BY provolatile DESC LIMIT 1`, [name]);
  const v = rows[0]?.v;
  return v === 'i' || v === 's' || v === 'v' ? v : null;
}
