import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initSqlParser } from '../../sql/index.ts';
import { N1Detector } from '../detect/n1-detector.ts';
import type { QueryEvent, QueryUnit } from '../query-event.ts';
import { runN1 } from '../run-n1.ts';

/**
 * A labelled corpus: true N+1 patterns (with the rule each must raise) and traps that look
 * like loops but must not be flagged. Precision and recall are printed; the goal is 1 and 1.
 */
interface Scenario {
  readonly name: string;
  /** the rule expected, or null for a trap */
  readonly expected: string | null;
  rules(): Promise<string[]>;
}

let t0 = 1_700_000_000_000;
function ev(sql: string, params: string[] | null = null, durationMs = 12, startMs?: number): QueryEvent {
  const start = startMs ?? t0;
  t0 = start + durationMs + 1;
  return { sql, params, startMs: start, durationMs, callSite: null, rows: null, connection: null };
}
const unit = (events: QueryEvent[], id = 'u1'): QueryUnit => ({ kind: 'request', id, label: id, source: 'capture', events });
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

function fromUnits(units: QueryUnit[]): () => Promise<string[]> {
  return async () => {
    const d = new N1Detector();
    for (const u of units) d.addUnit(u);
    return d.summary().patterns.map((p) => p.rule);
  };
}

const dir = mkdtempSync(join(tmpdir(), 'dbo-n1-corpus-'));
function fromLog(name: string, text: string): () => Promise<string[]> {
  return async () => {
    const file = join(dir, name);
    writeFileSync(file, text);
    const r = await runN1({ logs: [file] }, {});
    return r.findings.map((f) => f.rule);
  };
}

const ts = (ms: number): string => {
  const d = new Date(Date.UTC(2026, 10, 21, 10, 0, 0) + ms);
  return `${d.toISOString().replace('T', ' ').replace('Z', '')} UTC`;
};

