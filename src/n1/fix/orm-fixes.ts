import type { Orm } from './orm.ts';
import { camel, modelName } from './naming.ts';
import type { ParentQuery } from './parent-query.ts';
import { NO_PARENT_QUERY } from './parent-query.ts';
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

/** Relationships as a tree: a loop that walks a chain (authors → books → reviews) nests. */
interface RelationNode {
  readonly attr: string;
  readonly rel: Relationship;
  readonly children: RelationNode[];
}

function relationTree(relations: readonly Relationship[]): RelationNode[] {
  const roots: RelationNode[] = [];
  const byTable = new Map<string, RelationNode>();
  for (const rel of relations) {
    const node: RelationNode = { attr: relationAttribute(rel), rel, children: [] };
    const parent = byTable.get(rel.ownerTable);
    (parent === undefined ? roots : parent.children).push(node);
    byTable.set(rel.loopTable, node);
  }
  return roots;
}

/** `{ a: true, b: { c: true } }` in each ORM's spelling. */
function objectTree(nodes: readonly RelationNode[], leaf: string, nest: (inner: string) => string): string {
  return `{ ${nodes.map((n) => `${camel(n.attr)}: ${n.children.length === 0 ? leaf : nest(objectTree(n.children, leaf, nest))}`).join(', ')} }`;
}

/** Dotted paths: ['books.reviews', 'tags'] (MikroORM populate, TypeORM string relations). */
function paths(nodes: readonly RelationNode[], prefix = ''): string[] {
  return nodes.flatMap((n) => {
    const path = `${prefix}${camel(n.attr)}`;
    return n.children.length === 0 ? [path] : paths(n.children, `${path}.`);
  });
}

function depth(nodes: readonly RelationNode[]): number {
  return nodes.length === 0 ? 0 : 1 + Math.max(...nodes.map((n) => depth(n.children)));
}

/** ORDER BY / LIMIT of the parent query in the ORM's options, so the fix loads the same page. */
function pageOptions(orm: Orm, owner: string, parent: ParentQuery): string[] {
  const { order, limit } = parent;
  const lim = limit === 'param' ? 'limit /* the route\'s own limit */' : limit === null ? null : String(limit);
  switch (orm) {
    case 'typeorm':
      return [...(order.length === 0 ? [] : [`order: { ${order.map((o) => `${camel(o.column)}: '${o.desc ? 'DESC' : 'ASC'}'`).join(', ')} }`]), ...(lim === null ? [] : [`take: ${lim}`])];
    case 'prisma':
      return [...(order.length === 0 ? [] : [`orderBy: [${order.map((o) => `{ ${camel(o.column)}: '${o.desc ? 'desc' : 'asc'}' }`).join(', ')}]`]), ...(lim === null ? [] : [`take: ${lim}`])];
    case 'sequelize':
      return [...(order.length === 0 ? [] : [`order: [${order.map((o) => `['${o.column}', '${o.desc ? 'DESC' : 'ASC'}']`).join(', ')}]`]), ...(lim === null ? [] : [`limit: ${lim}`])];
    case 'mikro-orm':
      return [...(order.length === 0 ? [] : [`orderBy: { ${order.map((o) => `${camel(o.column)}: '${o.desc ? 'desc' : 'asc'}'`).join(', ')} }`]), ...(lim === null ? [] : [`limit: ${lim}`])];
    case 'drizzle':
      return [
        ...(order.length === 0 ? [] : [`orderBy: (t, { asc, desc }) => [${order.map((o) => `${o.desc ? 'desc' : 'asc'}(t.${camel(o.column)})`).join(', ')}]`]),
        ...(lim === null ? [] : [`limit: ${lim}`]),
      ];
    case 'sqlalchemy':
      return [
        ...(order.length === 0 ? [] : [`.order_by(${order.map((o) => `${owner}.${o.column}${o.desc ? '.desc()' : ''}`).join(', ')})`]),
        ...(lim === null ? [] : [`.limit(${limit === 'param' ? 'limit' : lim})`]),
      ];
    default:
      return [];
  }
}

export interface FixContext {
  /** ORDER BY / LIMIT of the "1" query */
  readonly parent?: ParentQuery;
  /** association aliases the application declares (Sequelize `as`), by target model */
  readonly aliases?: ReadonlyMap<string, string> | null;
}

