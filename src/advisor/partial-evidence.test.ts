import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers/run-cli.ts';
import { createTestDatabase } from '../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../test/helpers/test-database.ts';

interface AdvisorJson {
  indexes: { definition: string }[];
  proposals: { definition: string }[];
}

let t: TestDatabase;
let dir: string;

// a blog table where user_id has few values: a literal on it looks like a partial-index predicate
beforeAll(async () => {
  t = await createTestDatabase('partial_evidence');
  await t.exec(`
    CREATE TABLE posts (id bigint PRIMARY KEY, user_id int NOT NULL, blog_id int NOT NULL, title text);
    INSERT INTO posts SELECT g, CASE WHEN g % 20 = 0 THEN 1 ELSE 2 + g % 9 END, g % 2000, 'title ' || g FROM generate_series(1, 100000) g;
    ANALYZE posts;`);
  dir = mkdtempSync(join(tmpdir(), 'dbo-partial-'));
});
afterAll(async () => {
  await t.drop();
});

async function advise(workload: string): Promise<string[]> {
  const file = join(dir, `w${Math.random().toString(36).slice(2)}.sql`);
  writeFileSync(file, workload);
  const r = await runCli(['indexes', '--db', t.url, '--workload', file, '--format', 'json']);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.code).toBe(0);
  const json = JSON.parse(r.stdout) as AdvisorJson;
  return [...json.indexes, ...json.proposals].map((i) => i.definition);
}

describe('partial indexes need evidence that the constant is fixed', () => {
  it('a lone literal is one instance of a parameter: the column is indexed, not fitted as a predicate', async () => {
    const defs = await advise(`-- calls: 10/s\nSELECT * FROM posts WHERE user_id = 1 AND blog_id = 2;`);
    expect(defs.some((d) => /blog_id/.test(d))).toBe(true);
    expect(defs.some((d) => /WHERE user_id/.test(d))).toBe(false);
  });

  it('instances with different constants are not evidence either', async () => {
    const defs = await advise(`-- calls: 5/s\nSELECT * FROM posts WHERE user_id = 1 AND blog_id = 2;\n-- calls: 5/s\nSELECT * FROM posts WHERE user_id = 3 AND blog_id = 7;`);
    expect(defs.some((d) => /WHERE user_id/.test(d))).toBe(false);
  });

  it('a constant beside parameters, or the same constant in every instance, may become the predicate (positive)', async () => {
    const beside = await advise(`-- calls: 10/s\nSELECT * FROM posts WHERE user_id = 1 AND blog_id = $1;`);
    expect(beside.some((d) => /\(blog_id\) WHERE user_id = 1\b|\(blog_id\) WHERE user_id = '1'/.test(d))).toBe(true);
    const same = await advise(`-- calls: 5/s\nSELECT * FROM posts WHERE user_id = 1 AND blog_id = 2;\n-- calls: 5/s\nSELECT * FROM posts WHERE user_id = 1 AND blog_id = 9;`);
    expect(same.some((d) => /\(blog_id\) WHERE user_id = 1\b|\(blog_id\) WHERE user_id = '1'/.test(d))).toBe(true);
  });
});
