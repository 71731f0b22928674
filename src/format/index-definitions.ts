import type { Index } from '../model/index.ts';

/** Turns an index definition into the CONCURRENTLY form used for migrations and rollbacks. */
export function concurrentCreate(index: Index): string {
  return `${index.definition.replace(/^CREATE (UNIQUE )?INDEX /, 'CREATE $1INDEX CONCURRENTLY ')};`;
}

export function concurrentDrop(index: Index): string {
  return `DROP INDEX CONCURRENTLY ${index.qualifiedName};`;
}

/** Key that is equal for indexes that index the same thing the same way. */
export function indexShapeKey(index: Index): string {
  return JSON.stringify([
    index.table,
    index.method,
    index.columns.map((c) => [c.name, c.descending, c.nullsFirst, c.opclass, c.collation]),
    [...index.includeColumns].sort(),
    index.predicate ?? '',
  ]);
}
