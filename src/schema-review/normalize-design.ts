import { quoteIdent } from '../format/format.ts';
import { commentText, fitIdentifier, withSuffix } from '../sql/quote.ts';
import type { Column, Snapshot, Table } from '../model/index.ts';
import { isIdColumn, plural, singular } from './column-roles.ts';

/** A group of columns that describe another entity inside a table (customer_name, customer_email…). */
export interface EntityGroup {
  readonly prefix: string;
  readonly columns: readonly string[];
  /** the column that should identify the entity (email, code, sku, name…), if any */
  readonly candidateKey: string | null;
  /** a prefix_id column already present */
  readonly existingIdColumn: string | null;
  readonly newTable: string;
}

const NOT_ENTITIES = new Set(['is', 'has', 'created', 'updated', 'deleted', 'last', 'first', 'num', 'total', 'max', 'min', 'avg', 'count', 'date', 'time', 'raw', 'old', 'new', 'tmp', 'extra', 'meta', 'data']);
const KEY_PREFERENCE = ['email', 'code', 'sku', 'slug', 'number', 'name'];

/** Column groups sharing a prefix that is not the table's own name, with at least two attribute columns. */
export function entityGroups(snapshot: Snapshot, table: Table): EntityGroup[] {
  const own = new Set([table.name, singular(table.name), ...table.name.split('_').map(singular)]);
  const byPrefix = new Map<string, Column[]>();
  for (const c of table.columns) {
    const i = c.name.indexOf('_');
    if (i <= 0) continue;
    const prefix = c.name.slice(0, i);
    if (own.has(prefix) || NOT_ENTITIES.has(prefix)) continue;
    const list = byPrefix.get(prefix) ?? [];
    list.push(c);
    byPrefix.set(prefix, list);
  }
  const groups: EntityGroup[] = [];
  const tableWord = table.name.includes('_') ? table.name.split('_')[0] : null;
  for (const [prefix, cols] of byPrefix) {
    const attributes = cols.filter((c) => !isIdColumn(c.name));
    if (attributes.length < 2) continue;
    const idCol = cols.find((c) => c.name === `${prefix}_id`)?.name ?? null;
    let candidateKey: string | null = null;
    for (const k of KEY_PREFERENCE) {
      const found = attributes.find((c) => c.name === `${prefix}_${k}`);
      if (found !== undefined) {
        candidateKey = found.name;
        break;
      }
    }
    let newTable = plural(prefix);
    if (snapshot.tables.some((t) => t.name === newTable && t.qualifiedName !== table.qualifiedName)) {
      newTable = fitIdentifier(tableWord !== null ? `${tableWord}_${plural(prefix)}` : `${table.name}_${plural(prefix)}`);
    }
    groups.push({ prefix, columns: attributes.map((c) => c.name), candidateKey, existingIdColumn: idCol, newTable });
  }
  return groups.sort((a, b) => a.prefix.localeCompare(b.prefix));
}

/** Better type for the new schema: text instead of varchar(n), timestamptz, bigint identity keys. */
export function improvedType(c: Column): string {
  if (c.type.startsWith('character varying') || c.type.startsWith('character(')) return 'text';
  if (c.type.startsWith('timestamp') && c.type.includes('without time zone')) return 'timestamptz';
  if (c.type === 'json') return 'jsonb';
  return c.type;
}

function convert(c: Column, expr: string): string {
  if (c.type.startsWith('timestamp') && c.type.includes('without time zone')) return `${expr} AT TIME ZONE 'UTC'`;
  if (c.type === 'json') return `${expr}::jsonb`;
  return expr;
}

export interface NormalizedDesign {
  readonly ddl: string;
  readonly migration: string;
  readonly rollback: string;
}

/**
 * The improved schema and the data migration that fills it. `verifiedKeys` maps a group prefix to the
 * column proven (on the data) to determine the group; without it every distinct combination becomes one row.
 */
