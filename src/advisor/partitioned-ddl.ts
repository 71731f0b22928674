import { quoteIdent } from '../format/format.ts';
import { sanitizeNamePart, withSuffix } from '../sql/quote.ts';
import type { Index, Snapshot, Table } from '../model/index.ts';
import type { Candidate } from './types.ts';

function partitionIndexName(base: string, partition: Table, taken: Set<string>): string {
  const suffix = `_${sanitizeNamePart(partition.name) || 'part'}`;
  let name = withSuffix(base, suffix);
  for (let n = 2; taken.has(name); n++) name = withSuffix(base, `_${n}${suffix}`);
  taken.add(name);
  return name;
}

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** The candidate's definition after `ON table `: what an equivalent index on a partition also reads. */
function bodyOf(c: Candidate): string | null {
  const prefix = `CREATE INDEX ON ${c.table} `;
  return c.definition.startsWith(prefix) ? c.definition.slice(prefix.length) : null;
}

/** A valid, non-unique index already on the partition with the same definition: ATTACH it rather than build a twin. */
function matchingPartitionIndex(body: string, partition: Table, snapshot: Snapshot, used: Set<string>): Index | undefined {
  const on = ` ON ${partition.qualifiedName} `;
  const found = snapshot.indexes.find((i) => {
    const at = i.definition.indexOf(on);
    return i.table === partition.qualifiedName && i.isValid && !used.has(i.qualifiedName) && i.definition.startsWith('CREATE INDEX ') && at > 0 && squash(i.definition.slice(at + on.length)) === squash(body);
  });
  if (found !== undefined) used.add(found.qualifiedName);
  return found;
}

/** Existing partition indexes the parent's index would attach instead of building (ones that duplicate it). */
export function reusedPartitionIndexes(c: Candidate, snapshot: Snapshot): Index[] {
  const body = bodyOf(c);
  if (body === null) return [];
  const used = new Set<string>();
  const out: Index[] = [];
  const walk = (parent: string): void => {
    for (const p of snapshot.tables.filter((x) => x.parent === parent)) {
      if (p.kind === 'partitioned') walk(p.qualifiedName);
      else {
        const m = matchingPartitionIndex(body, p, snapshot, used);
        if (m !== undefined) out.push(m);
      }
    }
  };
  walk(c.table);
  return out;
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
  const body = bodyOf(c);
  if (body === null) return null;
  const used = new Set<string>();
  const emit = (table: Table, index: string): string[] => {
    const lines = [`CREATE INDEX IF NOT EXISTS ${quoteIdent(index)} ON ONLY ${table.qualifiedName} ${body};`];
    for (const p of snapshot.tables.filter((x) => x.parent === table.qualifiedName)) {
      const existing = p.kind === 'partitioned' ? undefined : matchingPartitionIndex(body, p, snapshot, used);
      if (existing !== undefined) {
        lines.push(`ALTER INDEX ${quoteIdent(table.schema)}.${quoteIdent(index)} ATTACH PARTITION ${quoteIdent(existing.schema)}.${quoteIdent(existing.name)};`);
        continue;
      }
      const child = partitionIndexName(name, p, taken);
      if (p.kind === 'partitioned') lines.push(...emit(p, child));
      else lines.push(`CREATE INDEX CONCURRENTLY IF NOT EXISTS ${quoteIdent(child)} ON ${p.qualifiedName} ${body};`);
      lines.push(`ALTER INDEX ${quoteIdent(table.schema)}.${quoteIdent(index)} ATTACH PARTITION ${quoteIdent(p.schema)}.${quoteIdent(child)};`);
    }
    return lines;
  };
  return emit(parent, name).join('\n');
}
