import type { Finding } from '../model/index.ts';
import type { WhatIfEngine } from '../whatif/index.ts';
import type { ParameterInfo } from './run-explain.ts';

export interface IndexVerification {
  readonly rule: string;
  readonly nodePath: string | null;
  readonly indexDefinition: string;
  readonly costBefore: number;
  readonly costAfter: number;
  readonly used: boolean;
  readonly verified: boolean;
}

/** A finding's candidate index, when its tip proposed one. */
export function indexDefinitionOf(f: Finding): string | null {
  const d = f.evidence.indexDefinition;
  return typeof d === 'string' && d.startsWith('CREATE INDEX') ? d : null;
}

function costText(c: number): string {
  return c >= 100 ? String(Math.round(c)) : String(Math.round(c * 100) / 100);
}

function pct(before: number, after: number): string {
  if (before <= 0) return '0 %';
  return `${Math.round(((before - after) / before) * 1000) / 10} %`;
}

/**
 * Checks every proposed index with the what-if engine (HypoPG): a fix is verified only when the
 * planner picks the hypothetical index and the statement's cost drops by at least minGain.
 * Otherwise the fix stays, marked unverified with the planner's answer, and the finding drops
 * to info: advice the planner would ignore must not rank above what it would act on.
 */
export async function verifyIndexTips(
  findings: readonly Finding[],
  engine: WhatIfEngine,
  sql: string,
  parameters: ParameterInfo,
  minGain = 0.1,
): Promise<{ findings: Finding[]; verifications: IndexVerification[] }> {
  const options = parameters.mode === 'sampled' || parameters.mode === 'given' ? { params: parameters.values } : {};
  const base = await engine.cost(sql, {}, options);
  const out: Finding[] = [];
  const verifications: IndexVerification[] = [];
  for (const f of findings) {
    const def = indexDefinitionOf(f);
    if (def === null || f.fix === undefined || f.evidence.verifyBy === 'sandbox') {
      out.push(f);
      continue;
    }
    const withIndex = await engine.cost(sql, { create: [def] }, options);
    const used = withIndex.usedIndexes.some((name) => name.startsWith('<'));
    const gain = base.totalCost > 0 ? (base.totalCost - withIndex.totalCost) / base.totalCost : 0;
    const verified = used && gain >= minGain;
    const costs = `cost ${costText(base.totalCost)} → ${costText(withIndex.totalCost)} (−${pct(base.totalCost, withIndex.totalCost)})`;
    verifications.push({ rule: f.rule, nodePath: f.target.nodePath ?? null, indexDefinition: def, costBefore: base.totalCost, costAfter: withIndex.totalCost, used, verified });
    const verification = verified
      ? `HypoPG ${engine.hypopgVersion}: the planner uses the hypothetical index; ${costs}`
      : used
        ? `HypoPG ${engine.hypopgVersion}: the planner uses the index but the cost barely moves (${costs}); not worth it as proposed`
        : `HypoPG ${engine.hypopgVersion}: the planner would not use this index (${costs}); not recommended as is`;
    out.push({
      ...f,
      severity: verified ? f.severity : 'info',
      impact: {
        ...f.impact,
        costBefore: Math.round(base.totalCost * 100) / 100,
        costAfter: Math.round(withIndex.totalCost * 100) / 100,
        ...(verified ? {} : { score: 0, summary: `not confirmed by the planner: ${f.impact.summary}` }),
      },
      evidence: { ...f.evidence, whatIfCostBefore: base.totalCost, whatIfCostAfter: withIndex.totalCost, whatIfIndexUsed: used },
      fix: { ...f.fix, verified, verification },
    });
  }
  return { findings: out, verifications };
}
