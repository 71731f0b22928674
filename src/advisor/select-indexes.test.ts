import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers/run-cli.ts';
import { createTestDatabase } from '../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../test/helpers/test-database.ts';

interface IndexJson {
  name: string;
  definition: string;
  table: string;
  method: string;
  shareOfGain: number | null;
  statements: { fingerprint: string }[];
}
interface AdvisorJson {
  indexes: IndexJson[];
  proposals: IndexJson[];
  decisions: { statement: string; decision: string; reason: string }[];
}

let t: TestDatabase;
let file: string;

// append-only orders (BRIN-eligible created_at), a primary-key lookup that reads every column, and
// the same column ordered both ways: the shapes that used to fill every index slot
beforeAll(async () => {
  t = await createTestDatabase('over_indexing');
  await t.exec(`
    CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, country text, created_at timestamptz NOT NULL);
    INSERT INTO users SELECT g, 'u' || g || '@x.com', (ARRAY['US','DE','FR','JP'])[1 + g % 4], timestamptz '2023-01-01' + g * interval '5 minutes'
      FROM generate_series(1, 30000) g;
    CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL, status text NOT NULL, total numeric NOT NULL, note text, created_at timestamptz NOT NULL);
    INSERT INTO orders SELECT g, 1 + (hashint8(g) & 65535) % 30000, CASE WHEN g % 100 = 0 THEN 'pending' ELSE 'delivered' END, g % 500, 'note ' || g,
      timestamptz '2023-01-01' + g * interval '1 minute' FROM generate_series(1, 200000) g;`);
  // vacuumed now, so autovacuum does not change the visibility map (index-only scan costs) between two runs
  await t.exec('VACUUM ANALYZE');
  const dir = mkdtempSync(join(tmpdir(), 'dbo-over-'));
  file = join(dir, 'workload.sql');
  writeFileSync(
    file,
    `-- calls: 200/s
SELECT id, status, total, note, created_at, user_id FROM orders WHERE id = 42;
-- calls: 100/s
SELECT id, total, created_at FROM orders WHERE user_id = 17 ORDER BY created_at DESC LIMIT 20;
-- calls: 20/s
SELECT id, total FROM orders ORDER BY created_at DESC LIMIT 50;
-- calls: 5/s
SELECT id FROM orders WHERE created_at > '2023-03-01' ORDER BY created_at LIMIT 100;
-- calls: 2/s
SELECT sum(total) FROM orders WHERE created_at BETWEEN '2023-03-01' AND '2023-03-08';
-- calls: 10/s
SELECT id, email FROM users WHERE email = 'u5@x.com';
-- calls: 50/s
INSERT INTO orders (id, user_id, status, total, note, created_at) VALUES (1, 2, 'pending', 3, 'x', now());
-- calls: 20/s
UPDATE orders SET status = 'shipped' WHERE id = 42;`,
  );
});
afterAll(async () => {
  await t.drop();
});

async function advise(...flags: string[]): Promise<AdvisorJson> {
  const r = await runCli(['indexes', '--db', t.url, '--workload', file, '--format', 'json', ...flags]);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as AdvisorJson;
}

/** the key list of a definition, directions dropped: "(created_at DESC)" and "(created_at)" are one index to a btree */
function keysOf(definition: string): string {
  return (/USING \w+ \(([^)]*)\)/.exec(definition)?.[1] ?? '').replace(/ DESC/g, '');
}

describe('over-indexing', () => {
  let first: AdvisorJson;
  beforeAll(async () => {
    first = await advise();
  });

  it('serves the hot statements', () => {
    const defs = first.indexes.map((i) => i.definition);
    expect(defs.some((d) => /orders USING btree \(user_id/.test(d))).toBe(true);
    expect(defs.some((d) => /users USING btree \(email\)/.test(d))).toBe(true);
    expect(defs.some((d) => /orders USING (btree|brin) \(created_at/.test(d))).toBe(true);
  });

  it('never recommends an ASC and a DESC twin, nor BRIN beside a btree on the same column', () => {
    const onOrders = first.indexes.filter((i) => i.table === 'public.orders');
    const keyLists = onOrders.filter((i) => i.method === 'btree').map((i) => keysOf(i.definition));
    expect(new Set(keyLists).size).toBe(keyLists.length);
    const brinCols = onOrders.filter((i) => i.method === 'brin').map((i) => keysOf(i.definition));
    for (const c of brinCols) expect(keyLists.some((k) => k.split(', ')[0] === c)).toBe(false);
  });

  it('never proposes a covering index on the primary key that copies the row', () => {
    for (const i of [...first.indexes, ...first.proposals]) expect(i.definition).not.toMatch(/orders USING btree \(id\) INCLUDE/);
    expect(first.decisions.find((d) => d.statement.includes('WHERE id = $1') && d.statement.startsWith('SELECT'))?.reason).toMatch(/orders_pkey/);
  });

  it('keeps only indexes that still pay when re-costed without them, each serving a statement', () => {
    for (const i of first.indexes) {
      expect(i.statements.length).toBeGreaterThan(0);
      expect(i.shareOfGain ?? 0).toBeGreaterThan(0);
    }
  });

  it('gives the same answer on a second run over the same statistics', async () => {
    const again = await advise();
    expect(again.indexes.map((i) => i.definition)).toEqual(first.indexes.map((i) => i.definition));
  });

  it('stops earlier with a higher knee (--min-gain), and a bad value is a usage error', async () => {
    const strict = await advise('--min-gain', '0.6');
    expect(strict.indexes.length).toBeLessThan(first.indexes.length);
    expect(strict.indexes.length).toBeGreaterThan(0);
    expect(strict.decisions.some((d) => /below the knee: .*minMarginalGain/.test(d.reason))).toBe(true);
    const bad = await runCli(['indexes', '--db', t.url, '--workload', file, '--min-gain', 'lots']);
    expect(bad.code).toBe(2);
  });
});
