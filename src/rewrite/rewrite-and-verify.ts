import type { Database } from '../collect/connection.ts';
import type { Finding, JsonValue, ReportSection } from '../model/index.ts';
import { wrap } from '../format/wrap.ts';
import type { RejectedRewrite, RuleOptions } from './rule.ts';
import { rewriteStatement } from './rewrite-statement.ts';
import type { StatementRewrites, StaticRewrite } from './rewrite-statement.ts';
import type { SchemaFacts } from './schema-facts.ts';
import { onePerRule } from './one-per-rule.ts';
import { sideBySide } from './side-by-side.ts';
import type { RestrictedProof } from './verify-restricted.ts';
import type { Verification, VerifyOptions, VerifySession } from './verify.ts';
import { verifyRewrite } from './verify.ts';
import { DEFAULT_VERIFY_BUDGET_MS, seconds, VerifyBudget } from './verify-budget.ts';

export interface CheckedRewrite extends StaticRewrite {
  readonly status: 'verified' | 'unverified';
  readonly verification: Verification | null;
  /** why it is not verified */
  readonly reasons: readonly string[];
}

export interface RewriteOutcome {
  readonly statement: StatementRewrites;
  readonly rewrites: readonly CheckedRewrite[];
  readonly rejected: readonly RejectedRewrite[];
}

export interface RewriteAndVerifyOptions {
  readonly facts: SchemaFacts | null;
  readonly ruleOptions?: Partial<RuleOptions>;
  readonly verify?: Omit<VerifyOptions, 'facts'>;
  readonly origin?: string;
}

export const STATIC_REASON = 'static rewrite: no database to compare results and cost (pass --db)';

/** Rules, then (with a database) verification of every candidate. */
export async function rewriteAndVerify(db: Database | null, sql: string, options: RewriteAndVerifyOptions): Promise<RewriteOutcome> {
  const statement = rewriteStatement(sql, { facts: options.facts, ...(options.ruleOptions === undefined ? {} : { options: options.ruleOptions }), ...(options.origin === undefined ? {} : { origin: options.origin }) });
  const rewrites: CheckedRewrite[] = [];
  // one budget for the statement, shared by its rewrites in turn
  const total = new VerifyBudget(options.verify?.budgetMs ?? DEFAULT_VERIFY_BUDGET_MS);
  let originalTooSlow: string | null = null;
  const checked = statement.candidates.filter((c) => c.after !== null || c.proposal !== undefined).length;
  let index = 0;
  for (const c of statement.candidates) {
    if (db === null || options.verify === undefined) {
      const reasons = [STATIC_REASON];
      if (c.semantics === 'changes-results') reasons.unshift(`changes results by design: ${c.semanticsNote ?? ''}`);
      rewrites.push({ ...c, status: 'unverified', verification: null, reasons });
      continue;
    }
    // up to half of what is left (and never less than an equal share): later rewrites of a slow
    // original usually end quickly (not cheaper, or the original's slowness is already known)
    const share = total.remainingMs() * Math.max(0.5, 1 / Math.max(1, checked - index++));
    if (share < 500) {
      rewrites.push({ ...c, status: 'unverified', verification: null, reasons: [`not verified: the verification budget of ${seconds(total.totalMs)} was spent on the earlier rewrites of this statement (raise --verify-budget)`] });
      continue;
    }
    const session: VerifySession = { budget: new VerifyBudget(share), originalTooSlow };
    const v = await verifyRewrite(db, sql, c, { ...options.verify, facts: options.facts, session });
    originalTooSlow = session.originalTooSlow;
    rewrites.push({ ...c, status: v.status, verification: v, reasons: v.reasons });
  }
  return { statement, rewrites, rejected: statement.rejected };
}

function speedUp(before: number, after: number): string {
  if (!(after > 0) || !(before > after)) return '';
  const x = before / after;
  return ` (${x >= 10 ? Math.round(x) : x.toFixed(1)}× faster)`;
}

function restrictedLines(p: RestrictedProof, width: number): string[] {
  const out = [...wrap(p.summary, width, '  '), ...wrap(`why: ${p.why}`, width, '    '), ...wrap(`how: ${p.method}`, width, '    ')];
  for (const s of p.samples) out.push(...wrap(`sample ${s.seed}${s.part === 'rest' ? ', other rows' : ''} (${s.percent} %${s.paramSet === 'no parameters' ? '' : `, ${s.paramSet}`}): ${s.rowsBefore} rows before, ${s.rowsAfter} after, ${s.equal ? 'identical' : 'DIFFERENT'}; ${s.beforeMs} ms → ${s.afterMs} ms`, width, '    '));
  if (p.stopped !== null) out.push(...wrap(`stopped: ${p.stopped}`, width, '    '));
  return out;
}

