import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding, JsonValue, WorkloadStatement } from '../../../model/index.ts';
import { formatCount, formatMs, percent, round } from '../../../format/format.ts';
import { shortQuery } from '../statement-relations.ts';

interface Dimension {
  readonly id: string;
  readonly label: string;
  readonly value: (s: WorkloadStatement) => number | null;
  readonly format: (v: number) => string;
}

/** PgHero-style rankings beside total time (top-statements): each answers a different question. */
const DIMENSIONS: readonly Dimension[] = [
  { id: 'mean-time', label: 'mean time', value: (s) => s.meanTimeMs, format: formatMs },
  { id: 'calls', label: 'calls', value: (s) => s.calls, format: formatCount },
  { id: 'rows', label: 'rows returned or affected', value: (s) => s.rows, format: formatCount },
  { id: 'shared-blocks-read', label: 'shared blocks read from outside the buffer cache', value: (s) => s.sharedBlksRead, format: (v) => `${formatCount(v)} blocks` },
  { id: 'temp-blocks', label: 'temporary blocks written (sorts and hashes spilling to disk)', value: (s) => s.tempBlksWritten, format: (v) => `${formatCount(v)} blocks` },
  { id: 'planning-time', label: 'planning time', value: (s) => s.planTimeMs, format: formatMs },
];

export const statementRankings = defineAnalyzer({
  id: 'statement-rankings',
  phase: 'profile',
  title: 'Statement rankings by mean time, calls, rows, blocks read, temp blocks and planning time',
  description: 'The top statements by each pg_stat_statements dimension, each with its share of total database time.',
  depth: 1,
  requires: { workload: true, snapshot: false },
  options: {
    limit: { default: 5, description: 'statements listed per ranking' },
  },
  run({ workload, options }) {
    const statements = workload?.statements ?? [];
    const totalTime = statements.reduce((sum, s) => sum + s.totalTimeMs, 0);
    const findings: Finding[] = [];
    for (const [position, d] of DIMENSIONS.entries()) {
      const ranked = statements
        .map((s) => ({ s, v: d.value(s) }))
        .filter((x): x is { s: WorkloadStatement; v: number } => x.v !== null && x.v > 0)
        .sort((a, b) => b.v - a.v || b.s.totalTimeMs - a.s.totalTimeMs)
        .slice(0, options.limit);
      const first = ranked[0];
      if (first === undefined) continue;
      const dimTotal = statements.reduce((sum, s) => sum + (d.value(s) ?? 0), 0);
      const ranking: JsonValue[] = ranked.map((x, i) => ({
        rank: i + 1,
        query: shortQuery(x.s.text, 120),
        fingerprint: x.s.fingerprint,
        value: round(x.v, 3),
        shareOfDimension: dimTotal > 0 ? round(x.v / dimTotal, 4) : null,
        shareOfTotalTime: totalTime > 0 ? round(x.s.totalTimeMs / totalTime, 4) : 0,
        calls: x.s.calls,
        meanTimeMs: round(x.s.meanTimeMs, 3),
      }));
      findings.push({
        rule: 'statement-rankings',
        history: { windowSeconds: typeof workload?.windowSeconds === 'number' ? Math.round(workload.windowSeconds) : null, note: 'ranked over the pg_stat_statements window' },
        severity: 'info',
        title: `Top by ${d.label}: ${shortQuery(first.s.text, 50)} (${d.format(first.v)})`,
        target: { kind: 'database', name: `ranking:${d.id}` },
        evidence: { dimension: d.id, statements: statements.length, ranking },
        impact: {
          // informational; the tiny score only keeps the rankings in their documented order
          score: (DIMENSIONS.length - position) / 1000,
          summary: `#1 is ${d.format(first.v)}, ${percent(totalTime > 0 ? first.s.totalTimeMs / totalTime : 0)} of total DB time`,
        },
        description: ranked
          .map((x, i) => `#${i + 1} ${d.format(x.v)} (${percent(totalTime > 0 ? x.s.totalTimeMs / totalTime : 0)} of DB time) ${shortQuery(x.s.text, 60)}`)
          .join('\n'),
      });
    }
    return findings;
  },
});
