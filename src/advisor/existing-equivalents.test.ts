import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers/run-cli.ts';
import { createTestDatabase } from '../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../test/helpers/test-database.ts';

interface Advised {
  definition: string;
  kind: string;
  verified: boolean;
  verification: string;
  note?: string;
}
interface AdvisorJson {
  indexes: Advised[];
  proposals: Advised[];
  decisions: { statement: string; decision: string; reason: string }[];
}

let t: TestDatabase;
let dir: string;

beforeAll(async () => {
  t = await createTestDatabase('equivalents');
  await t.exec(`
    CREATE TABLE docs (id bigint PRIMARY KEY, body text NOT NULL, tsv tsvector);
    INSERT INTO docs SELECT g, 'word' || (g % 3000) || ' common text ' || g, NULL FROM generate_series(1, 20000) g;
    UPDATE docs SET tsv = to_tsvector('simple', body);
    CREATE TABLE payment (id bigint NOT NULL, customer_id int NOT NULL, paid_at date NOT NULL, amount numeric) PARTITION BY RANGE (paid_at);
    CREATE TABLE payment_p1 PARTITION OF payment FOR VALUES FROM ('2024-01-01') TO ('2024-07-01');
    CREATE TABLE payment_p2 PARTITION OF payment FOR VALUES FROM ('2024-07-01') TO ('2025-01-01');
    INSERT INTO payment SELECT g, g % 5000, date '2024-01-01' + (g % 360), g FROM generate_series(1, 200000) g;
    CREATE INDEX payment_p1_customer ON payment_p1 USING btree (customer_id);`);
  await t.exec('VACUUM ANALYZE');
  dir = mkdtempSync(join(tmpdir(), 'dbo-equivalents-'));
});
afterAll(async () => {
  await t.drop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

async function advise(workload: string): Promise<AdvisorJson> {
  const file = join(dir, `w${Math.random().toString(36).slice(2)}.sql`);
  writeFileSync(file, workload);
  const r = await runCli(['indexes', '--db', t.url, '--workload', file, '--format', 'json']);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as AdvisorJson;
}

const FTS = `-- calls: 20/s\nSELECT id FROM docs WHERE tsv @@ to_tsquery('simple', 'word42');`;

describe('full text and existing equivalents', () => {
  it('a GIN full-text index on a small table is measured by a real build and labelled as full text', async () => {
    const r = await advise(FTS);
    const gin = r.indexes.find((i) => /docs USING gin \(tsv\)/.test(i.definition));
    expect(gin, JSON.stringify(r.decisions)).toBeDefined();
    expect(gin?.kind).toBe('gin-fts');
    expect(gin?.verified).toBe(true);
    expect(gin?.verification).toMatch(/real build in a rolled-back transaction/);
  });

  it('an existing GiST index on the tsvector serves @@: no second index proposed (negative)', async () => {
    await t.exec('CREATE INDEX docs_tsv_gist ON docs USING gist (tsv)');
    try {
      const r = await advise(FTS);
      expect([...r.indexes, ...r.proposals].filter((i) => /\(tsv\)/.test(i.definition))).toEqual([]);
      expect(r.decisions[0]?.reason).toMatch(/docs_tsv_gist/);
    } finally {
      await t.exec('DROP INDEX docs_tsv_gist');
    }
  });

  it('a parent index attaches the partition index that already has its definition instead of building a twin, and applies', async () => {
    const r = await advise(`-- calls: 50/s\nSELECT * FROM payment WHERE customer_id = 42;`);
    const rec = r.indexes.find((i) => /payment USING btree \(customer_id\)/.test(i.definition));
    expect(rec, JSON.stringify(r.decisions)).toBeDefined();
    const ddl = rec?.definition ?? '';
    expect(ddl).toMatch(/ATTACH PARTITION public\.payment_p1_customer;/);
    expect(ddl).not.toMatch(/CONCURRENTLY[^;]* ON public\.payment_p1 /);
    expect(ddl).toMatch(/CREATE INDEX CONCURRENTLY[^;]* ON public\.payment_p2 /);
    expect(rec?.note).toMatch(/attaches 1 existing partition index/);
    for (const statement of ddl.split(/;\n/)) await t.exec(statement.replace(/;$/, ''));
    const { rows } = await t.exec(
      `SELECT i.indisvalid AS valid, (SELECT count(*) FROM pg_inherits h WHERE h.inhparent = i.indexrelid)::text AS parts
         FROM pg_index i WHERE i.indrelid = 'payment'::regclass`,
    );
    expect(rows).toEqual([{ valid: true, parts: '2' }]);
  });
});
