import { quoteIdent } from '../format/format.ts';
import { sanitizeNamePart, withSuffix } from '../sql/quote.ts';
import type { Snapshot, Table } from '../model/index.ts';
import type { Candidate } from './types.ts';

function partitionIndexName(base: string, partition: Table, taken: Set<string>): string {
  const suffix = `_${sanitizeNamePart(partition.name) || 'part'}`;
  let name = withSuffix(base, suffix);
  for (let n = 2; taken.has(name); n++) name = withSuffix(base, `_${n}${suffix}`);
  taken.add(name);
  return name;
}

/**
 * CREATE INDEX CONCURRENTLY fails on a partitioned table. The parent gets its index ON ONLY (invalid,
 * instant), each partition builds CONCURRENTLY (reads and writes continue), and ATTACH PARTITION
 * links each one; the parent's index turns valid once every partition is attached (a sub-partitioned
 * child gets the same treatment one level down). Statements are separated by ";\n" and must run one
 * at a time, outside a transaction. Null for a plain table.
 */
export function partitionedIndexDdl(c: Candidate, name: string, snapshot: Snapshot, taken: Set<string>): string | null {
  const parent = snapshot.tables.find((t) => t.qualifiedName === c.table);
  if (parent?.kind !== 'partitioned') return null;
  const prefix = `CREATE INDEX ON ${c.table} `;
  if (!c.definition.startsWith(prefix)) return null;
  const body = c.definition.slice(prefix.length);
  const emit = (table: Table, index: string): string[] => {
    const lines = [`CREATE INDEX IF NOT EXISTS ${quoteIdent(index)} ON ONLY ${table.qualifiedName} ${body};`];
    for (const p of snapshot.tables.filter((x) => x.parent === table.qualifiedName)) {
      const child = partitionIndexName(name, p, taken);
      if (p.kind === 'partitioned') lines.push(...emit(p, child));
      else lines.push(`CREATE INDEX CONCURRENTLY IF NOT EXISTS ${quoteIdent(child)} ON ${p.qualifiedName} ${body};`);
      lines.push(`ALTER INDEX ${quoteIdent(table.schema)}.${quoteIdent(index)} ATTACH PARTITION ${quoteIdent(p.schema)}.${quoteIdent(child)};`);
    }
    return lines;
  };
  return emit(parent, name).join('\n');
}