export function normalizedDesign(table: Table, groups: readonly EntityGroup[], verifiedKeys: ReadonlyMap<string, string> = new Map()): NormalizedDesign {
  const colOf = (name: string): Column => table.columns.find((c) => c.name === name) as Column;
  const grouped = new Set(groups.flatMap((g) => [...g.columns, ...(g.existingIdColumn === null ? [] : [g.existingIdColumn])]));
  const pkCol = table.columns.find((c) => c.name === 'id') ?? null;
  const rest = table.columns.filter((c) => !grouped.has(c.name) && c.name !== pkCol?.name);
  const t = table.qualifiedName;
  const schema = table.schema === 'public' ? '' : `${quoteIdent(table.schema)}.`;
  const newMain = `${schema}${quoteIdent(withSuffix(table.name, '_new'))}`;
  const oldName = quoteIdent(withSuffix(table.name, '_old'));
  const idColumn = (g: EntityGroup): string => quoteIdent(withSuffix(g.prefix, '_id'));
  const ddl: string[] = [];
  const fill: string[] = [];
  for (const g of groups) {
    const attrs = g.columns.map((name) => ({ name, bare: name.slice(g.prefix.length + 1), col: colOf(name) }));
    const key = verifiedKeys.get(g.prefix) ?? null;
    const keyBare = key === null ? null : key.slice(g.prefix.length + 1);
    ddl.push(
      [
        `CREATE TABLE ${schema}${quoteIdent(g.newTable)} (`,
        '  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,',
        ...attrs.map((a, i) => `  ${quoteIdent(a.bare)} ${improvedType(a.col)}${a.name === key ? ' NOT NULL UNIQUE' : ''}${i === attrs.length - 1 ? '' : ','}`),
        ');',
      ].join('\n'),
    );
    const cols = attrs.map((a) => quoteIdent(a.bare)).join(', ');
    const src = attrs.map((a) => convert(a.col, quoteIdent(a.name))).join(', ');
    fill.push(
      key === null
        ? `INSERT INTO ${schema}${quoteIdent(g.newTable)} (${cols})\nSELECT DISTINCT ${src}\nFROM ${t}\nWHERE num_nonnulls(${attrs.map((a) => quoteIdent(a.name)).join(', ')}) > 0;`
        : `-- ${commentText(`${key} determines the other ${g.prefix}_* columns on the data: one row per ${keyBare}`)}\nINSERT INTO ${schema}${quoteIdent(g.newTable)} (${cols})\nSELECT DISTINCT ON (${quoteIdent(key)}) ${src}\nFROM ${t}\nWHERE ${quoteIdent(key)} IS NOT NULL\nORDER BY ${quoteIdent(key)};`,
    );
  }
  const mainCols: string[] = [];
  // the key keeps its values, so it keeps its type: only an integer key becomes an identity
  const intKey = pkCol !== null && ['smallint', 'integer', 'bigint'].includes(pkCol.type);
  if (pkCol !== null) mainCols.push(intKey ? '  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY' : `  id ${pkCol.type} PRIMARY KEY`);
  for (const g of groups) mainCols.push(`  ${idColumn(g)} bigint REFERENCES ${schema}${quoteIdent(g.newTable)} (id)`);
  for (const c of rest) mainCols.push(`  ${quoteIdent(c.name)} ${improvedType(c)}${c.notNull ? ' NOT NULL' : ''}`);
  ddl.push(`CREATE TABLE ${newMain} (\n${mainCols.join(',\n')}\n);`);
  for (const g of groups) ddl.push(`CREATE INDEX ON ${newMain} (${idColumn(g)});`);

  // aliases of our own: a prefix comes from a column name, which may hold anything but '_'
  const aliasOf = (g: EntityGroup): string => `g${groups.indexOf(g) + 1}`;
  const selectCols = [...(pkCol === null ? [] : ['o.id']), ...groups.map((g) => `${aliasOf(g)}.id`), ...rest.map((c) => convert(c, `o.${quoteIdent(c.name)}`))];
  const insertCols = [...(pkCol === null ? [] : ['id']), ...groups.map(idColumn), ...rest.map((c) => quoteIdent(c.name))];
  const joins = groups.map((g) => {
    const key = verifiedKeys.get(g.prefix);
    const alias = aliasOf(g);
    if (key !== undefined) return `LEFT JOIN ${schema}${quoteIdent(g.newTable)} ${alias} ON ${alias}.${quoteIdent(key.slice(g.prefix.length + 1))} = o.${quoteIdent(key)}`;
    const left = g.columns.map((n) => `${alias}.${quoteIdent(n.slice(g.prefix.length + 1))}`).join(', ');
    const right = g.columns.map((n) => convert(colOf(n), `o.${quoteIdent(n)}`)).join(', ');
    return `LEFT JOIN ${schema}${quoteIdent(g.newTable)} ${alias} ON (${left}) IS NOT DISTINCT FROM (${right})`;
  });
  fill.push(`INSERT INTO ${newMain} (${insertCols.join(', ')})\nSELECT ${selectCols.join(', ')}\nFROM ${t} o\n${joins.join('\n')};`);
  if (intKey) fill.push(`SELECT setval(pg_get_serial_sequence('${newMain.replace(/'/g, "''")}', 'id'), coalesce((SELECT max(id) FROM ${newMain}), 1));`);
  const migration = [
    '-- New tables next to the old one, filled from it in one transaction. Writes to the table wait for the copy',
    '-- (EXCLUSIVE lock: reads continue) so no committed row is left behind in the old table; the application must',
    '-- switch to the new shape at the rename: inserts in the old shape fail after it.',
    'BEGIN;',
    "SET LOCAL lock_timeout = '5s';",
    `LOCK TABLE ${t} IN EXCLUSIVE MODE;`,
    ...ddl,
    ...fill,
    `ALTER TABLE ${t} RENAME TO ${oldName};`,
    `ALTER TABLE ${newMain} RENAME TO ${quoteIdent(table.name)};`,
    'COMMIT;',
    `-- ${commentText(`Contract, after the application reads ${groups.map((g) => g.newTable).join(' and ')} through joins: DROP TABLE ${schema}${oldName};`)}`,
  ].join('\n');
  const rollback = [
    'BEGIN;',
    `ALTER TABLE ${t} RENAME TO ${quoteIdent(withSuffix(table.name, '_new'))};`,
    `ALTER TABLE ${schema}${oldName} RENAME TO ${quoteIdent(table.name)};`,
    `DROP TABLE ${newMain};`,
    ...groups.map((g) => `DROP TABLE ${schema}${quoteIdent(g.newTable)};`),
    'COMMIT;',
  ].join('\n');
  const finalDdl = ddl.map((d) => d.replaceAll(newMain, t)).join('\n');
  return { ddl: finalDdl, migration, rollback };
}
