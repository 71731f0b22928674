import type { Finding } from '../model/index.ts';
import { DbOptimizeError } from '../errors/index.ts';
import type { EnrichedPlan } from './enrich-plan.ts';
import { PLAN_TIPS } from './tips/index.ts';
import type { PlanCatalog, PlanTip, PlanTipContext } from './tips/index.ts';

/**
 * Something that turns a plan into findings asynchronously — the index advisor and the query
 * rewriter plug in here (they may call the what-if engine); built-in tips are synchronous.
 */
export interface PlanFindingProvider {
  readonly id: string;
  provide(context: PlanTipContext): Promise<readonly Finding[]>;
}

export interface RunTipsOptions {
  readonly sql?: string | null;
  readonly catalog?: PlanCatalog | null;
  readonly tips?: readonly PlanTip[];
  readonly providers?: readonly PlanFindingProvider[];
}

// plain code-unit order: deterministic across locales and much cheaper than localeCompare
function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Ranks by estimated time saved, then severity, then node path (stable for golden tests). */
export function rankTipFindings(findings: readonly Finding[]): Finding[] {
  const sev = { critical: 3, warning: 2, info: 1 } as const;
  return [...findings].sort(
    (a, b) =>
      b.impact.score - a.impact.score ||
      sev[b.severity] - sev[a.severity] ||
      byCodeUnit(a.target.nodePath ?? '', b.target.nodePath ?? '') ||
      byCodeUnit(a.rule, b.rule),
  );
}

/** Runs the synchronous tips over an enriched plan; a failing tip is an internal error naming it. */
export function runPlanTips(plan: EnrichedPlan, options: Omit<RunTipsOptions, 'providers'> = {}): Finding[] {
  const context: PlanTipContext = { plan, sql: options.sql ?? plan.plan.queryText, catalog: options.catalog ?? null };
  const out: Finding[] = [];
  for (const tip of options.tips ?? PLAN_TIPS) {
    try {
      out.push(...tip.check(context));
    } catch (error) {
      throw new DbOptimizeError('E_TIP', 'internal', `plan tip ${tip.id} failed: ${(error as Error).message}`, { cause: error });
    }
  }
  return rankTipFindings(out);
}

/** Tips plus asynchronous providers (advisor, rewriter), merged and ranked. */
export async function runPlanTipsWithProviders(plan: EnrichedPlan, options: RunTipsOptions = {}): Promise<Finding[]> {
  const findings = runPlanTips(plan, options);
  const context: PlanTipContext = { plan, sql: options.sql ?? plan.plan.queryText, catalog: options.catalog ?? null };
  for (const p of options.providers ?? []) findings.push(...(await p.provide(context)));
  return rankTipFindings(findings);
}
