import { wrap } from '../format/wrap.ts';
import type { Finding, ReportSection } from '../model/index.ts';
import type { AppliedAdvice } from './apply-advice.ts';
import type { LatencyStats, ScorecardSide } from './latency-stats.ts';
import { latencyStats, scorecard } from './latency-stats.ts';
import type { LoadResult } from './replay-load.ts';
import type { NotReplayed, ReplayItem } from './replay-plan.ts';

type Side = Pick<LatencyStats, 'p50Ms' | 'p95Ms' | 'p99Ms' | 'callsPerSec'> & { readonly calls: number; readonly errors: number };

export interface StatementValidation {
  readonly query: string;
  readonly fingerprint: string | null;
  readonly rewritten: boolean;
  /** where the values of its $n came from */
  readonly parameters: string;
  readonly before: Side | null;
  readonly after: Side | null;
  readonly lastError?: string;
}

/** The report's `validation` field (schema/report.schema.json). */
export interface Validation {
  readonly copy: { readonly method: 'template'; readonly database: string; readonly source: string; readonly dropped: boolean };
  readonly load: { readonly generator: string; readonly clients: number; readonly durationSeconds: number; readonly mix: string; readonly seed: number };
  readonly applied: readonly AppliedAdvice[];
  readonly statements: readonly StatementValidation[];
  readonly overall: { readonly before: Side | null; readonly after: Side | null };
  readonly scorecard: { readonly before: ScorecardSide; readonly after: ScorecardSide };
  readonly notReplayed: readonly NotReplayed[];
  readonly leftovers: readonly { readonly database: string; readonly dropped: boolean; readonly reason: string }[];
  readonly notes: readonly string[];
}

function side(latencies: readonly number[] | undefined, elapsedMs: number, errors: number): Side | null {
  if (latencies === undefined || (latencies.length === 0 && errors === 0)) return null;
  const s = latencyStats(latencies, elapsedMs, errors);
  return { p50Ms: s.p50Ms, p95Ms: s.p95Ms, p99Ms: s.p99Ms, callsPerSec: s.callsPerSec, calls: s.calls, errors: s.errors };
}

function overall(run: LoadResult): Side | null {
  const all: number[] = [];
  let errors = 0;
  for (const t of run.perStatement.values()) {
    for (const l of t.latenciesMs) all.push(l);
    errors += t.errors;
  }
  return side(all, run.elapsedMs, errors);
}

export function statementValidations(
  items: readonly ReplayItem[],
  before: LoadResult,
  after: LoadResult,
  rewritten: ReadonlySet<string>,
): StatementValidation[] {
  return items.map((i) => {
    const b = before.perStatement.get(i.id);
    const a = after.perStatement.get(i.id);
    const lastError = a?.lastError ?? b?.lastError ?? null;
    return {
      query: i.query,
      fingerprint: i.fingerprint,
      rewritten: rewritten.has(i.id),
      parameters: i.paramNote,
      before: side(b?.latenciesMs, before.elapsedMs, b?.errors ?? 0),
      after: side(a?.latenciesMs, after.elapsedMs, a?.errors ?? 0),
      ...(lastError === null ? {} : { lastError }),
    };
  });
}

export function overallSides(before: LoadResult, after: LoadResult): Validation['overall'] {
  return { before: overall(before), after: overall(after) };
}

export function scorecards(o: Validation['overall']): Validation['scorecard'] {
  const toStats = (s: Side | null): LatencyStats | null => (s === null ? null : { ...s });
  return { before: scorecard(toStats(o.before)), after: scorecard(toStats(o.after)) };
}

const ms = (v: number | null | undefined): string =>
  v === null || v === undefined ? '—' : v >= 100 ? `${Math.round(v)} ms` : `${v.toFixed(v >= 10 ? 1 : 2)} ms`;
const change = (before: number, after: number): string =>
  before <= 0 ? 'no baseline' : after <= before ? `${Math.round((1 - after / before) * 100)}% less` : `${Math.round((after / before - 1) * 100)}% more`;

/** A statement counts as faster/slower only past this ratio: a 2-second replay has noise. */
const NOISE = 0.15;
/** Fewer calls than this on either side and p95 is just the slowest call or two: no per-statement verdict. */
export const MIN_CALLS_FOR_VERDICT = 30;