function rowText(row: readonly (string | null)[]): string {
  return `(${row.map((v) => (v === null ? 'NULL' : v)).join(', ')})`;
}

/** Pre-rendered lines: side-by-side SQL, rule, preconditions, evidence. */
export function rewriteSections(outcome: RewriteOutcome, width: number): ReportSection[] {
  const sections: ReportSection[] = [];
  outcome.rewrites.forEach((r, i) => {
    const lines: string[] = [];
    lines.push(...wrap(r.title, width, ''), `rule: ${r.rule} (${r.semantics})`, `status: ${r.status.toUpperCase()}${r.reasons.length > 0 ? '' : r.semantics === 'index-proposal' ? ' — statement unchanged, cheaper with the index (HypoPG)' : r.verification?.restricted !== undefined && r.verification.restricted !== null ? ` — ${r.verification.restricted.summary}, cheaper` : ' — same rows, cheaper'}`);
    for (const reason of r.reasons) lines.push(...wrap(`· ${reason}`, width, '  '));
    lines.push('');
    if (r.after !== null) lines.push(...sideBySide(outcome.statement.original, r.after, width));
    if (r.proposal !== undefined) lines.push('proposed:', ...r.proposal.split('\n').flatMap((l) => wrap(l, width, '  ')));
    lines.push('', 'preconditions:');
    for (const p of r.preconditions) lines.push(...wrap(`${p.holds === true ? '✓' : p.holds === false ? '✗' : '?'} ${p.fact} [${p.source}]`, width, '  '));
    const v = r.verification;
    if (v !== null) {
      lines.push('', 'evidence:');
      if (v.costBefore !== null) lines.push(`  ${r.semantics === 'index-proposal' ? 'planner cost with the index created hypothetically (HypoPG)' : 'planner cost'}: ${v.costBefore} → ${v.costAfter}`);
      if (v.timeBeforeMs !== null) lines.push(`  measured (median of 3): ${v.timeBeforeMs} ms → ${v.timeAfterMs} ms`);
      if (v.measured !== undefined && v.measured !== null) lines.push(...wrap(`measured while comparing, on ${v.measured.on}: ${v.measured.beforeMs} ms → ${v.measured.afterMs} ms${speedUp(v.measured.beforeMs, v.measured.afterMs)}`, width, '  '));
      if (v.withIndexes !== undefined && v.withIndexes !== null) lines.push(...wrap(`planner cost with ${v.withIndexes.indexes.join('; ')} (${v.withIndexes.how}): ${v.withIndexes.costBefore} → ${v.withIndexes.costAfter}`, width, '  '));
      if (v.sample !== null) lines.push(`  compared on a sample: ${v.sample.method}`);
      if (v.restricted !== undefined && v.restricted !== null) lines.push(...restrictedLines(v.restricted, width));
      if (v.elapsedMs !== undefined && v.budgetMs !== undefined) lines.push(`  verification took ${seconds(v.elapsedMs)} of a ${seconds(v.budgetMs)} budget`);
      for (const c of v.comparisons) {
        lines.push(`  ${c.paramSet}${c.params.length > 0 ? ` [${c.params.map((p) => p ?? 'NULL').join(', ')}]` : ''}: ${c.rowsBefore} rows before, ${c.rowsAfter} after, ${c.ordered ? 'ordered' : 'multiset'} comparison: ${c.equal ? 'identical' : 'DIFFERENT'}${c.truncated ? ' (row cap reached)' : ''}`);
        for (const row of c.onlyBefore) lines.push(`    original only: ${rowText(row)}`);
        for (const row of c.onlyAfter) lines.push(`    rewrite only:  ${rowText(row)}`);
      }
    }
    for (const hint of r.codeHints ?? []) lines.push(`  ORM: ${hint}`);
    sections.push({ id: `rewrite-${i + 1}`, title: `Rewrite ${i + 1} of ${outcome.rewrites.length}: ${r.rule}`, lines });
  });
  if (outcome.rewrites.length === 0) {
    sections.push({ id: 'no-rewrite', title: 'No rewrite', lines: [outcome.statement.noRuleReason ?? 'no rule applies to this statement'] });
  }
  if (outcome.rejected.length > 0) {
    sections.push({ id: 'rejected', title: 'Rules considered and not applied', lines: outcome.rejected.flatMap((r) => wrap(`- ${r.rule}: ${r.reason}`, width, '')) });
  }
  return sections;
}

