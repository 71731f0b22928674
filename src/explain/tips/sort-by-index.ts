import type { Finding } from '../../model/index.ts';
import { ancestorsOf, childrenOf } from '../enrich-plan.ts';
import { indexColumnsFor, predicateTerms } from '../predicate-terms.ts';
import { indexCandidate } from './index-fix.ts';
import { count, defineTip, ms, nodeLabel, threshold, tipFinding } from './plan-tip.ts';
import { sortColumn } from './sort-limit.ts';

const SCANS = new Set(['Seq Scan', 'Bitmap Heap Scan', 'Index Scan']);

/**
 * A Sort of the rows one relation's scan selected by equality: a btree on (equality columns, sort
 * keys) returns them in order. Whole-table sorts are left alone: reading a table in index order is
 * usually slower than a sequential scan and a sort. ORDER BY … LIMIT is plan-sort-limit's case.
 */
export const sortByIndexTip = defineTip({
  id: 'plan-sort-by-index',
  title: 'A sort an index on the sort key would remove',
  description: 'The rows one scan selects by equality are then sorted; an index on (equality columns, sort keys) yields them already in order.',
  thresholds: {
    minShare: { default: 0.2, description: 'share of execution time in the sort itself' },
    minRows: { default: 1000, description: 'rows sorted' },
  },
  check(context) {
    const { plan } = context;
    const total = plan.totalMs ?? 0;
    const out: Finding[] = [];
    for (const sort of plan.nodes) {
      if (sort.node.nodeType !== 'Sort' || sort.exclusiveMs === null || total <= 0) continue;
      if (sort.exclusiveMs < total * threshold(context, this, 'minShare') || (sort.actualRowsTotal ?? 0) < threshold(context, this, 'minRows')) continue;
      if (ancestorsOf(plan, sort.path).some((a) => a.node.nodeType === 'Limit')) continue;
      const scan = childrenOf(plan, sort.path).find((c) => c.node.subplanName === null);
      if (scan === undefined || !SCANS.has(scan.node.nodeType) || scan.relation === null) continue;
      const keys = sort.node.sortKey.map((k) => sortColumn(k, scan.node.alias));
      if (keys.length === 0 || keys.some((k) => k === null)) continue;
      const terms = [scan.node.indexCond, scan.node.recheckCond, scan.node.filter].flatMap((c) => predicateTerms(c) ?? []);
      const eq = indexColumnsFor(terms.filter((t) => t.kind === 'eq' && t.other !== 'column' && t.wrapped === null), scan.node.alias);
      if (eq.length === 0) continue;
      // a scan keeping most of the table is better read sequentially and sorted
      const removed = (scan.node.rowsRemovedByFilter ?? 0) * (scan.node.actualLoops ?? 1);
      if (scan.node.nodeType === 'Seq Scan' && removed < (scan.actualRowsTotal ?? 0)) continue;
      const cols = keys as { column: string; desc: boolean }[];
      const mixed = cols.some((c) => c.desc !== cols[0]?.desc);
      const columns = [...eq, ...cols.map((c) => (mixed ? `${c.column}${c.desc ? ' DESC' : ''}` : c.column)).filter((c) => !eq.includes(c))];
      const candidate = indexCandidate(scan.relation, columns);
      out.push(
        tipFinding(plan, {
          rule: 'plan-sort-by-index',
          node: sort,
          title: `${nodeLabel(sort)} of ${count(sort.actualRowsTotal ?? 0)} rows (${ms(sort.exclusiveMs)}): index ${scan.relation}(${columns.join(', ')}) returns them in order`,
          savingMs: sort.exclusiveMs * 0.8,
          savingBasis: 'uncertain: 80 % of the sort exclusive time (the index scan may read the heap in a different order)',
          evidence: { sortKey: [...sort.node.sortKey], sortMethod: sort.node.sortMethod, rowsSorted: sort.actualRowsTotal, scan: nodeLabel(scan), indexColumns: columns, indexDefinition: candidate.definition },
          description:
            `${nodeLabel(scan)} selects rows by ${eq.join(', ')} and the plan then sorts them by ${sort.node.sortKey.join(', ')} (${ms(sort.exclusiveMs)}). ` +
            `A btree on (${columns.join(', ')}) finds the same rows already in that order, so no sort is needed.`,
          fix: candidate.fix,
          relation: scan.relation,
          column: columns.join(','),
        }),
      );
    }
    return out;
  },
});