const SCENARIOS: Scenario[] = [
  {
    name: 'SQLAlchemy lazy load, literals inlined (1 + N)',
    expected: 'n1-query',
    rules: fromUnits([unit([ev('SELECT users.id AS users_id FROM users'), ...range(8).map((i) => ev(`SELECT orders.id AS orders_id FROM orders WHERE ${i} = orders.user_id`))])]),
  },
  {
    name: 'many-to-one lookup per row',
    expected: 'n1-query',
    rules: fromUnits([unit([ev('SELECT * FROM orders LIMIT 10'), ...range(10).map((i) => ev('SELECT * FROM users WHERE id = $1', [String(i)]))])]),
  },
  {
    name: 'Promise.all fan-out',
    expected: 'n1-fan-out',
    rules: fromUnits([unit(range(8).map((i) => ev('SELECT * FROM products WHERE category_id = $1', [String(i)], 15, 1_800_000_000_000 + i)))]),
  },
  {
    name: 'Promise.all fan-out that ran in parallel in one request and one by one in another: one finding',
    expected: 'n1-fan-out',
    rules: fromUnits([
      unit(range(8).map((i) => ev('SELECT * FROM products WHERE category_id = $1', [String(i)], 15, 1_900_000_000_000 + i)), 'r1'),
      unit(range(8).map((i) => ev('SELECT * FROM products WHERE category_id = $1', [String(i)], 1))),
    ]),
  },
  {
    name: 'MN+1: orders per user, items per order',
    expected: 'n1-repeating-group',
    rules: fromUnits([
      unit([
        ev('SELECT * FROM users LIMIT 5'),
        ...range(5).flatMap((u) => [
          ev('SELECT * FROM orders WHERE user_id = $1', [String(u)]),
          ...range(3).map((o) => ev('SELECT * FROM order_items WHERE order_id = $1', [String(u * 10 + o)])),
        ]),
      ]),
    ]),
  },
  {
    name: 'two lazy loads side by side per post',
    expected: 'n1-repeating-group',
    rules: fromUnits([
      unit(range(6).flatMap((p) => [ev('SELECT * FROM users WHERE id = $1', [String(p)]), ev('SELECT count(*) FROM comments WHERE post_id = $1', [String(p)])])),
    ]),
  },
  {
    name: 'count(*) per row',
    expected: 'n1-query',
    rules: fromUnits([unit(range(7).map((i) => ev('SELECT count(*) FROM comments WHERE post_id = $1', [String(i)])))]),
  },
  {
    name: 'Prisma-style IN ($1) per row',
    expected: 'n1-query',
    rules: fromUnits([unit(range(6).map((i) => ev('SELECT "public"."orders"."id" FROM "public"."orders" WHERE "public"."orders"."user_id" IN ($1) OFFSET $2', [String(i), '0'])))]),
  },
  {
    name: 'row-by-row INSERT',
    expected: 'n1-row-by-row-insert',
    rules: fromUnits([unit(range(20).map((i) => ev('INSERT INTO events (user_id, event_type, created_at) VALUES ($1, $2, now())', [String(i), 'click'], 3)))]),
  },
  {
    name: 'same settings lookup repeated with the same parameters',
    expected: 'n1-repeated-identical',
    rules: fromUnits([unit(range(6).map(() => ev('SELECT * FROM sessions WHERE id = $1', ['abc'])))]),
  },
  {
    name: 'UPDATE per row',
    expected: 'n1-query',
    rules: fromUnits([unit(range(10).map((i) => ev('UPDATE products SET price = $1 WHERE id = $2', ['9.99', String(i)])))]),
  },
  {
    name: 'latest 3 orders per user (LIMIT constant, key varies)',
    expected: 'n1-query',
    rules: fromUnits([unit(range(6).map((i) => ev(`SELECT * FROM orders WHERE user_id = ${i} ORDER BY created_at DESC LIMIT 3`)))]),
  },
  {
    name: 'Sequelize alias with an inlined literal',
    expected: 'n1-query',
    rules: fromUnits([unit(range(6).map((i) => ev(`SELECT "id", "status" FROM "orders" AS "Order" WHERE "Order"."user_id" = ${i};`)))]),
  },
  {
    name: 'per-row query with an extra constant filter',
    expected: 'n1-query',
    rules: fromUnits([unit(range(6).map((i) => ev(`SELECT * FROM orders WHERE user_id = $1 AND status = 'pending'`, [String(i)])))]),
  },
  {
    name: 'per-row query with a cast parameter',
    expected: 'n1-query',
    rules: fromUnits([unit(range(6).map((i) => ev('SELECT * FROM users WHERE id = $1::bigint', [String(i)])))]),
  },
  {
    name: 'per-row JOIN query',
    expected: 'n1-query',
    rules: fromUnits([unit(range(6).map((i) => ev('SELECT p.* FROM products p JOIN categories c ON c.id = p.category_id WHERE c.id = $1', [String(i)])))]),
  },
  {
    name: 'per-row lookup through a function',
    expected: 'n1-query',
    rules: fromUnits([unit(range(6).map((i) => ev('SELECT * FROM users WHERE lower(email) = lower($1)', [`u${i}@x.org`])))]),
  },
  {
    name: 'stderr log, explicit transaction, multi-line statements',
    expected: 'n1-query',
    rules: fromLog(
      'tx.log',
      [
        `${ts(0)} [42] 6561a3f0.2a 0 LOG:  statement: BEGIN`,
        `${ts(1)} [42] 6561a3f0.2a 0 LOG:  statement: SELECT users.id AS users_id\n\tFROM users`,
        ...range(6).flatMap((i) => [`${ts(10 * i + 2)} [42] 6561a3f0.2a 0 LOG:  statement: SELECT orders.id AS orders_id\n\tFROM orders\n\tWHERE ${i} = orders.user_id`, `${ts(10 * i + 11)} [42] 6561a3f0.2a 0 LOG:  duration: 9.100 ms`]),
        `${ts(90)} [42] 6561a3f0.2a 0 LOG:  statement: COMMIT`,
      ].join('\n'),
    ),
  },
  {
    name: 'csvlog with log_min_duration_statement = 0',
    expected: 'n1-query',
    rules: fromLog(
      'n1.csv',
      range(6)
        .map((i) => `${ts(i * 12)},"app","shop",77,"127.0.0.1:5000",6561a3f0.4d,${i},"SELECT",2026-11-21 10:00:00 UTC,3/${10 + i},0,LOG,00000,"duration: 11.000 ms  statement: SELECT *\nFROM orders WHERE user_id = ${i}",,,,,,,,,"psql","client backend",,0`)
        .join('\n'),
    ),
  },
  {
    name: 'jsonlog, extended protocol with parameters',
    expected: 'n1-query',
    rules: fromLog(
      'n1.json',
      range(6)
        .map((i) => JSON.stringify({ timestamp: ts(i * 12), user: 'app', dbname: 'shop', pid: 78, session_id: '6561a3f0.4e', vxid: `4/${20 + i}`, txid: 0, error_severity: 'LOG', message: 'duration: 11.500 ms  execute <unnamed>: SELECT * FROM order_items WHERE order_id = $1', detail: `parameters: $1 = '${i}'` }))
        .join('\n'),
    ),
  },
  {
    name: 'stderr log, extended protocol, DETAIL parameters on their own line',
    expected: 'n1-query',
    rules: fromLog(
      'ext.log',
      range(6)
        .flatMap((i) => [`${ts(i * 12)} [43] 6561a3f0.2b 0 LOG:  duration: 11.000 ms  execute <unnamed>: SELECT * FROM products WHERE category_id = $1`, `${ts(i * 12)} [43] 6561a3f0.2b 0 DETAIL:  parameters: $1 = '${i}'`])
        .join('\n'),
    ),
  },
  {
    name: 'fast 1 + N (0.05 ms lookups, the common case in a server log): flagged at defaults',
    expected: 'n1-query',
    rules: fromUnits([unit([ev('SELECT * FROM users LIMIT 40', null, 0.2), ...range(40).map((i) => ev('SELECT * FROM invoices WHERE customer_id = $1', [String(i)], 0.05))])]),
  },
  {
    name: 'Debian prefix (%m [%p] %q%u@%d), 1 + 12 in three back-to-back requests on one pooled connection',
    expected: 'n1-query',
    rules: fromLog(
      'debian-1n.log',
      range(3)
        .flatMap((r) => [
          `${ts(r * 20)} [62] app@shop LOG:  duration: 0.100 ms  statement: SELECT * FROM customers ORDER BY id LIMIT 12`,
          ...range(12).map((i) => `${ts(r * 20 + i)} [62] app@shop LOG:  duration: 0.030 ms  statement: SELECT * FROM invoices WHERE customer_id = ${i}`),
        ])
        .join('\n'),
    ),
  },
  {
    name: 'Debian prefix, two lookups side by side per row and no list query before them',
    expected: 'n1-repeating-group',
    rules: fromLog(
      'debian-side-by-side.log',
      range(8)
        .flatMap((i) => [
          `${ts(i * 2)} [63] app@shop LOG:  duration: 0.030 ms  statement: SELECT * FROM authors WHERE id = ${i}`,
          `${ts(i * 2 + 1)} [63] app@shop LOG:  duration: 0.030 ms  statement: SELECT * FROM publishers WHERE id = ${i + 100}`,
        ])
        .join('\n'),
    ),
  },
  // traps
  {
    name: 'trap: OFFSET pagination',
    expected: null,
    rules: fromUnits([unit(range(8).map((i) => ev('SELECT * FROM orders ORDER BY id LIMIT $1 OFFSET $2', ['100', String(i * 100)])))]),
  },
  {
    name: 'trap: keyset pagination',
    expected: null,
    rules: fromUnits([unit(range(8).map((i) => ev('SELECT * FROM orders WHERE id > $1 ORDER BY id LIMIT 100', [String(i * 100)])))]),
  },
  {
    name: 'trap: batch job with distinct statements',
    expected: null,
    rules: fromUnits([unit(['users', 'orders', 'products', 'categories', 'comments', 'likes', 'events'].map((tb) => ev(`SELECT count(*) FROM ${tb}`)))]),
  },
  {
    name: 'trap: uniqueness checks',
    expected: null,
    rules: fromUnits([unit(range(8).map((i) => ev('SELECT 1 FROM users WHERE email = $1 LIMIT 1', [`c${i}@x.org`])))]),
  },
  {
    name: 'trap: EXISTS checks',
    expected: null,
    rules: fromUnits([unit(range(8).map((i) => ev('SELECT EXISTS (SELECT 1 FROM users WHERE email = $1)', [`c${i}@x.org`])))]),
  },
  {
    name: 'trap: only 4 repetitions',
    expected: null,
    rules: fromUnits([unit(range(4).map((i) => ev('SELECT * FROM orders WHERE user_id = $1', [String(i)])))]),
  },
  {
    name: 'trap: chunked batch job reading 500 keys per statement with = ANY',
    expected: null,
    rules: fromUnits([unit(range(8).map((i) => ev('SELECT * FROM orders WHERE user_id = ANY($1)', [`{${range(500).map((k) => k + i * 500).join(',')}}`])))]),
  },
  {
    name: 'trap: chunked batch job with IN lists',
    expected: null,
    rules: fromUnits([unit(range(8).map((i) => ev('SELECT * FROM orders WHERE user_id IN ($1, $2, $3)', [String(i * 3), String(i * 3 + 1), String(i * 3 + 2)])))]),
  },
  {
    name: 'trap: retries of a failed statement',
    expected: null,
    rules: fromUnits([unit(range(6).map(() => ({ ...ev('SELECT * FROM accounts WHERE id = $1 FOR UPDATE', ['7']), failed: true })))]),
  },
  {
    name: 'trap: Debian prefix, pooled connection, one settings lookup per request',
    expected: null,
    rules: fromLog(
      'debian-pooled.log',
      range(8)
        .flatMap((i) => [
          `${ts(i * 3)} [61] app@shop LOG:  duration: 0.040 ms  statement: SELECT * FROM settings WHERE key = 'theme'`,
          `${ts(i * 3 + 1)} [61] app@shop LOG:  duration: 0.030 ms  statement: SELECT * FROM users WHERE id = ${i}`,
        ])
        .join('\n'),
    ),
  },
  {
    name: 'trap: one lookup per request, many requests',
    expected: null,
    rules: fromUnits(range(10).map((i) => unit([ev('SELECT * FROM users WHERE id = $1', [String(i)])], `r${i}`))),
  },
  {
    name: 'trap: already batched with ANY',
    expected: null,
    rules: fromUnits([unit([ev('SELECT * FROM users'), ev('SELECT * FROM orders WHERE user_id = ANY($1)', ['{1,2,3}'])])]),
  },
  {
    name: 'trap: log, one statement in each of many sessions',
    expected: null,
    rules: fromLog('sessions.log', range(8).map((i) => `${ts(i)} [${100 + i}] 6561a3f0.${100 + i} 0 LOG:  duration: 12.000 ms  statement: SELECT * FROM users WHERE id = ${i}`).join('\n')),
  },
  {
    name: 'trap: log, same session but minutes apart outside transactions',
    expected: null,
    rules: fromLog('gaps.log', range(8).map((i) => `${ts(i * 120_000)} [50] 6561a3f0.32 0 LOG:  duration: 12.000 ms  statement: SELECT * FROM users WHERE id = ${i}`).join('\n')),
  },
];

beforeAll(async () => {
  await initSqlParser();
});

describe('n1 labelled corpus', () => {
  it('has at least 20 scenarios with true cases and traps', () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(20);
    expect(SCENARIOS.filter((s) => s.expected === null).length).toBeGreaterThanOrEqual(8);
  });

  it('finds every true case with the right rule and flags no trap (precision and recall printed)', async () => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    const failures: string[] = [];
    for (const s of SCENARIOS) {
      const rules = await s.rules();
      if (s.expected === null) {
        fp += rules.length;
        if (rules.length > 0) failures.push(`${s.name}: flagged ${rules.join(', ')}`);
      } else if (rules.includes(s.expected)) {
        tp++;
        fp += rules.length - 1;
        if (rules.length > 1) failures.push(`${s.name}: extra ${rules.join(', ')}`);
      } else {
        fn++;
        failures.push(`${s.name}: expected ${s.expected}, got [${rules.join(', ')}]`);
      }
    }
    const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
    const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
    console.log(`n1 corpus: ${SCENARIOS.length} scenarios, precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)} (tp ${tp}, fp ${fp}, fn ${fn})`);
    expect(failures).toEqual([]);
    expect(precision).toBe(1);
    expect(recall).toBe(1);
  });
});
