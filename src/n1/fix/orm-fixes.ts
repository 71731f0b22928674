import type { Orm } from './orm.ts';
import { camel, modelName } from './naming.ts';
import type { Relationship } from './relationship.ts';
import { relationAttribute } from './relationship.ts';

export interface CodeFix {
  readonly orm: Orm;
  readonly language: string;
  readonly code: string;
  /** queries the loop and its parent issue per unit once fixed */
  readonly expectedQueries: number;
  readonly strategy: string;
}

const q = (id: string): string => (/^[a-z_][a-z0-9_]*$/.test(id) ? id : `"${id.replace(/"/g, '""')}"`);

/** The batched statement that replaces the loop: one round trip for every row. */
export function batchedSql(rel: Relationship): string {
  return `SELECT * FROM ${q(rel.loopTable)} WHERE ${q(rel.loopColumn)} = ANY($1)  -- $1: the ${rel.kind === 'one-to-many' ? `${rel.ownerTable}.${rel.referencedColumn}` : `${rel.ownerTable}.${rel.fkColumn}`} values of the rows already loaded`;
}

/**
 * Eager-loading code for each ORM. `relations` holds one relationship for an N+1 and
 * several for a repeating group (MN+1); `withParent` says the "1" query was seen.
 */
export function eagerLoadFix(orm: Orm, relations: readonly Relationship[], withParent: boolean): CodeFix {
  const first = relations[0] as Relationship;
  const Owner = modelName(first.ownerTable);
  const attrs = relations.map(relationAttribute);
  const k = relations.length;
  const selectIn = (withParent ? 1 : 0) + k;
  const join = 1;
  const chainPy = (fn: string): string =>
    relations.length > 1 && relations[1]?.ownerTable === relations[0]?.loopTable
      ? `${fn}(${Owner}.${attrs[0]}).${fn}(${modelName(relations[1]?.ownerTable ?? '')}.${attrs[1]})`
      : attrs.map((a) => `${fn}(${Owner}.${a})`).join(', ');
  switch (orm) {
    case 'sqlalchemy':
      return {
        orm,
        language: 'python',
        strategy: 'selectinload',
        expectedQueries: selectIn,
        code: [
          'from sqlalchemy.orm import selectinload, joinedload, raiseload',
          '',
          `# one extra SELECT … WHERE ${first.loopColumn} IN (…) for all ${first.ownerTable} instead of one per row`,
          `${camel(first.ownerTable)} = session.query(${Owner}).options(${chainPy('selectinload')}, raiseload('*')).all()`,
          '',
          `# or a single JOIN (1 query; better for many-to-one and small collections):`,
          `#   .options(${chainPy('joinedload')})`,
          '# subqueryload(...) re-runs the parent query as a subquery: prefer selectinload on PostgreSQL.',
          "# raiseload('*') makes any other lazy load raise, so the N+1 cannot come back unnoticed.",
        ].join('\n'),
      };
    case 'prisma':
      return {
        orm,
        language: 'typescript',
        strategy: 'include',
        expectedQueries: selectIn,
        code: [
          `const ${camel(first.ownerTable)} = await prisma.${camel(modelName(first.ownerTable))}.findMany({`,
          `  include: { ${attrs.map((a) => `${camel(a)}: true`).join(', ')} },`,
          "  // relationLoadStrategy: 'join', // one query with a LATERAL JOIN (previewFeatures = [\"relationJoins\"])",
          '});',
        ].join('\n'),
      };
    case 'typeorm':
      return {
        orm,
        language: 'typescript',
        strategy: 'relations',
        expectedQueries: join,
        code: [
          `const ${camel(first.ownerTable)} = await dataSource.getRepository(${Owner}).find({ relations: { ${attrs.map((a) => `${camel(a)}: true`).join(', ')} } });`,
          '// or with the query builder:',
          `// dataSource.getRepository(${Owner}).createQueryBuilder('${camel(Owner)}')`,
          ...attrs.map((a) => `//   .leftJoinAndSelect('${camel(Owner)}.${camel(a)}', '${camel(a)}')`),
          '//   .getMany();',
        ].join('\n'),
      };
    case 'sequelize':
      return {
        orm,
        language: 'typescript',
        strategy: 'include',
        expectedQueries: join,
        code: [
          `const ${camel(first.ownerTable)} = await ${Owner}.findAll({`,
          `  include: [${sequelizeIncludes(relations, attrs)}], // one LEFT OUTER JOIN; separate: true on a hasMany makes it 2 queries`,
          '});',
        ].join('\n'),
      };
    case 'drizzle':
      return {
        orm,
        language: 'typescript',
        strategy: 'with',
        expectedQueries: join,
        code: `const ${camel(first.ownerTable)} = await db.query.${camel(first.ownerTable)}.findMany({ with: { ${attrs.map((a) => `${camel(a)}: true`).join(', ')} } });`,
      };
    case 'mikro-orm':
      return {
        orm,
        language: 'typescript',
        strategy: 'populate',
        expectedQueries: selectIn,
        code: `const ${camel(first.ownerTable)} = await em.find(${Owner}, {}, { populate: [${attrs.map((a) => `'${camel(a)}'`).join(', ')}] });`,
      };
    case 'dataloader':
      return {
        orm,
        language: 'typescript',
        strategy: 'DataLoader',
        expectedQueries: selectIn,
        code: [
          "import DataLoader from 'dataloader';",
          '',
          `// one loader per request: every resolver call in the same tick becomes one batched query`,
          `const ${camel(first.loopTable)}By${camel(first.loopColumn).replace(/^./, (c) => c.toUpperCase())} = new DataLoader(async (keys) => {`,
          `  const { rows } = await pool.query('SELECT * FROM ${first.loopTable} WHERE ${first.loopColumn} = ANY($1)', [keys]);`,
          first.kind === 'one-to-many'
            ? `  return keys.map((k) => rows.filter((r) => r.${first.loopColumn} === k));`
            : `  const byKey = new Map(rows.map((r) => [r.${first.loopColumn}, r]));\n  return keys.map((k) => byKey.get(k) ?? null);`,
          '});',
        ].join('\n'),
      };
    case 'knex':
      return {
        orm,
        language: 'typescript',
        strategy: 'whereIn',
        expectedQueries: selectIn,
        code: relations
          .map((r) => {
            const keys = r.kind === 'one-to-many' ? `${camel(r.ownerTable)}.map((row) => row.${r.referencedColumn})` : `${camel(r.ownerTable)}.map((row) => row.${r.fkColumn})`;
            const v = camel(r.loopTable);
            return [
              `const ${v} = await knex('${r.loopTable}').whereIn('${r.loopColumn}', ${keys});`,
              r.kind === 'one-to-many'
                ? `const ${v}By${camel(r.loopColumn).replace(/^./, (c) => c.toUpperCase())} = new Map();\nfor (const row of ${v}) ${v}By${camel(r.loopColumn).replace(/^./, (c) => c.toUpperCase())}.set(row.${r.loopColumn}, [...(${v}By${camel(r.loopColumn).replace(/^./, (c) => c.toUpperCase())}.get(row.${r.loopColumn}) ?? []), row]);`
                : `const ${v}ById = new Map(${v}.map((row) => [row.${r.loopColumn}, row]));`,
            ].join('\n');
          })
          .join('\n'),
      };
    case 'pg':
      return {
        orm,
        language: 'typescript',
        strategy: '= ANY($1)',
        expectedQueries: selectIn,
        code: relations
          .map((r) => `const { rows: ${camel(r.loopTable)} } = await pool.query('SELECT * FROM ${r.loopTable} WHERE ${r.loopColumn} = ANY($1)', [${camel(r.ownerTable)}.map((row) => row.${r.kind === 'one-to-many' ? r.referencedColumn : r.fkColumn})]);`)
          .join('\n'),
      };
  }
}

