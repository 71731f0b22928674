import type { Finding } from '../../model/index.ts';
import { ancestorsOf } from '../enrich-plan.ts';
import { count, defineTip, ms, nodeLabel, threshold, tipFinding } from './plan-tip.ts';

const RESCANNED = new Set(['Function Scan', 'Table Function Scan', 'Values Scan']);

/** A set-returning function (generate_series, unnest, a user function) called again for every outer row. */
export const functionRescanTip = defineTip({
  id: 'plan-function-rescan',
  title: 'A function scan re-runs for every outer row',
  description: 'The inner side of a nested loop (or a correlated subquery) calls a set-returning function once per outer row.',
  thresholds: {
    minLoops: { default: 10_000, description: 'calls of the function scan before it is reported' },
    minShare: { default: 0.1, description: 'share of execution time spent in the function scan' },
  },
  check(context) {
    const { plan } = context;
    const out: Finding[] = [];
    const total = plan.totalMs ?? 0;
    for (const n of plan.nodes) {
      if (!RESCANNED.has(n.node.nodeType) || n.exclusiveMs === null || total <= 0) continue;
      const loops = n.node.actualLoops ?? 1;
      if (loops < threshold(context, this, 'minLoops') || n.exclusiveMs < total * threshold(context, this, 'minShare')) continue;
      const loop = ancestorsOf(plan, n.path).find((a) => a.node.nodeType === 'Nested Loop') ?? null;
      const fn = n.node.functionName ?? n.node.alias ?? 'the function';
      const series = fn === 'generate_series';
      out.push(
        tipFinding(plan, {
          rule: 'plan-function-rescan',
          node: n,
          title: `${nodeLabel(n)} ran ${count(loops)} times (${ms(n.exclusiveMs)}): call it once and join to its result`,
          savingMs: n.exclusiveMs * 0.7,
          savingBasis: 'uncertain: 70 % of the function scan time (a set-based join still reads the rows once)',
          evidence: { loops, rowsPerLoop: n.node.actualRows, functionName: fn, ...(loop === null ? {} : { nestedLoop: nodeLabel(loop), nestedLoopPath: loop.path }) },
          description:
            `${fn} was called ${count(loops)} times, once per outer row, and each call pays the function's start-up cost. ` +
            'When its arguments do not depend on the outer row, compute it once (a MATERIALIZED CTE or a join); when they do, a join against one call over the whole range ' +
            'lets the planner hash or merge instead of looping.',
          nextSteps: [
            series
              ? 'rewrite: JOIN generate_series(1, <max over all rows>) g(i) ON g.i <= <per-row bound> — one call, joined, instead of one call per row'
              : `if ${fn} does not depend on the outer row: WITH f AS MATERIALIZED (SELECT * FROM ${fn}(…)) and join to f`,
            'for a user function with a known result size, ALTER FUNCTION … ROWS n tells the planner how many rows each call returns',
          ],
        }),
      );
    }
    return out;
  },
});
