import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding, Snapshot } from '../../../model/index.ts';
import { estimatePercentiles } from '../../../workload/percentiles.ts';
import { formatCount, formatMs, percent, round } from '../../../format/format.ts';
import { perDay } from '../../snapshot-lookup.ts';
import { statementNextSteps } from '../statement-advice.ts';
import { shortQuery } from '../statement-relations.ts';

export const slowStatements = defineAnalyzer({
  id: 'slow-statements',
  phase: 'profile',
  title: 'Slow statements',
  description: 'Statements whose mean time is above a threshold and that run often enough to matter (PgHero: mean ≥ 20 ms and ≥ 100 calls).',
  depth: 1,
  requires: { workload: true, snapshot: false },
  options: {
    minMeanMs: { default: 20, description: 'mean execution time at or above which a statement is slow (PgHero default 20 ms)' },
    minCalls: { default: 100, description: 'ignore statements with fewer calls (PgHero default 100)' },
    criticalMeanMs: { default: 500, description: 'mean time at or above which a slow statement is critical (the seed p99 target)' },
  },
  run({ workload, snapshot, options }) {
    const statements = workload?.statements ?? [];
    const total = statements.reduce((sum, s) => sum + s.totalTimeMs, 0);
    const windowSeconds = workload?.windowSeconds ?? null;
    return statements
      .filter((s) => s.meanTimeMs >= options.minMeanMs && s.calls >= options.minCalls)
      .map((s): Finding => {
        const pct = estimatePercentiles(s.meanTimeMs, s.stddevTimeMs, s.maxTimeMs);
        const msPerDay = windowSeconds === null ? s.totalTimeMs : perDay(s.totalTimeMs, windowSeconds);
        const share = total > 0 ? s.totalTimeMs / total : 0;
        return {
          rule: 'slow-statements',
          severity: s.meanTimeMs >= options.criticalMeanMs ? 'critical' : 'warning',
          title: `Slow statement: ${formatMs(s.meanTimeMs)} mean over ${formatCount(s.calls)} calls: ${shortQuery(s.text, 60)}`,
          target: {
            kind: 'statement',
            ...(s.fingerprint === null ? {} : { fingerprint: s.fingerprint }),
            ...(s.queryId === undefined ? {} : { queryId: s.queryId }),
          },
          evidence: {
            query: s.text,
            calls: s.calls,
            meanTimeMs: round(s.meanTimeMs, 3),
            totalTimeMs: round(s.totalTimeMs),
            shareOfTotalTime: round(share, 4),
            p95EstimateMs: pct === null ? null : round(pct.p95, 2),
            p99EstimateMs: pct === null ? null : round(pct.p99, 2),
            percentilesAreEstimates: true,
            minMeanMs: options.minMeanMs,
            minCalls: options.minCalls,
          },
          impact: {
            // a slow statement made fast saves most of its time; count 90 % of it
            score: msPerDay * 0.9,
            msPerDay: round(msPerDay),
            workloadShare: round(share, 4),
            summary: `${formatMs(s.totalTimeMs)} total, ${percent(share)} of DB time; mean ${formatMs(s.meanTimeMs)} ≥ ${options.minMeanMs} ms`,
          },
          description: `Runs ${formatCount(s.calls)} times at ${formatMs(s.meanTimeMs)} on average, above the ${options.minMeanMs} ms slow threshold.`,
          nextSteps: statementNextSteps((snapshot as Snapshot | null) ?? null, s),
        };
      });
  },
});
