import type { Candidate } from './types.ts';

/** A readable index name within PostgreSQL's 63-byte limit, unique among `taken`. */
export function indexName(c: Candidate, taken: Set<string>): string {
  const table = c.table.split('.').pop()?.replace(/"/g, '') ?? 't';
  const parts = c.keys.map((k) => k.expr.replace(/[^a-z0-9_]+/gi, '_').replace(/^_+|_+$/g, '').toLowerCase()).filter((p) => p !== '');
  const suffix =
    c.method === 'gin' ? (c.kind === 'gin-trigram' ? 'trgm_idx' : c.kind === 'gin-fts' ? 'fts_idx' : 'gin_idx') : c.method === 'brin' ? 'brin_idx' : c.include.length > 0 ? 'covering_idx' : 'idx';
  const pred = c.predicate === null ? [] : [c.predicate.replace(/'/g, '').replace(/[^a-z0-9]+/gi, '_').replace(/^_+|_+$/g, '').toLowerCase()];
  let base = [table, ...parts, ...pred].join('_').slice(0, 63 - suffix.length - 4);
  base = base.replace(/_+$/, '');
  let name = `${base}_${suffix}`;
  for (let n = 2; taken.has(name); n++) name = `${base}_${n}_${suffix}`;
  taken.add(name);
  return name;
}
