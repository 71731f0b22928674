import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import { analyzeDatabase } from '../../../engine/analyze-database.ts';
import { indexAdvisor } from './index.ts';

let t: TestDatabase;
let dir: string;

beforeAll(async () => {
  t = await createTestDatabase('index_advisor');
  await t.exec(`
    CREATE TABLE tickets (id bigint PRIMARY KEY, customer_id int NOT NULL, state text NOT NULL, opened_at timestamptz NOT NULL, subject text);
    INSERT INTO tickets SELECT g, g % 3000, CASE WHEN g % 50 = 0 THEN 'open' ELSE 'closed' END, timestamptz '2024-01-01' + g * interval '1 minute', 'subject ' || g
      FROM generate_series(1, 60000) g;
    ANALYZE tickets;`);
  dir = mkdtempSync(join(tmpdir(), 'dbo-index-advisor-'));
  if (!t.extensions.has('hypopg') && process.env.DB_OPTIMIZE_REQUIRE_HYPOPG === '1') throw new Error('DB_OPTIMIZE_REQUIRE_HYPOPG=1 but HypoPG is missing');
});
afterAll(async () => {
  await t.drop();
});

async function run(sql: string) {
  const file = join(dir, `w${Math.random().toString(36).slice(2)}.sql`);
  writeFileSync(file, sql);
  const db = await t.open();
  return analyzeDatabase(db, { command: 'full', analyzers: [indexAdvisor], depth: 5, workloadFile: file });
}

const HOT_QUERY = `-- calls: 50/s
SELECT id, subject FROM tickets WHERE state = 'open' AND opened_at > $1 ORDER BY opened_at DESC;
-- calls: 5/s
SELECT * FROM tickets WHERE customer_id = $1;`;

describe('index-advisor analyzer', () => {
  it('recommends a partial and a btree index for the hot statements (positive), verified by HypoPG', async (ctx) => {
    const { report } = await run(HOT_QUERY);
    if (!t.extensions.has('hypopg')) {
      // the engine skips it and says how to get HypoPG
      expect(report.skipped.find((s) => s.analyzer === 'index-advisor')?.reason).toMatch(/HypoPG/);
      ctx.skip('HypoPG is not installed on this server: the analyzer is skipped (asserted above where applicable)');
    }
    const created = report.findings.filter((f) => f.rule === 'index-advisor');
    const defs = created.map((f) => f.fix?.content ?? '');
    // a btree scans backwards: ASC serves ORDER BY opened_at DESC as well
    expect(defs.some((d) => /\(opened_at( DESC)?\)( INCLUDE \(subject\))? WHERE state = 'open'/.test(d))).toBe(true);
    expect(defs.some((d) => /\(customer_id\)/.test(d))).toBe(true);
    for (const f of created) {
      expect(f.fix?.verified).toBe(true);
      expect(f.impact.costAfter).toBeLessThan(f.impact.costBefore ?? 0);
      expect(f.evidence.writeEntriesPerDay).toBeGreaterThanOrEqual(0);
    }
  });

  it('recommends nothing for statements the primary key already serves (negative)', async (ctx) => {
    const { report } = await run(`-- calls: 100/s\nSELECT * FROM tickets WHERE id = $1;`);
    if (!t.extensions.has('hypopg')) {
      expect(report.skipped.find((s) => s.analyzer === 'index-advisor')?.reason).toMatch(/HypoPG/);
      ctx.skip('HypoPG is not installed on this server: the analyzer is skipped (asserted above where applicable)');
    }
    expect(report.findings.filter((f) => f.rule === 'index-advisor')).toEqual([]);
    expect(report.findings.find((f) => f.rule === 'index-advisor-decision')?.title).toMatch(/tickets_pkey/);
  });

  it('stops recommending an index once it exists (fix applied)', async (ctx) => {
    if (!t.extensions.has('hypopg')) {
      ctx.skip('HypoPG is not installed on this server: the analyzer is skipped (asserted above where applicable)');
    }
    const { report } = await run(HOT_QUERY);
    const btree = report.findings.find((f) => f.rule === 'index-advisor' && /\(customer_id\)/.test(f.fix?.content ?? ''));
    expect(btree).toBeDefined();
    await t.exec((btree?.fix?.content ?? '').replace(' CONCURRENTLY', ''));
    await t.exec('ANALYZE tickets');
    const again = await run(HOT_QUERY);
    expect(again.report.findings.some((f) => f.rule === 'index-advisor' && /\(customer_id\)/.test(f.fix?.content ?? ''))).toBe(false);
  });
});
