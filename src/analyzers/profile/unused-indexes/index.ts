import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding, Index, Snapshot } from '../../../model/index.ts';
import { bytesScore, formatBytes, formatCount, formatDuration } from '../../../format/format.ts';
import { concurrentCreate, concurrentDrop } from '../../../format/index-definitions.ts';
import { indexWriteCount, tableByName } from '../../snapshot-lookup.ts';
import { unquoteIdent } from '../../../sql/quote.ts';

/** Does the index lead with the columns of this foreign key? Catalog index columns arrive quote_ident()ed. */
function leadsWith(index: Index, fkColumns: readonly string[]): boolean {
  const lead = index.columns.slice(0, fkColumns.length).map((c) => (c.isExpression ? null : unquoteIdent(c.name)));
  return fkColumns.length > 0 && fkColumns.length <= index.columns.length && fkColumns.every((col) => lead.includes(col));
}

/**
 * Is the index the one that serves a foreign key of its table (or of the partitioned parent)? It
 * serves the FK check on every delete/update of the referenced row, scanned or not. When several
 * indexes lead with the key, one is kept (the most scanned, then the smallest) and the others can go.
 */
function keepsForeignKey(snapshot: Snapshot, index: Index, parent: string | null): boolean {
  return snapshot.constraints.some((k) => {
    if (k.type !== 'foreign' || (k.table !== index.table && k.table !== parent) || !leadsWith(index, k.columns)) return false;
    const serving = snapshot.indexes.filter((i) => i.table === index.table && i.isValid && i.predicate === null && leadsWith(i, k.columns));
    const keeper = [...serving].sort((a, b) => b.scans - a.scans || a.sizeBytes - b.sizeBytes || a.qualifiedName.localeCompare(b.qualifiedName))[0];
    return keeper === undefined || keeper === index;
  });
}

export const unusedIndexes = defineAnalyzer({
  id: 'unused-indexes',
  phase: 'profile',
  title: 'Unused indexes',
  description: 'Indexes with no scan since the statistics were reset that do not back a constraint, a foreign key or the replica identity.',
  depth: 1,
  requires: {},
  options: {
    minSizeBytes: { default: 0, description: 'ignore unused indexes smaller than this' },
    minStatsAgeDays: { default: 7, description: 'statistics younger than this make "unused" weak evidence (reported as info)' },
  },
  run({ snapshot, options }) {
    const ageSeconds = snapshot.server.statsAgeSeconds;
    const weak = ageSeconds < options.minStatsAgeDays * 86_400;
    const findings: Finding[] = [];
    for (const index of snapshot.indexes) {
      if (index.scans > 0 || !index.isValid) continue;
      if (index.isPrimary || index.isUnique || index.isExclusion || index.constraint !== null || index.isReplicaIdentity) continue;
      if (index.sizeBytes < options.minSizeBytes) continue;
      const table = tableByName(snapshot, index.table);
      if (table?.kind === 'partitioned') continue; // parent index: scans are counted on partitions
      // an index that backs a foreign key serves the FK check on every delete/update of the referenced row
      if (keepsForeignKey(snapshot, index, table?.parent ?? null)) continue;
      const writes = indexWriteCount(table);
      findings.push({
        rule: 'unused-indexes',
        severity: weak ? 'info' : 'warning',
        title: `Index ${index.qualifiedName} has not been used in ${formatDuration(ageSeconds)} (${formatBytes(index.sizeBytes)})`,
        target: { kind: 'index', relation: index.table, index: index.qualifiedName },
        evidence: {
          index: index.qualifiedName,
          definition: index.definition,
          idxScan: index.scans,
          sizeBytes: index.sizeBytes,
          statsResetAt: snapshot.server.statsResetAt,
          statsAgeSeconds: Math.round(ageSeconds),
          weakEvidence: weak,
          tableWritesSinceReset: writes,
          tableRows: table?.activity?.nLiveTup ?? Math.max(0, table?.rowEstimate ?? 0),
        },
        impact: {
          score: bytesScore(index.sizeBytes) + writes / 10_000,
          bytes: index.sizeBytes,
          summary: `frees ${formatBytes(index.sizeBytes)} and removes index maintenance from ${formatCount(writes)} row writes`,
        },
        description:
          `No query has scanned this index since the statistics were reset ${formatDuration(ageSeconds)} ago, yet every insert, ` +
          `non-HOT update and delete on ${index.table} maintains it.` +
          (weak
            ? ` The statistics are only ${formatDuration(ageSeconds)} old: weekly or monthly jobs may still need it, so check again later before dropping.`
            : ' Check replicas too: scans there are not counted here.'),
        history: { windowSeconds: Math.round(ageSeconds), requiredSeconds: options.minStatsAgeDays * 86_400, option: 'unused-indexes.minStatsAgeDays' },
        fix: {
          kind: 'sql',
          content: concurrentDrop(index),
          rollback: concurrentCreate(index),
          lockLevel: 'SHARE UPDATE EXCLUSIVE (CONCURRENTLY: reads and writes continue)',
          safety: 'review',
          verified: false,
          verification: 'usage statistics only; confirm the index is unused on replicas and by periodic jobs',
        },
      });
    }
    return findings;
  },
});
