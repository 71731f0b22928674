import { beforeAll, describe, expect, it } from 'vitest';
import { runAnalyzer, statement, workloadOf } from '../../../../test/helpers/run-analyzer.ts';
import { initSqlParser } from '../../../sql/index.ts';
import { statementRankings } from './index.ts';

beforeAll(async () => {
  await initSqlParser();
});

const workload = () =>
  workloadOf([
    statement('SELECT * FROM products WHERE category_id = $1', 1_000_000, 50, { sharedBlksRead: 9_000, rows: 20_000_000 }),
    statement('UPDATE sessions SET data = $1 WHERE id = $2', 800_000, 100, { planTimeMs: 4_000 }),
    statement('SELECT * FROM users WHERE id = $1', 2_000_000, 2, { planTimeMs: 90_000 }),
    statement('SELECT * FROM orders ORDER BY created_at', 10, 900, { tempBlksWritten: 50_000 }),
  ]);

describe('statement-rankings', () => {
  it('ranks by mean, calls, rows, blocks read, temp blocks and planning time, each with its share of DB time', async () => {
    const findings = await runAnalyzer(statementRankings, { snapshot: null, workload: workload() });
    const by = (d: string) => findings.find((f) => f.evidence.dimension === d)?.evidence.ranking as { query: string; value: number; shareOfTotalTime: number }[];
    expect(findings.map((f) => f.evidence.dimension)).toEqual(['mean-time', 'calls', 'rows', 'shared-blocks-read', 'temp-blocks', 'planning-time']);
    expect(by('mean-time')[0]?.query).toMatch(/^SELECT \* FROM orders/);
    expect(by('calls')[0]).toMatchObject({ query: 'SELECT * FROM users WHERE id = $1', value: 2_000_000 });
    expect(by('calls')[0]?.shareOfTotalTime).toBeCloseTo(4_000_000 / 134_009_000, 4);
    expect(by('shared-blocks-read')).toHaveLength(1);
    expect(by('temp-blocks')[0]?.query).toMatch(/ORDER BY created_at/);
    expect(by('planning-time')[0]?.value).toBe(90_000);
    expect(findings.every((f) => f.severity === 'info')).toBe(true);
  });

  it('omits a ranking where no statement has a value (no temp blocks, no planning time tracked)', async () => {
    const findings = await runAnalyzer(statementRankings, { snapshot: null, workload: workloadOf([statement('SELECT 1', 10, 1)]) });
    expect(findings.map((f) => f.evidence.dimension)).toEqual(['mean-time', 'calls', 'rows']);
  });
});
