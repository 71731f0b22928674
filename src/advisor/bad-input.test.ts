import { randomBytes } from 'node:crypto';
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
  reason?: string;
}
interface AdvisorJson {
  indexes: Advised[];
  proposals: Advised[];
  skippedStatements: { statement: string; reason: string }[];
  advisor: { note: string };
}

let t: TestDatabase;
let dir: string;
const role = `dbo_reader_${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  t = await createTestDatabase('bad_input');
  await t.exec(`
    CREATE TABLE docs (id bigint PRIMARY KEY, body text NOT NULL, tsv tsvector, k int NOT NULL);
    INSERT INTO docs SELECT g, 'word' || (g % 3000) || ' text ' || g, to_tsvector('simple', 'word' || (g % 3000)), g % 1000 FROM generate_series(1, 20000) g;
    CREATE ROLE ${role} LOGIN PASSWORD 'reader-pw';
    GRANT SELECT ON docs TO ${role};
    ANALYZE docs;`);
  dir = mkdtempSync(join(tmpdir(), 'dbo-bad-input-'));
});
afterAll(async () => {
  await t.drop();
  const admin = await createTestDatabase('bad_input_cleanup');
  await admin.exec(`DROP ROLE IF EXISTS ${role}`);
  await admin.drop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

const WORKLOAD = `-- calls: 20/s
SELECT id FROM docs WHERE k = 5;
-- calls: 20/s
SELECT id FROM docs WHERE tsv @@ to_tsquery('simple', 'word42');
this is not sql;
-- calls: 5/s
SELECT * FROM missing_table WHERE a = 1;
-- calls: 5/s
INSERT INTO docs (id, body, k) VALUES (1000000, 'b', 1);
`;

async function advise(url: string): Promise<AdvisorJson> {
  const file = join(dir, `w${Math.random().toString(36).slice(2)}.sql`);
  writeFileSync(file, WORKLOAD);
  const r = await runCli(['indexes', '--db', url, '--workload', file, '--format', 'json']);
  expect(r.stderr).not.toMatch(/internal error|at .*\.ts:\d+/);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as AdvisorJson;
}

function asRole(url: string): string {
  const u = new URL(url);
  u.username = role;
  // a password: servers that trust only local superusers (the embedded one) ask every other role for one
  u.password = 'reader-pw';
  return u.toString();
}

describe('bad input at default flags', () => {
  it('lists each unusable statement with its reason and advises the rest', async () => {
    const r = await advise(t.url);
    const reasons = r.skippedStatements.map((s) => `${s.statement} => ${s.reason}`).join('\n');
    expect(reasons).toMatch(/this is not sql => does not parse: syntax error/);
    expect(reasons).toMatch(/missing_table.* => unknown table missing_table/);
    expect(reasons).toMatch(/INSERT INTO docs.* => INSERT: counted as write load/);
    expect(r.indexes.some((i) => /docs USING btree \(k\)/.test(i.definition))).toBe(true);
  });

  it('a role that may not create indexes: the sandbox says so, the rest falls back (HypoPG or unverified), never an error', async () => {
    const r = await advise(asRole(t.url));
    expect(r.advisor.note).toMatch(new RegExp(`role ${role} may not create indexes on public\\.docs \\(not its owner\\)`));
    const gin = r.proposals.find((p) => /USING gin \(tsv\)/.test(p.definition));
    expect(gin?.verified).toBe(false);
    expect(gin?.reason).toMatch(/not its owner/);
    const btree = [...r.indexes, ...r.proposals].find((i) => /USING btree \(k\)/.test(i.definition));
    expect(btree).toBeDefined();
    // HypoPG needs no ownership: with it the btree is still measured; without it, it is an unverified proposal
    if (t.extensions.has('hypopg')) expect(btree?.verification).toMatch(/HypoPG/);
    else expect(btree?.verified).toBe(false);
  });
});
