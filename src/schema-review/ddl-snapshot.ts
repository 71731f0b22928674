import { readFile } from 'node:fs/promises';
import { parseSync } from 'libpg-query';
import { deparseSync } from 'pgsql-deparser';
import { DbOptimizeError } from '../errors/index.ts';
import type { Column, Constraint, ConstraintType, Index, Snapshot, Table } from '../model/index.ts';
import { describeParseError } from '../sql/parser.ts';
import { serverDefaultName } from '../sql/quote.ts';
import { initSqlParser } from '../sql/index.ts';
import type { AstNode } from '../migrate/pg-ast.ts';
import { bool, child, list, strings, text, typeInfo, unwrap } from '../migrate/pg-ast.ts';
import type { TypeInfo } from '../migrate/pg-ast.ts';

/** What a DDL-only review cannot know; printed with the report so nobody mistakes silence for a clean bill. */
export const DDL_UNKNOWNS: readonly string[] = [
  'row counts, sizes and growth rates (int4 exhaustion, time-series volume) — pass rate flags or review a live database',
  'pg_stats (enum-like text columns, id values that are really numbers or UUIDs, correlation of time columns)',
  'functional dependencies in the data (normalization candidates are proposed from column names only)',
  'orphaned rows for inferred foreign keys',
  'the workload, unless --workload FILE.sql is given',
];

/** format_type() spelling, so DDL-built columns look exactly like catalog-built ones. */
export function formatType(t: TypeInfo): string {
  const mods = t.mods.length > 0 ? `(${t.mods.join(',')})` : '';
  const base: Record<string, string> = {
    int4: 'integer',
    int: 'integer',
    integer: 'integer',
    serial: 'integer',
    serial4: 'integer',
    int8: 'bigint',
    bigserial: 'bigint',
    serial8: 'bigint',
    int2: 'smallint',
    smallserial: 'smallint',
    serial2: 'smallint',
    varchar: 'character varying',
    bpchar: 'character',
    float8: 'double precision',
    float4: 'real',
    bool: 'boolean',
    timestamp: 'timestamp without time zone',
    timestamptz: 'timestamp with time zone',
    time: 'time without time zone',
    timetz: 'time with time zone',
    decimal: 'numeric',
  };
  const name = base[t.name] ?? t.name;
  if ((name === 'timestamp without time zone' || name === 'timestamp with time zone') && mods !== '') {
    return `${name.replace(' with', `${mods} with`)}${t.isArray ? '[]' : ''}`;
  }
  return `${name}${mods}${t.isArray ? '[]' : ''}`;
}

function qualify(rv: unknown): string {
  return `${text(rv, 'schemaname') ?? 'public'}.${text(rv, 'relname') ?? '?'}`;
}

function exprSql(expr: unknown): string {
  try {
    const sql = deparseSync({ stmts: [{ stmt: { SelectStmt: { targetList: [{ ResTarget: { val: expr } }], limitOption: 'LIMIT_OPTION_DEFAULT', op: 'SETOP_NONE' } } }] } as never);
    return sql.replace(/^SELECT\s+/i, '').replace(/;\s*$/, '');
  } catch {
    return '?';
  }
}

interface MutableTable {
  schema: string;
  name: string;
  columns: Column[];
}

const SERIALS = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2']);

/**
 * Builds a Snapshot-shaped model from CREATE TABLE / CREATE INDEX / ALTER TABLE statements so the
 * schema analyzers run unchanged on DDL files. Everything the catalog would add from data
 * (sizes, statistics, activity) is empty: see DDL_UNKNOWNS.
 */
