import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalyzer, snapshotOf, statement, workloadOf } from '../../../../test/helpers/run-analyzer.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import type { Snapshot } from '../../../model/index.ts';
import { initSqlParser } from '../../../sql/index.ts';
import { topStatements } from './index.ts';

let t: TestDatabase;
let snapshot: Snapshot;

const PRODUCTS = 'SELECT * FROM products WHERE category_id = $1';
const EVENTS = 'INSERT INTO events (user_id, event_type, data, created_at) VALUES ($1, $2, $3, $4)';
const USERS = 'SELECT * FROM users WHERE id = $1';
const SESSIONS = 'UPDATE sessions SET data = $1, updated_at = $2 WHERE id = $3';

beforeAll(async () => {
  await initSqlParser();
  t = await createTestDatabase('top_statements');
  // the demo schema's tables at a small scale: products has no index on category_id (planted)
  await t.exec(`
    CREATE TABLE categories (id int PRIMARY KEY, parent_id int REFERENCES categories(id), name text NOT NULL);
    CREATE TABLE products (id int PRIMARY KEY, category_id int NOT NULL REFERENCES categories(id), name text NOT NULL,
      price numeric(10,2) NOT NULL, created_at timestamptz NOT NULL, description text);
    CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email varchar(255) NOT NULL, name text NOT NULL,
      created_at timestamptz NOT NULL, is_active boolean NOT NULL DEFAULT true, country char(2));
    CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id bigint, event_type text NOT NULL, data jsonb, created_at timestamptz NOT NULL);
    CREATE TABLE sessions (id uuid PRIMARY KEY, user_id bigint, data jsonb, updated_at timestamptz, expires_at timestamptz);
    INSERT INTO categories SELECT g, NULL, 'c' || g FROM generate_series(1, 50) g;
    INSERT INTO products SELECT g, g % 50 + 1, 'p' || g, g % 100, now(), NULL FROM generate_series(1, 2000) g;
    ANALYZE;`);
  snapshot = await snapshotOf(t);
});
afterAll(async () => {
  await t.drop();
});

// The seed's pg_stat_statements triage: products by category 1M × 50 ms, events insert 500k × 5 ms,
// users by id 2M × 2 ms, sessions update 800k × 100 ms.
const seedWorkload = () =>
  workloadOf([statement(PRODUCTS, 1_000_000, 50), statement(EVENTS, 500_000, 5), statement(USERS, 2_000_000, 2), statement(SESSIONS, 800_000, 100)]);

describe('top-statements', () => {
  it('ranks the seed triage by total time: sessions update first, then products by category', async () => {
    const findings = await runAnalyzer(topStatements, { snapshot, workload: seedWorkload() });
    expect(findings.map((f) => f.evidence.query)).toEqual([SESSIONS, PRODUCTS, USERS, EVENTS]);
    const [sessions, products, users] = findings;
    expect(sessions?.evidence).toMatchObject({ rank: 1, calls: 800_000, totalTimeMs: 80_000_000, rankByCalls: 3, rankByMeanTime: 1 });
    expect(sessions?.evidence.shareOfTotalTime).toBeCloseTo(80 / 136.5, 3);
    // why: total time, not calls or mean
    expect(sessions?.description).toMatch(/Ranked #1 by total time: 800k calls × 100 ms = 22\.2 h/);
    expect(sessions?.description).toMatch(/Ranking by calls would put "SELECT \* FROM users WHERE id = \$1" first/);
    expect(products?.description).toMatch(/Ranked #2 by total time: 1\.0M calls × 50 ms/);
    expect(users?.description).toMatch(/By calls it is #1/);
    // both expensive statements are warnings (slow and a large share); the cheap ones are info
    expect(findings.map((f) => f.severity)).toEqual(['warning', 'warning', 'info', 'info']);
    expect(sessions?.impact.workloadShare).toBeCloseTo(0.586, 3);
  });

  it('gives each statement its next step: which statement to EXPLAIN and which table to look at', async () => {
    const findings = await runAnalyzer(topStatements, { snapshot, workload: seedWorkload() });
    const steps = (q: string) => findings.find((f) => f.evidence.query === q)?.nextSteps ?? [];
    expect(steps(SESSIONS)[0]).toMatch(/^EXPLAIN \(ANALYZE, BUFFERS\) .*UPDATE sessions/);
    expect(steps(SESSIONS).join('\n')).toMatch(/look at table public\.sessions/);
    expect(steps(SESSIONS).join('\n')).toMatch(/lock waits/);
    expect(steps(PRODUCTS).join('\n')).toMatch(/no index leads with public\.products\(category_id\)/);
    expect(steps(USERS).join('\n')).not.toMatch(/no index leads/); // users.id is the primary key
    expect(steps(EVENTS).join('\n')).toMatch(/inserts into public\.events/);
  });

  it('estimates p95/p99 and says they are estimates', async () => {
    const [first] = await runAnalyzer(topStatements, { snapshot, workload: seedWorkload() });
    expect(first?.evidence).toMatchObject({ p95EstimateMs: 182.25, p99EstimateMs: 216.3, percentilesAreEstimates: true, p95TargetMs: 100 });
    expect(first?.description).toMatch(/estimate/);
  });

  it('reports nothing for a workload without time, and drops statements under minShare', async () => {
    expect(await runAnalyzer(topStatements, { snapshot, workload: workloadOf([statement(USERS, 10, 0)]) })).toEqual([]);
    const findings = await runAnalyzer(topStatements, { snapshot, workload: seedWorkload(), options: { minShare: 0.1 } });
    expect(findings.map((f) => f.evidence.query)).toEqual([SESSIONS, PRODUCTS]);
  });
});
