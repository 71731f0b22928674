import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding } from '../../../model/index.ts';
import { formatCount, percent, round } from '../../../format/format.ts';

export const indexHitRatio = defineAnalyzer({
  id: 'index-hit-ratio',
  phase: 'profile',
  title: 'Index cache hit ratio',
  description: 'Share of index block reads served from shared_buffers (the seed baseline wants > 99 %).',
  depth: 1,
  requires: {},
  options: {
    targetPercent: { default: 99, description: 'target index hit ratio in percent' },
    minBlocks: { default: 10_000, description: 'ignore the ratio until this many index blocks were requested' },
    worstIndexes: { default: 5, description: 'how many of the worst indexes to list' },
  },
  run({ snapshot, options }) {
    let hit = 0;
    let read = 0;
    for (const i of snapshot.indexes) {
      hit += i.blksHit;
      read += i.blksRead;
    }
    if (hit + read < options.minBlocks) return [];
    const ratio = hit / (hit + read);
    const target = options.targetPercent / 100;
    const below = ratio < target;
    const worst = snapshot.indexes
      .filter((i) => i.blksHit + i.blksRead >= options.minBlocks / 10)
      .map((i) => ({ index: i.qualifiedName, ratio: i.blksHit / (i.blksHit + i.blksRead), reads: i.blksRead, bytes: i.sizeBytes }))
      .sort((a, b) => a.ratio - b.ratio)
      .slice(0, options.worstIndexes);
    const finding: Finding = {
      rule: 'index-hit-ratio',
      severity: below ? 'warning' : 'info',
      title: below
        ? `Index cache hit ratio is ${percent(ratio, 2)}, below the ${options.targetPercent} % target`
        : `Index cache hit ratio is ${percent(ratio, 2)} (target > ${options.targetPercent} %)`,
      target: { kind: 'database', name: snapshot.server.database },
      evidence: {
        hitRatio: round(ratio, 4),
        blocksHit: hit,
        blocksRead: read,
        targetPercent: options.targetPercent,
        worstIndexes: worst.map((w) => ({ index: w.index, hitRatio: round(w.ratio, 4), blocksRead: w.reads, sizeBytes: w.bytes })),
      },
      impact: { score: below ? read / 1000 : 0, summary: below ? `${formatCount(read)} index blocks read from outside shared_buffers` : 'healthy: nothing to gain' },
      description: below
        ? 'Index pages that miss the buffer cache make every index lookup pay for I/O. Bloated or unused indexes compete for memory; so does a small shared_buffers.'
        : 'Index lookups are served from memory.',
    };
    return [finding];
  },
});
