import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';

/**
 * Index columns come from the catalog quote_ident()ed ("Order Id"), candidate keys hold raw names
 * (Order Id): an index that already exists on a column needing quotes must be recognised, not
 * proposed again.
 */
let t: TestDatabase;
let dir: string;

beforeAll(async () => {
  t = await createTestDatabase('quoted_cols');
  dir = mkdtempSync(join(tmpdir(), 'dbo-quoted-'));
  await t.exec(`
    CREATE TABLE orders_q ("Order Id" int, "select" text, "MixedCase" int, "Other Col" int, "Incl" int, plain int);
    INSERT INTO orders_q SELECT g, 'v' || (g % 5000), g % 4000, g % 3000, g % 7, g FROM generate_series(1, 60000) g;
    CREATE INDEX existing_order_id ON orders_q ("Order Id");
    CREATE INDEX existing_select ON orders_q ("select");
    CREATE INDEX existing_mixed ON orders_q ("MixedCase", plain) INCLUDE ("Incl");
    CREATE TABLE items_q ("Item Key" int, "Qty" int, note text);
    INSERT INTO items_q SELECT g % 20000, g % 97, 'n' || g FROM generate_series(1, 60000) g;
    CREATE INDEX narrow_item_key ON items_q ("Item Key");
    ANALYZE orders_q, items_q;`);
});
afterAll(async () => {
  await t.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('indexes: existing indexes on columns that need quoting', () => {
  it('proposes nothing the catalog already has, and still proposes the missing one', async () => {
    const workload = join(dir, 'workload.sql');
    writeFileSync(
      workload,
      [
        `SELECT * FROM orders_q WHERE "Order Id" = 42`,
        `SELECT * FROM orders_q WHERE "select" = 'v7'`,
        `SELECT "Incl" FROM orders_q WHERE "MixedCase" = 3 AND plain = 7`,
        `SELECT * FROM orders_q WHERE "Other Col" = 11`,
      ]
        .map((s) => `-- calls: 1000000\n${s};\n`)
        .join(''),
    );
    const r = await runCli(['indexes', '--db', t.url, '--workload', workload, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { indexes: { definition: string }[] };
    const defs = report.indexes.map((i) => i.definition);
    for (const served of ['("Order Id"', '("select"', '("MixedCase"']) expect(defs.filter((d) => d.includes(served)), defs.join('\n')).toEqual([]);
    expect(defs.some((d) => d.includes('("Other Col")')), defs.join('\n')).toBe(true);
  });
});

describe('indexes: an existing index on a column that needs quoting is widened, not duplicated', () => {
  it('a two-column candidate over an existing one-column index replaces it (widens + drop)', async () => {
    const workload = join(dir, 'widen.sql');
    writeFileSync(workload, `-- calls: 1000000\nSELECT note FROM items_q WHERE "Item Key" = 42 AND "Qty" = 5;\n`);
    const r = await runCli(['indexes', '--db', t.url, '--workload', workload, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { indexes: { definition: string; widens?: string }[]; drops: { index: string }[] };
    const widening = report.indexes.find((i) => i.definition.includes('("Item Key", "Qty"'));
    expect(widening, JSON.stringify(report.indexes)).toBeDefined();
    expect(widening?.widens).toBe('public.narrow_item_key');
    expect(JSON.stringify(report.drops)).toContain('narrow_item_key');
  });
});
