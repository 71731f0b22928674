import type { RewriteCandidate } from './rule.ts';
import { describeDbError, round } from './run-statements.ts';
import type { Verification, VerifyOptions } from './verification.ts';

/**
 * An index proposal leaves the statement as it is, so its rows cannot change: it is verified when
 * the planner, given the index hypothetically (HypoPG), picks it and the cost drops. HypoPG does
 * not model GIN/GiST costs faithfully, so only btree proposals are costed.
 */
export async function verifyIndexProposal(original: string, candidate: RewriteCandidate, options: VerifyOptions, base: Omit<Verification, 'status' | 'reasons' | 'parses' | 'plans'>): Promise<Verification> {
  const ddl = (candidate.proposal ?? '').split('\n').find((l) => /^CREATE INDEX/i.test(l)) ?? '';
  const unverified = (reason: string): Verification => ({ ...base, status: 'unverified', parses: true, plans: null, reasons: [`index proposal: ${reason}`] });
  if (/USING\s+(gin|gist|brin|hash)/i.test(ddl)) return unverified('HypoPG does not model GIN/GiST costs; build the index on a staging copy and compare EXPLAIN');
  if (options.whatIf === null || options.whatIf === undefined) return unverified('HypoPG is not installed, so the index cannot be costed hypothetically; build it on a staging copy and compare EXPLAIN');
  const hypothetical = ddl.replace(/\s+CONCURRENTLY/i, '').replace(/;\s*$/, '');
  try {
    const before = await options.whatIf.cost(original);
    const after = await options.whatIf.cost(original, { create: [hypothetical] });
    const ratio = options.cheaperRatio ?? 0.98;
    const cheaper = after.totalCost < before.totalCost * ratio && after.usedIndexes.some((i) => /^<\d+>/.test(i));
    return {
      ...base,
      costBefore: round(before.totalCost),
      costAfter: round(after.totalCost),
      status: cheaper ? 'verified' : 'unverified',
      parses: true,
      plans: true,
      reasons: cheaper ? [] : [`index proposal: not cheaper with the index created hypothetically (HypoPG planner cost ${round(before.totalCost)} → ${round(after.totalCost)})`],
    };
  } catch (error) {
    return unverified(`HypoPG could not cost it: ${describeDbError(error)}`);
  }
}

