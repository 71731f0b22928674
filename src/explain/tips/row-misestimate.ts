import { quoteIdent } from '../../format/format.ts';
import { deriveIdentifier } from '../../sql/quote.ts';
import type { Finding } from '../../model/index.ts';
import { rowsNotReported, stoppedEarly } from '../early-stop.ts';
import { ancestorsOf, childrenOf } from '../enrich-plan.ts';
import type { EnrichedNode } from '../enrich-plan.ts';
import { predicateTerms } from '../predicate-terms.ts';
import { count, defineTip, nodeLabel, threshold, tipFinding } from './plan-tip.ts';

export const MISESTIMATE_FACTOR = 10;
const MIN_ROWS = 100;
const NO_STATISTICS = new Set(['CTE Scan', 'Function Scan', 'WorkTable Scan', 'Values Scan', 'Table Function Scan', 'Named Tuplestore Scan']);

function isMisestimated(n: EnrichedNode, factor: number, minRows: number): boolean {
  if (n.misestimateFactor === null || n.misestimateFactor < factor) return false;
  return Math.max(n.node.actualRows ?? 0, n.node.planRows) >= minRows;
}

/** Operators that pass rows through between the nested loops of a chain. */
const CHAIN_LINKS = new Set(['Nested Loop', 'Materialize', 'Memoize', 'Sort', 'Incremental Sort', 'Aggregate', 'Hash', 'Gather', 'Gather Merge', 'Unique']);

/**
 * An underestimate makes the planner pick nested loops that re-run their inner side per row: the
 * damage is the whole chain of nested loops above the node, not its parent alone. Null without one.
 */
function underestimateChain(n: EnrichedNode, ancestors: readonly EnrichedNode[]): EnrichedNode | null {
  if (n.misestimateDirection !== 'under') return null;
  let top: EnrichedNode | null = null;
  for (const a of ancestors) {
    if (!CHAIN_LINKS.has(a.node.nodeType)) break;
    if (a.node.nodeType === 'Nested Loop') top = a;
  }
  return top;
}

