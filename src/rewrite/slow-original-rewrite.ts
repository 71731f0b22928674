import { collectSnapshot } from '../collect/collect-snapshot.ts';
import type { Database } from '../collect/connection.ts';
import type { Report } from '../model/index.ts';
import { buildReport, databaseInfo } from '../render/build-report.ts';
import { HypopgEngine } from '../whatif/hypopg-engine.ts';
import { formatSql } from './format-sql.ts';
import type { RewriteOutcome } from './rewrite-and-verify.ts';
import { rewriteFindings, rewriteJson, rewriteSections } from './rewrite-and-verify.ts';
import { rewriteStatement } from './rewrite-statement.ts';
import type { RewriteCandidate } from './rule.ts';
import { schemaFactsFromSnapshot } from './schema-facts.ts';
import { DEFAULT_ROW_CAP } from './rewrite-verifier.ts';
import { verifyRewrite } from './verify.ts';
import { DEFAULT_VERIFY_BUDGET_MS, VerifyBudget } from './verify-budget.ts';

export interface SlowOriginalOptions {
  readonly width: number;
  /** why the original could not be analyzed, e.g. the statement timeout message */
  readonly reason: string;
  readonly budgetMs?: number;
  readonly generatedAt: string;
}

/**
 * `query --rewrite` when the original itself cannot finish: its plan cannot be analyzed, but the
 * given rewrite can still be proven — same rows on subsets of the outer table, cheaper, also with the
 * indexes the original needs — instead of the whole command failing on the timeout.
 */
export async function slowOriginalRewriteReport(db: Database, sql: string, rewriteSql: string, options: SlowOriginalOptions): Promise<Report> {
  const snapshot = await collectSnapshot(db, { showLiterals: true });
  const facts = schemaFactsFromSnapshot(snapshot);
  const candidate: RewriteCandidate = {
    rule: 'query-rewrite',
    title: 'The given rewrite (--rewrite), proven while the original is too slow to run in full',
    explanation: 'the rewrite given with --rewrite, compared with the original on subsets of its outer table',
    semantics: 'equivalent',
    severity: 'warning',
    after: rewriteSql,
    preconditions: [],
  };
  const whatIf = await HypopgEngine.open(db).catch(() => null);
  let verification;
  try {
    const session = { budget: new VerifyBudget(options.budgetMs ?? DEFAULT_VERIFY_BUDGET_MS), originalTooSlow: `the original did not finish: ${options.reason}` };
    verification = await verifyRewrite(db, sql, candidate, { facts, rowCap: DEFAULT_ROW_CAP, analyze: false, whatIf, session });
  } finally {
    await whatIf?.close();
  }
  const statement = rewriteStatement(sql, { facts, rules: [] });
  const outcome: RewriteOutcome = {
    statement: { ...statement, noRuleReason: null },
    rewrites: [{ ...candidate, afterFormatted: formatSql(rewriteSql), status: verification.status, verification, reasons: verification.reasons }],
    rejected: [],
  };
  return buildReport({
    command: 'query',
    generatedAt: options.generatedAt,
    database: databaseInfo(snapshot, db.display),
    findings: rewriteFindings(outcome),
    sections: [{ id: 'statement', title: 'Statement', lines: [`the original could not be analyzed: ${options.reason}`, 'the rewrite was verified against it on subsets of the outer table instead'] }, ...rewriteSections(outcome, options.width)],
    extra: { rewrite: rewriteJson(outcome) },
  });
}
