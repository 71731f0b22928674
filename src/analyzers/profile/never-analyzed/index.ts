import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding } from '../../../model/index.ts';
import { formatCount } from '../../../format/format.ts';

export const neverAnalyzed = defineAnalyzer({
  id: 'never-analyzed',
  phase: 'profile',
  title: 'Tables never analyzed',
  description: 'Tables with rows that have never been analyzed, manually or by autovacuum: the planner works from defaults and guesses.',
  depth: 1,
  requires: {},
  options: {
    minRows: { default: 1000, description: 'ignore tables with fewer rows (inserted or estimated)' },
  },
  run({ snapshot, options }) {
    const findings: Finding[] = [];
    for (const t of snapshot.tables) {
      const a = t.activity;
      if (a === null || (t.kind !== 'table' && t.kind !== 'matview' && t.kind !== 'partitioned')) continue;
      if (a.lastAnalyze !== null || a.lastAutoanalyze !== null || a.analyzeCount > 0 || a.autoanalyzeCount > 0) continue;
      // a restored or long-lived table can carry statistics from before a stats reset
      if (t.columns.some((c) => c.stats !== null)) continue;
      const rows = Math.max(a.nLiveTup, a.nTupIns, t.rowEstimate);
      if (rows < options.minRows) continue;
      findings.push({
        rule: 'never-analyzed',
        severity: 'warning',
        title: `${t.qualifiedName} (${formatCount(rows)} rows) has never been analyzed`,
        target: { kind: 'table', relation: t.qualifiedName },
        evidence: {
          table: t.qualifiedName,
          liveTuples: a.nLiveTup,
          insertedSinceReset: a.nTupIns,
          rowEstimate: t.rowEstimate,
          modifiedSinceAnalyze: a.nModSinceAnalyze,
          columnsWithStatistics: 0,
          kind: t.kind,
        },
        impact: { score: rows / 1000, summary: `row counts and selectivities for ${t.qualifiedName} are guesses: plans on it can be off by orders of magnitude` },
        description:
          t.kind === 'partitioned'
            ? 'Autovacuum never analyzes a partitioned parent; its statistics exist only when someone runs ANALYZE on it.'
            : 'Without pg_statistic rows the planner assumes default selectivities; autovacuum analyzes only after enough changes, and never when it is disabled for the table.',
        fix: {
          kind: 'sql',
          content: `ANALYZE ${t.qualifiedName};`,
          lockLevel: 'SHARE UPDATE EXCLUSIVE (reads and writes continue)',
          safety: 'safe',
          verified: false,
          verification: 'ANALYZE reads a sample of the table; cheap, but plans may change afterwards',
        },
      });
    }
    return findings;
  },
});
