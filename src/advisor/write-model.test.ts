import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers/run-cli.ts';
import { createTestDatabase } from '../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../test/helpers/test-database.ts';
import { collectSnapshot } from '../collect/collect-snapshot.ts';
import { chooseWriteModel } from './write-model.ts';

interface IndexJson {
  definition: string;
  table: string;
  method: string;
  writeOverhead: { entriesPerDay: number; breaksHotUpdatesPerDay: number; breaksHotColumns: string[] };
  reason?: string;
}
interface TableChoice {
  table: string;
  source: string;
  reason: string;
}
interface AdvisorJson {
  indexes: IndexJson[];
  proposals: IndexJson[];
  decisions: { statement: string; decision: string; reason: string }[];
  advisor: { writeModel: { requested: string; source: string; reason: string; tables: TableChoice[] } };
  findings: { rule: string; evidence: Record<string, unknown> }[];
}

let t: TestDatabase;
let dir: string;

// a restore: every row arrives in one burst right after the statistics were reset, nothing updated yet
beforeAll(async () => {
  t = await createTestDatabase('write_model');
  await t.exec(`
    SELECT pg_stat_reset();
    CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, name text, created_at timestamptz NOT NULL);
    INSERT INTO accounts SELECT g, 'u' || g || '@example.com', 'name ' || g, timestamptz '2024-01-01' + g * interval '1 minute'
      FROM generate_series(1, 300000) g;
    CREATE TABLE sessions (id bigint PRIMARY KEY, user_id bigint, data text, updated_at timestamptz, expires_at timestamptz);
    INSERT INTO sessions SELECT g, g % 20000, repeat('x', 40), timestamptz '2024-01-01' + g * interval '1 second', timestamptz '2024-02-01'
      FROM generate_series(1, 100000) g;
    ANALYZE;`);
  await t.flushStats();
  dir = mkdtempSync(join(tmpdir(), 'dbo-write-model-'));
});
afterAll(async () => {
  await t.drop();
});

async function indexes(workload: string, ...flags: string[]): Promise<AdvisorJson> {
  const file = join(dir, `w${Math.random().toString(36).slice(2)}.sql`);
  writeFileSync(file, workload);
  const r = await runCli(['indexes', '--db', t.url, '--workload', file, '--format', 'json', ...flags]);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as AdvisorJson;
}

const LOOKUPS = `-- calls: 1000/s
SELECT id, name FROM accounts WHERE email = 'u42@example.com';
-- calls: 1/min
SELECT id, email FROM accounts WHERE created_at = '2024-03-01 10:00';`;

