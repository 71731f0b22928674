import { readFileSync } from 'node:fs';
import { DbOptimizeError } from '../../errors/index.ts';

export const ORMS = ['sqlalchemy', 'prisma', 'typeorm', 'sequelize', 'drizzle', 'knex', 'mikro-orm', 'dataloader', 'pg'] as const;
export type Orm = (typeof ORMS)[number];

export function parseOrm(value: string): Orm {
  const v = value.toLowerCase().replace(/^mikroorm$/, 'mikro-orm').replace(/^node-postgres$/, 'pg').replace(/^graphql$/, 'dataloader');
  if (!(ORMS as readonly string[]).includes(v)) {
    throw new DbOptimizeError('E_BAD_FLAG', 'usage', `unknown --orm "${value}" (use ${ORMS.join(', ')})`);
  }
  return v as Orm;
}

const IMPORT_PATTERNS: readonly [Orm, RegExp][] = [
  ['sqlalchemy', /\b(from|import)\s+sqlalchemy\b/],
  ['prisma', /@prisma\/client|new PrismaClient\b/],
  ['typeorm', /from\s+['"]typeorm['"]|require\(['"]typeorm['"]\)/],
  ['mikro-orm', /@mikro-orm\//],
  ['drizzle', /drizzle-orm/],
  ['sequelize', /from\s+['"]sequelize['"]|require\(['"]sequelize['"]\)|@sequelize\/core/],
  ['knex', /from\s+['"]knex['"]|require\(['"]knex['"]\)/],
  ['dataloader', /from\s+['"]dataloader['"]|require\(['"]dataloader['"]\)|\bgraphql\b/],
  ['pg', /from\s+['"]pg['"]|require\(['"]pg['"]\)/],
];

/** The ORM a source file uses, from its imports; null when the file cannot be read. */
export function ormFromFile(callSite: string, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): Orm | null {
  const path = callSite.replace(/^file:\/\//, '').replace(/:\d+(:\d+)?$/, '');
  let text: string;
  try {
    text = readFile(path);
  } catch {
    return null;
  }
  for (const [orm, re] of IMPORT_PATTERNS) if (re.test(text)) return orm;
  return null;
}

/** The ORM that wrote a statement, from the SQL each one generates (for logs, which have no call site). */
export function ormFromSql(sql: string): Orm | null {
  if (/\b\w+\.\w+ AS \w+_\w+\b/.test(sql) && !/"/.test(sql)) return 'sqlalchemy';
  if (/"public"\."\w+"\."\w+"/.test(sql)) return 'prisma';
  if (/ AS "\w+_\w+"/.test(sql) && /"\w+"\."\w+" AS "\w+_\w+"/.test(sql)) return 'typeorm';
  if (/FROM "\w+" AS "[A-Z]\w*"/.test(sql)) return 'sequelize';
  // MikroORM (built on Knex) aliases every table: from "author" as "a0"
  if (/\bfrom "\w+" as "[a-z]\d+"/.test(sql)) return 'mikro-orm';
  if (/^select .* from "\w+"/.test(sql)) return 'knex';
  return null;
}
