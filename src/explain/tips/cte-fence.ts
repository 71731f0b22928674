import type { Finding } from '../../model/index.ts';
import { count, defineTip, ms, nodeLabel, removedTotal, tipFinding } from './plan-tip.ts';

export const cteFenceTip = defineTip({
  id: 'plan-cte-fence',
  title: 'Materialized CTE blocks a filter from reaching its tables',
  description: 'A CTE read once is materialized and then filtered: the filter could have been pushed into the CTE (NOT MATERIALIZED or moving the predicate).',
  check({ plan }) {
    const out: Finding[] = [];
    for (const n of plan.nodes) {
      if (n.node.nodeType !== 'CTE Scan' || n.node.cteName === null || n.node.filter === null || n.actualRowsTotal === null) continue;
      const name = n.node.cteName;
      const scans = plan.nodes.filter((x) => x.node.nodeType === 'CTE Scan' && x.node.cteName === name).length;
      const cte = plan.nodes.find((x) => x.node.subplanName === `CTE ${name}`);
      const recursive = cte !== undefined && plan.nodes.some((x) => x.path.startsWith(`${cte.path}.`) && x.node.nodeType === 'WorkTable Scan');
      if (scans !== 1 || recursive) continue;
      const removed = removedTotal(n.node.rowsRemovedByFilter, n);
      const read = removed + n.actualRowsTotal;
      if (removed < 1000 || removed / read < 0.5) continue;
      const cteMs = cte?.inclusiveMs ?? 0;
      out.push(
        tipFinding(plan, {
          rule: 'plan-cte-fence',
          node: n,
          title: `CTE ${name} is materialized (${count(read)} rows) and then filtered down to ${count(n.actualRowsTotal)}`,
          savingMs: (cteMs + (n.exclusiveMs ?? 0)) * (removed / read) * 0.9,
          savingBasis: 'time of the CTE and its scan × share of rows the filter removed × 0.9',
          evidence: {
            cte: name,
            filter: n.node.filter,
            rowsMaterialized: read,
            rowsKept: n.actualRowsTotal,
            cteMs: Math.round(cteMs * 1000) / 1000,
            cteNode: cte === undefined ? null : nodeLabel(cte),
            ctePath: cte?.path ?? null,
          },
          description:
            `PostgreSQL computed all ${count(read)} rows of CTE ${name} (${ms(cteMs)}) before applying ${n.node.filter}. ` +
            'A CTE referenced once is inlined since PostgreSQL 12 unless it is written AS MATERIALIZED (or is volatile); inlined, the filter reaches the base tables and their indexes.',
          nextSteps: [`write WITH ${name} AS NOT MATERIALIZED (…) or move the predicate inside the CTE`],
        }),
      );
    }
    return out;
  },
});
