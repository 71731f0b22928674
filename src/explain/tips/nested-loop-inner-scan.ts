import type { Finding } from '../../model/index.ts';
import { ancestorsOf } from '../enrich-plan.ts';
import type { EnrichedNode, EnrichedPlan } from '../enrich-plan.ts';
import { predicateTerms } from '../predicate-terms.ts';
import { indexCandidate } from './index-fix.ts';
import { count, defineTip, ms, nodeLabel, removedTotal, tipFinding } from './plan-tip.ts';

export const MIN_LOOPS = 10;

/** The Nested Loop (inner side) or SubPlan that re-runs this scan, if any. */
function repeater(plan: EnrichedPlan, n: EnrichedNode): { kind: 'nested loop' | 'subplan'; node: EnrichedNode } | null {
  let child = n;
  for (const a of ancestorsOf(plan, n.path)) {
    if (child.node.subplanName !== null && child.node.subplanName.startsWith('SubPlan')) return { kind: 'subplan', node: child };
    if (a.node.nodeType === 'Nested Loop' && child.path === `${a.path}.1`) return { kind: 'nested loop', node: a };
    if (!['Materialize', 'Memoize', 'Aggregate', 'Hash', 'Sort', 'Limit', 'Result'].includes(a.node.nodeType)) return null;
    child = a;
  }
  return null;
}

export const nestedLoopInnerScanTip = defineTip({
  id: 'plan-nested-loop-inner-scan',
  title: 'Repeated sequential scan on the inner side of a nested loop or subplan',
  description: 'A Seq Scan re-run for every outer row (nested loop inner side or correlated SubPlan) because no index serves the join column.',
  check({ plan }) {
    const out: Finding[] = [];
    for (const n of plan.nodes) {
      if (n.node.nodeType !== 'Seq Scan' || (n.node.actualLoops ?? 0) < MIN_LOOPS || n.relation === null) continue;
      const rep = repeater(plan, n);
      if (rep === null) continue;
      const removed = removedTotal(n.node.rowsRemovedByFilter, n);
      const read = removed + (n.actualRowsTotal ?? 0);
      if (read < 10_000) continue;
      const terms = [...(predicateTerms(n.node.filter) ?? []), ...(rep.kind === 'nested loop' ? (predicateTerms(rep.node.node.joinFilter) ?? []) : [])];
      const alias = n.node.alias;
      const joinCols = [
        ...new Set(
          terms
            .filter((t) => t.kind === 'eq' && t.wrapped === null)
            .flatMap((t) => {
              const mine = t.qualifier === null || t.qualifier === alias;
              if (mine && (t.other === 'column' || t.other === 'param') && t.otherQualifier !== alias) return [t.column];
              if (!mine && t.other === 'column' && t.otherQualifier === alias && t.otherColumn !== null) return [t.otherColumn];
              return [];
            }),
        ),
      ];
      const candidate = joinCols.length > 0 ? indexCandidate(n.relation, joinCols) : null;
      const incl = n.inclusiveMs ?? 0;
      out.push(
        tipFinding(plan, {
          rule: 'plan-nested-loop-inner-scan',
          node: n,
          title: `${nodeLabel(n)} runs ${count(n.node.actualLoops ?? 0)} times (${rep.kind}) reading ${count(read)} rows${candidate === null ? '' : `: index ${n.relation}(${joinCols.join(', ')})`}`,
          savingMs: incl * 0.9,
          savingBasis: 'inclusive time of the repeated scan × 0.9 (an index lookup per loop instead of a full scan)',
          evidence: {
            loops: n.node.actualLoops,
            rowsReadTotal: read,
            rowsReturnedTotal: n.actualRowsTotal,
            filter: n.node.filter,
            joinFilter: rep.kind === 'nested loop' ? rep.node.node.joinFilter : null,
            repeatedBy: nodeLabel(rep.node),
            repeatedByPath: rep.node.path,
            inclusiveMs: Math.round(incl * 1000) / 1000,
            ...(candidate === null ? {} : { indexColumns: joinCols, indexDefinition: candidate.definition }),
          },
          description:
            `${rep.kind === 'subplan' ? `The correlated ${rep.node.node.subplanName ?? 'subplan'}` : 'The nested loop'} scans all of ${n.relation} once per outer row: ` +
            `${count(n.node.actualLoops ?? 0)} scans, ${count(read)} rows read, ${ms(incl)} in total. ` +
            (candidate === null ? 'An index on the correlated column would turn each scan into a lookup.' : `An index on ${n.relation}(${joinCols.join(', ')}) turns each scan into a lookup.`),
          ...(rep.kind === 'subplan' ? { nextSteps: ['a correlated subquery can often be rewritten as a join against a grouped subquery (aggregate once, join once)'] } : {}),
          ...(candidate === null ? {} : { fix: candidate.fix, column: joinCols.join(',') }),
        }),
      );
    }
    return out;
  },
});