/** One finding per rewrite, so --fail-on and the other renderers work as for every command. */
export function rewriteFindings(outcome: RewriteOutcome): Finding[] {
  const chosen = onePerRule(outcome.rewrites, (r) => [r.status === 'verified' ? 0 : 1, r.verification?.costAfter ?? Number.POSITIVE_INFINITY]);
  return chosen.map(({ item: r, alternatives }) => {
    const v = r.verification;
    const saved = v !== null && v.costBefore !== null && v.costAfter !== null ? Math.max(0, v.costBefore - v.costAfter) : 0;
    return {
      rule: r.rule,
      severity: r.severity,
      title: r.title,
      target: { kind: 'statement', ...(outcome.statement.fingerprint === null ? {} : { fingerprint: outcome.statement.fingerprint }) },
      evidence: {
        semantics: r.semantics,
        status: r.status,
        ...(alternatives === 0 ? {} : { otherFormsOfThisRewrite: alternatives }),
        preconditions: r.preconditions.map((p) => `${p.holds === true ? 'holds' : p.holds === false ? 'fails' : 'unknown'}: ${p.fact}`),
        ...(v === null
          ? {}
          : {
              costBefore: v.costBefore,
              costAfter: v.costAfter,
              timeBeforeMs: v.timeBeforeMs,
              timeAfterMs: v.timeAfterMs,
              comparisons: v.comparisons.map((c) => ({ paramSet: c.paramSet, rowsBefore: c.rowsBefore, rowsAfter: c.rowsAfter, equal: c.equal, ordered: c.ordered })) as JsonValue,
              ...(v.restricted === undefined || v.restricted === null ? {} : { proven: v.restricted.summary, restrictedBecause: v.restricted.why }),
              ...(v.measured === undefined || v.measured === null ? {} : { measuredBeforeMs: v.measured.beforeMs, measuredAfterMs: v.measured.afterMs, measuredOn: v.measured.on }),
              ...(v.withIndexes === undefined || v.withIndexes === null ? {} : { withIndexes: { indexes: [...v.withIndexes.indexes], how: v.withIndexes.how, costBefore: v.withIndexes.costBefore, costAfter: v.withIndexes.costAfter } }),
            }),
      },
      impact: {
        score: saved,
        summary:
          v === null || v.costBefore === null
            ? `not measured: ${v === null ? 'static rewrite (no database)' : (r.reasons[0] ?? 'no cost')}`
            : `planner cost ${v.costBefore} → ${v.costAfter}${v.timeBeforeMs !== null ? `, measured ${v.timeBeforeMs} ms → ${v.timeAfterMs} ms` : ''}`,
        ...(v?.costBefore === null || v === null ? {} : { costBefore: v.costBefore, costAfter: v.costAfter ?? v.costBefore }),
      },
      description: r.explanation,
      fix: {
        kind: 'sql',
        content: r.afterFormatted ?? r.proposal ?? '',
        safety: r.semantics === 'equivalent' ? 'safe' : 'review',
        verified: r.status === 'verified',
        verification:
          r.status !== 'verified'
            ? r.reasons.join('; ')
            : r.semantics === 'index-proposal'
              ? 'statement unchanged; HypoPG planner cost drops with the index'
              : v?.restricted !== undefined && v.restricted !== null
                ? `${v.restricted.summary} (the original is too slow for the full data), and planned cheaper`
                : 'same rows on the database and planned cheaper',
      },
    };
  });
}

/** The command's top-level JSON field (see schema/report.schema.json "rewrite"). */
export function rewriteJson(outcome: RewriteOutcome): Record<string, unknown> {
  return {
    statement: {
      original: outcome.statement.original,
      formatted: outcome.statement.originalFormatted,
      fingerprint: outcome.statement.fingerprint,
      type: outcome.statement.statementType,
    },
    noRuleReason: outcome.statement.noRuleReason,
    rewrites: outcome.rewrites.map((r) => ({
      rule: r.rule,
      title: r.title,
      explanation: r.explanation,
      semantics: r.semantics,
      status: r.status,
      reasons: r.reasons,
      before: outcome.statement.originalFormatted,
      after: r.afterFormatted,
      ...(r.proposal === undefined ? {} : { proposal: r.proposal }),
      ...(r.semanticsNote === undefined ? {} : { semanticsNote: r.semanticsNote }),
      preconditions: r.preconditions,
      verification: r.verification,
    })),
    rejected: outcome.rejected,
  };
}