export function snapshotFromDdl(sources: readonly { readonly file: string; readonly sql: string }[], pgVersion: number): Snapshot {
  const tables = new Map<string, MutableTable>();
  const indexes: Index[] = [];
  const constraints: Constraint[] = [];
  let oid = 1;
  const addConstraint = (table: string, con: AstNode, columnName?: string): void => {
    const contype = text(con, 'contype') ?? '';
    const map: Record<string, ConstraintType> = { CONSTR_PRIMARY: 'primary', CONSTR_FOREIGN: 'foreign', CONSTR_UNIQUE: 'unique', CONSTR_CHECK: 'check', CONSTR_EXCLUSION: 'exclusion' };
    const type = map[contype];
    if (type === undefined) return;
    const cols = type === 'foreign' ? strings(con.fk_attrs) : strings(con.keys);
    const columns = cols.length > 0 ? cols : columnName === undefined ? [] : [columnName];
    const bare = table.split('.').pop() ?? table;
    const name = text(con, 'conname') ?? `${bare}_${type === 'primary' ? 'pkey' : `${columns.join('_')}_${type === 'foreign' ? 'fkey' : type === 'unique' ? 'key' : 'check'}`}`;
    const refTable = type === 'foreign' ? qualify(con.pktable) : null;
    const refCols = strings(con.pk_attrs);
    constraints.push({
      name,
      schema: table.split('.')[0] ?? 'public',
      table,
      type,
      validated: !bool(con, 'skip_validation'),
      columns,
      definition:
        type === 'primary'
          ? `PRIMARY KEY (${columns.join(', ')})`
          : type === 'unique'
            ? `UNIQUE (${columns.join(', ')})`
            : type === 'foreign'
              ? `FOREIGN KEY (${columns.join(', ')}) REFERENCES ${refTable ?? '?'}(${refCols.join(', ') || 'id'})`
              : type === 'check'
                ? `CHECK (${exprSql(con.raw_expr)})`
                : 'EXCLUDE',
      references: refTable === null ? null : { table: refTable, columns: refCols.length > 0 ? refCols : ['id'] },
      onDelete: null,
      onUpdate: null,
    });
    if (type === 'primary' || type === 'unique') {
      const t = tables.get(table);
      if (type === 'primary' && t !== undefined) {
        t.columns = t.columns.map((c) => (columns.includes(c.name) ? { ...c, notNull: true } : c));
      }
      indexes.push(ddlIndex(oid++, table, name, columns, type === 'primary', true, name));
    }
  };

  for (const { file, sql } of sources) {
    let parsed: { stmts?: { stmt?: unknown }[] };
    try {
      parsed = parseSync(sql) as typeof parsed;
    } catch (error) {
      const d = describeParseError(sql, error);
      throw new DbOptimizeError('E_SQL_PARSE', 'input', `${file}${d.line === null ? '' : `:${d.line}:${d.column}`}: DDL does not parse: ${d.message}`, {
        hint: 'schema --ddl reads PostgreSQL DDL (CREATE TABLE / CREATE INDEX / ALTER TABLE), PostgreSQL 18 grammar',
        details: { file, line: d.line, column: d.column },
      });
    }
    for (const s of parsed.stmts ?? []) {
      const un = unwrap(s.stmt);
      if (un === undefined) continue;
      const [kind, n] = un;
      if (kind === 'CreateStmt') {
        const table = qualify(n.relation);
        const t: MutableTable = { schema: table.split('.')[0] ?? 'public', name: text(n.relation, 'relname') ?? '?', columns: [] };
        tables.set(table, t);
        for (const el of list(n.tableElts)) {
          const col = child(el, 'ColumnDef');
          if (col !== undefined) {
            const name = text(col, 'colname') ?? '?';
            const ti = typeInfo(col.typeName);
            const cons = list(col.constraints).map((c) => child(c, 'Constraint')).filter((c): c is AstNode => c !== undefined);
            const def = cons.find((c) => text(c, 'contype') === 'CONSTR_DEFAULT');
            const identity = cons.find((c) => text(c, 'contype') === 'CONSTR_IDENTITY');
            t.columns.push({
              name,
              num: t.columns.length + 1,
              type: formatType(ti),
              notNull: cons.some((c) => ['CONSTR_NOTNULL', 'CONSTR_PRIMARY'].includes(text(c, 'contype') ?? '')) || SERIALS.has(ti.name),
              default: SERIALS.has(ti.name) ? `nextval('${t.name}_${name}_seq'::regclass)` : def === undefined ? null : exprSql(def.raw_expr),
              identity: identity === undefined ? '' : text(identity, 'generated_when') === 'a' ? 'a' : 'd',
              generated: cons.some((c) => text(c, 'contype') === 'CONSTR_GENERATED') ? 's' : '',
              stats: null,
            });
            for (const c of cons) addConstraint(table, c, name);
          }
          const con = child(el, 'Constraint');
          if (con !== undefined) addConstraint(table, con);
        }
      } else if (kind === 'IndexStmt') {
        const table = qualify(n.relation);
        const cols = list(n.indexParams).map((p) => {
          const e = child(p, 'IndexElem');
          return text(e, 'name') ?? exprSql(e?.expr);
        });
        const name = text(n, 'idxname') ?? serverDefaultName(text(n.relation, 'relname') ?? 't', cols.join('_'), 'idx');
        indexes.push(ddlIndex(oid++, table, name, cols, false, bool(n, 'unique'), null, text(n, 'accessMethod') ?? 'btree'));
      } else if (kind === 'AlterTableStmt') {
        const table = qualify(n.relation);
        for (const c of list(n.cmds)) {
          const cmd = child(c, 'AlterTableCmd');
          const sub = text(cmd, 'subtype');
          if (sub === 'AT_AddConstraint') {
            const con = child(cmd?.def, 'Constraint');
            if (con !== undefined) addConstraint(table, con);
          } else if (sub === 'AT_AddColumn') {
            const col = child(cmd?.def, 'ColumnDef');
            const t = tables.get(table);
            if (col !== undefined && t !== undefined) {
              const ti = typeInfo(col.typeName);
              t.columns.push({ name: text(col, 'colname') ?? '?', num: t.columns.length + 1, type: formatType(ti), notNull: false, default: null, identity: '', generated: '', stats: null });
            }
          }
        }
      }
    }
  }
  const tableList: Table[] = [...tables.entries()].map(([qname, t]) => ({
    oid: oid++,
    schema: t.schema,
    name: t.name,
    qualifiedName: qname,
    kind: 'table',
    isPartition: false,
    parent: null,
    persistence: 'p',
    tableBytes: 0,
    indexesBytes: 0,
    toastBytes: 0,
    totalBytes: 0,
    rowEstimate: -1,
    pages: 0,
    replicaIdentity: 'd',
    options: [],
    frozenXidAge: 0,
    columns: t.columns,
    activity: null,
    io: null,
  }));
  return {
    collectedAt: '1970-01-01T00:00:00.000Z',
    server: {
      version: `PostgreSQL ${pgVersion} (DDL files)`,
      versionNum: pgVersion * 10_000,
      major: pgVersion,
      database: 'ddl',
      user: '',
      host: null,
      startedAt: '1970-01-01T00:00:00.000Z',
      uptimeSeconds: 0,
      statsResetAt: null,
      statsAgeBasis: 'server_start',
      statsAgeSeconds: 0,
      isReplica: false,
      blockSize: 8192,
    },
    extensions: [],
    privileges: { role: '', superuser: false, pgReadAllStats: false, pgMonitor: false, canReadAllStats: false },
    settings: [],
    tables: tableList,
    indexes: indexes.map((i) => ({ ...i, tableOid: tableList.find((t) => t.qualifiedName === i.table)?.oid ?? 0 })),
    constraints,
    sequences: [],
    database: null,
    databaseAges: [],
    connections: null,
    replication: null,
    checkpoints: null,
    issues: DDL_UNKNOWNS.map((message) => ({ part: 'ddl', message: `unknown without data: ${message}` })),
  };
}

