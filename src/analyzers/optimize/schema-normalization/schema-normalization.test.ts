import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeFixture } from '../../../../test/helpers/analyze-fixture.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import { schemaNormalization } from './index.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('normalization');
  await t.exec(`CREATE TABLE products (id int PRIMARY KEY, name text);
    CREATE TABLE legacy_orders (id serial PRIMARY KEY, customer_name text, customer_email text, product_name text, product_price numeric(10,2), quantity int);
    CREATE TABLE orders (id bigint PRIMARY KEY, order_date date, order_status text, shipping_address_id bigint, shipping_address text, created_at timestamptz, updated_at timestamptz);`);
});
afterAll(async () => t?.drop());

describe('schema-normalization', () => {
  it('finds the repeated customer and product groups, not own-name prefixes, id+copy pairs or timestamps', async () => {
    const f = await analyzeFixture(t, schemaNormalization);
    expect(f.map((x) => x.target.relation)).toEqual(['public.legacy_orders']);
    const groups = f[0]?.evidence.groups as { prefix: string; newTable: string }[];
    // products already exists, so the new table takes the table's first word
    expect(groups.map((g) => [g.prefix, g.newTable])).toEqual([
      ['customer', 'customers'],
      ['product', 'legacy_products'],
    ]);
    expect(f[0]?.fix?.content).toMatch(/SELECT DISTINCT customer_name, customer_email/);
  });
});
