import type { Finding } from '../../model/index.ts';
import { count, defineTip, ms, nodeLabel, threshold, tipFinding } from './plan-tip.ts';

/**
 * An Index Scan that waits on reads of scattered heap pages: each matching row costs a random read.
 * A covering index (index-only scan) or a table physically ordered by the index (CLUSTER) reads
 * far fewer pages.
 */
export const indexHeapIoTip = defineTip({
  id: 'plan-index-heap-io',
  title: 'Random heap reads dominate an index scan',
  description: 'An Index Scan spent most of its time reading heap pages one by one: a covering index or a table clustered on the index avoids them.',
  thresholds: {
    minIoShare: { default: 0.5, description: 'share of the scan exclusive time spent in I/O (needs track_io_timing)' },
    minReadBlocks: { default: 1000, description: 'blocks the scan read from disk or the OS cache' },
  },
  check(context) {
    const { plan } = context;
    const out: Finding[] = [];
    for (const n of plan.nodes) {
      if (n.node.nodeType !== 'Index Scan' || n.exclusiveMs === null || n.ioMs === null || n.exclusiveBuffers === null || n.relation === null) continue;
      const read = n.exclusiveBuffers.sharedRead;
      if (read < threshold(context, this, 'minReadBlocks') || n.ioMs < n.exclusiveMs * threshold(context, this, 'minIoShare')) continue;
      const rows = n.actualRowsTotal ?? 0;
      const output = n.node.output;
      out.push(
        tipFinding(plan, {
          rule: 'plan-index-heap-io',
          node: n,
          title: `${nodeLabel(n)} waited ${ms(n.ioMs)} on ${count(read)} random page reads for ${count(rows)} rows: covering index or CLUSTER`,
          savingMs: n.ioMs * 0.7,
          savingBasis: 'uncertain: 70 % of the scan I/O time (index pages are still read)',
          evidence: { sharedReadBlocks: read, ioMs: n.ioMs, rows, blocksPerRow: rows > 0 ? Math.round((read / rows) * 100) / 100 : null, index: n.node.indexName },
          description:
            `${nodeLabel(n)} read ${count(read)} pages for ${count(rows)} rows and spent ${ms(n.ioMs)} of its ${ms(n.exclusiveMs)} waiting for them: ` +
            'the matching rows are scattered over the table, so each costs a read of its own page.',
          nextSteps: [
            output.length > 0
              ? `covering index so the scan becomes index-only (then VACUUM so the visibility map is set): add INCLUDE (${output.join(', ')}) to ${n.node.indexName ?? 'the index'}`
              : `covering index so the scan becomes index-only: ${n.node.indexName ?? 'the index'} with INCLUDE (the selected columns; EXPLAIN VERBOSE lists them)`,
            `or store the table in index order: CLUSTER ${n.relation} USING ${n.node.indexName ?? '<index>'} — takes an ACCESS EXCLUSIVE lock and rewrites the table; pg_repack does it online; the order decays with updates`,
          ],
          index: n.node.indexName,
        }),
      );
    }
    return out;
  },
});
