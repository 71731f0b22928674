import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding, Snapshot, WorkloadStatement } from '../../../model/index.ts';
import { DEFAULT_ROUND_TRIP_MS } from '../../../n1/detect/analyze-unit.ts';
import { bareName, singular } from '../../../n1/fix/naming.ts';
import { analyzeStatement } from '../../../n1/statement-shape.ts';
import type { StatementShape } from '../../../n1/statement-shape.ts';
import { initSqlParser } from '../../../sql/index.ts';
import { formatCount, formatMs, percent, round } from '../../../format/format.ts';

interface Lookup {
  readonly s: WorkloadStatement;
  readonly shape: StatementShape;
  readonly table: string;
  readonly column: string;
}

interface Parent {
  readonly s: WorkloadStatement;
  readonly table: string;
}

/** How the looked-up table relates to the parent's: a foreign key, else the naming convention. */
function related(snapshot: Snapshot | null, lookup: Lookup, parentTable: string): string | null {
  for (const c of snapshot?.constraints ?? []) {
    if (c.type !== 'foreign' || c.references === null || c.columns.length !== 1) continue;
    const from = bareName(c.table);
    const to = bareName(c.references.table);
    // one-to-many: payments.rental_id → rentals; many-to-one: orders.user_id → users.id
    if (from === lookup.table && c.columns[0] === lookup.column && to === parentTable) return `${from}.${lookup.column} → ${to} (foreign key ${c.name})`;
    if (from === parentTable && to === lookup.table && c.references.columns[0] === lookup.column) return `${from}.${c.columns[0] ?? ''} → ${to}.${lookup.column} (foreign key ${c.name})`;
  }
  if (lookup.column === `${singular(parentTable)}_id`) return `${lookup.table}.${lookup.column} → ${parentTable} (by name)`;
  return null;
}

/** Key lookups: one table, `col = $1`, a handful of rows per call. */
function keyLookups(statements: readonly WorkloadStatement[], minCalls: number, maxRowsPerCall: number): Lookup[] {
  const out: Lookup[] = [];
  for (const s of statements) {
    if (s.calls < minCalls || s.rows / Math.max(s.calls, 1) > maxRowsPerCall) continue;
    const shape = analyzeStatement(s.text);
    if (shape === null || shape.command !== 'select' || shape.existenceProbe || shape.tables.length !== 1) continue;
    const eq = shape.equality.filter((e) => !e.set && !e.array);
    if (eq.length !== 1 || shape.pagingParams.length > 0) continue;
    const e = eq[0];
    if (e === undefined) continue;
    out.push({ s, shape, table: bareName(e.table ?? shape.mainTable ?? ''), column: e.column });
  }
  return out;
}

export const n1Suspects = defineAnalyzer({
  id: 'n1-suspects',
  phase: 'diagnose',
  title: 'N+1 suspects from pg_stat_statements',
  description:
    "Key lookups whose calls track another statement's rows (one lookup per row it returned), or run far more often than the workload's list queries: N+1 suspects to confirm with a log or an app capture.",
  depth: 2,
  requires: { workload: true, snapshot: false },
  options: {
    minCalls: { default: 100, description: 'lookups called fewer times are not looked at' },
    maxRowsPerCall: { default: 10, description: 'a key lookup returns at most this many rows per call on average' },
    trackTolerance: { default: 0.5, description: "calls within this fraction of another statement's rows count as tracking them" },
    minFanOut: { default: 5, description: 'the lookup runs at least this many times per call of the statement it tracks' },
    rateRatio: { default: 50, description: 'or: calls at least this many times those of the busiest list query' },
    roundTripMs: { default: DEFAULT_ROUND_TRIP_MS, description: 'application cost of one round trip, for the estimate (as n1 --round-trip)' },
  },
  async run({ workload, snapshot, options }) {
    await initSqlParser();
    const statements = workload?.statements ?? [];
    const total = statements.reduce((sum, s) => sum + s.totalTimeMs, 0);
    const lookups = keyLookups(statements, options.minCalls, options.maxRowsPerCall);
    const lookupSet = new Set(lookups.map((l) => l.s));
    const parents: Parent[] = [];
    for (const s of statements) {
      if (lookupSet.has(s) || s.rows === 0) continue;
      const shape = analyzeStatement(s.text);
      if (shape?.command === 'select' && shape.mainTable !== null) parents.push({ s, table: bareName(shape.mainTable) });
    }
    const busiestList = Math.max(0, ...parents.map((p) => p.s.calls));
    const findings: Finding[] = [];
    for (const l of lookups) {
      const tracked = parents
        .map((p) => ({ p, rel: related((snapshot as Snapshot | null) ?? null, l, p.table) }))
        .filter(({ p, rel }) => rel !== null && Math.abs(l.s.calls - p.s.rows) <= options.trackTolerance * p.s.rows && l.s.calls >= options.minFanOut * p.s.calls)
        .sort((a, b) => Math.abs(l.s.calls - a.p.s.rows) - Math.abs(l.s.calls - b.p.s.rows))[0];
      const aboveRate = busiestList > 0 && l.s.calls >= options.rateRatio * busiestList;
      if (tracked === undefined && !aboveRate) continue;
      findings.push(suspectFinding(l, tracked === undefined ? null : { ...tracked.p, relation: tracked.rel ?? '' }, busiestList, total, options.roundTripMs));
    }
    return findings.sort((a, b) => b.impact.score - a.impact.score);
  },
});

