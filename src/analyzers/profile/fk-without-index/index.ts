import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Constraint, Finding, Index } from '../../../model/index.ts';
import { formatCount, quoteIdent, round } from '../../../format/format.ts';
import { bareNameOf, deriveIdentifier } from '../../../sql/quote.ts';
import { indexesOf, tableByName } from '../../snapshot-lookup.ts';

/** An index supports a foreign key when the FK columns are its leading key columns, in any order. */
export function supportsForeignKey(index: Index, columns: readonly string[]): boolean {
  if (!index.isValid || index.predicate !== null || index.method !== 'btree') return false;
  const lead = index.columns.slice(0, columns.length);
  if (lead.length < columns.length || lead.some((c) => c.isExpression)) return false;
  const names = new Set(lead.map((c) => c.name));
  return columns.every((c) => names.has(quoteIdent(c)) || names.has(c));
}

/** Sanitised (names may hold quotes, semicolons, unicode) and within 63 bytes; quoted where printed. */
function indexName(fk: Constraint): string {
  return deriveIdentifier([bareNameOf(fk.table), ...fk.columns], 'idx');
}

export const fkWithoutIndex = defineAnalyzer({
  id: 'fk-without-index',
  phase: 'profile',
  title: 'Foreign keys without a supporting index',
  description: 'Foreign keys whose referencing columns are not the leading columns of an index: deletes and key updates on the parent scan the child table, and joins on the key cannot use an index.',
  depth: 1,
  requires: {},
  options: {
    minRows: { default: 1000, description: 'ignore referencing tables with fewer rows (a sequential scan is cheap there); they are reported as info' },
  },
  run({ snapshot, options }) {
    const findings: Finding[] = [];
    for (const fk of snapshot.constraints) {
      if (fk.type !== 'foreign' || fk.references === null) continue;
      const child = tableByName(snapshot, fk.table);
      if (indexesOf(snapshot, fk.table).some((i) => supportsForeignKey(i, fk.columns))) continue;
      const parent = tableByName(snapshot, fk.references.table);
      const childRows = Math.max(child?.activity?.nLiveTup ?? 0, child?.rowEstimate ?? 0);
      const parentDeletes = parent?.activity?.nTupDel ?? 0;
      const parentUpdates = parent?.activity?.nTupUpd ?? 0;
      const small = childRows < options.minRows;
      const childPages = child?.pages ?? 0;
      // each parent delete/key update scans the child: pages × deletes is the avoidable read volume
      const avoidablePages = childPages * parentDeletes;
      const name = indexName(fk);
      const cols = fk.columns.map(quoteIdent).join(', ');
      findings.push({
        rule: 'fk-without-index',
        severity: small ? 'info' : 'warning',
        title: `Foreign key ${fk.name} on ${fk.table}(${fk.columns.join(', ')}) has no supporting index`,
        target: { kind: 'constraint', relation: fk.table, name: fk.name, column: fk.columns.join(',') },
        evidence: {
          constraint: fk.name,
          definition: fk.definition,
          referencingTable: fk.table,
          referencingColumns: [...fk.columns],
          referencedTable: fk.references.table,
          referencingRows: Math.round(childRows),
          referencingPages: childPages,
          parentDeletes,
          parentUpdates,
          onDelete: fk.onDelete,
          childSeqScans: child?.activity?.seqScan ?? 0,
        },
        impact: {
          score: avoidablePages / 100 + childRows / 10_000,
          summary:
            parentDeletes > 0
              ? `each of the ${formatCount(parentDeletes)} deletes on ${fk.references.table} scans ~${formatCount(childRows)} rows of ${fk.table}`
              : `joins and parent deletes on this key must scan ${formatCount(childRows)} rows of ${fk.table}`,
          ...(avoidablePages > 0 ? { msPerDay: round(avoidablePages * 0.01, 1) } : {}),
        },
        description:
          `PostgreSQL does not index the referencing side of a foreign key automatically. Deleting or changing a key in ${fk.references.table} ` +
          `checks ${fk.table} for references (${fk.onDelete ?? 'NO ACTION'}), which without an index is a sequential scan per row, ` +
          'under a lock; joins from the parent to this table cannot use an index either.',
        fix: {
          kind: 'sql',
          content: `CREATE INDEX CONCURRENTLY ${quoteIdent(name)} ON ${fk.table} (${cols});`,
          rollback: `DROP INDEX CONCURRENTLY ${quoteIdent(fk.schema)}.${quoteIdent(name)};`,
          lockLevel: 'SHARE UPDATE EXCLUSIVE (CONCURRENTLY: reads and writes continue)',
          safety: 'safe',
          verified: false,
          verification: 'catalog fact; the gain depends on parent deletes and joins on this key',
        },
      });
    }
    return findings;
  },
});
