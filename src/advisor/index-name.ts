import { bareNameOf, deriveIdentifier, quoteIdent, quotedSchemaOf } from '../sql/quote.ts';
import type { Candidate } from './types.ts';

/**
 * A readable index name within PostgreSQL's 63-byte limit, unique among `taken`. Built only from
 * [a-z0-9_] (table and column names may hold quotes, semicolons, newlines), and still quoted
 * wherever it is printed.
 */
export function indexName(c: Candidate, taken: Set<string>): string {
  const parts = c.keys.map((k) => k.expr);
  const suffix =
    c.method === 'gin' ? (c.kind === 'gin-trigram' ? 'trgm_idx' : c.kind === 'gin-fts' ? 'fts_idx' : 'gin_idx') : c.method === 'brin' ? 'brin_idx' : c.include.length > 0 ? 'covering_idx' : 'idx';
  const pred = c.predicate === null ? [] : [c.predicate.replace(/'/g, '')];
  const base = [bareNameOf(c.table), ...parts, ...pred];
  let name = deriveIdentifier(base, suffix);
  for (let n = 2; taken.has(name); n++) name = deriveIdentifier(base, `${n}_${suffix}`);
  taken.add(name);
  return name;
}

/** The new index's name qualified by its table's schema (where CREATE INDEX puts it), quoted. */
export function qualifiedIndexName(table: string, name: string): string {
  const schema = quotedSchemaOf(table);
  return schema === null ? quoteIdent(name) : `${schema}.${quoteIdent(name)}`;
}

/** CREATE INDEX CONCURRENTLY for a candidate definition (`CREATE INDEX ON …`) under a quoted name. */
export function createIndexDdl(c: Candidate, name: string): string {
  return `${c.definition.replace(/^CREATE INDEX ON /, () => `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${quoteIdent(name)} ON `)};`;
}

/** The rollback of createIndexDdl, schema-qualified so it cannot hit a twin in another schema (a partitioned index: not concurrently). */
export function dropIndexDdl(table: string, name: string, concurrently = true): string {
  return `DROP INDEX ${concurrently ? 'CONCURRENTLY ' : ''}IF EXISTS ${qualifiedIndexName(table, name)};`;
}
