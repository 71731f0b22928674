import type { Finding } from '../../model/index.ts';
import { count, defineTip, ms, nodeLabel, tipFinding } from './plan-tip.ts';

export const lossyBitmapTip = defineTip({
  id: 'plan-lossy-bitmap',
  title: 'Bitmap heap scan went lossy',
  description: 'The bitmap did not fit in work_mem and degraded to page granularity: every row of those pages is rechecked.',
  check({ plan }) {
    const out: Finding[] = [];
    for (const n of plan.nodes) {
      const lossy = n.node.lossyHeapBlocks ?? 0;
      if (n.node.nodeType !== 'Bitmap Heap Scan' || lossy <= 0) continue;
      const exact = n.node.exactHeapBlocks ?? 0;
      const share = lossy / (lossy + exact);
      // an exact TID bitmap costs roughly 64 bytes per heap page
      const neededKb = ((lossy + exact) * 64) / 1024;
      let mb = 1;
      while (mb * 1024 < neededKb * 1.5) mb *= 2;
      out.push(
        tipFinding(plan, {
          rule: 'plan-lossy-bitmap',
          node: n,
          title: `${nodeLabel(n)}: ${count(lossy)} of ${count(lossy + exact)} heap blocks lossy (${Math.round(share * 100)} %)`,
          savingMs: (n.exclusiveMs ?? 0) * share * 0.5,
          savingBasis: 'half the exclusive time × share of lossy blocks',
          evidence: {
            exactHeapBlocks: exact,
            lossyHeapBlocks: lossy,
            rowsRemovedByIndexRecheck: n.node.rowsRemovedByIndexRecheck,
            workMem: plan.plan.settings.work_mem ?? 'default',
            suggestedWorkMem: `${mb}MB`,
          },
          description:
            `The bitmap for ${n.relation ?? 'this scan'} outgrew work_mem and kept only page numbers for ${count(lossy)} blocks, so every row on those ` +
            `pages was rechecked against ${n.node.recheckCond ?? 'the condition'} (${count(n.node.rowsRemovedByIndexRecheck ?? 0)} rows removed by the recheck, ${ms(n.exclusiveMs)} in the node).`,
          fix: {
            kind: 'config',
            content: `SET LOCAL work_mem = '${mb}MB';  -- for this statement's transaction`,
            safety: 'review',
            verified: false,
            verification: 're-run EXPLAIN ANALYZE: "Heap Blocks" should show no lossy blocks',
          },
        }),
      );
    }
    return out;
  },
});
