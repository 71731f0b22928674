import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding, WorkloadStatement } from '../../../model/index.ts';
import { onePerRule } from '../../../rewrite/one-per-rule.ts';
import type { RewriteVerifier } from '../../../rewrite/rewrite-verifier.ts';
import { rewriteStatement } from '../../../rewrite/rewrite-statement.ts';
import type { StaticRewrite } from '../../../rewrite/rewrite-statement.ts';
import type { SchemaFacts } from '../../../rewrite/schema-facts.ts';
import { schemaFactsFromSnapshot } from '../../../rewrite/schema-facts.ts';
import { parseSql } from '../../../sql/index.ts';
import { supportingIndexes } from '../../../rewrite/supporting-indexes.ts';
import type { Verification } from '../../../rewrite/verification.ts';
import type { WhatIfEngine } from '../../../whatif/what-if-engine.ts';
import { round } from '../../../format/format.ts';
import { perDay } from '../../snapshot-lookup.ts';

interface Costs {
  readonly costBefore: number;
  readonly costAfter: number;
  /** planner cost once the indexes the original needs exist (HypoPG) */
  readonly withIndexes?: { readonly indexes: readonly string[]; readonly costBefore: number; readonly costAfter: number };
}

async function plannerCosts(whatIf: WhatIfEngine | null, before: string, after: string | null, facts: SchemaFacts): Promise<Costs | null> {
  if (whatIf === null || after === null) return null;
  try {
    const b = await whatIf.cost(before);
    const a = await whatIf.cost(after);
    const indexes = supportingIndexes(parseSql(before).stmts?.[0]?.stmt, facts).map((i) => i.definition);
    // real builds (the demo's sandbox) cost seconds each: the verifier checks the top rewrites with the index within its budget
    if (indexes.length === 0 || whatIf.backend !== 'hypopg') return { costBefore: round(b.totalCost), costAfter: round(a.totalCost) };
    const bi = await whatIf.cost(before, { create: indexes });
    const ai = await whatIf.cost(after, { create: indexes });
    return { costBefore: round(b.totalCost), costAfter: round(a.totalCost), withIndexes: { indexes, costBefore: round(bi.totalCost), costAfter: round(ai.totalCost) } };
  } catch {
    // parameterized texts plan only with GENERIC_PLAN (PostgreSQL 16+); no cost then
    return null;
  }
}

function statementLabel(s: WorkloadStatement): string {
  return s.text.replace(/\s+/g, ' ').slice(0, 60);
}

/** Share of the original's cost the rewrite saves, counting only what it still saves once the advised indexes exist. */
function savedShare(costs: Costs | null): number {
  if (costs === null || costs.costBefore <= 0) return 0;
  const now = Math.max(0, (costs.costBefore - costs.costAfter) / costs.costBefore);
  const w = costs.withIndexes;
  if (w === undefined || w.costBefore <= 0) return now;
  return Math.min(now, Math.max(0, (w.costBefore - w.costAfter) / w.costBefore));
}

function staticReason(c: StaticRewrite, costs: Costs | null, verifier: RewriteVerifier | null): string {
  if (c.semantics === 'changes-results') return `changes results by design: ${c.semanticsNote ?? ''}`;
  if (c.semantics === 'index-proposal') return 'index proposal: not built or measured here';
  const w = costs?.withIndexes;
  if (w !== undefined && !(w.costAfter < w.costBefore)) return `not cheaper once ${w.indexes.join('; ')} exists (HypoPG planner cost ${w.costBefore} → ${w.costAfter})`;
  return verifier === null ? 'static rewrite: results were not compared (no database session for verification)' : 'not among the rewrites verified within the budget (raise verifyTop)';
}

interface Candidate {
  readonly s: WorkloadStatement;
  readonly sql: string;
  readonly c: StaticRewrite;
  readonly rule: string;
  readonly costs: Costs | null;
  readonly msPerDay: number;
  readonly share: number;
  readonly alternatives: number;
}

