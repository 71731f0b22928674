import type { Database } from '../collect/connection.ts';
import type { WhatIfEngine } from '../whatif/what-if-engine.ts';
import type { RewriteCandidate } from './rule.ts';
import type { SchemaFacts } from './schema-facts.ts';
import type { Verification } from './verification.ts';
import { verifyRewrite } from './verify.ts';
import { DEFAULT_VERIFY_BUDGET_MS, seconds, VerifyBudget } from './verify-budget.ts';

/**
 * What an analyzer may use to prove a rewrite (the engine hands it over, as it does the what-if
 * engine): same rows, cheaper, within one time budget shared by every call of the run.
 */
export interface RewriteVerifier {
  /** the run's budget (the one given to `start`, else the default) */
  readonly budgetMs: number;
  /** starts the budget's clock, once: an analyzer calls it first so that its own costing counts against the budget too */
  start(budgetMs?: number): void;
  /** what is left of the budget (all of it before `start`) */
  remainingMs(): number;
  /** share: the fraction of the budget still left that this call may use (1/n for the next of n) */
  verify(sql: string, candidate: RewriteCandidate, share: number): Promise<Verification>;
}

export const DEFAULT_ROW_CAP = 10_000;
/** below this a verification could not even plan both statements and compare a sample */
const MIN_VERIFY_MS = 500;

export function createRewriteVerifier(db: Database, facts: SchemaFacts, whatIf: WhatIfEngine | null, budgetMs = DEFAULT_VERIFY_BUDGET_MS): RewriteVerifier {
  let budget: VerifyBudget | null = null;
  const start = (ms?: number): VerifyBudget => (budget ??= new VerifyBudget(ms ?? budgetMs));
  return {
    get budgetMs() {
      return budget?.totalMs ?? budgetMs;
    },
    start(ms) {
      start(ms);
    },
    remainingMs() {
      return budget?.remainingMs() ?? budgetMs;
    },
    async verify(sql, candidate, share) {
      const run = start();
      const ms = run.remainingMs() * Math.min(1, Math.max(0, share));
      if (ms < MIN_VERIFY_MS) {
        const reason = `not verified: the verification budget of ${seconds(run.totalMs)} was spent before this rewrite's turn (costing the candidates, earlier rewrites)`;
        return { status: 'unverified', reasons: [reason], parses: true, plans: null, executed: false, costBefore: null, costAfter: null, timeBeforeMs: null, timeAfterMs: null, comparisons: [], sample: null, rowCap: DEFAULT_ROW_CAP };
      }
      const session = { budget: new VerifyBudget(ms), originalTooSlow: null };
      return verifyRewrite(db, sql, candidate, { facts, rowCap: DEFAULT_ROW_CAP, analyze: false, whatIf, session, rowsOnlyWhenCheaper: true });
    },
  };
}