/** Nested includes when the loop walks a chain (users → orders → items), side by side otherwise. */
function sequelizeIncludes(relations: readonly Relationship[], attrs: readonly string[]): string {
  const one = (i: number): string => {
    const r = relations[i] as Relationship;
    const next = relations[i + 1];
    const nested = next !== undefined && next.ownerTable === r.loopTable ? `, include: [${one(i + 1)}]` : '';
    return `{ model: ${modelName(r.loopTable)}, as: '${camel(attrs[i] ?? '')}'${nested} }`;
  };
  const parts: string[] = [];
  for (let i = 0; i < relations.length; i++) {
    parts.push(one(i));
    while (relations[i + 1] !== undefined && relations[i + 1]?.ownerTable === relations[i]?.loopTable) i++;
  }
  return parts.join(', ');
}

/** Row-by-row INSERTs → one multi-row statement (or COPY for large loads). */
export function bulkInsertFix(orm: Orm | null, table: string, columns: readonly string[]): CodeFix {
  const Model = modelName(table);
  const cols = columns.length > 0 ? columns : ['…'];
  const byOrm: Record<Orm, [string, string]> = {
    sqlalchemy: ['python', `session.execute(insert(${Model}), rows)  # rows: list of dicts; executemany with insertmanyvalues/execute_values`],
    prisma: ['typescript', `await prisma.${camel(Model)}.createMany({ data: rows });`],
    typeorm: ['typescript', `await dataSource.createQueryBuilder().insert().into(${Model}).values(rows).execute();`],
    sequelize: ['typescript', `await ${Model}.bulkCreate(rows);`],
    drizzle: ['typescript', `await db.insert(${camel(table)}).values(rows);`],
    knex: ['typescript', `await knex.batchInsert('${table}', rows, 1000);`],
    'mikro-orm': ['typescript', `await em.insertMany(${Model}, rows);`],
    dataloader: ['typescript', `await pool.query('INSERT INTO ${table} (${cols.join(', ')}) SELECT * FROM unnest(${cols.map((_, i) => `$${i + 1}`).join(', ')})', [/* one array per column */]);`],
    pg: ['typescript', `await pool.query('INSERT INTO ${table} (${cols.join(', ')}) SELECT * FROM unnest(${cols.map((_, i) => `$${i + 1}`).join(', ')})', [/* one array per column */]);`],
  };
  const [language, code] = byOrm[orm ?? 'pg'];
  return { orm: orm ?? 'pg', language, code, expectedQueries: 1, strategy: 'multi-row INSERT' };
}

