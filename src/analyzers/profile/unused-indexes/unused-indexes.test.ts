import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalyzer, snapshotOf } from '../../../../test/helpers/run-analyzer.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import { unusedIndexes } from './index.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('unused_indexes');
  await t.exec(`
    CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text NOT NULL, token text);
    CREATE INDEX users_email_idx ON users (email);
    CREATE INDEX users_name_idx ON users (name);
    CREATE UNIQUE INDEX users_token_key ON users (token);
    INSERT INTO users SELECT g, 'u' || g || '@x.org', 'name' || g, md5(g::text) FROM generate_series(1, 5000) g;
    ANALYZE users;
    SET enable_seqscan = off;`);
  await t.exec("SELECT * FROM users WHERE email = 'u5@x.org'");
  await t.flushStats();
});
afterAll(async () => {
  await t.drop();
});

describe('unused-indexes', () => {
  it('flags the never-scanned index with its size, write cost and how old the statistics are', async () => {
    const findings = await runAnalyzer(unusedIndexes, { snapshot: await snapshotOf(t) });
    expect(findings.map((f) => f.target.index)).toEqual(['public.users_name_idx']);
    const f = findings[0];
    expect(f?.evidence).toMatchObject({ idxScan: 0, tableWritesSinceReset: 5000, weakEvidence: true });
    expect(Number(f?.evidence.sizeBytes)).toBeGreaterThan(0);
    // statistics of a just-created database are minutes old: weak evidence, said so
    expect(f?.severity).toBe('info');
    expect(f?.description).toMatch(/only .* old/);
    expect(f?.fix?.content).toBe('DROP INDEX CONCURRENTLY public.users_name_idx;');
    expect(f?.fix?.rollback).toBe('CREATE INDEX CONCURRENTLY users_name_idx ON public.users USING btree (name);');
  });

  it('never flags the used index, the primary key or a unique index', async () => {
    const findings = await runAnalyzer(unusedIndexes, { snapshot: await snapshotOf(t), options: { minStatsAgeDays: 0 } });
    const names = findings.map((f) => f.target.index);
    expect(names).not.toContain('public.users_email_idx');
    expect(names).not.toContain('public.users_pkey');
    expect(names).not.toContain('public.users_token_key');
    expect(findings[0]?.severity).toBe('warning');
  });
});
