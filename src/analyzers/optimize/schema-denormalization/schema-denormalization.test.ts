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
    CREATE TABLE comments (id bigint PRIMARY KEY, post_id bigint REFERENCES posts (id));`);
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
    expect(f[0]?.evidence.counts).toEqual([{ counter: 'posts.comment_count', counts: 'comments', via: null, form: 'group-by', childRows: 0, childWritesPerSecond: 30 }]);
    expect(f[0]?.fix?.content).toMatch(/AFTER INSERT OR DELETE OR UPDATE OF post_id ON comments/);
  });

  it('stays silent on rare statements and on reads without per-row counts', async () => {
    const workload = workloadFromSql(`-- calls: 1/s
SELECT p.id, count(c.id) FROM posts p LEFT JOIN comments c ON c.post_id = p.id GROUP BY p.id;
-- calls: 5000/s
SELECT p.id, p.title FROM posts p WHERE p.id = 1;`);
    expect(await analyzeFixture(t, schemaDenormalization, { workload })).toEqual([]);
  });
});
