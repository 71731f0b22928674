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
  /** threshold overrides by "<tip id>.<name>" */
  readonly thresholds?: Readonly<Record<string, number>>;
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

function indexColumnsOf(f: Finding): string[] | null {
  const cols = f.evidence.indexColumns;
  const def = f.evidence.indexDefinition;
  if (!Array.isArray(cols) || typeof def !== 'string' || def.includes(' INCLUDE ')) return null;
  return cols.filter((c): c is string => typeof c === 'string');
}

/**
 * Two tips on one relation may propose (a) and (a, b): one index on (a, b) serves both, so the
 * narrower proposal says so instead of inviting a second, redundant index.
 */
export function noteSubsumedIndexes(findings: readonly Finding[]): Finding[] {
  return findings.map((f) => {
    const mine = indexColumnsOf(f);
    if (mine === null || f.target.relation === undefined) return f;
    const wider = findings.find((g) => {
      if (g === f || g.target.relation !== f.target.relation) return false;
      const theirs = indexColumnsOf(g);
      return theirs !== null && theirs.length > mine.length && mine.every((c, i) => theirs[i] === c);
    });
    if (wider === undefined) return f;
    const cols = (indexColumnsOf(wider) ?? []).join(', ');
    const note = `the index on ${f.target.relation}(${cols}) proposed for node ${wider.target.nodePath ?? '?'} serves this too: create that one, not both`;
    return { ...f, evidence: { ...f.evidence, subsumedBy: String(wider.evidence.indexDefinition) }, nextSteps: [...(f.nextSteps ?? []), note] };
  });
}

/** Runs the synchronous tips over an enriched plan; a failing tip is an internal error naming it. */
export function runPlanTips(plan: EnrichedPlan, options: Omit<RunTipsOptions, 'providers'> = {}): Finding[] {
  const context: PlanTipContext = {
    plan,
    sql: options.sql ?? plan.plan.queryText,
    catalog: options.catalog ?? null,
    ...(options.thresholds === undefined ? {} : { thresholds: options.thresholds }),
  };
  const out: Finding[] = [];
  for (const tip of options.tips ?? PLAN_TIPS) {
    try {
      out.push(...tip.check(context));
    } catch (error) {
      throw new DbOptimizeError('E_TIP', 'internal', `plan tip ${tip.id} failed: ${(error as Error).message}`, { cause: error });
    }
  }
  return rankTipFindings(noteSubsumedIndexes(out));
}

/** Tips plus asynchronous providers (advisor, rewriter), merged and ranked. */
export async function runPlanTipsWithProviders(plan: EnrichedPlan, options: RunTipsOptions = {}): Promise<Finding[]> {
  const findings = runPlanTips(plan, options);
  const context: PlanTipContext = { plan, sql: options.sql ?? plan.plan.queryText, catalog: options.catalog ?? null };
  for (const p of options.providers ?? []) findings.push(...(await p.provide(context)));
  return rankTipFindings(findings);
}
