import type { Finding } from '../../model/index.ts';
import { tryParseSql } from '../../sql/index.ts';
import { childrenOf } from '../enrich-plan.ts';
import type { EnrichedNode, EnrichedPlan } from '../enrich-plan.ts';
import { predicateTerms } from '../predicate-terms.ts';
import type { PredicateTerm } from '../predicate-terms.ts';
import { indexCandidate } from './index-fix.ts';
import { count, defineTip, ms, nodeLabel, tipFinding } from './plan-tip.ts';

const JOINS = new Set(['Hash Join', 'Merge Join', 'Nested Loop']);
const PASS = new Set(['Sort', 'Incremental Sort', 'Gather', 'Gather Merge', 'Aggregate']);
const AGGREGATES = new Set(['count', 'sum', 'avg', 'min', 'max']);

function firstChild(plan: EnrichedPlan, n: EnrichedNode): EnrichedNode | undefined {
  return childrenOf(plan, n.path).find((c) => c.node.subplanName === null);
}

function scansUnder(plan: EnrichedPlan, n: EnrichedNode): EnrichedNode[] {
  return plan.nodes.filter((x) => (x.path === n.path || x.path.startsWith(`${n.path}.`)) && x.relation !== null);
}

/** The join condition: on the join node, or for a nested loop parameterized into its inner side's index condition. */
function joinTerms(plan: EnrichedPlan, join: EnrichedNode): PredicateTerm[] {
  const own = predicateTerms(join.node.hashCond ?? join.node.mergeCond ?? join.node.joinFilter) ?? [];
  if (join.node.nodeType !== 'Nested Loop') return own;
  let inner = childrenOf(plan, join.path).filter((c) => c.node.subplanName === null)[1];
  while (inner !== undefined && (inner.node.nodeType === 'Materialize' || inner.node.nodeType === 'Memoize')) inner = firstChild(plan, inner);
  if (inner === undefined) return own;
  const alias = inner.node.alias;
  // the inner scan prints its own columns unqualified: qualify them with its alias
  const innerTerms = [inner.node.indexCond, inner.node.recheckCond, inner.node.filter].flatMap((c) => predicateTerms(c) ?? []);
  return [...own, ...innerTerms.map((t) => (t.qualifier === null && alias !== null ? { ...t, qualifier: alias } : t))];
}

function oneSideLimited(plan: EnrichedPlan, join: EnrichedNode, manyScan: EnrichedNode): boolean {
  return plan.nodes.some((x) => x.path.startsWith(`${join.path}.`) && x.node.nodeType === 'Limit' && !manyScan.path.startsWith(`${x.path}.`));
}

