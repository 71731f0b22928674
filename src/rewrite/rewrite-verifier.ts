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
  readonly budgetMs: number;
  /** share: the fraction of the budget still left that this call may use (1/n for the next of n) */
  verify(sql: string, candidate: RewriteCandidate, share: number): Promise<Verification>;
}

export const DEFAULT_ROW_CAP = 10_000;

export function createRewriteVerifier(db: Database, facts: SchemaFacts, whatIf: WhatIfEngine | null, budgetMs = DEFAULT_VERIFY_BUDGET_MS): RewriteVerifier {
  let budget: VerifyBudget | null = null;
  return {
    budgetMs,
    async verify(sql, candidate, share) {
      // the clock starts with the first rewrite verified, not when the run starts
      budget ??= new VerifyBudget(budgetMs);
      const ms = budget.remainingMs() * Math.min(1, Math.max(0, share));
      if (ms < 500) {
        const reason = `not verified: the verification budget of ${seconds(budgetMs)} was spent on earlier rewrites`;
        return { status: 'unverified', reasons: [reason], parses: true, plans: null, executed: false, costBefore: null, costAfter: null, timeBeforeMs: null, timeAfterMs: null, comparisons: [], sample: null, rowCap: DEFAULT_ROW_CAP };
      }
      return verifyRewrite(db, sql, candidate, { facts, rowCap: DEFAULT_ROW_CAP, analyze: false, whatIf, session: { budget: new VerifyBudget(ms), originalTooSlow: null } });
    },
  };
}
