import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../../collect/collect-snapshot.ts';
import { initSqlParser } from '../../../sql/index.ts';
import { workloadFromSql } from '../../../workload/index.ts';
import { createTestDatabase } from '../../../../test/helpers/test-database.ts';
import type { TestDatabase } from '../../../../test/helpers/test-database.ts';
import { SEED_SQL } from '../../../../test/rewrite/corpus.ts';
import { REWRITE_FIXTURE_SQL } from '../../../../test/rewrite/fixture.ts';
import type { Snapshot } from '../../../model/index.ts';
import { createRewriteVerifier } from '../../../rewrite/rewrite-verifier.ts';
import { schemaFactsFromSnapshot } from '../../../rewrite/schema-facts.ts';
import { queryRewrites } from './index.ts';

let t: TestDatabase;
let snapshot: Snapshot;

beforeAll(async () => {
  await initSqlParser();
  t = await createTestDatabase('query_rewrites');
  await t.exec(REWRITE_FIXTURE_SQL);
  snapshot = await collectSnapshot(await t.open(), { showLiterals: true });
});
afterAll(async () => {
  await t.drop();
});

const OPTIONS = { limit: 20, minShare: 0, verifyTop: 3, verifyBudgetSeconds: 60 };

describe('query-rewrites analyzer', () => {
  it('reports the seed statement and a NOT IN over a nullable column, unverified, and nothing for plain statements', async () => {
    const workload = workloadFromSql(
      `-- calls: 40\n${SEED_SQL};\n-- calls: 5\nSELECT u.id FROM users u WHERE u.country NOT IN (SELECT b.country FROM banned_countries b);\n-- calls: 1000\nSELECT * FROM users WHERE id = 5;\n-- calls: 10\nINSERT INTO blocked_users VALUES (1);\n`,
      'workload.sql',
    );
    const findings = await queryRewrites.run({ snapshot, workload, options: OPTIONS, whatIf: null, baseline: null });
    const rules = findings.map((f) => f.rule).sort();
    expect(rules).toContain('correlated-subquery-aggregate');
    expect(rules).toContain('not-in-to-not-exists');
    expect(findings.every((f) => f.fix?.verified === false)).toBe(true);
    expect(findings.find((f) => f.rule === 'not-in-to-not-exists')?.severity).toBe('critical');
    expect(findings.find((f) => f.rule === 'correlated-subquery-aggregate')?.nextSteps?.[0]).toMatch(/^verify on the database: db-optimize rewrite --db URL/);
    expect(findings.some((f) => String(f.evidence.query).startsWith('INSERT'))).toBe(false);
    expect(findings.some((f) => String(f.evidence.query).includes('WHERE id = 5'))).toBe(false);
  });

  it('does not report a rewrite whose catalog precondition fails (keyset on a non-unique ORDER BY)', async () => {
    const workload = workloadFromSql('-- calls: 100\nSELECT id, status FROM orders ORDER BY status LIMIT 10 OFFSET 30;\n', 'workload.sql');
    const findings = await queryRewrites.run({ snapshot, workload, options: OPTIONS, whatIf: null, baseline: null });
    expect(findings.filter((f) => f.rule === 'offset-to-keyset')).toEqual([]);
  });

  it('verifies its top candidates through the engine\'s rewrite verifier, and reports one finding per rule and statement', async () => {
    const db = await t.open();
    const verifier = createRewriteVerifier(db, schemaFactsFromSnapshot(snapshot), null, 60_000);
    const workload = workloadFromSql(`-- calls: 40\n${SEED_SQL};\n`, 'workload.sql');
    const findings = await queryRewrites.run({ snapshot, workload, options: OPTIONS, whatIf: null, baseline: null, rewriteVerifier: verifier });
    const rules = findings.map((f) => f.rule);
    // the rules offer two forms each (grouped join / window, EXISTS / JOIN): one finding per rule
    expect(rules.filter((r) => r === 'in-subquery-to-exists')).toHaveLength(1);
    expect(rules.filter((r) => r === 'correlated-subquery-aggregate')).toHaveLength(1);
    const csa = findings.find((f) => f.rule === 'correlated-subquery-aggregate');
    expect(csa?.evidence.otherFormsOfThisRewrite).toBe(1);
    expect(csa?.fix?.verified, csa?.fix?.verification).toBe(true);
    expect(csa?.evidence.status).toBe('verified');
    expect(csa?.nextSteps).toEqual([]);
  });

  it('holds to its total budget: a rewrite the budget cannot reach is unverified and says so', async () => {
    const db = await t.open();
    const verifier = createRewriteVerifier(db, schemaFactsFromSnapshot(snapshot), null);
    const workload = workloadFromSql(`-- calls: 40\n${SEED_SQL};\n`, 'workload.sql');
    // one second for three rewrites: each share of what is left is below what a verification needs
    const findings = await queryRewrites.run({ snapshot, workload, options: { ...OPTIONS, verifyBudgetSeconds: 1 }, whatIf: null, baseline: null, rewriteVerifier: verifier });
    const csa = findings.find((f) => f.rule === 'correlated-subquery-aggregate');
    expect(csa?.fix?.verified).toBe(false);
    expect(csa?.fix?.verification).toMatch(/^not verified: the verification budget of 1\.0 s was spent/);
    expect(verifier.budgetMs).toBe(1000);
  });
});
