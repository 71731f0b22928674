import type { Finding } from '../../model/index.ts';
import { indexColumnsFor, predicateTerms } from '../predicate-terms.ts';
import { indexCandidate } from './index-fix.ts';
import { count, defineTip, ms, nodeLabel, removedTotal, tipFinding } from './plan-tip.ts';

const SCANS = new Set(['Index Scan', 'Index Only Scan', 'Bitmap Heap Scan']);

export const indexFilterTip = defineTip({
  id: 'plan-index-filter',
  title: 'Index scan filters out most of the rows it fetches',
  description: 'An index (or bitmap) scan whose Filter removes ≥ 50 % of ≥ 1000 fetched rows: the index does not cover the whole predicate.',
  check({ plan }) {
    const out: Finding[] = [];
    for (const n of plan.nodes) {
      if (!SCANS.has(n.node.nodeType) || n.node.filter === null || n.actualRowsTotal === null || n.relation === null) continue;
      const removed = removedTotal(n.node.rowsRemovedByFilter, n);
      const fetched = removed + n.actualRowsTotal;
      if (removed < 1000 || removed / fetched < 0.5) continue;
      const cond = n.node.indexCond ?? n.node.recheckCond;
      const condTerms = predicateTerms(cond) ?? [];
      const filterTerms = predicateTerms(n.node.filter) ?? [];
      const columns = indexColumnsFor([...filterTerms, ...condTerms].filter((t) => t.other !== 'column'), n.node.alias);
      const share = removed / fetched;
      const candidate = columns.length > 0 ? indexCandidate(n.relation, columns) : null;
      const indexName = n.node.indexName ?? null;
      out.push(
        tipFinding(plan, {
          rule: 'plan-index-filter',
          node: n,
          title: `${nodeLabel(n)} fetches ${count(fetched)} rows and filters out ${Math.round(share * 100)} % of them`,
          savingMs: (n.exclusiveMs ?? 0) * share * 0.8,
          savingBasis: 'exclusive time of the scan × share of fetched rows removed × 0.8',
          evidence: {
            indexCond: cond,
            filter: n.node.filter,
            rowsReturned: n.actualRowsTotal,
            rowsRemovedByFilter: removed,
            removedShare: Math.round(share * 1000) / 1000,
            ...(candidate === null ? {} : { indexColumns: columns, indexDefinition: candidate.definition }),
          },
          description:
            `The index condition ${cond ?? '(none shown)'} matched ${count(fetched)} rows, but the filter ${n.node.filter} kept only ` +
            `${count(n.actualRowsTotal)}; each discarded row was a heap fetch (${ms(n.exclusiveMs)} in this node). ` +
            'An index whose key covers the filter columns too reads only the rows returned.',
          ...(candidate === null ? {} : { fix: candidate.fix }),
          index: indexName,
          column: columns.join(',') || null,
        }),
      );
    }
    return out;
  },
});
