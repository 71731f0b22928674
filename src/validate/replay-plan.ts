import type { Snapshot, Workload, WorkloadStatement } from '../model/index.ts';
import { redactSql, tryParseSql } from '../sql/index.ts';
import type { LogValueSets } from './log-workload.ts';
import { maxParam, paramPlan } from './param-values.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- libpg_query's AST is untyped JSON */
type Ast = any;

/** A statement the replay runs, before (original) and after (verified rewrite, when there is one). */
export interface ReplayItem {
  readonly id: string;
  readonly fingerprint: string | null;
  /** the text shown in reports (literals redacted unless asked) */
  readonly query: string;
  /** what runs before; $n filled by `params` */
  readonly sql: string;
  readonly weight: number;
  readonly params: (random: () => number) => string[];
  readonly paramNote: string;
  /** functions it calls (schema-qualified when written so): their volatility is checked before it runs */
  readonly functions: readonly string[];
}

export interface NotReplayed {
  readonly query: string;
  readonly fingerprint: string | null;
  readonly reason: string;
}

export interface ReplayPlan {
  readonly items: readonly ReplayItem[];
  readonly notReplayed: readonly NotReplayed[];
}

const WRITES = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

/** Why a statement must not be replayed; null when it is a plain read. */
function refusal(stmt: Ast): string | null {
  const type = Object.keys(stmt ?? {})[0] ?? 'unknown';
  if (type !== 'SelectStmt') {
    return WRITES.has(type)
      ? 'writes are not replayed: they would change the copy between the before and after runs'
      : `not a query (${type.replace(/Stmt$/, '')})`;
  }
  let why: string | null = null;
  const visit = (n: Ast): void => {
    if (n === null || typeof n !== 'object' || why !== null) return;
    if (Array.isArray(n)) return n.forEach(visit);
    for (const [k, v] of Object.entries(n)) {
      if (WRITES.has(k)) why = 'a data-modifying CTE is not replayed';
      else if (k === 'lockingClause') why = 'row locks (FOR UPDATE/SHARE) are not replayed';
      else if (k === 'intoClause') why = 'SELECT INTO creates a table';
      else visit(v);
    }
  };
  visit(stmt);
  return why;
}

/** The statement's time share: what the replay mix follows. Files without call counts weigh 1 each. */
function weightOf(s: WorkloadStatement): number {
  return Math.max(s.calls, 1);
}

function rank(a: WorkloadStatement, b: WorkloadStatement): number {
  return b.totalTimeMs - a.totalTimeMs || b.calls - a.calls;
}

/**
 * The statements to replay — the top `max` by total time (then calls) that are plain reads — each
 * with its parameters drawn from the copy's column statistics. A statement whose $n cannot be
 * tied to a column with statistics is listed as not replayed, with the reason.
 */
export function buildReplayPlan(workload: Workload, snapshot: Snapshot, options: { max: number; showLiterals: boolean; valueSets?: LogValueSets }): ReplayPlan {
  const items: ReplayItem[] = [];
  const notReplayed: NotReplayed[] = [];
  const shown = (text: string): string => (options.showLiterals ? text : redactSql(text));
  const seen = new Set<string>();
  for (const s of [...workload.statements].sort(rank)) {
    const sql = (s.sample ?? s.text).trim().replace(/;\s*$/, '');
    const key = s.fingerprint ?? sql;
    const query = shown(s.sample ?? s.text);
    if (seen.has(key)) continue;
    seen.add(key);
    const parsed = tryParseSql(sql);
    if (!parsed.ok) {
      notReplayed.push({ query, fingerprint: s.fingerprint, reason: `does not parse: ${parsed.error.message}` });
      continue;
    }
    const stmts = parsed.result.stmts ?? [];
    const stmt: Ast = stmts[0]?.stmt;
    const why = stmts.length !== 1 ? 'more than one statement' : refusal(stmt);
    if (why !== null) {
      notReplayed.push({ query, fingerprint: s.fingerprint, reason: why });
      continue;
    }
    if (items.length >= options.max) {
      notReplayed.push({ query, fingerprint: s.fingerprint, reason: `beyond the ${options.max} statements replayed (ranked by total time, then calls)` });
      continue;
    }
    const logged = logValues(options.valueSets, s.fingerprint, maxParam(stmt));
    const plan = logged ?? paramPlan(stmt, snapshot);
    if (plan.unresolved.length > 0) {
      notReplayed.push({
        query,
        fingerprint: s.fingerprint,
        reason:
          `${plan.unresolved.map((n) => `$${n}`).join(', ')}: not compared with a column that has statistics (pg_stats), so no realistic value to draw; ` +
          'give the statement with values in --workload FILE, or a --log',
      });
      continue;
    }
    items.push({
      id: `s${items.length + 1}`,
      fingerprint: s.fingerprint,
      query,
      sql,
      weight: weightOf(s),
      params: logged?.draw ?? ((random) => plan.samplers.map((f) => f(random))),
      paramNote: plan.note,
      functions: functionsIn(stmt),
    });
  }
  return { items, notReplayed };
}

/** The values the log recorded for this statement's calls, one whole call's set drawn at a time. */
function logValues(
  valueSets: LogValueSets | undefined,
  fingerprint: string | null,
  count: number,
): (ReturnType<typeof paramPlan> & { draw: ReplayItem['params'] }) | null {
  const sets = fingerprint === null ? undefined : valueSets?.get(fingerprint)?.filter((v) => v.length === count);
  if (sets === undefined || sets.length === 0 || count === 0) return null;
  return {
    samplers: [],
    unresolved: [],
    note: `${sets.length} value set(s) from the log`,
    // NULL travels as a JS null, which node-postgres sends as SQL NULL
    draw: (random) => (sets[Math.floor(random() * sets.length)] ?? []) as string[],
  };
}

/** Names of the functions a statement calls. */
function functionsIn(stmt: Ast): string[] {
  const out = new Set<string>();
  const visit = (n: Ast): void => {
    if (n === null || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(visit);
    const parts = n.FuncCall?.funcname;
    if (Array.isArray(parts)) out.add(parts.map((p: Ast) => p?.String?.sval ?? '').join('.'));
    Object.values(n).forEach(visit);
  };
  visit(stmt);
  return [...out].sort();
}

/**
 * Weights for the mix: each statement's share of the calls, but at least `floorShare / n`, so a
 * rarely called slow report still gets enough calls for its own percentiles.
 */
export function mixWeights(items: readonly ReplayItem[], floorShare = 0.25): Map<string, number> {
  const total = items.reduce((s, i) => s + i.weight, 0) || 1;
  const floor = floorShare / Math.max(1, items.length);
  return new Map(items.map((i) => [i.id, Math.max(i.weight / total, floor)]));
}
