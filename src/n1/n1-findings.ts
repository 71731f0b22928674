import { readFileSync } from 'node:fs';
import type { Finding, Fix, Snapshot } from '../model/index.ts';
import type { AggregatedPattern } from './detect/n1-detector.ts';
import { bareName } from './fix/naming.ts';
import type { Orm } from './fix/orm.ts';
import { ormFromFile, ormFromSql } from './fix/orm.ts';
import { batchByKeyFix, batchedSql, bulkInsertFix, eagerLoadFix, loadOnlyHint, memoizeFix, sequelizeAliases } from './fix/orm-fixes.ts';
import { parentQueryOf } from './fix/parent-query.ts';
import type { CodeFix } from './fix/orm-fixes.ts';
import { inferRelationship } from './fix/relationship.ts';
import type { Relationship } from './fix/relationship.ts';

export interface FindingOptions {
  readonly snapshot: Snapshot | null;
  /** --orm, else detected per call site / SQL */
  readonly orm: Orm | null;
  readonly unitNoun: string;
  readonly readFile?: (path: string) => string;
  /** per-round-trip cost used in the estimates, and where it came from */
  readonly roundTripMs: number;
  /** time covered by the sources (first to last statement), for per-day estimates */
  readonly spanMs: number | null;
}

/** Per-day figures only from sources covering at least a minute: shorter ones extrapolate noise. */
const MIN_SPAN_FOR_DAILY_MS = 60_000;
const DAY_MS = 86_400_000;

/** Severity from what the loop costs the application per unit of work and per day. */
function severityOf(rule: AggregatedPattern['rule'], wastedMsPerUnit: number, wastedMsPerDay: number | null): Finding['severity'] {
  if (wastedMsPerUnit >= 50 || (wastedMsPerDay ?? 0) >= 3_600_000) return 'critical';
  if (rule === 'n1-repeated-identical') return 'info';
  return 'warning';
}

const round = (n: number): number => Math.round(n * 100) / 100;

function wideColumns(snapshot: Snapshot | null, table: string): string[] {
  if (snapshot === null) return [];
  const t = snapshot.tables.find((x) => x.name === bareName(table));
  return (t?.columns ?? []).filter((c) => (c.stats?.avgWidth ?? 0) >= 200).map((c) => c.name);
}

export const TITLES: Record<AggregatedPattern['rule'], string> = {
  'n1-query': 'N+1 query',
  'n1-fan-out': 'N+1 query run as a parallel fan-out',
  'n1-repeating-group': 'Repeating group of queries per row (MN+1)',
  'n1-repeated-identical': 'Same query with the same parameters repeated',
  'n1-row-by-row-insert': 'Row-by-row INSERTs',
};

