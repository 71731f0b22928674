import { createIndexesConcurrently } from '../advisor/apply-indexes-db.ts';
import type { AdvisorResult } from '../advisor/types.ts';
import type { Database } from '../collect/connection.ts';
import type { Snapshot } from '../model/index.ts';
import { rewriteAndVerify } from '../rewrite/rewrite-and-verify.ts';
import { schemaFactsFromSnapshot } from '../rewrite/schema-facts.ts';
import { redactSql } from '../sql/index.ts';
import type { ReplayItem } from './replay-plan.ts';

/** One piece of advice applied to the copy (the `validation.applied` entries). */
export interface AppliedAdvice {
  readonly kind: 'index' | 'drop-index' | 'rewrite' | 'setting';
  readonly sql: string;
  readonly ok: boolean;
  readonly name?: string;
  readonly fingerprint?: string | null;
  readonly ms?: number;
  readonly note?: string;
  readonly error?: string;
}

/** A verified rewrite the after-replay runs instead of the original. */
export interface ReplayRewrite {
  readonly sql: string;
  readonly rule: string;
  /** values of parameters the rewrite adds after the original's */
  readonly extraParams: readonly (string | null)[];
}

/**
 * The advisor's indexes, built exactly as `indexes --create` builds them (CONCURRENTLY, invalid
 * builds dropped), and its redundant-index drops — on the copy only.
 */
export async function applyIndexAdvice(copy: Database, result: AdvisorResult, log: (m: string) => void): Promise<AppliedAdvice[]> {
  const out: AppliedAdvice[] = [];
  const created = await createIndexesConcurrently(copy, result.indexes, { onProgress: log });
  for (const c of created) {
    out.push({ kind: 'index', name: c.name, sql: c.ddl, ok: c.ok, ms: Math.round(c.ms), ...(c.error === undefined ? {} : { error: c.error }) });
  }
  for (const d of result.drops) {
    const sql = `DROP INDEX ${d.index.qualifiedName};`;
    const t0 = performance.now();
    try {
      await copy.withClient(async (c) => {
        await c.query('SET default_transaction_read_only = off');
        await c.query(sql);
      });
      out.push({ kind: 'drop-index', name: d.index.qualifiedName, sql, ok: true, ms: Math.round(performance.now() - t0), note: `replaced by ${d.replacedBy}` });
    } catch (error) {
      out.push({ kind: 'drop-index', name: d.index.qualifiedName, sql, ok: false, error: (error as Error).message });
    }
  }
  return out;
}

/**
 * Runs the rewrite rules on each replayed statement and verifies them on the copy (same rows,
 * cheaper plan). Only a verified, result-preserving rewrite replaces its statement in the
 * after-replay; keyset pagination (which needs a value from the previous page) is left out.
 */
export async function findVerifiedRewrites(
  copy: Database,
  items: readonly ReplayItem[],
  snapshot: Snapshot,
  options: { showLiterals: boolean; log: (m: string) => void },
): Promise<{ rewrites: Map<string, ReplayRewrite>; applied: AppliedAdvice[] }> {
  const facts = schemaFactsFromSnapshot(snapshot);
  const rewrites = new Map<string, ReplayRewrite>();
  const applied: AppliedAdvice[] = [];
  for (const item of items) {
    try {
      const outcome = await rewriteAndVerify(copy, item.sql, { facts, verify: { rowCap: 10_000, analyze: false } });
      const best = outcome.rewrites.find((r) => r.status === 'verified' && r.semantics === 'equivalent' && r.after !== null && r.probe === undefined);
      if (best === undefined || best.after === null) continue;
      rewrites.set(item.id, { sql: best.after, rule: best.rule, extraParams: best.afterParams ?? [] });
      applied.push({
        kind: 'rewrite',
        name: best.rule,
        fingerprint: item.fingerprint,
        sql: options.showLiterals ? best.after : redactSql(best.after),
        ok: true,
        note: best.title,
      });
    } catch (error) {
      options.log(`rewrite of ${item.fingerprint ?? item.id} not checked: ${(error as Error).message}`);
    }
  }
  return { rewrites, applied };
}
