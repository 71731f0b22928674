import type { Finding, Fix, ProblemFix } from '../model/index.ts';

/** What a fix does, in the order the issue prefers among equally good verified fixes. */
export type FixCategory = ProblemFix['category'];

const CATEGORY_ORDER: Readonly<Record<FixCategory, number>> = { index: 0, rewrite: 1, config: 2, code: 3, schema: 4, other: 5 };

/** Findings that describe an option we considered and rejected: their fix is not advice. */
const NOT_ADVICE = /-(proposal|decision|skipped)$/;

export function fixCategory(f: Finding, fix: Fix): FixCategory {
  if (/^\s*(CREATE\s+(UNIQUE\s+)?INDEX|DROP\s+INDEX|REINDEX)/im.test(fix.content)) return 'index';
  if (fix.kind === 'config') return 'config';
  if (fix.kind === 'code') return 'code';
  if (fix.kind === 'migration' || /^\s*ALTER\s+TABLE/im.test(fix.content)) return 'schema';
  if (f.target.kind === 'statement' && /^\s*(SELECT|WITH|UPDATE|DELETE|INSERT)\b/i.test(fix.content)) return 'rewrite';
  return 'other';
}

/** Database time a finding's fix saves per day: its own estimate, else its share of the workload's time. */
export function fixSavingMsPerDay(f: Finding, workloadMsPerDay: number | null): number {
  if (f.impact.msPerDay !== undefined && f.impact.msPerDay > 0) return f.impact.msPerDay;
  if (f.impact.workloadShare !== undefined && workloadMsPerDay !== null) return f.impact.workloadShare * workloadMsPerDay;
  return 0;
}

/** A fix that is advice (not a rejected proposal) and whose SQL/config is something to apply. */
export function isAdvice(f: Finding): f is Finding & { fix: Fix } {
  return f.fix !== undefined && !NOT_ADVICE.test(f.rule) && f.fix.safety !== 'dangerous';
}

/**
 * The best fix among a problem's findings: verified before unverified, then the larger
 * estimated saving, then index, rewrite, config, code, schema.
 */
export function chooseFix(members: readonly number[], findings: readonly Finding[], workloadMsPerDay: number | null): ProblemFix | null {
  let best: { i: number; f: Finding & { fix: Fix }; saving: number; cat: FixCategory } | null = null;
  for (const i of members) {
    const f = findings[i];
    if (f === undefined || !isAdvice(f)) continue;
    const cand = { i, f, saving: fixSavingMsPerDay(f, workloadMsPerDay), cat: fixCategory(f, f.fix) };
    if (
      best === null ||
      (cand.f.fix.verified && !best.f.fix.verified) ||
      (cand.f.fix.verified === best.f.fix.verified &&
        (cand.saving > best.saving || (cand.saving === best.saving && CATEGORY_ORDER[cand.cat] < CATEGORY_ORDER[best.cat])))
    ) {
      best = cand;
    }
  }
  return best === null ? null : { ...best.f.fix, finding: best.i, rule: best.f.rule, category: best.cat };
}