function statementFinding(s: StatementValidation, v: Validation): Finding | null {
  if (s.before === null || s.after === null || s.before.calls < MIN_CALLS_FOR_VERDICT || s.after.calls < MIN_CALLS_FOR_VERDICT) return null;
  const slower = s.after.p95Ms > s.before.p95Ms * (1 + NOISE);
  const faster = s.after.p95Ms < s.before.p95Ms * (1 - NOISE);
  if (!slower && !faster) return null;
  const applied = v.applied.filter((a) => a.ok).map((a) => a.name ?? a.kind);
  return {
    rule: slower ? 'validation-regression' : 'validation-improvement',
    severity: slower ? 'warning' : 'info',
    title: `${slower ? 'Slower' : 'Faster'} after the advice: p95 ${ms(s.before.p95Ms)} → ${ms(s.after.p95Ms)}${s.rewritten ? ' (rewritten)' : ''}`,
    target: { kind: 'statement', ...(s.fingerprint === null ? {} : { fingerprint: s.fingerprint }) },
    evidence: {
      query: s.query,
      beforeP50Ms: s.before.p50Ms,
      beforeP95Ms: s.before.p95Ms,
      beforeP99Ms: s.before.p99Ms,
      afterP50Ms: s.after.p50Ms,
      afterP95Ms: s.after.p95Ms,
      afterP99Ms: s.after.p99Ms,
      beforeCalls: s.before.calls,
      afterCalls: s.after.calls,
      copy: v.copy.database,
    },
    impact: {
      score: Math.max(0, s.before.p95Ms - s.after.p95Ms),
      summary:
        `measured on a copy under ${v.load.clients} clients for ${v.load.durationSeconds} s each: ` +
        `p95 ${ms(s.before.p95Ms)} → ${ms(s.after.p95Ms)} (${change(s.before.p95Ms, s.after.p95Ms)})`,
    },
    description: slower
      ? `The statement got slower on the copy once the advice was applied (${applied.join(', ') || 'nothing applied'}). ` +
        'Review the advice for this statement before applying it to production.'
      : `Measured on a copy of the database with the advice applied (${applied.join(', ') || 'nothing applied'}), replaying the workload with realistic parameters.`,
  };
}

/** One finding for the whole workload, plus one per statement that moved past the noise band. */
export function validationFindings(v: Validation): Finding[] {
  const out: Finding[] = [];
  const b = v.overall.before;
  const a = v.overall.after;
  if (b !== null && a !== null) {
    const worse = a.p95Ms > b.p95Ms * (1 + NOISE);
    const passes = (s: ScorecardSide): string =>
      `${s.p95Pass === true ? 'meets' : 'misses'} p95 < ${s.p95TargetMs} ms, ${s.p99Pass === true ? 'meets' : 'misses'} p99 < ${s.p99TargetMs} ms`;
    out.push({
      rule: 'validation-summary',
      severity: worse ? 'warning' : 'info',
      title: `Workload on a copy with the advice applied: p95 ${ms(b.p95Ms)} → ${ms(a.p95Ms)}, ${b.callsPerSec} → ${a.callsPerSec} calls/s`,
      target: { kind: 'database', name: v.copy.source },
      evidence: {
        copy: v.copy.database,
        applied: v.applied.filter((x) => x.ok).length,
        statements: v.statements.length,
        beforeP50Ms: b.p50Ms,
        beforeP95Ms: b.p95Ms,
        beforeP99Ms: b.p99Ms,
        beforeCallsPerSec: b.callsPerSec,
        afterP50Ms: a.p50Ms,
        afterP95Ms: a.p95Ms,
        afterP99Ms: a.p99Ms,
        afterCallsPerSec: a.callsPerSec,
        scorecardBefore: passes(v.scorecard.before),
        scorecardAfter: passes(v.scorecard.after),
      },
      impact: {
        score: Math.max(0, b.p95Ms - a.p95Ms),
        summary:
          `p95 ${ms(b.p95Ms)} → ${ms(a.p95Ms)} (${change(b.p95Ms, a.p95Ms)}), p99 ${ms(b.p99Ms)} → ${ms(a.p99Ms)}; ` +
          `before ${passes(v.scorecard.before)}, after ${passes(v.scorecard.after)}`,
      },
      description:
        `${v.load.generator}, ${v.load.clients} clients, ${v.load.durationSeconds} s before and ${v.load.durationSeconds} s after, ` +
        `on ${v.copy.database} (a copy of ${v.copy.source} made with CREATE DATABASE … TEMPLATE, dropped afterwards).`,
    });
  }
  for (const s of v.statements) {
    const f = statementFinding(s, v);
    if (f !== null) out.push(f);
  }
  return out;
}

