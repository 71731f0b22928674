import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzePlan, parsePlan } from '../../src/explain/index.ts';
import type { PlanNode } from '../../src/explain/index.ts';
import { initSqlParser } from '../../src/sql/index.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';

/**
 * Shapes found when the parser was run on public plan collections, reproduced on our own server:
 * EXPLAIN prints a newline inside an expression or a string literal as it is, so a pasted plan
 * (pgAdmin, `psql -At`, a log) has value lines that go on at the left edge, before more nodes.
 */
let db: TestDatabase;

beforeAll(async () => {
  await initSqlParser();
  db = await createTestDatabase('public_plan_shapes');
  await db.exec(`
    CREATE TABLE t1 (c1 int, note text);
    CREATE TABLE t2 (c2 int, note text);
    INSERT INTO t1 SELECT g, 'n' || g FROM generate_series(1, 200) g;
    INSERT INTO t2 SELECT g, 'm' || g FROM generate_series(1, 50) g;
    ANALYZE t1, t2;`);
});

afterAll(async () => {
  await db.drop();
});

function tree(root: PlanNode): string[] {
  const out: string[] = [];
  const walk = (n: PlanNode, depth: number): void => {
    out.push(`${'  '.repeat(depth)}${n.nodeType}${n.relationName === null ? '' : ` ${n.relationName}`}`);
    n.children.forEach((c) => walk(c, depth + 1));
  };
  walk(root, 0);
  return out;
}

async function explain(options: string, sql: string): Promise<string> {
  const res = await db.exec(`EXPLAIN (${options}) ${sql}`);
  return res.rows.map((r: Record<string, unknown>) => (typeof r['QUERY PLAN'] === 'string' ? r['QUERY PLAN'] : JSON.stringify(r['QUERY PLAN']))).join('\n');
}

// set enable_* would change what other files see: the plan shape is forced by the join condition instead
const JOIN_WITH_NEWLINES = `SELECT t1.c1, E'first\\nsecond' AS label FROM t1 JOIN t2 ON t1.c1 > t2.c2 OR t1.note || t2.note = E'line one\\nline two'`;

describe('plans with newlines inside values (seen in public plans)', () => {
  it('reads a join filter and an Output list that go on at the left edge, with nodes after them', async () => {
    const text = await explain('ANALYZE, VERBOSE, COSTS', JOIN_WITH_NEWLINES);
    const json = await explain('ANALYZE, VERBOSE, COSTS, FORMAT JSON', JOIN_WITH_NEWLINES);
    // the shape under test: a value line at the edge while the tree goes on below it
    expect(text).toMatch(/\nline two'::text\)\)\n[\s\S]*->/);
    const fromJson = parsePlan(json);
    const fromText = parsePlan(text);
    expect(tree(fromText.root)).toEqual(tree(fromJson.root));
    expect(tree(fromText.root).length).toBeGreaterThanOrEqual(3);
    expect(fromText.root.joinFilter).toContain('line one');
    expect(fromText.root.joinFilter).toContain('line two');
    // joining is a guess: it is said
    expect(fromText.parseWarnings.join(' ')).toMatch(/joined/);
  });

  it('says so when a root line cut before its "(cost=" could not be read', async () => {
    const rows = (await explain('COSTS', JOIN_WITH_NEWLINES)).split('\n');
    const first = rows[0] ?? '';
    const cut = [first.slice(0, first.indexOf('(') + 4), first.slice(first.indexOf('(') + 4), ...rows.slice(1)].join('\n');
    const plan = parsePlan(cut);
    // the root read back, or a warning that it was not: never a tree without its root, silently
    const rootRead = tree(plan.root)[0]?.startsWith('Nested Loop') === true;
    expect(rootRead || /not read/.test(plan.parseWarnings.join(' ')), plan.parseWarnings.join('\n')).toBe(true);
  });
});

describe('plans without estimates (EXPLAIN (ANALYZE, COSTS OFF), seen in public plans)', () => {
  it('reports no row misestimate: there is no estimate to compare with', async () => {
    const sql = 'SELECT t1.c1, t2.note FROM t1 JOIN t2 ON t1.c1 = t2.c2';
    for (const options of ['ANALYZE, COSTS OFF', 'ANALYZE, COSTS OFF, FORMAT JSON']) {
      const a = analyzePlan(await explain(options, sql));
      expect(a.plan.nodes.length, options).toBeGreaterThanOrEqual(3);
      expect(a.plan.nodes.every((n) => n.misestimateFactor === null), options).toBe(true);
      expect(a.findings.filter((f) => f.rule === 'plan-row-misestimate'), options).toEqual([]);
    }
  });
});

describe('a hash join whose batches grew on skewed keys (seen in public plans)', () => {
  it('sizes work_mem from the rows hashed, not from memory × batches', async () => {
    await db.exec(`
      CREATE TABLE r AS SELECT generate_series(1, 200000)::int AS i;
      CREATE TABLE s AS SELECT generate_series(1, 1000)::int AS i;
      ANALYZE r, s;
      INSERT INTO s SELECT 42 FROM generate_series(1, 200000);`);
    const client = await db.client();
    let text: string;
    try {
      // a tiny work_mem in this session only, so that the 42s cannot be split and the batches keep doubling
      await client.query(`SET work_mem = '64kB'`);
      await client.query('SET max_parallel_workers_per_gather = 0');
      const res = await client.query('EXPLAIN (ANALYZE, BUFFERS, SETTINGS) SELECT count(*) FROM r JOIN s USING (i)');
      text = res.rows.map((row: Record<string, string>) => row['QUERY PLAN']).join('\n');
    } finally {
      await client.end();
    }
    const a = analyzePlan(text);
    const hash = a.plan.nodes.find((n) => n.node.nodeType === 'Hash');
    expect((hash?.node.hashBatches ?? 0) > (hash?.node.originalHashBatches ?? 0), text).toBe(true);
    const spill = a.findings.find((f) => f.rule === 'plan-disk-spill' && f.target.nodePath === hash?.path);
    expect(spill, text).toBeDefined();
    // 201k rows of 4 bytes hash into ~12 MB; memory × batches would claim tens of GB
    const suggested = Number(/^(\d+)MB$/.exec(String(spill?.evidence['suggestedWorkMem']))?.[1]);
    expect(suggested).toBeGreaterThanOrEqual(8);
    expect(suggested).toBeLessThanOrEqual(64);
  });
});
