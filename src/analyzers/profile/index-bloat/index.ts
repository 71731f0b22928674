import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding } from '../../../model/index.ts';
import { bytesScore, formatBytes, percent, round } from '../../../format/format.ts';
import { tableByName } from '../../snapshot-lookup.ts';
import { estimateIndexBloat } from '../bloat-estimate.ts';

export const indexBloat = defineAnalyzer({
  id: 'index-bloat',
  phase: 'profile',
  title: 'Index bloat (estimated)',
  description: 'Estimated wasted space in btree indexes, from pg_stats widths in the style of the ioguix estimation queries; only indexes above a size floor.',
  depth: 2,
  requires: {},
  options: {
    minSizeBytes: { default: 10 * 1024 * 1024, description: 'only indexes at least this large (default 10 MB)' },
    minBloatRatio: { default: 0.3, description: 'report when the estimated wasted share of the index is at least this' },
    minBloatBytes: { default: 1024 * 1024, description: 'and the estimated wasted space is at least this many bytes' },
    criticalRatio: { default: 0.6, description: 'wasted share at or above which the finding is a warning instead of info' },
  },
  run({ snapshot, options }) {
    const findings: Finding[] = [];
    for (const index of snapshot.indexes) {
      if (index.sizeBytes < options.minSizeBytes || !index.isValid) continue;
      const table = tableByName(snapshot, index.table);
      if (table === undefined) continue;
      const e = estimateIndexBloat(index, table, snapshot.server.blockSize);
      if (e === null || e.bloatRatio < options.minBloatRatio || e.bloatBytes < options.minBloatBytes) continue;
      findings.push({
        rule: 'index-bloat',
        severity: e.bloatRatio >= options.criticalRatio ? 'warning' : 'info',
        title: `Index ${index.qualifiedName} is ~${percent(e.bloatRatio, 0)} bloat (${formatBytes(e.bloatBytes)} of ${formatBytes(e.realBytes)}, estimated)`,
        target: { kind: 'index', relation: index.table, index: index.qualifiedName },
        evidence: {
          index: index.qualifiedName,
          sizeBytes: index.sizeBytes,
          expectedBytes: e.expectedBytes,
          estimatedBloatBytes: e.bloatBytes,
          estimatedBloatRatio: round(e.bloatRatio, 3),
          tableRowEstimate: Math.round(table.rowEstimate),
          fillfactor: e.fillfactor,
          scans: index.scans,
          isEstimate: true,
        },
        impact: {
          score: bytesScore(e.bloatBytes) * (index.scans > 0 ? 2 : 1),
          bytes: e.bloatBytes,
          summary: `~${formatBytes(e.bloatBytes)} of mostly empty pages that index scans and the buffer cache carry`,
        },
        description:
          'Btree pages emptied by deletes and non-HOT updates are only reused for keys in the same range; indexes on ever-growing keys with deletes (queues, sessions) keep the empty pages. ' +
          'Rebuilding concurrently returns the space without blocking reads or writes.',
        nextSteps: [`exact figure: CREATE EXTENSION pgstattuple; SELECT avg_leaf_density, leaf_fragmentation FROM pgstatindex('${index.qualifiedName}');`],
        fix: {
          kind: 'sql',
          content: `REINDEX INDEX CONCURRENTLY ${index.qualifiedName};`,
          rollback: '-- nothing to roll back: the rebuilt index has the same definition',
          lockLevel: 'SHARE UPDATE EXCLUSIVE (CONCURRENTLY: reads and writes continue); needs PostgreSQL 12+ and free space for a second copy',
          safety: 'safe',
          verified: false,
          verification: 'estimate from statistics; pgstatindex gives the exact leaf density',
        },
      });
    }
    return findings;
  },
});