function clip(text: string, max: number): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
}

const num = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : v >= 100 ? String(Math.round(v)) : v.toFixed(v >= 10 ? 1 : 2));

/** `p50 44.3→0.45  p95 …  p99 … ms  43→1016 calls/s`: one line of numbers under each statement. */
function numbersLine(b: Side | null, a: Side | null): string {
  const pair = (x: number | undefined, y: number | undefined): string => `${num(x)}→${num(y)}`;
  const rate = (x: number | undefined): string => (x === undefined ? '—' : String(x >= 10 ? Math.round(x) : x));
  return `    p50 ${pair(b?.p50Ms, a?.p50Ms)}  p95 ${pair(b?.p95Ms, a?.p95Ms)}  p99 ${pair(b?.p99Ms, a?.p99Ms)} ms  ${rate(b?.callsPerSec)}→${rate(a?.callsPerSec)} calls/s`;
}

/** The before/after table, the advice applied and what was not replayed. */
export function validationSections(v: Validation, width = 80): ReportSection[] {
  const qWidth = Math.max(20, width - 4);
  const lines: string[] = [];
  for (const st of v.statements) {
    lines.push(clip(`${st.rewritten ? '* ' : ''}${st.query}`, qWidth), numbersLine(st.before, st.after));
    const calls = Math.min(st.before?.calls ?? 0, st.after?.calls ?? 0);
    if (calls < MIN_CALLS_FOR_VERDICT)
      lines.push(`    ${calls === 0 ? 'not called in one of the runs' : `only ${calls} call(s) in a run`}: too few to compare (raise --duration)`);
    const errors = (st.before?.errors ?? 0) + (st.after?.errors ?? 0);
    if (errors > 0)
      lines.push(...wrap(`${st.before?.errors ?? 0} → ${st.after?.errors ?? 0} failed call(s): ${st.lastError ?? 'unknown error'}`, width, '    '));
  }
  lines.push('ALL (the whole mix)', numbersLine(v.overall.before, v.overall.after));
  const card = (s: ScorecardSide): string =>
    `p95 ${ms(s.p95Ms)} ${s.p95Pass === true ? '✓' : '✗'} (< ${s.p95TargetMs} ms), p99 ${ms(s.p99Ms)} ${s.p99Pass === true ? '✓' : '✗'} (< ${s.p99TargetMs} ms)`;
  lines.push('', `scorecard before: ${card(v.scorecard.before)}`, `scorecard after:  ${card(v.scorecard.after)}`);
  if (v.statements.some((st) => st.rewritten)) lines.push('* the after run used the verified rewrite');
  const sections: ReportSection[] = [
    {
      id: 'validation-copy',
      title: 'Validation copy',
      lines: [
        `${v.copy.database}: copy of ${v.copy.source} (CREATE DATABASE … TEMPLATE), ${v.copy.dropped ? 'dropped at the end' : 'NOT dropped — drop it by hand'}`,
        `load: ${v.load.generator}, ${v.load.clients} clients × ${v.load.durationSeconds} s per run; ${v.load.mix}`,
        ...v.leftovers.map((l) => `leftover ${l.database}: ${l.dropped ? 'dropped' : 'kept'} — ${l.reason}`),
        ...v.notes,
      ].flatMap((l) => wrap(l, width, '')),
    },
    {
      id: 'validation-applied',
      title: 'Advice applied to the copy',
      lines:
        v.applied.length === 0
          ? ['nothing: the advisor and the rewrite rules had no verified advice for this workload']
          : v.applied.flatMap((a) =>
              wrap(`${a.ok ? '✓' : '✗'} ${a.kind}: ${a.sql}${a.error === undefined ? '' : ` — ${a.error}`}`, width, '  ').map((l, i) =>
                i === 0 ? l.slice(2) : l,
              ),
            ),
    },
    { id: 'validation-latency', title: 'Replay before → after (measured on the copy)', lines },
  ];
  if (v.notReplayed.length > 0)
    sections.push({
      id: 'validation-not-replayed',
      title: 'Not replayed',
      lines: v.notReplayed.flatMap((n) => [clip(n.query, qWidth), ...wrap(n.reason, width, '    ')]),
    });
  return sections;
}