describe('write model after a bulk load (defaults)', () => {
  it('reads the bulk-loaded table as a load, says why, and gives both lookups their index', async () => {
    const r = await indexes(LOOKUPS);
    const accounts = r.advisor.writeModel.tables.find((x) => x.table === 'public.accounts');
    expect(r.advisor.writeModel.requested).toBe('auto');
    expect(accounts?.source).toBe('workload');
    expect(accounts?.reason).toMatch(/n_tup_ins 300k ≈ n_live_tup 300k .*bulk load/);
    const defs = r.indexes.map((i) => i.definition);
    expect(defs.some((d) => /accounts USING btree \(email\)/.test(d))).toBe(true);
    // the rare lookup only pays off once the load's 300k inserts are not extrapolated into a daily stream
    expect(defs.some((d) => /accounts USING btree \(created_at\)/.test(d))).toBe(true);
    for (const i of r.indexes) expect(i.writeOverhead.entriesPerDay).toBe(0);
    const f = r.findings.find((x) => x.rule === 'index-advisor');
    expect(f?.evidence.writeModel).toBe('workload');
    expect(String(f?.evidence.writeModelReason)).toMatch(/bulk load/);
  });

  it('--writes stats overrides: the counters are extrapolated and the rare lookup no longer pays', async () => {
    const r = await indexes(LOOKUPS, '--writes', 'stats');
    expect(r.advisor.writeModel.requested).toBe('stats');
    expect(r.advisor.writeModel.tables.find((x) => x.table === 'public.accounts')?.source).toBe('stats');
    const defs = r.indexes.map((i) => i.definition);
    expect(defs.some((d) => /\(email\)/.test(d))).toBe(true);
    expect(defs.some((d) => /\(created_at\)/.test(d))).toBe(false);
    expect(r.decisions.find((d) => d.statement.includes('created_at'))?.reason).toMatch(/index maintenance costs/);
  });

  it('keeps reading counters for a table with steady updates and deletes (negative)', async () => {
    await t.exec(`CREATE TABLE ledger (id bigint PRIMARY KEY, v int);
      INSERT INTO ledger SELECT g, 0 FROM generate_series(1, 5000) g;
      UPDATE ledger SET v = v + 1 WHERE id % 2 = 0; DELETE FROM ledger WHERE id % 5 = 0; ANALYZE ledger;`);
    await t.flushStats();
    const db = await t.open();
    const snapshot = await collectSnapshot(db);
    // the same counters as seen a month after the reset: an old window is not young statistics
    const month = { ...snapshot, server: { ...snapshot.server, statsAgeSeconds: 30 * 86_400 } };
    const choice = chooseWriteModel(month, new Map(), 'auto');
    expect(choice.tables.find((x) => x.table === 'public.ledger')?.source).toBe('stats');
    expect(choice.tables.find((x) => x.table === 'public.accounts')?.reason).toMatch(/analyzed\/vacuumed only \d time/);
    expect(choice.source).toBe('mixed');
  });
});

describe('HOT updates from the workload', () => {
  const SESSION_TOUCH = `-- calls: 500/s
UPDATE sessions SET updated_at = now(), data = 'y' WHERE id = 17;
-- calls: 500/s
SELECT data, updated_at, user_id FROM sessions WHERE id = 17;
-- calls: 1/s
SELECT id FROM sessions WHERE updated_at < '2024-01-01 00:10';`;

  it('recommends no index that stores a column the session touch updates, and says why', async () => {
    const r = await indexes(SESSION_TOUCH);
    const blocksHot = (i: IndexJson): boolean => i.method !== 'brin' || t.serverVersionNum < 160000;
    for (const i of r.indexes.filter((x) => x.table === 'public.sessions' && blocksHot(x))) {
      expect(i.definition).not.toMatch(/updated_at|data/);
    }
    const considered = r.proposals.find((p) => /sessions USING btree \(updated_at\)/.test(p.definition));
    if (considered === undefined) {
      // PostgreSQL 16+: a BRIN keeps updates HOT, so it serves the cleanup query instead of a btree
      expect(t.serverVersionNum).toBeGreaterThanOrEqual(160000);
      expect(r.indexes.some((i) => i.method === 'brin' && /\(updated_at\)/.test(i.definition))).toBe(true);
      return;
    }
    expect(considered.writeOverhead.breaksHotUpdatesPerDay).toBe(500 * 86_400);
    expect(considered.writeOverhead.breaksHotColumns).toEqual(['updated_at']);
    expect(considered.reason).toMatch(/index maintenance costs/);
  });

  it('charges no HOT break when the update already changes an indexed column (negative)', async () => {
    await t.exec('CREATE INDEX sessions_updated_at_existing ON sessions (updated_at)');
    try {
      const r = await indexes(`-- calls: 500/s
UPDATE sessions SET updated_at = now(), data = 'y' WHERE id = 17;
-- calls: 50/s
SELECT id FROM sessions WHERE updated_at < '2024-01-01 00:10' AND user_id = 3;`);
      const all = [...r.indexes, ...r.proposals].filter((i) => i.table === 'public.sessions');
      expect(all.length).toBeGreaterThan(0);
      for (const i of all) expect(i.writeOverhead.breaksHotUpdatesPerDay).toBe(0);
    } finally {
      await t.exec('DROP INDEX sessions_updated_at_existing');
    }
  });
});