/** Turns an aggregated pattern into a finding with evidence, impact and the ORM code fix. */
export function patternToFinding(p: AggregatedPattern, options: FindingOptions): Finding {
  const first = p.members[0];
  const shape = first?.shape;
  const perUnit = p.queries / Math.max(p.units, 1);
  const orm =
    options.orm ??
    (p.callSite === null ? null : ormFromFile(p.callSite, options.readFile)) ??
    (first === undefined ? null : ormFromSql(first.sql)) ??
    null;
  const relations: Relationship[] = [];
  for (const m of p.members) {
    const parentShape = relations.length === 0 ? p.parent : (p.members[relations.length - 1]?.shape ?? null);
    const r = inferRelationship(m.shape, m.varyingColumn, parentShape, options.snapshot);
    if (r !== null) relations.push(r);
  }
  const withParent = p.parent !== null;
  const before = perUnit + (withParent ? 1 : 0);
  let code: CodeFix | null = null;
  let sql: string | null = null;
  const notes: string[] = [];
  if (p.rule === 'n1-query' || p.rule === 'n1-fan-out' || p.rule === 'n1-repeating-group') {
    if (relations.length === p.members.length && relations.length > 0) {
      const aliases = orm === 'sequelize' ? declaredAliases(p.callSite, options.readFile) : null;
      code = eagerLoadFix(orm ?? 'pg', relations, withParent, { parent: parentQueryOf(p.parentSql), aliases });
      sql = relations.map(batchedSql).join('\n');
    } else if (p.members.length === 1 && first?.varyingColumn !== null && first?.varyingColumn !== undefined) {
      const table = bareName(first.varyingColumn.table ?? first.shape.mainTable ?? '');
      if (table !== '') code = batchByKeyFix(orm ?? 'pg', table, first.varyingColumn.column, withParent);
    }
    const wide = shape?.selectsAll === true && shape.mainTable !== null ? wideColumns(options.snapshot, shape.mainTable) : [];
    if (wide.length > 0 && shape?.mainTable !== null && shape?.mainTable !== undefined) notes.push(loadOnlyHint(orm, shape.mainTable, wide));
    if (p.rule === 'n1-fan-out') notes.push(`up to ${p.maxConcurrency} of these ran at once: a fan-out holds that many pool connections per request and queues other requests behind it`);
  } else if (p.rule === 'n1-row-by-row-insert') {
    code = bulkInsertFix(orm, shape?.mainTable ?? 'table', []);
    notes.push('for thousands of rows use COPY … FROM STDIN (pg-copy-streams, psycopg copy_expert): 10-50x faster than single-row INSERTs');
  } else if (p.rule === 'n1-repeated-identical') {
    code = memoizeFix(orm);
  }
  const after = code?.expectedQueries ?? (p.rule === 'n1-query' ? (withParent ? 2 : 1) : before);
  const avgTime = p.timedUnits > 0 ? p.timeMs / p.timedUnits : null;
  const wastedQueries = Math.max(0, before - after);
  // the loop's cost at production latency, and the part the fix removes
  const costPerUnit = p.costMs / Math.max(p.units, 1);
  const wastedMs = costPerUnit * Math.min(1, wastedQueries / Math.max(perUnit, 1));
  const unitsPerDay = options.spanMs !== null && options.spanMs >= MIN_SPAN_FOR_DAILY_MS ? (p.units * DAY_MS) / options.spanMs : null;
  const wastedPerDay = unitsPerDay === null ? null : wastedMs * unitsPerDay;
  const relationText = relations
    .map((r) => `${r.ownerTable} → ${r.loopTable} via ${r.fkTable}.${r.fkColumn}${r.source === 'foreign-key' ? ` (foreign key ${r.constraint ?? ''})` : ' (guessed from the SQL)'}`)
    .join('; ');
  const where = p.callSite === null ? '' : ` at ${p.callSite}`;
  const severity = severityOf(p.rule, wastedMs, wastedPerDay);
  const fix: Fix | undefined =
    code === null
      ? sql === null
        ? undefined
        : { kind: 'sql', content: sql, safety: 'review', verified: false, verification: 'batched statement derived from the loop; run it to compare results', language: 'sql' }
      : {
          kind: 'code',
          content: [code.code, ...(sql === null ? [] : ['', '-- the batched SQL it amounts to:', ...sql.split('\n').map((l) => `-- ${l}`)])].join('\n'),
          safety: 'review',
          verified: false,
          verification: `expected ${after} ${after === 1 ? 'query' : 'queries'} per ${options.unitNoun} after the change (${code.strategy}) instead of ${round(before)}; re-run the capture to confirm`,
          language: code.language,
        };
  const title =
    p.rule === 'n1-query' && withParent
      ? `1 + N: ${shape?.mainTable ?? 'a table'} loaded once per ${p.parent?.mainTable === null || p.parent?.mainTable === undefined ? 'row' : `${singularize(p.parent.mainTable)} row`}${where}`
      : `${TITLES[p.rule]}${shape?.mainTable === null || shape?.mainTable === undefined ? '' : ` on ${shape.mainTable}`}${where}`;
  return {
    rule: p.rule,
    severity,
    title,
    target: {
      kind: p.callSite === null ? 'statement' : 'code',
      ...(shape === undefined ? {} : { fingerprint: shape.fingerprint }),
      ...(p.callSite === null ? {} : { location: p.callSite }),
      ...(shape?.mainTable === null || shape?.mainTable === undefined ? {} : { relation: shape.mainTable }),
    },
    evidence: {
      units: p.units,
      unit: options.unitNoun,
      queries: p.queries,
      queriesPerUnit: round(perUnit),
      maxPerUnit: p.maxPerUnit,
      ...(avgTime === null ? { timeMsPerUnit: null } : { timeMsPerUnit: round(avgTime), totalTimeMs: round(p.timeMs) }),
      roundTripMs: options.roundTripMs,
      estimatedMsPerUnit: round(costPerUnit),
      estimatedSavedMsPerUnit: round(wastedMs),
      ...(wastedPerDay === null ? {} : { estimatedSavedMsPerDay: Math.round(wastedPerDay) }),
      maxConcurrency: p.maxConcurrency,
      statements: p.members.map((m) => m.shape.normalized.replace(/\s+/g, ' ').trim()),
      ...(p.parentSql === null || p.parent === null ? {} : { parentStatement: p.parent.normalized.replace(/\s+/g, ' ').trim() }),
      distinctParameters: p.members[0]?.distinctValues ?? 0,
      queriesBefore: round(before),
      expectedQueriesAfter: after,
      ...(relations.length === 0 ? {} : { relationship: relationText }),
      orm: orm ?? null,
      examples: [...p.labels],
    },
    impact: {
      score: round(wastedMs * p.units),
      summary:
        `${round(wastedQueries)} ${wastedQueries === 1 ? 'query' : 'queries'} and ~${round(wastedMs)} ms wasted per ${options.unitNoun} ` +
        `(server time + ${options.roundTripMs} ms per round trip) over ${p.units} ${options.unitNoun}${p.units === 1 ? '' : 's'}` +
        (wastedPerDay === null ? '' : `, ~${formatDaily(wastedPerDay)} per day at the observed rate`),
    },
    description: describe(p, relationText),
    ...(notes.length === 0 ? {} : { nextSteps: notes }),
    ...(fix === undefined ? {} : { fix }),
  };
}