/** Columns of `alias` used inside aggregate calls of the statement (for a covering INCLUDE list). */
function aggregatedColumns(sql: string | null, alias: string): string[] {
  if (sql === null) return [];
  const parsed = tryParseSql(sql);
  if (!parsed.ok) return [];
  const cols = new Set<string>();
  const walk = (node: unknown, inAgg: boolean): void => {
    if (Array.isArray(node)) {
      for (const x of node) walk(x, inAgg);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const o = node as Record<string, unknown>;
    if (o.FuncCall !== undefined) {
      const fc = o.FuncCall as { funcname?: { String?: { sval?: string } }[]; args?: unknown[] };
      const name = fc.funcname?.at(-1)?.String?.sval ?? '';
      walk(fc.args ?? [], inAgg || AGGREGATES.has(name));
      return;
    }
    if (o.ColumnRef !== undefined && inAgg) {
      const fields = ((o.ColumnRef as { fields?: { String?: { sval?: string } }[] }).fields ?? []).map((f) => f.String?.sval ?? '');
      if (fields.length === 2 && fields[0] === alias && fields[1] !== '') cols.add(fields[1] as string);
      return;
    }
    for (const v of Object.values(o)) walk(v, inAgg);
  };
  walk(parsed.result, false);
  return [...cols];
}

export const aggregateAfterJoinTip = defineTip({
  id: 'plan-aggregate-after-join',
  title: 'GROUP BY runs after a join that multiplied the rows',
  description: 'The join produced many rows per group only to aggregate them back: aggregating the many side first (then joining) or a covering index on its join key does less work.',
  check({ plan, sql }) {
    const out: Finding[] = [];
    for (const agg of plan.nodes) {
      if (agg.node.nodeType !== 'Aggregate' || agg.node.groupKey.length === 0 || agg.node.partialMode === 'Partial' || agg.actualRowsTotal === null) continue;
      let join = firstChild(plan, agg);
      while (join !== undefined && PASS.has(join.node.nodeType)) join = firstChild(plan, join);
      if (join === undefined || !JOINS.has(join.node.nodeType) || join.actualRowsTotal === null) continue;
      const groups = Math.max(agg.actualRowsTotal, 1);
      const joined = join.actualRowsTotal;
      if (joined < 10_000 || joined < groups * 3) continue;
      const groupAliases = new Set(agg.node.groupKey.map((k) => /^([A-Za-z_][\w$]*)\./.exec(k)?.[1] ?? null));
      const cond = joinTerms(plan, join);
      const term = cond.find((t) => t.kind === 'eq' && t.other === 'column' && t.qualifier !== null && t.otherQualifier !== null);
      if (term === undefined) continue;
      const manyAlias = groupAliases.has(term.qualifier) ? term.otherQualifier : term.qualifier;
      const manyColumn = groupAliases.has(term.qualifier) ? term.otherColumn : term.column;
      const oneAlias = manyAlias === term.qualifier ? term.otherQualifier : term.qualifier;
      if (manyAlias === null || manyColumn === null || !groupAliases.has(oneAlias)) continue;
      const manyScan = scansUnder(plan, join).find((s) => s.node.alias === manyAlias);
      if (manyScan === undefined || manyScan.relation === null) continue;
      // the one side's few rows came from a LIMIT: pre-aggregating the many side would aggregate all of it for them
      if (oneSideLimited(plan, join, manyScan)) continue;
      const include = aggregatedColumns(sql, manyAlias).filter((c) => c !== manyColumn);
      // without the statement the aggregated columns are unknown, and a bare index on the join key
      // (often already there) would not let the aggregate skip the table
      const candidate = include.length > 0 ? indexCandidate(manyScan.relation, [manyColumn], include) : null;
      const oneTable = scansUnder(plan, join).find((s) => s.node.alias === oneAlias)?.relation ?? `<${oneAlias} table>`;
      const oneKey = term.qualifier === oneAlias ? term.column : (term.otherColumn ?? '<key>');
      const work = (join.exclusiveMs ?? 0) + (agg.exclusiveMs ?? 0);
      // an Index Scan on the many side visits the heap once per row: a covering index turns it into an index-only scan
      const heapVisits = candidate !== null && manyScan.node.nodeType === 'Index Scan' ? (manyScan.exclusiveMs ?? 0) * 0.6 : 0;
      const fanout = Math.round((joined / groups) * 10) / 10;
      out.push(
        tipFinding(plan, {
          rule: 'plan-aggregate-after-join',
          node: agg,
          title:
            `${nodeLabel(agg)} folds ${count(joined)} joined rows back into ${count(groups)} groups: ` +
            (candidate === null
              ? `consider aggregating ${manyScan.relation} by ${manyColumn} before joining`
              : `covering index on ${manyScan.relation}(${manyColumn}) INCLUDE (${include.join(', ')})`),
          savingMs: work * (1 - groups / joined) * 0.5 + heapVisits,
          savingBasis:
            'uncertain: half of the join and aggregate exclusive time × (1 − groups / joined rows)' +
            (heapVisits > 0 ? ' + 60 % of the many-side index scan (heap visits a covering index avoids)' : '') +
            '; measure it (query --apply-in-sandbox)',
          evidence: {
            groupKey: [...agg.node.groupKey],
            joinNode: nodeLabel(join),
            joinPath: join.path,
            joinCondition: join.node.hashCond ?? join.node.mergeCond ?? join.node.joinFilter,
            joinedRows: joined,
            groups,
            fanout,
            joinExclusiveMs: Math.round((join.exclusiveMs ?? 0) * 1000) / 1000,
            aggregateExclusiveMs: Math.round((agg.exclusiveMs ?? 0) * 1000) / 1000,
            manySide: manyScan.relation,
            manySideScan: nodeLabel(manyScan),
            manySideMs: Math.round((manyScan.inclusiveMs ?? 0) * 1000) / 1000,
            ...(candidate === null ? {} : { indexDefinition: candidate.definition }),
          },
          description:
            `Every ${oneAlias} row was joined to ~${fanout} ${manyAlias} rows (${count(joined)} in all, ${ms(join.exclusiveMs)}) and the wide joined rows were then hashed back into ` +
            `${count(groups)} groups (${ms(agg.exclusiveMs)}). Aggregating ${manyScan.relation} by ${manyColumn} first joins ${count(groups)} narrow rows instead, ` +
            `but it aggregates every ${manyAlias} row, not only those of the selected ${oneAlias} rows: it helps when the filter on ${oneAlias} keeps most rows, and hurts when it is selective. ` +
            `Either way every ${manyAlias} row is still read once (${ms(manyScan.inclusiveMs)} in ${nodeLabel(manyScan)}): the floor of this query is that scan unless the totals are precomputed.`,
          nextSteps: [
            `rewrite (measure it; it pays off only when most ${manyScan.relation} rows belong to the selected groups): … FROM ${oneTable} ${oneAlias} LEFT JOIN (SELECT ${manyColumn}, <aggregates> FROM ${manyScan.relation} GROUP BY ${manyColumn}) ${manyAlias} ON ${manyAlias}.${manyColumn} = ${oneAlias}.${oneKey} — keep COALESCE(count, 0) for unmatched rows`,
            candidate === null
              ? `give the statement (--sql) to get a covering index proposal on ${manyScan.relation}(${manyColumn}) INCLUDE (the aggregated columns)`
              : `covering index so the aggregate can read only the index: ${candidate.definition}`,
            'if it must answer in milliseconds on a large table, keep the totals in a summary table or materialized view refreshed by the application',
          ],
          ...(candidate === null ? {} : { fix: candidate.fix }),
          relation: manyScan.relation,
          column: manyColumn,
        }),
      );
    }
    return out;
  },
});
