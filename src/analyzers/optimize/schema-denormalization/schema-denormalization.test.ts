import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeFixture } from '../../../../test/helpers/analyze-fixture.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import { initSqlParser } from '../../../sql/index.ts';
import { workloadFromSql } from '../../../workload/from-sql-file.ts';
import { schemaDenormalization } from './index.ts';

let t: TestDatabase;
beforeAll(async () => {
  await initSqlParser();
  t = await createTestDatabase('denormalization');
  await t.exec(`CREATE TABLE posts (id bigint PRIMARY KEY, title text);
    CREATE TABLE comments (id bigint PRIMARY KEY, post_id bigint REFERENCES posts (id));
    CREATE TABLE users (id bigint PRIMARY KEY, created_at timestamptz);
    CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id), total numeric(12,2));`);
});
afterAll(async () => t?.drop());

describe('schema-denormalization', () => {
  it('proposes a counter for a hot statement that counts per row, with the write cost from the workload', async () => {
    const workload = workloadFromSql(`-- calls: 2000/s
SELECT p.id, p.title, count(c.id) AS comment_count FROM posts p LEFT JOIN comments c ON c.post_id = p.id GROUP BY p.id ORDER BY p.id DESC LIMIT 20;
-- calls: 30/s
INSERT INTO comments (id, post_id) VALUES (1, 2);`);
    const f = await analyzeFixture(t, schemaDenormalization, { workload });
    expect(f).toHaveLength(1);
    expect(f[0]?.evidence.counts).toEqual([{ counter: 'posts.comment_count', aggregate: 'count', counts: 'comments', via: null, form: 'group-by', childRows: 0, childWritesPerSecond: 30 }]);
    expect(f[0]?.fix?.content).toMatch(/AFTER INSERT OR DELETE OR UPDATE OF post_id ON comments/);
  });

  it("keeps the seed report's per-user order count and total spent exact with triggers", async () => {
    const workload = workloadFromSql(`-- calls: 20/s
SELECT u.*, COUNT(o.id) AS order_count, SUM(o.total) AS total_spent FROM users u LEFT JOIN orders o ON u.id = o.user_id
WHERE u.created_at > '2024-01-01' GROUP BY u.id ORDER BY total_spent DESC LIMIT 100;`);
    const f = await analyzeFixture(t, schemaDenormalization, { workload });
    expect((f[0]?.evidence.counts as { counter: string; aggregate: string }[]).map((c) => [c.counter, c.aggregate])).toEqual([
      ['users.order_count', 'count'],
      ['users.total_spent', 'sum(orders.total)'],
    ]);
    await t.exec(`INSERT INTO users SELECT g, now() FROM generate_series(1, 10) g; INSERT INTO orders SELECT g, 1 + g % 10, g FROM generate_series(1, 50) g;`);
    const c = await t.client();
    try {
      await c.query(f[0]?.fix?.content ?? '');
      await c.query('INSERT INTO orders SELECT g, 1 + g % 7, g / 3.0 FROM generate_series(51, 90) g; DELETE FROM orders WHERE id % 11 = 0; UPDATE orders SET total = total + 1, user_id = 2 WHERE id < 8;');
      const drift = await c.query(`SELECT count(*)::int AS n FROM users u WHERE order_count <> (SELECT count(*) FROM orders o WHERE o.user_id = u.id)
        OR total_spent <> (SELECT coalesce(sum(total), 0) FROM orders o WHERE o.user_id = u.id)`);
      expect(drift.rows[0]?.n).toBe(0);
    } finally {
      await c.end();
    }
  });

  it('stays silent on rare statements and on reads without per-row counts', async () => {
    const workload = workloadFromSql(`-- calls: 1/s
SELECT p.id, count(c.id) FROM posts p LEFT JOIN comments c ON c.post_id = p.id GROUP BY p.id;
-- calls: 5000/s
SELECT p.id, p.title FROM posts p WHERE p.id = 1;`);
    expect(await analyzeFixture(t, schemaDenormalization, { workload })).toEqual([]);
  });
});
