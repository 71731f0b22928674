import type { Problem, Report, ScorecardEntry } from '../../src/model/index.ts';
import { SAMPLE_REPORT } from './sample-report.ts';

/** Markup in every place a database name or SQL text can reach: the HTML renderer must print it as text. */
export const HOSTILE = `<script>alert('x')</script><img src=x onerror="alert(1)">"'&`;

const SCORECARD: ScorecardEntry[] = [
  { metric: 'p95-latency', label: 'p95 statement latency', target: '< 100 ms', threshold: 100, comparison: '<', unit: 'ms', value: 231.6, pass: false, why: 'estimated from mean and stddev' },
  { metric: 'cache-hit', label: 'Cache hit', target: '> 95 %', threshold: 95, comparison: '>', unit: '%', value: 99.1, pass: true },
  { metric: 'n-plus-one', label: 'N+1 patterns', target: '= 0', threshold: 0, comparison: '=', unit: 'count', value: null, pass: null, why: 'needs an application capture (db-optimize n1)' },
];

const PROBLEMS: Problem[] = [
  {
    id: 'statement:a1b2c3d4e5f60718',
    rank: 1,
    title: 'UPDATE sessions is 58.6 % of database time',
    estimatedSavingMsPerDay: 8_000_000,
    findings: [0],
    fix: null,
    kind: 'statement',
    severity: 'warning',
    ranking: 'time',
    target: { kind: 'statement', fingerprint: 'a1b2c3d4e5f60718' },
    gain: 'saves up to 2.2 h of database time a day',
  },
  {
    id: 'index:public.users_email_idx2',
    rank: 2,
    title: 'Duplicate index on public.users',
    estimatedSavingMsPerDay: null,
    findings: [1],
    fix: { ...(SAMPLE_REPORT.findings[1]?.fix as NonNullable<Problem['fix']>), finding: 1, rule: 'duplicate-indexes', category: 'index' },
    kind: 'index',
    severity: 'warning',
    ranking: 'time',
    target: { kind: 'index', relation: 'public.users', index: 'public.users_email_idx2' },
    gain: 'frees 2.1 MB',
  },
];

/** The golden sample with the issue-18 sections (scorecard, problems, actions, held back). */
export const SAMPLE_WITH_PROBLEMS: Report = {
  ...SAMPLE_REPORT,
  scorecard: SCORECARD,
  problems: PROBLEMS,
  actions: [
    { rank: 1, problem: 'index:public.users_email_idx2', title: 'Drop the duplicate index', kind: 'sql', category: 'index', content: 'DROP INDEX CONCURRENTLY public.users_email_idx2;', verified: true, estimatedSavingMsPerDay: null },
    { rank: 2, problem: 'statement:a1b2c3d4e5f60718', title: 'Raise work_mem for the session', kind: 'config', category: 'config', content: 'work_mem = 16MB', verified: false, estimatedSavingMsPerDay: 60_000 },
  ],
  actionsMigration: '-- db-optimize: do these first\nDROP INDEX CONCURRENTLY public.users_email_idx2;\n',
  heldBack: [{ rule: 'unused-indexes', title: '2 indexes not used', windowSeconds: 600, requiredSeconds: 7 * 86_400, option: 'unused-indexes.minStatsAgeDays' }],
};

/** The sample with markup in names, SQL, evidence, fixes, sections, plan nodes and the extra sections. */
export function hostileReport(): Report {
  const f0 = SAMPLE_REPORT.findings[0];
  const f1 = SAMPLE_REPORT.findings[1];
  if (f0 === undefined || f1 === undefined) throw new Error('sample changed');
  return {
    ...SAMPLE_WITH_PROBLEMS,
    command: `profile ${HOSTILE}`,
    database: { ...SAMPLE_REPORT.database, name: HOSTILE, host: HOSTILE, source: HOSTILE },
    findings: [
      { ...f0, history: { windowSeconds: 600, requiredSeconds: 86_400, option: HOSTILE, note: HOSTILE }, title: `#1 by total time: SELECT * FROM "${HOSTILE}"`, rule: 'top-statements', evidence: { ...f0.evidence, query: `SELECT * FROM "${HOSTILE}"`, [HOSTILE]: HOSTILE }, nextSteps: [HOSTILE] },
      { ...f1, title: `Index ${HOSTILE} duplicates`, target: { kind: 'index', relation: HOSTILE, index: HOSTILE, nodePath: '0' }, description: HOSTILE, fix: { ...(f1.fix as NonNullable<typeof f1.fix>), content: `DROP INDEX "${HOSTILE}";`, verification: HOSTILE } },
    ],
    skipped: [{ analyzer: HOSTILE, reason: HOSTILE }],
    sections: [{ id: 'plan', title: HOSTILE, lines: [HOSTILE] }],
    plan: { executionTimeMs: 1, nodes: [{ path: '0', nodeType: HOSTILE, relation: HOSTILE, index: HOSTILE, exclusiveShare: 1, exclusiveMs: 1, hot: true }] },
    scorecard: SCORECARD.map((s) => ({ ...s, label: HOSTILE, target: HOSTILE, why: HOSTILE })),
    problems: PROBLEMS.map((p) => ({ ...p, title: HOSTILE, gain: HOSTILE })),
    actions: [{ rank: 1, problem: HOSTILE, title: HOSTILE, kind: 'sql', category: 'index', content: HOSTILE, verified: false, estimatedSavingMsPerDay: null }],
    actionsMigration: HOSTILE,
    heldBack: [{ rule: HOSTILE, title: HOSTILE, windowSeconds: 1, requiredSeconds: 2, option: HOSTILE }],
  };
}
