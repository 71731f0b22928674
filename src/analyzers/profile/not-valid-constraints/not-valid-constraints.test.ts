import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalyzer, snapshotOf } from '../../../../test/helpers/run-analyzer.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import { notValidConstraints } from './index.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('not_valid');
  await t.exec(`
    CREATE TABLE users (id bigint PRIMARY KEY);
    CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, total numeric CHECK (total >= 0));
    INSERT INTO users SELECT generate_series(1, 100);
    INSERT INTO orders SELECT g, g % 100 + 1, g FROM generate_series(1, 500) g;
    ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users(id) NOT VALID;
    ALTER TABLE orders ADD CONSTRAINT orders_total_small CHECK (total < 1000000) NOT VALID;`);
});
afterAll(async () => {
  await t.drop();
});

describe('not-valid-constraints', () => {
  it('flags CHECK and FOREIGN KEY constraints added NOT VALID, with VALIDATE CONSTRAINT as the fix', async () => {
    const findings = await runAnalyzer(notValidConstraints, { snapshot: await snapshotOf(t) });
    expect(findings.map((f) => f.target.name).sort()).toEqual(['orders_total_small', 'orders_user_fk']);
    expect(findings.find((f) => f.target.name === 'orders_user_fk')?.fix?.content).toBe('ALTER TABLE public.orders VALIDATE CONSTRAINT orders_user_fk;');
  });

  it('does not flag validated constraints: gone once the fix ran', async () => {
    await t.exec('ALTER TABLE public.orders VALIDATE CONSTRAINT orders_user_fk');
    await t.exec('ALTER TABLE public.orders VALIDATE CONSTRAINT orders_total_small');
    expect(await runAnalyzer(notValidConstraints, { snapshot: await snapshotOf(t) })).toEqual([]);
  });
});