export const rowMisestimateTip = defineTip({
  id: 'plan-row-misestimate',
  title: 'Row estimate off by 10× or more',
  description: 'The planner expected far fewer or more rows than the node produced; plans above it were chosen on a wrong premise.',
  thresholds: {
    factor: { default: MISESTIMATE_FACTOR, description: 'actual / planned rows (or the inverse) from which an estimate is reported' },
    minRows: { default: MIN_ROWS, description: 'rows (planned or actual, per loop) below which a wrong estimate does not matter' },
  },
  check(context) {
    const { plan } = context;
    const minFactor = threshold(context, this, 'factor');
    const minRows = threshold(context, this, 'minRows');
    const misestimated = (n: EnrichedNode): boolean => isMisestimated(n, minFactor, minRows);
    const out: Finding[] = [];
    for (const n of plan.nodes) {
      if (!misestimated(n)) continue;
      // estimates of CTEs, functions and work tables come from fixed defaults that statistics cannot fix
      if (NO_STATISTICS.has(n.node.nodeType) || rowsNotReported(n)) continue;
      // a Hash holds its input's rows and no estimate of its own: a gap there is a counting artefact
      // (old servers counted only the first batch), never where an error starts
      if (n.node.nodeType === 'Hash') continue;
      // a LIMIT, a semi/anti or merge join, EXISTS or a CTE read partly stops early: fewer rows than planned is expected there
      const ancestors = ancestorsOf(plan, n.path);
      if (n.misestimateDirection === 'over' && stoppedEarly(plan, n)) continue;
      // report where the error starts, not every node it propagates to
      if (childrenOf(plan, n.path).some((c) => c.node.subplanName === null && misestimated(c) && c.misestimateDirection === n.misestimateDirection)) continue;
      const terms = predicateTerms(n.node.filter ?? n.node.indexCond ?? n.node.recheckCond) ?? [];
      const own = [...new Set(terms.filter((t) => t.wrapped === null && (t.qualifier === null || t.qualifier === n.node.alias) && t.other !== 'column').map((t) => t.column))];
      const joinTerms = predicateTerms(n.node.hashCond ?? n.node.mergeCond ?? n.node.joinFilter) ?? [];
      const parent = ancestors[0] ?? null;
      const chain = underestimateChain(n, ancestors);
      const saving = chain === null ? (parent?.exclusiveMs ?? 0) * 0.3 : Math.max(0, (chain.inclusiveMs ?? 0) - (n.inclusiveMs ?? 0)) * 0.3;
      const under = n.misestimateDirection === 'under';
      const factor = Math.round((n.misestimateFactor ?? 1) * 10) / 10;
      const rel = n.relation;
      const steps: string[] = [];
      let fixContent: string | null = null;
      if (rel !== null && own.length >= 2) {
        const statName = deriveIdentifier([rel.split('.').pop() ?? rel, ...own], 'stats');
        fixContent = `CREATE STATISTICS ${quoteIdent(statName)} (dependencies, mcv) ON ${own.map((c) => quoteIdent(c)).join(', ')} FROM ${rel};\nANALYZE ${rel};`;
        steps.push(`the filter combines ${own.join(', ')} of ${rel}: PostgreSQL assumes they are independent; extended statistics teach it their correlation`);
      } else if (rel !== null && own.length === 1) {
        const col = own[0] as string;
        fixContent = `ALTER TABLE ${rel} ALTER COLUMN ${quoteIdent(col)} SET STATISTICS 1000;\nANALYZE ${rel};`;
        steps.push(`run ANALYZE ${rel} first: stale statistics are the usual cause; if it persists, raise the statistics target of ${col}`);
      } else if (rel !== null) {
        fixContent = `ANALYZE ${rel};`;
      } else if (joinTerms.length > 0) {
        steps.push(`the join condition ${n.node.hashCond ?? n.node.mergeCond ?? n.node.joinFilter} is estimated from per-column statistics; ANALYZE both sides, and consider CREATE STATISTICS on multi-column join keys`);
      }
      out.push(
        tipFinding(plan, {
          rule: 'plan-row-misestimate',
          node: n,
          title: `${nodeLabel(n)}: ${under ? 'under' : 'over'}estimated rows ${factor}× (planned ${count(n.node.planRows)}, got ${count(n.node.actualRows ?? 0)})`,
          // a wrong estimate costs through the operators chosen above it: a share of their time
          savingMs: saving,
          savingBasis:
            chain === null
              ? 'uncertain: 30 % of the exclusive time of the operator planned on this estimate'
              : `uncertain: 30 % of the time of the nested-loop chain planned on this estimate (up to ${nodeLabel(chain)}, without the node itself)`,
          evidence: {
            planRows: n.node.planRows,
            actualRows: n.node.actualRows,
            loops: n.node.actualLoops,
            factor,
            direction: under ? 'underestimate' : 'overestimate',
            condition: n.node.filter ?? n.node.indexCond ?? n.node.recheckCond ?? n.node.hashCond ?? n.node.mergeCond ?? n.node.joinFilter,
            columns: own,
            ...(parent === null ? {} : { affectedNode: nodeLabel(parent), affectedNodePath: parent.path }),
            ...(chain === null ? {} : { affectedChain: nodeLabel(chain), affectedChainPath: chain.path }),
          },
          description:
            `The planner estimated ${count(n.node.planRows)} rows per loop and the node produced ${count(n.node.actualRows ?? 0)} ` +
            `(${factor}× ${under ? 'more' : 'fewer'}). Join methods, join order and memory sizing above this node were chosen for the wrong row count.`,
          nextSteps: steps,
          ...(fixContent === null
            ? {}
            : {
                fix: {
                  kind: 'sql',
                  content: fixContent,
                  safety: 'safe',
                  verified: false,
                  verification: 're-run EXPLAIN ANALYZE after it: the estimate should move toward the actual rows',
                  ...(fixContent.startsWith('CREATE STATISTICS') ? { rollback: `DROP STATISTICS ${fixContent.split(' ')[2]};` } : {}),
                },
              }),
          column: own.join(',') || null,
        }),
      );
    }
    return out;
  },
});