function ddlIndex(oid: number, table: string, name: string, cols: readonly string[], primary: boolean, unique: boolean, constraint: string | null, method = 'btree'): Index {
  const schema = table.split('.')[0] ?? 'public';
  return {
    oid,
    schema,
    name,
    qualifiedName: `${schema}.${name}`,
    table,
    tableOid: 0,
    method,
    definition: `CREATE ${unique ? 'UNIQUE ' : ''}INDEX ${name} ON ${table} USING ${method} (${cols.join(', ')})`,
    columns: cols.map((c) => ({ name: c, isExpression: !/^[\w$]+$/.test(c), descending: false, nullsFirst: false, opclass: null, collation: null })),
    includeColumns: [],
    predicate: null,
    isUnique: unique,
    isPrimary: primary,
    isExclusion: false,
    isValid: true,
    isReady: true,
    isReplicaIdentity: false,
    constraint,
    sizeBytes: 0,
    scans: 0,
    tupRead: 0,
    tupFetch: 0,
    blksRead: 0,
    blksHit: 0,
    lastScan: null,
  };
}

export async function snapshotFromDdlFiles(files: readonly string[], pgVersion: number): Promise<Snapshot> {
  await initSqlParser();
  const sources: { file: string; sql: string }[] = [];
  for (const file of files) {
    try {
      sources.push({ file, sql: await readFile(file, 'utf8') });
    } catch (error) {
      throw new DbOptimizeError('E_READ_FILE', 'input', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }
  return snapshotFromDdl(sources, pgVersion);
}
