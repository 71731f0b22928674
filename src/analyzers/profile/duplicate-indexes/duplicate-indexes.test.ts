import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalyzer, snapshotOf } from '../../../../test/helpers/run-analyzer.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import { duplicateIndexes } from './index.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('duplicate_indexes');
  await t.exec(`
    CREATE TABLE users (id bigint PRIMARY KEY, email varchar(255) NOT NULL, name text, created_at timestamptz);
    CREATE INDEX users_email_idx ON users (email);
    CREATE INDEX users_email_idx2 ON users (email);
    CREATE INDEX users_email_lower ON users (lower(email));
    CREATE INDEX users_name_partial ON users (name) WHERE created_at IS NOT NULL;
    CREATE INDEX users_name_desc ON users (name DESC);
    CREATE INDEX users_name ON users (name);
    INSERT INTO users SELECT g, 'u' || g, 'n' || g, now() FROM generate_series(1, 2000) g;`);
});
afterAll(async () => {
  await t.drop();
});

describe('duplicate-indexes', () => {
  it('flags the identical copy and keeps the older one', async () => {
    const findings = await runAnalyzer(duplicateIndexes, { snapshot: await snapshotOf(t) });
    expect(findings).toHaveLength(1);
    expect(findings[0]?.evidence).toMatchObject({ duplicate: 'public.users_email_idx2', kept: 'public.users_email_idx' });
    expect(findings[0]?.fix).toMatchObject({ content: 'DROP INDEX CONCURRENTLY public.users_email_idx2;', verified: true });
  });

  it('does not treat different expressions, predicates or sort orders as duplicates, and is gone after its fix', async () => {
    await t.exec('DROP INDEX CONCURRENTLY public.users_email_idx2');
    expect(await runAnalyzer(duplicateIndexes, { snapshot: await snapshotOf(t) })).toEqual([]);
  });
});
