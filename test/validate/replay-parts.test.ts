import { beforeAll, describe, expect, it } from 'vitest';
import { parseSql, initSqlParser } from '../../src/sql/index.ts';
import { copyName, hostTag, parseCopyName, urlForDatabase } from '../../src/validate/copy-database.ts';
import { latencyStats, percentile, scorecard } from '../../src/validate/latency-stats.ts';
import { parseLogStatements } from '../../src/validate/log-workload.ts';
import { columnSampler, paramUses } from '../../src/validate/param-values.ts';
import { seededRandom } from '../../src/validate/replay-load.ts';

beforeAll(async () => {
  await initSqlParser();
});

const stmt = (sql: string): unknown => parseSql(sql).stmts?.[0]?.stmt;

describe('parameters of a replayed statement', () => {
  it('ties each $n to the column it is compared with, through aliases, BETWEEN, IN and LIMIT', () => {
    const uses = paramUses(
      stmt(
        'SELECT o.id FROM orders o JOIN users u ON u.id = o.user_id WHERE u.email = $1 AND o.created_at BETWEEN $2 AND $3 AND o.status IN ($4, $5) LIMIT $6 OFFSET $7',
      ),
    );
    expect(uses.get(1)).toEqual({ kind: 'column', relation: 'users', column: 'email' });
    expect(uses.get(2)).toEqual({ kind: 'column', relation: 'orders', column: 'created_at' });
    expect(uses.get(3)).toEqual({ kind: 'column', relation: 'orders', column: 'created_at' });
    expect(uses.get(5)).toEqual({ kind: 'column', relation: 'orders', column: 'status' });
    expect(uses.get(6)).toEqual({ kind: 'limit' });
    expect(uses.get(7)).toEqual({ kind: 'offset' });
  });

  it('draws most common values by their frequency and the rest from the histogram', () => {
    const sample = columnSampler({
      nullFrac: 0,
      avgWidth: 4,
      nDistinct: -1,
      correlation: null,
      mostCommonVals: ['pending'],
      mostCommonFreqs: [0.8],
      histogramBounds: ['a', 'b', 'c'],
    });
    const random = seededRandom(7);
    const drawn = Array.from({ length: 2000 }, () => sample?.(random));
    const pending = drawn.filter((v) => v === 'pending').length / drawn.length;
    expect(pending).toBeGreaterThan(0.75);
    expect(pending).toBeLessThan(0.85);
    expect(new Set(drawn)).toEqual(new Set(['pending', 'a', 'b', 'c']));
    expect(
      columnSampler({ nullFrac: 1, avgWidth: 0, nDistinct: 0, correlation: null, mostCommonVals: null, mostCommonFreqs: null, histogramBounds: null }),
    ).toBeNull();
  });

  it('pairs a log execute line with its DETAIL parameters, NULL included', () => {
    const entries = parseLogStatements(
      [
        '2026-12-03 10:00:00 UTC [1] LOG:  execute S_1: SELECT * FROM t WHERE a = $1 AND b = $2',
        "2026-12-03 10:00:00 UTC [1] DETAIL:  parameters: $1 = 'it''s', $2 = NULL",
        '2026-12-03 10:00:01 UTC [1] LOG:  statement: SELECT 1',
      ].join('\n'),
    );
    expect(entries.map((e) => [e.text, e.params])).toEqual([
      ['SELECT * FROM t WHERE a = $1 AND b = $2', ["it's", null]],
      ['SELECT 1', null],
    ]);
  });
});

describe('latency numbers', () => {
  it('takes nearest-rank percentiles from every call and checks the seed scorecard', () => {
    const latencies = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(latencies, 50)).toBe(50);
    expect(percentile(latencies, 95)).toBe(95);
    expect(percentile(latencies, 99)).toBe(99);
    const s = latencyStats(latencies, 2000);
    expect(s.callsPerSec).toBe(50);
    expect(scorecard(s)).toMatchObject({ p95Pass: true, p99Pass: true });
    expect(scorecard(latencyStats([600, 700], 1000))).toMatchObject({ p95Pass: false, p99Pass: false });
    expect(scorecard(null)).toMatchObject({ p95Ms: null, p95Pass: null });
  });
});

describe('the URL of the copy', () => {
  it('keeps every parameter of the given URL and changes only the database', () => {
    expect(urlForDatabase('postgresql://app:s%40cret@db.example:6543/shop?sslmode=verify-full&application_name=x', {}, 'dbopt_validate_1_abcdef_00')).toBe(
      'postgresql://app:s%40cret@db.example:6543/dbopt_validate_1_abcdef_00?sslmode=verify-full&application_name=x',
    );
    expect(urlForDatabase(undefined, { PGHOST: 'h', PGPORT: '5433', PGUSER: 'u', PGDATABASE: 'shop' }, 'postgres')).toBe('postgresql://u@h:5433/postgres');
  });

  it('names copies so a later run can tell whose they are', () => {
    const name = copyName(4242, 'build-host');
    expect(name).toMatch(/^dbopt_validate_4242_[0-9a-f]{6}_[0-9a-f]{8}$/);
    expect(parseCopyName(name)).toEqual({ pid: 4242, hostTag: hostTag('build-host') });
    expect(parseCopyName('dbopt_validate_oops')).toBeNull();
  });
});