function finding(x: Candidate, v: Verification | null, reason: string): Finding {
  const { s, c, costs } = x;
  const verified = v?.status === 'verified';
  return {
    rule: c.rule,
    severity: c.severity,
    title: `${c.title} — in: ${statementLabel(s)}`,
    target: { kind: 'statement', ...(s.fingerprint === null ? {} : { fingerprint: s.fingerprint }), ...(s.queryId === undefined ? {} : { queryId: s.queryId }) },
    evidence: {
      query: s.text,
      calls: s.calls,
      totalTimeMs: round(s.totalTimeMs),
      meanTimeMs: round(s.meanTimeMs, 3),
      semantics: c.semantics,
      status: verified ? 'verified' : 'unverified',
      ...(x.alternatives === 0 ? {} : { otherFormsOfThisRewrite: x.alternatives }),
      preconditions: c.preconditions.map((p) => `${p.holds === true ? 'holds' : p.holds === false ? 'fails' : 'unknown'}: ${p.fact}`),
      ...(costs === null ? {} : { costBefore: costs.costBefore, costAfter: costs.costAfter }),
      ...(costs?.withIndexes === undefined ? {} : { withIndexes: { indexes: [...costs.withIndexes.indexes], costBefore: costs.withIndexes.costBefore, costAfter: costs.withIndexes.costAfter } }),
      ...(v?.restricted === undefined || v.restricted === null ? {} : { proven: v.restricted.summary }),
      ...(v?.measured === undefined || v.measured === null ? {} : { measuredBeforeMs: v.measured.beforeMs, measuredAfterMs: v.measured.afterMs, measuredOn: v.measured.on }),
    },
    impact: {
      score: x.msPerDay,
      summary: costs === null ? `not measured (static; ${s.calls} calls): ${reason.split(':')[0]}` : `planner cost ${costs.costBefore} → ${costs.costAfter} (${Math.round(x.share * 100)} % less) on a statement taking ${round(s.totalTimeMs)} ms in total`,
      ...(costs === null ? {} : { costBefore: costs.costBefore, costAfter: costs.costAfter, msPerDay: round(x.msPerDay, 1) }),
    },
    description: c.explanation,
    nextSteps: verified ? [] : [`verify on the database: db-optimize rewrite --db URL ${JSON.stringify(x.sql.replace(/\s+/g, ' '))}`],
    fix: {
      kind: 'sql',
      content: c.afterFormatted ?? c.proposal ?? '',
      safety: verified && c.semantics === 'equivalent' ? 'safe' : 'review',
      verified,
      verification: verified ? (v?.restricted?.summary ?? 'same rows on the database, planned cheaper (also with the indexes the original needs)') : reason,
    },
  };
}

export const queryRewrites = defineAnalyzer({
  id: 'query-rewrites',
  phase: 'optimize',
  title: 'Query rewrite candidates in the workload',
  description: [
    "Runs the rewrite rules (db-optimize rewrite) over the workload's SELECT statements with the catalog facts of the snapshot,",
    'one finding per rule and statement. With the what-if session open, candidates are costed before/after and with the indexes',
    "the original needs; the top ones (by estimated gain) are verified through the engine's rewrite verifier — same rows (on",
    'subsets of the outer table when the original is too slow), cheaper — within one time budget.',
  ].join(' '),
  depth: 4,
  requires: { workload: true, rewriteVerifier: true },
  options: {
    limit: { default: 20, description: 'statements to examine, by total time' },
    minShare: { default: 0.001, description: 'ignore statements below this share of total time' },
    verifyTop: { default: 3, description: 'rewrites (by estimated gain) verified on the database within the verification budget' },
    verifyBudgetSeconds: { default: 60, description: 'time bound for this analyzer: costing the candidates and verifying the top ones; the rest are reported unverified with the reason' },
  },
  async run({ snapshot, workload, whatIf, options, rewriteVerifier }) {
    const statements = (workload?.statements ?? []).filter((s) => s.fingerprint !== null && /^\s*(WITH|SELECT|\()/i.test(s.sample ?? s.text));
    const total = statements.reduce((sum, s) => sum + s.totalTimeMs, 0);
    const facts = schemaFactsFromSnapshot(snapshot);
    const windowSeconds = workload?.windowSeconds ?? null;
    const verifier = rewriteVerifier ?? null;
    verifier?.start(options.verifyBudgetSeconds * 1000);
    const chosen = [...statements].sort((a, b) => b.totalTimeMs - a.totalTimeMs || b.calls - a.calls).filter((s) => total <= 0 || s.totalTimeMs / total >= options.minShare).slice(0, options.limit);
    const all: Candidate[] = [];
    for (const s of chosen) {
      const sql = s.sample ?? s.text;
      let candidates: readonly StaticRewrite[];
      try {
        candidates = rewriteStatement(sql, { facts }).candidates;
      } catch {
        continue;
      }
      const costed: Omit<Candidate, 'alternatives'>[] = [];
      for (const c of candidates) {
        const costs = await plannerCosts(whatIf, sql, c.after, facts);
        const share = savedShare(costs);
        const savedMs = s.totalTimeMs * share;
        costed.push({ s, sql, c, rule: c.rule, costs, share, msPerDay: windowSeconds === null ? savedMs : perDay(savedMs, windowSeconds) });
      }
      for (const { item, alternatives } of onePerRule(costed, (x) => [x.costs?.costAfter ?? Number.POSITIVE_INFINITY])) all.push({ ...item, alternatives });
    }
    // the biggest estimated gains are verified first, each with an equal share of the budget left
    const toVerify = verifier === null ? [] : [...all].filter((x) => x.c.semantics === 'equivalent' && x.c.after !== null).sort((a, b) => b.msPerDay - a.msPerDay).slice(0, options.verifyTop);
    const findings: Finding[] = [];
    for (const x of all) {
      const i = toVerify.indexOf(x);
      if (i < 0 || verifier === null) {
        findings.push(finding(x, null, staticReason(x.c, x.costs, verifier)));
        continue;
      }
      const v = await verifier.verify(x.sql, x.c, 1 / (toVerify.length - i));
      findings.push(finding(x, v, v.status === 'verified' ? '' : v.reasons.join('; ')));
    }
    return findings;
  },
});
