import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding, Index } from '../../../model/index.ts';
import { bytesScore, formatBytes, formatCount } from '../../../format/format.ts';
import { concurrentCreate, concurrentDrop, indexShapeKey } from '../../../format/index-definitions.ts';
import { indexWriteCount, indexesOf, tableByName } from '../../snapshot-lookup.ts';

const columnKey = (c: Index['columns'][number]): string => JSON.stringify([c.name, c.descending, c.nullsFirst, c.opclass, c.collation]);

/**
 * `short` is redundant to `long` when both are valid btrees on the same table with the same
 * predicate and short's key columns are a strict prefix of long's. A unique index enforces
 * something a longer index cannot, so it is never redundant.
 */
export function isRedundantTo(short: Index, long: Index): boolean {
  if (short.oid === long.oid || short.table !== long.table) return false;
  if (short.method !== 'btree' || long.method !== 'btree' || !short.isValid || !long.isValid) return false;
  if (short.isUnique || short.isPrimary || short.isExclusion || short.constraint !== null || short.isReplicaIdentity) return false;
  if ((short.predicate ?? '') !== (long.predicate ?? '')) return false;
  if (short.includeColumns.length > 0) return false;
  if (short.columns.length >= long.columns.length) return false;
  return short.columns.every((c, k) => {
    const l = long.columns[k];
    return l !== undefined && columnKey(c) === columnKey(l);
  });
}

export const redundantIndexes = defineAnalyzer({
  id: 'redundant-indexes',
  phase: 'profile',
  title: 'Redundant indexes',
  description: 'Btree indexes whose key columns are a prefix of another valid btree index on the same table with the same predicate (unique indexes are never redundant).',
  depth: 1,
  requires: {},
  options: {
    minSizeBytes: { default: 0, description: 'ignore redundant indexes smaller than this' },
  },
  run({ snapshot, options }) {
    const findings: Finding[] = [];
    const tables = new Set(snapshot.indexes.map((i) => i.table));
    for (const table of tables) {
      const list = indexesOf(snapshot, table);
      if (list.length < 2) continue;
      for (const short of list) {
        if (short.sizeBytes < options.minSizeBytes) continue;
        // exact duplicates belong to duplicate-indexes
        const covering = list
          .filter((l) => isRedundantTo(short, l) && indexShapeKey(l) !== indexShapeKey(short))
          .sort((a, b) => a.columns.length - b.columns.length || b.scans - a.scans || a.oid - b.oid)[0];
        if (covering === undefined) continue;
        const writes = indexWriteCount(tableByName(snapshot, table));
        findings.push({
          rule: 'redundant-indexes',
          severity: 'warning',
          title: `Index ${short.qualifiedName} is a prefix of ${covering.qualifiedName} (${formatBytes(short.sizeBytes)})`,
          target: { kind: 'index', relation: short.table, index: short.qualifiedName },
          evidence: {
            redundant: short.qualifiedName,
            redundantDefinition: short.definition,
            coveredBy: covering.qualifiedName,
            coveredByDefinition: covering.definition,
            sizeBytes: short.sizeBytes,
            redundantScans: short.scans,
            coveringScans: covering.scans,
            tableWritesSinceReset: writes,
          },
          impact: {
            score: bytesScore(short.sizeBytes) + writes / 20_000,
            bytes: short.sizeBytes,
            summary: `frees ${formatBytes(short.sizeBytes)} and one index update per row write (${formatCount(writes)} since the stats reset)`,
          },
          description:
            `Every lookup that can use ${short.qualifiedName} (its leading columns) can use ${covering.qualifiedName}. ` +
            'The longer index is somewhat larger, so single-column lookups read a little more; ' +
            (short.scans > 0 ? `${formatCount(short.scans)} scans used the shorter one, so check their plans after dropping.` : 'the shorter one was not even scanned.'),
          fix: {
            kind: 'sql',
            content: concurrentDrop(short),
            rollback: concurrentCreate(short),
            lockLevel: 'SHARE UPDATE EXCLUSIVE (CONCURRENTLY: reads and writes continue)',
            safety: 'review',
            verified: true,
            verification: `catalog fact: ${covering.qualifiedName} is a valid btree with the same leading key columns, sort order, operator classes and predicate`,
          },
        });
      }
    }
    return findings;
  },
});
