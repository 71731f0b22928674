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

  it('keeps one index per foreign key, never unused: of two on the same key the wider unused one can go', async () => {
    await t.exec(`
      CREATE TABLE sessions (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users(id), started timestamptz);
      CREATE INDEX sessions_user_idx ON sessions (user_id);
      CREATE INDEX sessions_user_started_idx ON sessions (user_id, started);
      INSERT INTO sessions SELECT g, 1 + g % 5000, now() FROM generate_series(1, 2000) g;
      ANALYZE sessions;`);
    await t.flushStats();
    const findings = await runAnalyzer(unusedIndexes, { snapshot: await snapshotOf(t), options: { minStatsAgeDays: 0 } });
    const names = findings.map((f) => f.target.index);
    expect(names).toContain('public.sessions_user_started_idx');
    expect(names).not.toContain('public.sessions_user_idx');
    // dropping the reported one leaves the FK served: nothing more to drop
    await t.exec('DROP INDEX public.sessions_user_started_idx');
    const after = await runAnalyzer(unusedIndexes, { snapshot: await snapshotOf(t), options: { minStatsAgeDays: 0 } });
    expect(after.map((f) => f.target.index)).not.toContain('public.sessions_user_idx');
    await t.exec('DROP TABLE sessions');
  });
});
