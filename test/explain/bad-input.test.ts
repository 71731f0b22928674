import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DbOptimizeError } from '../../src/errors/index.ts';
import { parsePlan } from '../../src/explain/index.ts';
import { initSqlParser } from '../../src/sql/index.ts';
import { runCli } from '../helpers/run-cli.ts';
import { corpusPlans } from './corpus.ts';

beforeAll(async () => {
  await initSqlParser();
});

function parseError(input: string | Uint8Array): DbOptimizeError {
  try {
    parsePlan(input, { source: 'plan.txt' });
  } catch (error) {
    expect(error).toBeInstanceOf(DbOptimizeError);
    return error as DbOptimizeError;
  }
  throw new Error('expected a parse error');
}

const MYSQL_TABLE = `+----+-------------+--------+------------+------+---------------+------+---------+------+------+----------+-------------+
| id | select_type | table  | partitions | type | possible_keys | key  | key_len | ref  | rows | filtered | Extra       |
+----+-------------+--------+------------+------+---------------+------+---------+------+------+----------+-------------+
|  1 | SIMPLE      | orders | NULL       | ALL  | NULL          | NULL | NULL    | NULL | 9980 |    10.00 | Using where |
+----+-------------+--------+------------+------+---------------+------+---------+------+------+----------+-------------+
1 row in set, 1 warning (0.00 sec)
`;
const MYSQL_JSON = `{
  "query_block": {
    "select_id": 1,
    "cost_info": { "query_cost": "1009.00" },
    "table": { "table_name": "orders", "access_type": "ALL", "rows_examined_per_scan": 9980 }
  }
}`;
const MYSQL_TREE = `-> Filter: (orders.status = 'pending')  (cost=1009 rows=998)
    -> Table scan on orders  (cost=1009 rows=9980)
`;

describe('auto_explain logs with several plans', () => {
  it('takes the slowest plan and says how many there were', () => {
    const plans = corpusPlans();
    const fast = plans.find((p) => p.id === 'pg15/point-lookup');
    const slow = plans.find((p) => p.id === 'pg15/seq-scan-filter');
    const entry = (ms: number, text: string): string =>
      [`2026-11-21 10:00:01.456 UTC [42] LOG:  duration: ${ms} ms  plan:`, '\tQuery Text: SELECT 1', ...text.trimEnd().split('\n').map((l) => `\t${l}`)].join('\n');
    const log = [entry(0.5, fast?.text ?? ''), entry(37.9, slow?.text ?? ''), entry(1.2, fast?.text ?? ''), ''].join('\n');
    const plan = parsePlan(log);
    expect(plan.loggedDurationMs).toBe(37.9);
    expect(plan.loggedEntries).toBe(3);
    expect(plan.root.relationName).toBe('orders');
    expect(plan.root.filter).toBe("(status = 'pending'::text)");
  });
});

describe('bad input gives a clear parse error with a position', () => {
  const plan = corpusPlans().find((p) => p.id === 'pg15/seed-report');

  it('truncated JSON names the line and column where it ends', () => {
    const json = plan?.json ?? '';
    const cut = json.slice(0, Math.floor(json.length / 2));
    const e = parseError(cut);
    expect(e.code).toBe('E_PLAN_PARSE');
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/plan\.txt: cannot read the plan at line \d+, column \d+: the JSON ends early/);
    expect(e.details.line).toBe(cut.split('\n').length);
  });

  it('invalid JSON in the middle points at the bad token', () => {
    const json = (plan?.json ?? '').replace('"Node Type": "Limit"', '"Node Type": Limit');
    const e = parseError(json);
    expect(e.message).toMatch(/line 4, column \d+: invalid JSON/);
  });

  it('an empty file or whitespace only', () => {
    expect(parseError('').message).toMatch(/the input is empty/);
    expect(parseError('  \n\n ').message).toMatch(/line 1: the input is empty/);
  });

  it('binary garbage', () => {
    const bytes = Buffer.concat([Buffer.from('Seq Scan on t\n'), randomBytes(64), Buffer.from([0, 1, 2])]);
    const e = parseError(bytes);
    expect(e.message).toMatch(/binary data/);
    expect(e.details.line).toBeGreaterThanOrEqual(1);
    expect(parseError(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0])).message).toMatch(/binary/);
  });

  it('plans from other databases are named', () => {
    expect(parseError(MYSQL_TABLE).message).toMatch(/MySQL\/MariaDB EXPLAIN, not a PostgreSQL plan/);
    expect(parseError(MYSQL_JSON).message).toMatch(/MySQL\/MariaDB EXPLAIN, not a PostgreSQL plan/);
    expect(parseError(MYSQL_TREE).message).toMatch(/MySQL EXPLAIN FORMAT=TREE/);
    expect(parseError('<ShowPlanXML xmlns="http://schemas.microsoft.com/sqlserver/2004/07/showplan">').message).toMatch(/SQL Server/);
    expect(parseError('QUERY PLAN\n`--SCAN orders\n').message).toMatch(/SQLite/);
  });

  it('text that is not a plan points at the first line that is not a node', () => {
    const e = parseError('hello world\nthis is not a plan\n');
    expect(e.message).toMatch(/line 1, column 1: expected a plan node/);
    const broken = parseError(`${(plan?.text ?? '').split('\n').slice(0, 3).join('\n')}\n  ->  Frobnicate the tuples (cost=1..2 rows=1 width=1)\n`);
    expect(broken.message).toMatch(/line 4, column 3: cannot read the plan node "Frobnicate/);
  });

  it('a JSON value that is not an EXPLAIN document', () => {
    expect(parseError('[1, 2, 3]').message).toMatch(/no EXPLAIN statement object/);
    expect(parseError('{"rows": []}').message).toMatch(/no "Plan" key/);
    expect(parseError('[{"Plan": {"Plans": []}}]').message).toMatch(/no "Node Type"/);
  });

  it('the CLI exits 2 with the message and no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbo-explain-bad-'));
    const files: Record<string, string | Buffer> = {
      'truncated.json': (plan?.json ?? '').slice(0, 500),
      'empty.txt': '',
      'garbage.bin': Buffer.concat([randomBytes(32), Buffer.from([0])]),
      'mysql.txt': MYSQL_TABLE,
    };
    for (const [name, content] of Object.entries(files)) {
      const path = join(dir, name);
      writeFileSync(path, content);
      const r = await runCli(['explain', path]);
      expect(r.code, name).toBe(2);
      expect(r.stderr, name).toMatch(new RegExp(`${name.replace('.', '\\.')}: cannot read the plan`));
      expect(r.stderr, name).not.toMatch(/\n\s+at /);
      expect(r.stdout, name).toBe('');
    }
    const missing = await runCli(['explain', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file/);
  });
});
