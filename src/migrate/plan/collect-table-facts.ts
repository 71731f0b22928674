import type { Database } from '../../collect/connection.ts';
import { DbOptimizeError } from '../../errors/index.ts';
import type { Change } from './parse-change.ts';
import type { ConstraintFact, IncomingFkFact, IndexFact, TableFacts } from './table-facts.ts';

interface ColumnFacts {
  readonly columnNotNull: boolean | null;
  readonly columnType: string | null;
  readonly columnDefault: string | null;
  readonly columnIdentity: boolean;
  readonly ownedSequence: string | null;
  readonly columnIndexes: readonly IndexFact[];
  readonly outgoingFks: readonly ConstraintFact[];
  readonly incomingFks: readonly IncomingFkFact[];
  readonly checks: readonly ConstraintFact[];
}

const NO_COLUMN: ColumnFacts = {
  columnNotNull: null,
  columnType: null,
  columnDefault: null,
  columnIdentity: false,
  ownedSequence: null,
  columnIndexes: [],
  outgoingFks: [],
  incomingFks: [],
  checks: [],
};

/** Everything attached to one column: type, NOT NULL, default, owned sequence, indexes, CHECKs and foreign keys both ways. */
async function collectColumnFacts(db: Database, oid: number, change: Change & { column: string }): Promise<ColumnFacts> {
  const [col] = await db.query<{ attnum: number; attnotnull: boolean; type: string; def: string | null; identity: string }>(
    `SELECT a.attnum, a.attnotnull, format_type(a.atttypid, a.atttypmod) AS type, pg_get_expr(d.adbin, d.adrelid) AS def, a.attidentity AS identity
     FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE a.attrelid = $1 AND a.attname = $2 AND NOT a.attisdropped`,
    [oid, change.column],
  );
  if (col === undefined && change.kind !== 'add-column') {
    throw new DbOptimizeError('E_NO_COLUMN', 'input', `column ${change.table}.${change.column} does not exist`, { hint: 'check the column name' });
  }
  if (col !== undefined && change.kind === 'add-column') {
    throw new DbOptimizeError('E_COLUMN_EXISTS', 'input', `column ${change.table}.${change.column} already exists (${col.type})`);
  }
  if (col === undefined) return NO_COLUMN;
  const [seq] = await db.query<{ name: string }>(
    `SELECT n.nspname || '.' || s.relname AS name FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' JOIN pg_namespace n ON n.oid = s.relnamespace
     WHERE d.classid = 'pg_class'::regclass AND d.refobjid = $1 AND d.refobjsubid = $2 AND d.deptype = 'a'`,
    [oid, col.attnum],
  );
  const columnIndexes = await db.query<IndexFact>(
    `SELECT ic.relname AS name, pg_get_indexdef(i.indexrelid) AS definition, i.indisprimary AS primary, i.indisunique AS unique,
            (SELECT conname FROM pg_constraint WHERE conindid = i.indexrelid AND conrelid = i.indrelid AND contype IN ('p', 'u', 'x') LIMIT 1) AS constraint
     FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
     WHERE i.indrelid = $1 AND ($2 = ANY (i.indkey) OR EXISTS (
       -- expressions and predicates that use the column are recorded as dependencies
       SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = i.indexrelid AND d.refobjid = $1 AND d.refobjsubid = $2))
     ORDER BY ic.relname`,
    [oid, col.attnum],
  );
  const constraints = await db.query<{ name: string; definition: string; type: string; table: string; incoming: boolean }>(
    `SELECT c.conname AS name, pg_get_constraintdef(c.oid) AS definition, c.contype AS type, n.nspname || '.' || r.relname AS table, c.confrelid = $1 AND $2 = ANY (c.confkey) AS incoming
     FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid JOIN pg_namespace n ON n.oid = r.relnamespace
     WHERE (c.conrelid = $1 AND $2 = ANY (c.conkey) AND c.contype IN ('c', 'f')) OR (c.confrelid = $1 AND $2 = ANY (c.confkey) AND c.contype = 'f')
     ORDER BY c.conname`,
    [oid, col.attnum],
  );
  const own = constraints.filter((c) => !c.incoming);
  return {
    columnNotNull: col.attnotnull,
    columnType: col.type,
    columnDefault: col.def,
    columnIdentity: col.identity !== '',
    ownedSequence: seq?.name ?? null,
    columnIndexes: columnIndexes.map((r) => ({ ...r })),
    outgoingFks: own.filter((c) => c.type === 'f').map((c) => ({ name: c.name, definition: c.definition })),
    checks: own.filter((c) => c.type === 'c').map((c) => ({ name: c.name, definition: c.definition })),
    incomingFks: constraints.filter((c) => c.incoming).map((c) => ({ name: c.name, definition: c.definition, table: c.table })),
  };
}

