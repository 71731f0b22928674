import type { Finding } from '../../model/index.ts';
import { predicateTerms } from '../predicate-terms.ts';
import { indexCandidate } from './index-fix.ts';
import { count, defineTip, ms, nodeLabel, removedTotal, tipFinding } from './plan-tip.ts';

const SCANS = new Set(['Seq Scan', 'Index Scan', 'Bitmap Heap Scan', 'Index Only Scan']);
// casts of timestamptz depend on the TimeZone setting: not immutable, no expression index possible
const RANGE_REWRITE = /::date$|date_trunc\(|::timestamp/;

export const nonSargableExpressionTip = defineTip({
  id: 'plan-non-sargable-expression',
  title: 'A function or cast on a column hides it from its index',
  description: 'The filter compares lower(col), col::date or similar: a btree on col cannot serve it; rewrite the predicate or index the expression.',
  check({ plan, catalog }) {
    const out: Finding[] = [];
    for (const n of plan.nodes) {
      if (!SCANS.has(n.node.nodeType) || n.node.filter === null || n.relation === null || n.actualRowsTotal === null) continue;
      const removed = removedTotal(n.node.rowsRemovedByFilter, n);
      const read = removed + n.actualRowsTotal;
      if (removed < 1000 || removed / read < 0.5) continue;
      const wrapped = (predicateTerms(n.node.filter) ?? []).filter((t) => t.wrapped !== null && (t.qualifier === null || t.qualifier === n.node.alias) && (t.kind === 'eq' || t.kind === 'range') && t.other !== 'column');
      const first = wrapped[0];
      if (first === undefined || first.wrapped === null) continue;
      const table = n.node.relationName;
      const existing = catalog?.indexes.find((i) => i.table === table && i.columns[0] === first.column) ?? null;
      const rewrite = RANGE_REWRITE.test(first.wrapped);
      const candidate = rewrite ? null : indexCandidate(n.relation, [first.wrapped], [], true);
      out.push(
        tipFinding(plan, {
          rule: 'plan-non-sargable-expression',
          node: n,
          title: `${nodeLabel(n)} filters on ${first.wrapped}: ${rewrite ? `rewrite it as a range on ${first.column}` : `index the expression ${first.wrapped}`}`,
          savingMs: (n.exclusiveMs ?? 0) * (removed / read) * 0.9,
          savingBasis: 'exclusive time of the scan × share of rows removed × 0.9',
          evidence: {
            filter: n.node.filter,
            expression: first.wrapped,
            column: first.column,
            rowsRemovedByFilter: removed,
            rowsReturned: n.actualRowsTotal,
            existingIndexOnColumn: existing?.name ?? null,
            ...(candidate === null ? {} : { indexDefinition: candidate.definition }),
          },
          description:
            `The filter applies ${first.wrapped} to every row, so ${existing === null ? `an index on ${first.column}` : `the index ${existing.name} on ${first.column}`} cannot be used; ` +
            `${count(read)} rows were read to keep ${count(n.actualRowsTotal)} (${ms(n.exclusiveMs)}). ` +
            (rewrite
              ? `Compare the bare column instead, e.g. ${first.column} >= '2024-01-10' AND ${first.column} < '2024-01-11' for a ::date equality.`
              : `An expression index on (${first.wrapped}) matches the predicate as written.`),
          ...(candidate === null
            ? {
                nextSteps: [`rewrite the predicate so ${first.column} stands alone on one side of the comparison (a half-open range for date casts)`],
              }
            : { fix: candidate.fix }),
          column: first.column,
        }),
      );
    }
    return out;
  },
});
