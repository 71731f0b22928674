import type { Finding } from '../../model/index.ts';
import { defineTip, ms, nodeLabel, tipFinding } from './plan-tip.ts';

/** Smallest power-of-two MB at or above kb. */
function mbFor(kb: number): number {
  let mb = 1;
  while (mb * 1024 < kb) mb *= 2;
  return mb;
}

/** "4MB", "65536kB", "1GB" or a bare number of kB (how SHOW and EXPLAIN SETTINGS print work_mem). */
export function settingKb(value: string | undefined): number | null {
  if (value === undefined) return null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(kB|MB|GB|TB)?\s*$/i.exec(value);
  if (m === null) return null;
  const unit = { kb: 1, mb: 1024, gb: 1024 ** 2, tb: 1024 ** 3 }[(m[2] ?? 'kB').toLowerCase() as 'kb'];
  return Number(m[1]) * unit;
}

/** PostgreSQL's default work_mem; EXPLAIN SETTINGS lists only settings that differ from it. */
const DEFAULT_WORK_MEM_KB = 4096;

export const diskSpillTip = defineTip({
  id: 'plan-disk-spill',
  title: 'Sort, hash or aggregate spilled to disk',
  description: 'An external merge sort, a hash join with more than one batch or a hash aggregate writing to disk: work_mem was too small for it.',
  check({ plan }) {
    const out: Finding[] = [];
    const current = plan.plan.settings.work_mem ?? null;
    const currentKb = settingKb(current ?? undefined) ?? DEFAULT_WORK_MEM_KB;
    for (const n of plan.nodes) {
      const node = n.node;
      let what: string | null = null;
      let neededKb = 0;
      const facts: Record<string, number | string | null> = {};
      if (node.nodeType === 'Sort' || node.nodeType === 'Incremental Sort') {
        if (node.sortSpaceType === 'Disk' || (node.sortMethod ?? '').startsWith('external')) {
          what = `sort (${node.sortMethod ?? 'external'}) wrote ${node.sortSpaceUsedKb ?? '?'} kB to disk`;
          // an in-memory sort needs roughly twice the on-disk size (tuple headers, pointers)
          neededKb = (node.sortSpaceUsedKb ?? 0) * 2;
          Object.assign(facts, { sortMethod: node.sortMethod, sortSpaceUsedKb: node.sortSpaceUsedKb });
        }
      } else if (node.nodeType === 'Hash') {
        if ((node.hashBatches ?? 1) > 1) {
          what = `hash table split into ${node.hashBatches} batches${(node.originalHashBatches ?? 1) < (node.hashBatches ?? 1) ? ` (planned ${node.originalHashBatches})` : ''}`;
          // the input's size, from the rows hashed (per loop) and their width plus a tuple header; memory × batches
          // overstates it by orders of magnitude when skewed keys made batches grow ("originally 8", 35 MB used)
          const input = node.children[0];
          const rowsKb = input?.actualRows == null ? null : (input.actualRows * (input.planWidth + 48) * 1.2) / 1024;
          const batchesKb = (node.peakMemoryUsageKb ?? 0) * (node.hashBatches ?? 1) * 1.2;
          neededKb = rowsKb === null || rowsKb <= 0 ? batchesKb : Math.min(rowsKb, batchesKb);
          Object.assign(facts, { hashBatches: node.hashBatches, originalHashBatches: node.originalHashBatches, peakMemoryKb: node.peakMemoryUsageKb });
        }
      } else if (node.nodeType === 'Aggregate' || node.nodeType === 'SetOp' || node.nodeType === 'Memoize') {
        if ((node.diskUsageKb ?? 0) > 0 || (node.aggBatches ?? 1) > 1) {
          what = `hash aggregate used ${node.aggBatches ?? '?'} batches and ${node.diskUsageKb ?? 0} kB of disk`;
          neededKb = (node.peakMemoryUsageKb ?? 0) + (node.diskUsageKb ?? 0) * 2;
          Object.assign(facts, { batches: node.aggBatches, diskUsageKb: node.diskUsageKb, peakMemoryKb: node.peakMemoryUsageKb });
        }
      }
      if (what === null) continue;
      const temp = n.exclusiveBuffers === null ? null : n.exclusiveBuffers.tempRead + n.exclusiveBuffers.tempWritten;
      // parallel workers each get work_mem: divide what the node needed between them
      const perProcessKb = neededKb / n.parallelDivisor;
      // it spilled at the current work_mem: whatever the estimate says, less than twice that will spill again
      const mb = mbFor(Math.max(perProcessKb, currentKb * 2));
      const workMem = `${mb}MB`;
      out.push(
        tipFinding(plan, {
          rule: 'plan-disk-spill',
          node: n,
          title: `${nodeLabel(n)} spilled to disk: ${what}; work_mem = ${workMem} would keep it in memory`,
          savingMs: Math.max((n.exclusiveMs ?? 0) * 0.5, n.ioMs ?? 0),
          savingBasis: 'half the exclusive time of the node, or its temp I/O time when larger',
          evidence: { ...facts, tempBlocks: temp, ioMs: n.ioMs, workMem: current ?? 'not in the plan: 4MB (the default) assumed', suggestedWorkMem: workMem },
          description:
            `${what} in ${ms(n.exclusiveMs)}. Operations that do not fit in work_mem write temporary files and read them back. ` +
            `About ${workMem} per process would have kept this one in memory. work_mem is per operation and per process: ` +
            'raise it for this query (SET LOCAL in its transaction, or for its role) rather than globally.',
          fix: {
            kind: 'config',
            content: `SET LOCAL work_mem = '${workMem}';  -- in the transaction that runs this statement\n-- or: ALTER ROLE app_user SET work_mem = '${workMem}';`,
            safety: 'review',
            verified: false,
            verification: `re-run EXPLAIN ANALYZE with SET work_mem = '${workMem}': the node should show no Disk / batches = 1`,
          },
        }),
      );
    }
    return out;
  },
});