/** Sequelize aliases declared in the call site's file; null when it cannot be read. */
function declaredAliases(callSite: string | null, readFile: ((path: string) => string) | undefined): ReadonlyMap<string, string> | null {
  if (callSite === null) return null;
  const path = callSite.replace(/^file:\/\//, '').replace(/:\d+(:\d+)?$/, '');
  try {
    return sequelizeAliases((readFile ?? ((f: string) => readFileSync(f, 'utf8')))(path));
  } catch {
    return null;
  }
}

function formatDaily(ms: number): string {
  if (ms >= 3_600_000) return `${round(ms / 3_600_000)} h`;
  if (ms >= 60_000) return `${round(ms / 60_000)} min`;
  return `${round(ms / 1000)} s`;
}

function singularize(t: string): string {
  return bareName(t).replace(/s$/, '');
}

function describe(p: AggregatedPattern, relationText: string): string {
  const stmts = p.members.map((m) => m.shape.normalized.replace(/\s+/g, ' ').trim()).join(' / ');
  switch (p.rule) {
    case 'n1-query':
    case 'n1-fan-out':
      return `The same statement runs once per row with a different parameter: ${stmts}.${relationText === '' ? '' : ` Relationship: ${relationText}.`} Load all rows in one query instead.`;
    case 'n1-repeating-group':
      return `A group of ${p.members.length} statements repeats once per row (nested or side-by-side lazy loads): ${stmts}. Eager-load every relationship of the loop.`;
    case 'n1-repeated-identical':
      return `The same statement with the same parameters runs ${p.maxPerUnit} times in one unit of work: ${stmts}. Fetch it once and reuse the result (request-scoped cache or memoization).`;
    case 'n1-row-by-row-insert':
      return `Rows are inserted one statement at a time: ${stmts}. One multi-row INSERT (or COPY) does the same in one round trip.`;
  }
}