/** Same statement, same parameters: fetch once per request. */
export function memoizeFix(orm: Orm | null): CodeFix {
  if (orm === 'sqlalchemy') {
    return {
      orm,
      language: 'python',
      strategy: 'memoize',
      expectedQueries: 1,
      code: '# the identity map only caches lookups by primary key (session.get); cache other results per request:\n@functools.cache  # on a request-scoped object, not globally\ndef load_settings(): ...',
    };
  }
  return {
    orm: orm ?? 'pg',
    language: 'typescript',
    strategy: 'memoize',
    expectedQueries: 1,
    code: '// cache the result for the request (or a DataLoader, which also de-duplicates keys):\nconst cache = new Map<string, Promise<unknown>>();\nconst once = (key: string, load: () => Promise<unknown>) => cache.get(key) ?? (cache.set(key, load()), cache.get(key)!);',
  };
}

/** Columns fetched with SELECT * that are wide and rarely needed in a loop. */
export function loadOnlyHint(orm: Orm | null, table: string, wideColumns: readonly string[]): string {
  const Model = modelName(table);
  const cols = wideColumns.join(', ');
  switch (orm) {
    case 'sqlalchemy':
      return `skip the wide columns (${cols}) when they are not used: .options(defer(${Model}.${wideColumns[0] ?? 'col'})) or load_only(...)`;
    case 'sequelize':
      return `skip the wide columns (${cols}) when they are not used: attributes: { exclude: [${wideColumns.map((c) => `'${c}'`).join(', ')}] }`;
    case 'prisma':
    case 'drizzle':
      return `skip the wide columns (${cols}) when they are not used: select only the fields you need`;
    case 'knex':
      return `skip the wide columns (${cols}) when they are not used: .select('id', …) instead of select *`;
    default:
      return `skip the wide columns (${cols}) when they are not used: list the columns instead of SELECT *`;
  }
}
