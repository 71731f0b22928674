import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding, WorkloadStatement } from '../../../model/index.ts';
import { formatMs, percent, round } from '../../../format/format.ts';
import { perDay } from '../../snapshot-lookup.ts';
import { baselineStatements, baselineWindowSeconds, statementKey } from '../report-statements.ts';
import { shortQuery } from '../statement-relations.ts';

const target = (s: { fingerprint: string | null; queryId?: string | null | undefined }): Finding['target'] => ({
  kind: 'statement',
  ...(s.fingerprint === null ? {} : { fingerprint: s.fingerprint }),
  ...(s.queryId === null || s.queryId === undefined ? {} : { queryId: s.queryId }),
});

export const statementRegressions = defineAnalyzer({
  id: 'statement-regressions',
  phase: 'profile',
  title: 'Regressions against a baseline report',
  description:
    'Compares statements with an earlier JSON report (--baseline): mean or total time that grew, statements new to the top, statements that disappeared.',
  depth: 1,
  requires: { workload: true, snapshot: false },
  options: {
    minGrowthPercent: { default: 50, description: 'flag a statement whose mean time or daily total time grew by at least this percentage' },
    minGrowthMs: { default: 10, description: '…and by at least this many milliseconds (mean) — small absolute changes are noise' },
    top: { default: 10, description: 'size of the "top statements by total time" list compared for new and vanished entries' },
  },
  run({ workload, baseline, options }) {
    if (baseline === null) return [];
    const before = baselineStatements(baseline);
    if (before.length === 0) return [];
    const now = workload?.statements ?? [];
    const beforeByKey = new Map(before.map((s) => [statementKey(s), s]));
    const nowByKey = new Map(now.map((s) => [statementKey({ fingerprint: s.fingerprint, queryId: s.queryId ?? null, text: s.text }), s]));
    const windowNow = workload?.windowSeconds ?? null;
    const windowBefore = baselineWindowSeconds(baseline);
    // cumulative totals only compare as rates: both windows must be known
    const rates = windowNow !== null && windowNow > 0 && windowBefore !== null;
    const growth = options.minGrowthPercent / 100;
    const findings: Finding[] = [];
    const baselineDate = baseline.generatedAt;

    for (const [key, s] of nowByKey) {
      const b = beforeByKey.get(key);
      if (b === undefined || b.calls === 0) continue;
      const meanGrew = s.meanTimeMs >= b.meanTimeMs * (1 + growth) && s.meanTimeMs - b.meanTimeMs >= options.minGrowthMs;
      const dayNow = rates ? perDay(s.totalTimeMs, windowNow) : null;
      const dayBefore = rates ? perDay(b.totalTimeMs, windowBefore) : null;
      const totalGrew =
        dayNow !== null && dayBefore !== null && dayNow >= dayBefore * (1 + growth) && dayNow - dayBefore >= options.minGrowthMs;
      if (!meanGrew && !totalGrew) continue;
      const meanRatio = b.meanTimeMs > 0 ? s.meanTimeMs / b.meanTimeMs : null;
      const extraMsPerDay = dayNow !== null && dayBefore !== null ? dayNow - dayBefore : (s.meanTimeMs - b.meanTimeMs) * (windowNow !== null ? perDay(s.calls, windowNow) : s.calls);
      findings.push({
        rule: 'statement-regressions',
        severity: meanGrew && s.meanTimeMs - b.meanTimeMs >= 100 ? 'critical' : 'warning',
        title: meanGrew
          ? `Regression: mean time ${formatMs(b.meanTimeMs)} → ${formatMs(s.meanTimeMs)} (${meanRatio === null ? 'new cost' : `×${meanRatio.toFixed(1)}`}): ${shortQuery(s.text, 50)}`
          : `Regression: daily time ${formatMs(dayBefore ?? 0)} → ${formatMs(dayNow ?? 0)}: ${shortQuery(s.text, 50)}`,
        target: target({ fingerprint: s.fingerprint, queryId: s.queryId }),
        evidence: {
          query: s.text,
          baselineGeneratedAt: baselineDate,
          meanTimeMsBefore: round(b.meanTimeMs, 3),
          meanTimeMsNow: round(s.meanTimeMs, 3),
          callsBefore: b.calls,
          callsNow: s.calls,
          totalTimeMsBefore: round(b.totalTimeMs),
          totalTimeMsNow: round(s.totalTimeMs),
          msPerDayBefore: dayBefore === null ? null : round(dayBefore),
          msPerDayNow: dayNow === null ? null : round(dayNow),
          meanGrew,
          totalGrew,
          totalsComparedAsRates: rates,
        },
        impact: {
          score: Math.max(0, extraMsPerDay),
          msPerDay: round(Math.max(0, extraMsPerDay)),
          summary: `${formatMs(Math.max(0, extraMsPerDay))} more database time per day than in the baseline`,
        },
        description:
          'Typical causes: a changed plan (statistics drift, a dropped or bloated index, a parameter that now hits a skewed value), data growth, or lock contention.' +
          (rates ? '' : ' Totals are cumulative counters with unknown windows, so only the mean is compared.'),
        nextSteps: [
          'EXPLAIN (ANALYZE, BUFFERS) it now and compare with the plan at baseline time (db-optimize query)',
          'check that its tables were analyzed recently and its indexes are valid (this report: never-analyzed, invalid-indexes)',
        ],
      });
    }

    const topNow = [...now].sort((a, b) => b.totalTimeMs - a.totalTimeMs).slice(0, options.top);
    const topBefore = [...before].sort((a, b) => b.totalTimeMs - a.totalTimeMs).slice(0, options.top);
    const topBeforeKeys = new Set(topBefore.map((s) => statementKey(s)));
    const totalNow = now.reduce((sum, s) => sum + s.totalTimeMs, 0);
    topNow.forEach((s: WorkloadStatement, i) => {
      const key = statementKey({ fingerprint: s.fingerprint, queryId: s.queryId ?? null, text: s.text });
      if (topBeforeKeys.has(key)) return;
      const b = beforeByKey.get(key);
      const share = totalNow > 0 ? s.totalTimeMs / totalNow : 0;
      findings.push({
        rule: 'statement-regressions',
        severity: 'info',
        title: `New in the top ${options.top}: #${i + 1} (${percent(share)} of DB time) ${shortQuery(s.text, 50)}`,
        target: target({ fingerprint: s.fingerprint, queryId: s.queryId }),
        evidence: {
          query: s.text,
          baselineGeneratedAt: baselineDate,
          rankNow: i + 1,
          inBaseline: b !== undefined,
          meanTimeMsBefore: b === undefined ? null : round(b.meanTimeMs, 3),
          meanTimeMsNow: round(s.meanTimeMs, 3),
          callsNow: s.calls,
          shareOfTotalTime: round(share, 4),
        },
        impact: { score: share * 100, workloadShare: round(share, 4), summary: `${percent(share)} of database time, not in the baseline's top ${options.top}` },
        description: b === undefined ? 'This statement did not appear in the baseline at all: new code, or a new query shape.' : 'This statement existed in the baseline but ranked lower.',
      });
    });
    for (const b of topBefore) {
      if (nowByKey.has(statementKey(b))) continue;
      findings.push({
        rule: 'statement-regressions',
        severity: 'info',
        title: `Gone since the baseline: ${shortQuery(b.query, 60)}`,
        target: target(b),
        evidence: { query: b.query, baselineGeneratedAt: baselineDate, callsBefore: b.calls, meanTimeMsBefore: round(b.meanTimeMs, 3), totalTimeMsBefore: round(b.totalTimeMs) },
        impact: { score: 0, summary: 'no longer in the workload (removed, rewritten, or evicted from pg_stat_statements)' },
        description: 'A statement from the baseline top list no longer appears: confirm it was replaced on purpose (a rewrite shows up as a new statement).',
      });
    }
    return findings;
  },
});
