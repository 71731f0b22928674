import type { Finding } from '../../model/index.ts';
import { indexColumnsFor, predicateTerms } from '../predicate-terms.ts';
import { indexCandidate } from './index-fix.ts';
import { count, defineTip, ms, nodeLabel, removedTotal, threshold, tipFinding } from './plan-tip.ts';

export const MIN_ROWS_SCANNED = 10_000;
export const MIN_REMOVED_SHARE = 0.9;

export const seqScanFilterTip = defineTip({
  id: 'plan-seq-scan-filter',
  title: 'Sequential scan discards most of the rows it reads',
  description: 'A Seq Scan whose filter removes ≥ 90 % of ≥ 10k rows read: an index on the filtered columns would read only the rows returned.',
  thresholds: {
    minRowsScanned: { default: MIN_ROWS_SCANNED, description: 'rows the scan read (kept + removed, all loops)' },
    minRemovedShare: { default: MIN_REMOVED_SHARE, description: 'share of the rows read that the filter removed' },
  },
  check(context) {
    const { plan } = context;
    const minScanned = threshold(context, this, 'minRowsScanned');
    const minShare = threshold(context, this, 'minRemovedShare');
    const out: Finding[] = [];
    for (const n of plan.nodes) {
      if (n.node.nodeType !== 'Seq Scan' || n.node.filter === null || n.actualRowsTotal === null || n.relation === null) continue;
      const removed = removedTotal(n.node.rowsRemovedByFilter, n);
      const scanned = removed + n.actualRowsTotal;
      if (scanned < minScanned || removed / scanned < minShare) continue;
      const terms = predicateTerms(n.node.filter);
      const columns = terms === null ? [] : indexColumnsFor(terms.filter((t) => t.other !== 'column'), n.node.alias);
      // a filter only on wrapped columns (lower(x), x::date) is the non-sargable tip's case
      if (columns.length === 0) continue;
      const share = removed / scanned;
      const candidate = indexCandidate(n.relation, columns);
      // column-to-column comparisons and wrapped columns are checked on every row the index returns:
      // the index does not narrow the read down to the final rows, so the saving is only a guess
      const residual = (terms ?? []).filter((t) => t.other === 'column' || t.wrapped !== null);
      const partial = residual.length > 0;
      out.push(
        tipFinding(plan, {
          rule: 'plan-seq-scan-filter',
          node: n,
          title: partial
            ? `${nodeLabel(n)} reads ${count(scanned)} rows to return ${count(n.actualRowsTotal)}: index ${n.relation}(${columns.join(', ')}) narrows the read (the rest of the filter still runs per row)`
            : `${nodeLabel(n)} reads ${count(scanned)} rows to return ${count(n.actualRowsTotal)}: index ${n.relation}(${columns.join(', ')})`,
          savingMs: (n.exclusiveMs ?? 0) * share * (partial ? 0.45 : 0.9),
          savingBasis: partial
            ? 'uncertain: half of (exclusive time × share removed × 0.9): the index cannot serve the column-to-column or wrapped terms'
            : 'exclusive time of the scan × share of rows removed × 0.9',
          evidence: {
            filter: n.node.filter,
            rowsReturned: n.actualRowsTotal,
            rowsRemovedByFilter: removed,
            removedShare: Math.round(share * 1000) / 1000,
            loops: n.node.actualLoops,
            indexColumns: columns,
            indexDefinition: candidate.definition,
            ...(partial ? { notServedByIndex: residual.map((t) => (t.wrapped ?? t.column) + (t.other === 'column' ? ` vs ${t.otherColumn ?? 'column'}` : '')) } : {}),
          },
          description:
            `The scan read every row of ${n.relation} and threw away ${Math.round(share * 1000) / 10} % of them in the filter ${n.node.filter}; ` +
            `it took ${ms(n.exclusiveMs)}. A btree on (${columns.join(', ')}) lets PostgreSQL read only the rows matching those columns` +
            (partial ? '; the terms comparing columns with each other (or wrapped in functions) are still checked on each of them, so fewer rows are skipped than the filter removed.' : '.'),
          fix: candidate.fix,
          column: columns.join(','),
        }),
      );
    }
    return out;
  },
});
