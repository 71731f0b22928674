import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers/run-cli.ts';
import { createTestDatabase } from '../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../test/helpers/test-database.ts';

interface Advised {
  definition: string;
  verified: boolean;
  statements: { costBefore: number; costAfter: number | null }[];
}
interface AdvisorJson {
  indexes: Advised[];
  proposals: Advised[];
  skippedStatements: { statement: string; reason: string }[];
  decisions: { statement: string; reason: string }[];
}

let t: TestDatabase;
let dir: string;

// statements that reach their table through a view, a CTE or a select-list position/alias
beforeAll(async () => {
  t = await createTestDatabase('shapes');
  await t.exec(`
    CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, region int NOT NULL, score int NOT NULL, note text);
    INSERT INTO accounts SELECT g, 'a' || g || '@x.org', g % 1000, (g * 7919) % 100000, repeat('n', 40) FROM generate_series(1, 200000) g;
    CREATE VIEW active_accounts AS SELECT id, email AS mail, region, score FROM accounts WHERE note IS NOT NULL;
    CREATE VIEW limited AS SELECT id, region FROM accounts ORDER BY id LIMIT 10;
    ANALYZE accounts;`);
  dir = mkdtempSync(join(tmpdir(), 'dbo-shapes-'));
});
afterAll(async () => {
  await t.drop();
  rmSync(dir, { recursive: true, force: true });
});

async function advise(workload: string): Promise<AdvisorJson> {
  const file = join(dir, `w${Math.random().toString(36).slice(2)}.sql`);
  writeFileSync(file, workload);
  const r = await runCli(['indexes', '--db', t.url, '--workload', file, '--format', 'json']);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as AdvisorJson;
}

/** the recommendation on the column, measured: the statement's cost falls by more than 10× */
function measured(json: AdvisorJson, column: RegExp): Advised {
  const found = json.indexes.find((i) => column.test(i.definition));
  expect(found, JSON.stringify({ indexes: json.indexes.map((i) => i.definition), decisions: json.decisions })).toBeDefined();
  const s = (found as Advised).statements[0];
  expect(s?.costAfter).not.toBeNull();
  expect((s?.costAfter ?? Infinity) * 10).toBeLessThan(s?.costBefore ?? 0);
  return found as Advised;
}

describe('statement shapes seen through', () => {
  it('a query on a view indexes the base table’s column, under its own name (renamed in the view)', async () => {
    const json = await advise(`-- calls: 50/s\nSELECT id, region FROM active_accounts WHERE mail = 'a77@x.org';`);
    expect(json.skippedStatements.map((s) => s.reason).join()).not.toMatch(/unknown table/);
    measured(json, /ON public\.accounts .*\(email\)/);
  });

  it('a CTE PostgreSQL 12+ inlines lets the outer WHERE reach the table', async () => {
    const json = await advise(`-- calls: 50/s\nWITH r AS (SELECT id, region, score FROM accounts) SELECT id FROM r WHERE score = 4242;`);
    measured(json, /ON public\.accounts .*\(score/);
  });

  it('a MATERIALIZED CTE keeps the outer WHERE outside: no index on it (negative)', async () => {
    const json = await advise(`-- calls: 50/s\nWITH r AS MATERIALIZED (SELECT id, region, score FROM accounts) SELECT id FROM r WHERE score = 4242;`);
    expect([...json.indexes, ...json.proposals].some((i) => /USING \w+ \(score/.test(i.definition))).toBe(false);
  });

  it('a view with LIMIT is not flattened: the outer WHERE does not reach the table (negative)', async () => {
    const json = await advise(`-- calls: 50/s\nSELECT id FROM limited WHERE region = 5;`);
    expect([...json.indexes, ...json.proposals].some((i) => /USING \w+ \(region/.test(i.definition))).toBe(false);
  });

  it('ORDER BY 1 and ORDER BY alias resolve to the underlying column', async () => {
    const byPosition = await advise(`-- calls: 50/s\nSELECT score, id FROM accounts ORDER BY 1 DESC LIMIT 10;`);
    measured(byPosition, /ON public\.accounts .*\(score/);
    const byAlias = await advise(`-- calls: 50/s\nSELECT score AS s, id FROM accounts ORDER BY s LIMIT 10;`);
    measured(byAlias, /ON public\.accounts .*\(score/);
  });
});