function suspectFinding(l: Lookup, parent: (Parent & { relation: string }) | null, busiestList: number, total: number, roundTripMs: number): Finding {
  const share = total > 0 ? l.s.totalTimeMs / total : 0;
  const appCostMs = l.s.totalTimeMs + l.s.calls * roundTripMs;
  const perParent = parent === null ? null : l.s.calls / Math.max(parent.s.calls, 1);
  const why =
    parent === null
      ? `${formatCount(l.s.calls)} calls, ${round(l.s.calls / Math.max(busiestList, 1), 1)}× the busiest list query (${formatCount(busiestList)} calls)`
      : `${formatCount(l.s.calls)} calls track the ${formatCount(parent.s.rows)} rows returned by ${formatCount(parent.s.calls)} calls of ${parent.s.text.replace(/\s+/g, ' ').slice(0, 80)}`;
  return {
    rule: 'n1-suspects',
    severity: share >= 0.1 ? 'warning' : 'info',
    title: `Suspected N+1: ${l.table} looked up by ${l.column} ${formatCount(l.s.calls)} times${parent === null ? '' : ` (once per ${singular(parent.table)} row)`}`,
    target: { kind: 'statement', ...(l.s.fingerprint === null ? {} : { fingerprint: l.s.fingerprint }), ...(l.s.queryId === undefined ? {} : { queryId: l.s.queryId }), relation: l.table },
    evidence: {
      suspect: true,
      query: l.s.text,
      calls: l.s.calls,
      rowsPerCall: round(l.s.rows / Math.max(l.s.calls, 1), 2),
      totalTimeMs: round(l.s.totalTimeMs),
      shareOfTotalTime: round(share, 4),
      ...(parent === null
        ? { busiestListCalls: busiestList }
        : { trackedStatement: parent.s.text, trackedCalls: parent.s.calls, trackedRows: parent.s.rows, lookupsPerTrackedCall: round(perParent ?? 0, 1), relationship: parent.relation }),
      roundTripMs,
      estimatedAppMs: round(appCostMs),
    },
    impact: {
      score: appCostMs,
      workloadShare: round(share, 4),
      summary: `${formatMs(l.s.totalTimeMs)} server time (${percent(share)} of DB time) plus ~${formatMs(l.s.calls * roundTripMs)} of round trips at ${roundTripMs} ms each`,
    },
    description:
      `A key lookup that may run once per row of another query: ${why}. pg_stat_statements cannot show which request issued it, ` +
      'so this is a suspect: confirm before changing code.',
    nextSteps: [
      `confirm from a log: SET log_min_duration_statement = 0 for a few minutes (ALTER SYSTEM … ; SELECT pg_reload_conf()), then db-optimize n1 --log <file>${parent === null ? '' : ' --db <url>'}`,
      "or from the app: startCapture() from 'db-optimize/capture', then db-optimize n1 --capture queries.ndjson",
      `if confirmed, batch the lookups: SELECT * FROM ${l.table} WHERE ${l.column} = ANY($1) with all the keys of the request, or the ORM's eager load (db-optimize n1 prints it)`,
    ],
  };
}
