import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding } from '../../../model/index.ts';
import { bytesScore, formatBytes, percent, round } from '../../../format/format.ts';
import { estimateTableBloat } from '../bloat-estimate.ts';

export const tableBloat = defineAnalyzer({
  id: 'table-bloat',
  phase: 'profile',
  title: 'Table bloat (estimated)',
  description: 'Estimated wasted space in table heaps, from pg_stats widths in the style of the ioguix estimation queries; only tables above a size floor.',
  depth: 2,
  requires: {},
  options: {
    minSizeBytes: { default: 100 * 1024 * 1024, description: 'only tables whose heap is at least this large (default 100 MB)' },
    minBloatRatio: { default: 0.3, description: 'report when the estimated wasted share of the heap is at least this' },
    minBloatBytes: { default: 10 * 1024 * 1024, description: 'and the estimated wasted space is at least this many bytes (default 10 MB)' },
    criticalRatio: { default: 0.7, description: 'wasted share at or above which the finding is a warning instead of info' },
  },
  run({ snapshot, options }) {
    const findings: Finding[] = [];
    for (const t of snapshot.tables) {
      if (t.pages * snapshot.server.blockSize < options.minSizeBytes) continue;
      const e = estimateTableBloat(t, snapshot.server.blockSize);
      if (e === null || e.bloatRatio < options.minBloatRatio || e.bloatBytes < options.minBloatBytes) continue;
      findings.push({
        rule: 'table-bloat',
        severity: e.bloatRatio >= options.criticalRatio ? 'warning' : 'info',
        title: `Table ${t.qualifiedName} is ~${percent(e.bloatRatio, 0)} bloat (${formatBytes(e.bloatBytes)} of ${formatBytes(e.realBytes)}, estimated)`,
        target: { kind: 'table', relation: t.qualifiedName },
        evidence: {
          table: t.qualifiedName,
          heapBytes: e.realBytes,
          expectedBytes: e.expectedBytes,
          estimatedBloatBytes: e.bloatBytes,
          estimatedBloatRatio: round(e.bloatRatio, 3),
          rowEstimate: Math.round(t.rowEstimate),
          pages: t.pages,
          deadTuples: t.activity?.nDeadTup ?? null,
          fillfactor: e.fillfactor,
          isEstimate: true,
        },
        impact: {
          score: bytesScore(e.bloatBytes),
          bytes: e.bloatBytes,
          summary: `~${formatBytes(e.bloatBytes)} of pages that sequential scans read and the cache holds for nothing`,
        },
        description:
          'Space freed by VACUUM is reused for new rows but not returned to the OS; after mass deletes or updates a table stays large, and every sequential scan reads the empty space. ' +
          'The estimate comes from column widths in pg_stats; run pgstattuple for an exact figure.',
        nextSteps: [
          `exact figure: CREATE EXTENSION pgstattuple; SELECT * FROM pgstattuple_approx('${t.qualifiedName}');`,
          'if the table keeps growing back, fix the cause first (long transactions holding back vacuum, autovacuum settings)',
        ],
        fix: {
          kind: 'command',
          content: `pg_repack --table=${t.qualifiedName} --dbname=${snapshot.server.database}\n-- or, with downtime (ACCESS EXCLUSIVE for the whole rewrite): VACUUM (FULL, ANALYZE) ${t.qualifiedName};`,
          lockLevel: 'pg_repack: ACCESS EXCLUSIVE only briefly at start and end; VACUUM FULL: ACCESS EXCLUSIVE throughout',
          safety: 'review',
          verified: false,
          verification: 'estimate from statistics; confirm with pgstattuple before rewriting the table (needs free disk space equal to the table size)',
        },
      });
    }
    return findings;
  },
});
