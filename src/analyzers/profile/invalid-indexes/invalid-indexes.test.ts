import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalyzer, snapshotOf } from '../../../../test/helpers/run-analyzer.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import { invalidIndexes } from './index.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('invalid_indexes');
  await t.exec(`
    CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
    CREATE INDEX users_email_plain ON users (email);
    INSERT INTO users SELECT g, 'u' || (g % 100) FROM generate_series(1, 1000) g;`);
  // a concurrent build on duplicate data fails and leaves the index behind, invalid
  await expect(t.exec('CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email)')).rejects.toThrow(/could not create unique index/);
});
afterAll(async () => {
  await t.drop();
});

describe('invalid-indexes', () => {
  it('flags the index a failed CREATE INDEX CONCURRENTLY left behind, with a duplicate check first', async () => {
    const findings = await runAnalyzer(invalidIndexes, { snapshot: await snapshotOf(t) });
    expect(findings.map((f) => f.target.index)).toEqual(['public.users_email_key']);
    expect(findings[0]?.evidence).toMatchObject({ isValid: false, isUnique: true });
    expect(findings[0]?.fix?.content).toContain('SELECT email, count(*) FROM public.users GROUP BY email HAVING count(*) > 1');
    expect(findings[0]?.fix?.content).toContain('DROP INDEX CONCURRENTLY public.users_email_key;');
    expect(findings[0]?.fix?.content).toContain('CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON public.users USING btree (email);');
  });

  it('does not flag valid indexes, and is gone after the fix (duplicates removed, index rebuilt)', async () => {
    await t.exec('DROP INDEX CONCURRENTLY public.users_email_key');
    await t.exec("UPDATE users SET email = 'u' || id");
    await t.exec('CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON public.users USING btree (email)');
    expect(await runAnalyzer(invalidIndexes, { snapshot: await snapshotOf(t) })).toEqual([]);
  });
});
