import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_SHOP_SCHEMA, queriesPerRequest, startNodeShop } from '../../helpers/node-shop.ts';
import { reportSchemaErrors } from '../../helpers/report-schema.ts';
import { runCli } from '../../helpers/run-cli.ts';
import { createTestDatabase } from '../../helpers/test-database.ts';
import type { TestDatabase } from '../../helpers/test-database.ts';

interface N1Finding {
  rule: string;
  title: string;
  target: { location?: string; relation?: string };
  evidence: { queriesPerUnit: number; queriesBefore: number; expectedQueriesAfter: number; orm: string | null; relationship?: string; examples: string[]; units: number };
  fix?: { content: string; language?: string };
}

let t: TestDatabase;
let captureFile: string;
const ENDPOINTS = [
  '/knex/orders',
  '/knex/orders-fixed',
  '/knex/category-products',
  '/knex/category-products-fixed',
  '/knex/export-orders',
  '/knex/nightly-stats',
  '/knex/suggest-email',
  '/sequelize/users',
  '/sequelize/users-fixed',
];

beforeAll(async () => {
  t = await createTestDatabase('n1_shop');
  await t.exec(NODE_SHOP_SCHEMA);
  captureFile = join(mkdtempSync(join(tmpdir(), 'dbo-n1-')), 'capture.ndjson');
  const shop = await startNodeShop(t.url, captureFile);
  try {
    for (let round = 0; round < 3; round++) {
      for (const path of ENDPOINTS) expect(await shop.get(path)).toBe(200);
    }
  } finally {
    await shop.stop();
  }
});
afterAll(async () => {
  await t.drop();
});

async function detect(extra: string[] = []): Promise<{ findings: N1Finding[]; report: Record<string, unknown> }> {
  const r = await runCli(['n1', '--capture', captureFile, '--format', 'json', ...extra]);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.code).toBe(0);
  const report = JSON.parse(r.stdout) as { findings: N1Finding[] };
  expect(reportSchemaErrors(report)).toEqual([]);
  return { findings: report.findings, report };
}

describe('n1 on a real Node app (node-postgres + Knex + Sequelize) with db-optimize/capture', () => {
  it('finds the N+1, the MN+1 and the fan-out at their call sites, and nothing else', async () => {
    const { findings, report } = await detect(['--db', t.url]);
    const byLabel = (label: string): N1Finding | undefined => findings.find((f) => f.evidence.examples.includes(label));
    const n1 = byLabel('GET /knex/orders');
    expect(n1?.rule).toBe('n1-query');
    expect(n1?.title).toMatch(/^1 \+ N: order_items/);
    expect(n1?.target.location).toMatch(/routes-knex\.ts:13:\d+$/);
    expect(n1?.evidence.orm).toBe('knex');
    expect(n1?.evidence.units).toBe(3);
    expect(n1?.evidence.relationship).toMatch(/orders → order_items via order_items\.order_id \(foreign key/);
    expect(n1?.fix?.content).toContain(".whereIn('order_id'");
    const mn1 = byLabel('GET /sequelize/users');
    expect(mn1?.rule).toBe('n1-repeating-group');
    expect(mn1?.evidence.orm).toBe('sequelize');
    // the aliases the app declares (User.hasMany(Order, { as: 'orders' }), Order.hasMany(OrderItem, { as: 'items' })) and the route's page
    expect(mn1?.fix?.content).toContain("order: [['id', 'ASC']],\n  limit: 6,\n  include: [{ model: Order, as: 'orders', include: [{ model: OrderItem, as: 'items' }] }],");
    const fan = byLabel('GET /knex/category-products');
    expect(fan?.rule).toBe('n1-fan-out');
    expect(fan?.target.location).toMatch(/routes-knex\.ts:26:\d+$/);
    // the legitimate loops are reported as not flagged, with the reason
    expect(findings).toHaveLength(3);
    const ignored = (report.n1 as { ignored: { reason: string; statement: string }[] }).ignored;
    expect(ignored.map((i) => i.reason).sort()).toEqual(['existence-check', 'pagination']);
  });

  it('the fixed endpoints issue exactly the query count the fix predicts', async () => {
    const { findings } = await detect();
    const counts = queriesPerRequest(captureFile);
    const pairs: [string, string][] = [
      ['GET /knex/orders', 'GET /knex/orders-fixed'],
      ['GET /knex/category-products', 'GET /knex/category-products-fixed'],
      ['GET /sequelize/users', 'GET /sequelize/users-fixed'],
    ];
    for (const [broken, fixed] of pairs) {
      const f = findings.find((x) => x.evidence.examples.includes(broken));
      expect(f, broken).toBeDefined();
      const before = counts.get(broken) ?? [];
      expect(before.every((n) => n >= (f?.evidence.queriesBefore ?? 0))).toBe(true);
      expect(counts.get(fixed)).toEqual([f?.evidence.expectedQueriesAfter, f?.evidence.expectedQueriesAfter, f?.evidence.expectedQueriesAfter]);
    }
    // and the fixed endpoints produce no finding of their own
    expect(findings.some((f) => f.evidence.examples.some((e) => e.endsWith('-fixed')))).toBe(false);
  });

  it('uses the ORM given with --orm and honours --min-repeats', async () => {
    const { findings } = await detect(['--orm', 'prisma']);
    expect(findings.find((f) => f.evidence.examples.includes('GET /knex/orders'))?.fix?.content).toContain('include: { orderItems: true }');
    // only the order_items loop of the MN+1 (18 per request) reaches 15 repetitions
    const strict = await detect(['--min-repeats', '15']);
    expect(strict.findings.map((f) => [f.rule, f.target.relation])).toEqual([['n1-query', 'order_items']]);
  });

  it('rejects a file that is not a capture', async () => {
    const bogus = join(tmpdir(), `dbo-n1-bogus-${process.pid}.ndjson`);
    writeFileSync(bogus, 'hello world\n');
    const r = await runCli(['n1', '--capture', bogus]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a db-optimize capture file/);
  });
});