/**
 * Eager-loading code for each ORM. `relations` holds one relationship for an N+1 and
 * several for a repeating group (MN+1); `withParent` says the "1" query was seen.
 */
export function eagerLoadFix(orm: Orm, relations: readonly Relationship[], withParent: boolean, ctx: FixContext = {}): CodeFix {
  const first = relations[0] as Relationship;
  const Owner = modelName(first.ownerTable);
  const owner = camel(first.ownerTable);
  const tree = relationTree(relations);
  const k = relations.length;
  const selectIn = (withParent ? 1 : 0) + k;
  const parent = ctx.parent ?? NO_PARENT_QUERY;
  const page = pageOptions(orm, Owner, parent);
  const opts = (list: string[]): string => list.map((o) => `  ${o},`).join('\n');
  switch (orm) {
    case 'sqlalchemy': {
      const chain = (fn: string): string => tree.map((n) => sqlaChain(fn, Owner, n)).join(', ');
      return {
        orm,
        language: 'python',
        strategy: 'selectinload',
        expectedQueries: selectIn,
        code: [
          'from sqlalchemy.orm import selectinload, joinedload, raiseload',
          '',
          `# one extra SELECT … WHERE ${first.loopColumn} IN (…) per relationship instead of one per row`,
          `${owner} = session.query(${Owner}).options(${chain('selectinload')}, raiseload('*'))${page.join('')}.all()`,
          '',
          `# or a single JOIN (1 query; better for many-to-one and small collections):`,
          `#   .options(${chain('joinedload')})`,
          '# subqueryload(...) re-runs the parent query as a subquery: prefer selectinload on PostgreSQL.',
          "# raiseload('*') makes any other lazy load raise, so the N+1 cannot come back unnoticed.",
        ].join('\n'),
      };
    }
    case 'prisma':
      return {
        orm,
        language: 'typescript',
        strategy: 'include',
        expectedQueries: selectIn,
        code: [
          `const ${owner} = await prisma.${camel(Owner)}.findMany({`,
          opts([...page, `include: ${objectTree(tree, 'true', (inner) => `{ include: ${inner} }`)}`]),
          "  // relationLoadStrategy: 'join', // one query with a LATERAL JOIN (previewFeatures = [\"relationJoins\"])",
          '});',
        ].join('\n'),
      };
    case 'typeorm':
      return {
        orm,
        language: 'typescript',
        strategy: 'relations',
        // take + a to-many join: TypeORM first selects the page's DISTINCT ids, then the rows with their relations
        expectedQueries: parent.limit !== null && relations.some((r) => r.kind === 'one-to-many') ? 2 : 1,
        code: [
          `const ${owner} = await dataSource.getRepository(${Owner}).find({`,
          opts([`relations: ${objectTree(tree, 'true', (inner) => inner)}`, ...page]),
          '});',
          '// or with the query builder:',
          `// dataSource.getRepository(${Owner}).createQueryBuilder('${camel(Owner)}')`,
          ...typeormJoins(camel(Owner), tree),
          '//   .getMany();',
        ].join('\n'),
      };
    case 'sequelize':
      return {
        orm,
        language: 'typescript',
        strategy: 'include',
        expectedQueries: 1,
        code: [
          `const ${owner} = await ${Owner}.findAll({`,
          opts([...page, `include: [${tree.map((n) => sequelizeInclude(n, ctx.aliases ?? null)).join(', ')}]`]),
          '}); // one query with LEFT OUTER JOINs; separate: true on a hasMany makes it one query per level',
          ...(ctx.aliases === undefined || ctx.aliases === null ? ["// if the association was declared with { as: '…' }, add the same as: to each include"] : []),
        ].join('\n'),
      };
    case 'drizzle':
      return {
        orm,
        language: 'typescript',
        strategy: 'with',
        expectedQueries: 1,
        code: [`const ${owner} = await db.query.${owner}.findMany({`, opts([...page, `with: ${objectTree(tree, 'true', (inner) => `{ with: ${inner} }`)}`]), '});'].join('\n'),
      };
    case 'mikro-orm':
      return {
        orm,
        language: 'typescript',
        strategy: 'populate',
        // MikroORM 6 loads populated relations with JOINs by default (loadStrategy 'joined')
        expectedQueries: 1,
        code: [
          `const ${owner} = await em.find(${Owner}, {}, {`,
          opts([`populate: [${paths(tree).map((p) => `'${p}'`).join(', ')}]`, ...page]),
          '});',
          `// MikroORM 6 joins: 1 query. With strategy: 'select-in' (MikroORM 5's default) it is ${1 + depth(tree)} queries.`,
        ].join('\n'),
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

function sqlaChain(fn: string, model: string, node: RelationNode): string {
  const own = `${fn}(${model}.${node.attr})`;
  if (node.children.length === 0) return own;
  const child = modelName(node.rel.loopTable);
  // SQLAlchemy chains one path per option: selectinload(A.b).selectinload(B.c)
  return node.children.map((c) => `${own}.${sqlaChain(fn, child, c)}`).join(', ');
}

function typeormJoins(alias: string, nodes: readonly RelationNode[]): string[] {
  return nodes.flatMap((n) => [`//   .leftJoinAndSelect('${alias}.${camel(n.attr)}', '${camel(n.attr)}')`, ...typeormJoins(camel(n.attr), n.children)]);
}

/** `{ model: Book, as: 'books', include: [...] }`, with `as` only when the application declares one. */
function sequelizeInclude(node: RelationNode, aliases: ReadonlyMap<string, string> | null): string {
  const model = modelName(node.rel.loopTable);
  const as = aliases?.get(model);
  const nested = node.children.length === 0 ? '' : `, include: [${node.children.map((c) => sequelizeInclude(c, aliases)).join(', ')}]`;
  return `{ model: ${model}${as === undefined ? '' : `, as: '${as}'`}${nested} }`;
}

/** Sequelize association aliases declared in a source file: `A.hasMany(B, { as: 'items', … })` → B → items. */
export function sequelizeAliases(source: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /\.(?:hasMany|hasOne|belongsTo|belongsToMany)\(\s*(\w+)\s*,\s*\{[^}]*?\bas:\s*['"]([\w$]+)['"]/g;
  for (let m = re.exec(source); m !== null; m = re.exec(source)) out.set(m[1] ?? '', m[2] ?? '');
  return out;
}

/**
 * The loop's keys in one statement, when the relationship between the rows is not known (a
 * `Promise.all` fan-out over ids that came from the request): collect the keys, query once.
 */
export function batchByKeyFix(orm: Orm, table: string, column: string, withParent: boolean): CodeFix {
  const Model = modelName(table);
  const v = camel(table);
  const key = camel(column);
  const byOrm: Record<Orm, [string, string]> = {
    sqlalchemy: ['python', `${v} = session.scalars(select(${Model}).where(${Model}.${column}.in_(keys))).all()`],
    prisma: ['typescript', `const ${v} = await prisma.${camel(Model)}.findMany({ where: { ${key}: { in: keys } } });`],
    typeorm: ['typescript', `const ${v} = await dataSource.getRepository(${Model}).findBy({ ${key}: In(keys) }); // import { In } from 'typeorm'`],
    sequelize: ['typescript', `const ${v} = await ${Model}.findAll({ where: { ${column}: keys } }); // WHERE ${column} IN (…)`],
    drizzle: ['typescript', `const ${v} = await db.select().from(${v}Table).where(inArray(${v}Table.${key}, keys));`],
    knex: ['typescript', `const ${v} = await knex('${table}').whereIn('${column}', keys);`],
    'mikro-orm': ['typescript', `const ${v} = await em.find(${Model}, { ${key}: { $in: keys } });`],
    dataloader: [
      'typescript',
      `const loader = new DataLoader(async (keys) => {\n  const { rows } = await pool.query('SELECT * FROM ${table} WHERE ${column} = ANY($1)', [keys]);\n  return keys.map((k) => rows.filter((r) => r.${column} === k));\n}); // one per request; loader.load(key) in each branch of the fan-out`,
    ],
    pg: ['typescript', `const { rows: ${v} } = await pool.query('SELECT * FROM ${table} WHERE ${column} = ANY($1)', [keys]);`],
  };
  const [language, code] = byOrm[orm];
  return {
    orm,
    language,
    strategy: 'one query for all keys',
    expectedQueries: withParent ? 2 : 1,
    code: `${language === 'python' ? '#' : '//'} keys: the ${column} values the loop (or Promise.all) queried one by one; group the rows by ${column} in memory\n${code}`,
  };
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
