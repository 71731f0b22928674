import { beforeAll, describe, expect, it } from 'vitest';
import { runAnalyzer, statement, workloadOf } from '../../../../test/helpers/run-analyzer.ts';
import type { Report } from '../../../model/index.ts';
import { buildReport } from '../../../render/build-report.ts';
import { initSqlParser } from '../../../sql/index.ts';
import { reportStatements } from '../report-statements.ts';
import { statementRegressions } from './index.ts';

beforeAll(async () => {
  await initSqlParser();
});

const ORDERS = 'SELECT * FROM orders WHERE user_id = $1 ORDER BY created_at DESC';
const USERS = 'SELECT * FROM users WHERE id = $1';
const OLD = 'SELECT * FROM legacy_orders WHERE customer_email = $1';
const NEW = 'SELECT * FROM payments WHERE order_id = $1';

function baselineReport(): Report {
  const workload = workloadOf([statement(ORDERS, 100_000, 12), statement(USERS, 200_000, 1), statement(OLD, 10_000, 30)]);
  return { ...buildReport({ command: 'profile', generatedAt: '2026-11-01T00:00:00.000Z', findings: [], workload }), statements: reportStatements(workload) };
}

describe('statement-regressions', () => {
  it('flags mean-time growth ≥ 50 % and ≥ 10 ms, new top statements and vanished ones', async () => {
    const now = workloadOf([statement(ORDERS, 100_000, 40), statement(USERS, 200_000, 1.2), statement(NEW, 50_000, 20)]);
    const findings = await runAnalyzer(statementRegressions, { snapshot: null, workload: now, baseline: baselineReport() });
    const grew = findings.filter((f) => f.evidence.meanGrew === true);
    expect(grew.map((f) => f.evidence.query)).toEqual([ORDERS]);
    expect(grew[0]?.evidence).toMatchObject({ meanTimeMsBefore: 12, meanTimeMsNow: 40, totalsComparedAsRates: true, baselineGeneratedAt: '2026-11-01T00:00:00.000Z' });
    expect(grew[0]?.title).toMatch(/12 ms → 40 ms \(×3\.3\)/);
    expect(grew[0]?.impact.msPerDay).toBe(2_800_000);
    expect(findings.find((f) => f.evidence.query === NEW)?.title).toMatch(/^New in the top 10/);
    expect(findings.find((f) => f.evidence.query === OLD)?.title).toMatch(/^Gone since the baseline/);
    // USERS grew 20 % and 0.2 ms: noise, not a regression
    expect(findings.some((f) => f.evidence.query === USERS)).toBe(false);
  });

  it('reports nothing when the workload matches the baseline, or without a baseline', async () => {
    const same = workloadOf([statement(ORDERS, 100_000, 12), statement(USERS, 200_000, 1), statement(OLD, 10_000, 30)]);
    expect(await runAnalyzer(statementRegressions, { snapshot: null, workload: same, baseline: baselineReport() })).toEqual([]);
    expect(await runAnalyzer(statementRegressions, { snapshot: null, workload: same })).toEqual([]);
  });

  it('reads statements from the findings of an older report without a statements field', async () => {
    const base = baselineReport();
    const legacy: Report = {
      ...base,
      statements: undefined,
      findings: [
        {
          rule: 'top-statements',
          severity: 'info',
          title: 'x',
          target: { kind: 'statement' },
          evidence: { query: ORDERS, calls: 100_000, totalTimeMs: 1_200_000, meanTimeMs: 12 },
          impact: { score: 0, summary: '' },
        },
      ],
    };
    const findings = await runAnalyzer(statementRegressions, {
      snapshot: null,
      workload: workloadOf([statement(ORDERS, 100_000, 40)]),
      baseline: legacy,
    });
    expect(findings.filter((f) => f.evidence.meanGrew === true)).toHaveLength(1);
  });
});
