import type { Finding } from '../../model/index.ts';
import { count, defineTip, nodeLabel, tipFinding } from './plan-tip.ts';

export const heapFetchesTip = defineTip({
  id: 'plan-heap-fetches',
  title: 'Index-only scan fetches rows from the heap',
  description: 'Pages not marked all-visible force an index-only scan back to the table; VACUUM sets the visibility map.',
  check({ plan }) {
    const out: Finding[] = [];
    for (const n of plan.nodes) {
      if (n.node.nodeType !== 'Index Only Scan' || n.node.heapFetches === null || n.actualRowsTotal === null) continue;
      // Heap Fetches is a total over all loops (unlike Rows Removed by Filter)
      const fetches = n.node.heapFetches;
      const rows = Math.max(n.actualRowsTotal, 1);
      const share = Math.min(1, fetches / rows);
      if (fetches < 1000 || share < 0.1) continue;
      const rel = n.relation ?? 'the table';
      out.push(
        tipFinding(plan, {
          rule: 'plan-heap-fetches',
          node: n,
          title: `${nodeLabel(n)} went to the heap for ${count(fetches)} of ${count(rows)} rows: VACUUM ${rel}`,
          savingMs: (n.exclusiveMs ?? 0) * share * 0.5,
          savingBasis: 'half the exclusive time × share of rows fetched from the heap',
          evidence: { heapFetches: fetches, rowsReturned: n.actualRowsTotal, heapFetchShare: Math.round(share * 1000) / 1000 },
          description:
            `An index-only scan can skip the table only for pages the visibility map marks all-visible. ${Math.round(share * 100)} % of the rows needed a heap visit, ` +
            `so ${rel} has many recently changed pages that VACUUM has not processed yet.`,
          nextSteps: [`if it comes back, make autovacuum visit ${rel} more often (autovacuum_vacuum_scale_factor / autovacuum_vacuum_insert_scale_factor on the table)`],
          fix: {
            kind: 'sql',
            content: `VACUUM (ANALYZE) ${rel};`,
            safety: 'safe',
            verified: false,
            verification: 're-run EXPLAIN ANALYZE after VACUUM: Heap Fetches should drop toward 0',
          },
        }),
      );
    }
    return out;
  },
});