/** Indexes, CHECK/FK constraints and owned sequences whose name starts with the table's name (renamed with it). */
async function namedAfterTable(db: Database, oid: number, bare: string): Promise<NonNullable<TableFacts['namedAfterTable']>> {
  const rows = await db.query<{ kind: 'index' | 'constraint' | 'sequence'; name: string }>(
    `SELECT 'index' AS kind, c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = $1
     UNION ALL SELECT 'constraint', conname FROM pg_constraint WHERE conrelid = $1 AND contype IN ('c', 'f')
     UNION ALL SELECT 'sequence', s.relname FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
       WHERE d.classid = 'pg_class'::regclass AND d.refobjid = $1 AND d.deptype IN ('a', 'i')
     ORDER BY 1, 2`,
    [oid],
  );
  return rows.filter((r) => r.name.startsWith(`${bare}_`));
}

/** Privileges on the table held by roles other than its owner (PUBLIC included). */
async function grantsOf(db: Database, oid: number): Promise<NonNullable<TableFacts['tableGrants']>> {
  const rows = await db.query<{ grantee: string; privileges: string[] }>(
    `SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE r.rolname END AS grantee, array_agg(a.privilege_type ORDER BY a.privilege_type) AS privileges
     FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a LEFT JOIN pg_roles r ON r.oid = a.grantee
     WHERE c.oid = $1 AND a.grantee <> c.relowner GROUP BY 1 ORDER BY 1`,
    [oid],
  );
  return rows.map((r) => ({ grantee: r.grantee, privileges: r.privileges }));
}

/** Reads (read-only) what the plan needs to know about the table. Fails clearly when it does not exist. */
export async function collectTableFacts(db: Database, change: Change): Promise<{ facts: TableFacts; pgVersion: number }> {
  const [v] = await db.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`);
  const pgVersion = Math.floor(Number(v?.v ?? '0') / 10_000);
  const [rel] = await db.query<{ oid: number; reltuples: number; relkind: string }>(
    `SELECT c.oid::int AS oid, c.reltuples::float8 AS reltuples, c.relkind FROM pg_class c WHERE c.oid = to_regclass($1)`,
    [change.table],
  );
  if (rel === undefined) {
    throw new DbOptimizeError('E_NO_TABLE', 'input', `table ${change.table} does not exist in the database`, { hint: 'check the table name (schema-qualify it if it is not on the search_path)' });
  }
  const pk = await db.query<{ attname: string; typname: string }>(
    `SELECT a.attname, t.typname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
     JOIN pg_type t ON t.oid = a.atttypid WHERE i.indrelid = $1 AND i.indisprimary`,
    [rel.oid],
  );
  const key = pk.length === 1 && ['int2', 'int4', 'int8'].includes(pk[0]?.typname ?? '') ? (pk[0]?.attname ?? null) : null;
  const column = 'column' in change ? await collectColumnFacts(db, rel.oid, change) : NO_COLUMN;
  let fkIndexed: boolean | null = null;
  if (change.kind === 'add-fk') {
    const rows = await db.query<{ cols: string[] }>(
      `SELECT array(SELECT a.attname::text FROM unnest(i.indkey) WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.ord) AS cols
       FROM pg_index i WHERE i.indrelid = $1 AND i.indisvalid AND i.indpred IS NULL`,
      [rel.oid],
    );
    fkIndexed = rows.some((r) => change.columns.every((c) => r.cols.slice(0, change.columns.length).includes(c)));
  }
  let named: Awaited<ReturnType<typeof namedAfterTable>> = [];
  let tableGrants: NonNullable<TableFacts['tableGrants']> = [];
  if (change.kind === 'rename-table') {
    // resumed after the rename (--from-step): the old name is the compatibility view, the objects are on the new table
    const schema = change.table.includes('.') ? `${change.table.split('.')[0] ?? ''}.` : '';
    const [renamed] = await db.query<{ oid: number }>(`SELECT c.oid::int AS oid FROM pg_class c WHERE c.oid = to_regclass($1) AND c.relkind IN ('r', 'p')`, [`${schema}${change.newName}`]);
    const tableOid = rel.relkind === 'v' && renamed !== undefined ? renamed.oid : rel.oid;
    named = await namedAfterTable(db, tableOid, change.table.split('.').pop() ?? change.table);
    tableGrants = await grantsOf(db, tableOid);
  }
  return { facts: { rowEstimate: rel.reltuples, key, ...column, fkIndexed, namedAfterTable: named, tableGrants }, pgVersion };
}

/** The volatility of a default's function per pg_proc ('i', 's', 'v'), null when unknown. */
export async function functionVolatility(db: Database, name: string): Promise<'i' | 's' | 'v' | null> {
  const rows = await db.query<{ v: string }>(`SELECT provolatile AS v FROM pg_proc WHERE proname = $1 ORDER BY provolatile DESC LIMIT 1`, [name]);
  const v = rows[0]?.v;
  return v === 'i' || v === 's' || v === 'v' ? v : null;
}
