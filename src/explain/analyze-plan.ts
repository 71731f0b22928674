import type { Finding } from '../model/index.ts';
import { enrichPlan } from './enrich-plan.ts';
import type { EnrichedPlan } from './enrich-plan.ts';
import { parsePlan } from './parse-plan.ts';
import { runPlanTips } from './tip-engine.ts';
import type { PlanCatalog, PlanTip } from './tips/index.ts';

export interface PlanAnalysis {
  readonly plan: EnrichedPlan;
  /** ranked by estimated time saved */
  readonly findings: readonly Finding[];
}

/**
 * Parse → enrich → tips, all pure: the offline half of the slow query doctor. Call
 * `initSqlParser()` once before (tips parse plan conditions with the PostgreSQL grammar).
 */
export function analyzePlan(
  input: string | Uint8Array,
  options: {
    source?: string;
    sql?: string | null;
    catalog?: PlanCatalog | null;
    tips?: readonly PlanTip[];
    /** threshold overrides by "<tip id>.<name>" */
    thresholds?: Readonly<Record<string, number>>;
  } = {},
): PlanAnalysis {
  const plan = enrichPlan(parsePlan(input, options.source === undefined ? {} : { source: options.source }));
  const findings = runPlanTips(plan, {
    sql: options.sql ?? plan.plan.queryText,
    catalog: options.catalog ?? null,
    ...(options.tips === undefined ? {} : { tips: options.tips }),
    ...(options.thresholds === undefined ? {} : { thresholds: options.thresholds }),
  });
  return { plan, findings };
}
