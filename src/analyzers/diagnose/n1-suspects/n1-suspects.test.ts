import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalyzer, snapshotOf } from '../../../../test/helpers/run-analyzer.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import type { Finding } from '../../../model/index.ts';
import { workloadFromPgStatStatements } from '../../../workload/from-pg-stat-statements.ts';
import { n1Suspects } from './index.ts';

const SCHEMA = `
  CREATE TABLE customer (id int PRIMARY KEY, name text NOT NULL);
  CREATE TABLE rental (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES customer, rented_at date NOT NULL);
  CREATE TABLE payment (id int PRIMARY KEY, rental_id int NOT NULL REFERENCES rental, amount numeric NOT NULL);
  CREATE INDEX ON rental (customer_id);
  CREATE INDEX ON payment (rental_id);
  CREATE TABLE app_session (token text PRIMARY KEY, customer_id int);
  INSERT INTO customer SELECT g, 'c' || g FROM generate_series(1, 10) g;
  INSERT INTO rental SELECT g, 1 + (g - 1) / 20, date '2026-01-01' + g FROM generate_series(1, 200) g;
  INSERT INTO payment SELECT g, g, 4.99 FROM generate_series(1, 200) g;
  INSERT INTO app_session SELECT 't' || g, g FROM generate_series(1, 10) g;
`;

let n1: TestDatabase;
let batched: TestDatabase;

/** Ten page loads: a customer's rentals, then (the N+1) one payment lookup per rental, or one batched lookup. */
async function pageLoads(t: TestDatabase, batch: boolean): Promise<void> {
  for (let c = 1; c <= 10; c++) {
    const rentals = (await t.exec('SELECT * FROM rental WHERE customer_id = $1 ORDER BY rented_at', [c])).rows as { id: number }[];
    if (batch) await t.exec('SELECT * FROM payment WHERE rental_id = ANY($1)', [rentals.map((r) => r.id)]);
    else for (const r of rentals) await t.exec('SELECT * FROM payment WHERE rental_id = $1', [r.id]);
    // a lookup per request, as often as the N+1's calls but unrelated to rentals: not a suspect
    for (let k = 0; k < 20; k++) await t.exec('SELECT * FROM app_session WHERE token = $1', [`t${c}`]);
  }
}

async function suspects(t: TestDatabase): Promise<Finding[]> {
  const db = await t.open();
  try {
    return await runAnalyzer(n1Suspects, { snapshot: await snapshotOf(t), workload: await workloadFromPgStatStatements(db) });
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  n1 = await createTestDatabase('n1_suspects');
  batched = await createTestDatabase('n1_suspects_fixed');
  if (!n1.extensions.has('pg_stat_statements')) throw new Error('pg_stat_statements must be preloaded on the test server');
  for (const t of [n1, batched]) await t.exec(SCHEMA);
  await pageLoads(n1, false);
  await pageLoads(batched, true);
});
afterAll(async () => {
  await n1.drop();
  await batched.drop();
});

describe('n1-suspects (pg_stat_statements only)', () => {
  it('flags the payment lookup whose calls track the rentals rows, as a suspect with how to confirm', async () => {
    const findings = await suspects(n1);
    expect(findings).toHaveLength(1);
    const f = findings[0];
    expect(f?.title).toBe('Suspected N+1: payment looked up by rental_id 200 times (once per rental row)');
    expect(f?.evidence).toMatchObject({ suspect: true, calls: 200, trackedCalls: 10, trackedRows: 200, lookupsPerTrackedCall: 20 });
    expect(String(f?.evidence.relationship)).toMatch(/payment\.rental_id → rental \(foreign key payment_rental_id_fkey\)/);
    expect(f?.nextSteps?.join('\n')).toMatch(/db-optimize n1 --log[\s\S]*db-optimize\/capture/);
  });

  it('is quiet once the lookups are batched with = ANY($1)', async () => {
    expect(await suspects(batched)).toEqual([]);
  });
});
