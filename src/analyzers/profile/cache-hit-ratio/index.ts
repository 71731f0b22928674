import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding } from '../../../model/index.ts';
import { formatCount, percent, round } from '../../../format/format.ts';

export const cacheHitRatio = defineAnalyzer({
  id: 'cache-hit-ratio',
  phase: 'profile',
  title: 'Buffer cache hit ratio',
  description: 'Share of block reads served from shared_buffers for the database, with the worst tables.',
  depth: 1,
  requires: {},
  options: {
    targetPercent: { default: 95, description: 'target hit ratio in percent (seed baseline; PgHero uses 99)' },
    minBlocks: { default: 10_000, description: 'ignore the ratio until this many blocks were requested (too little evidence)' },
    worstTables: { default: 5, description: 'how many of the worst tables to list' },
  },
  run({ snapshot, options }) {
    const db = snapshot.database;
    if (db === null) return [];
    const requested = db.blksHit + db.blksRead;
    if (requested < options.minBlocks) return [];
    const ratio = db.blksHit / requested;
    const target = options.targetPercent / 100;
    const worst = snapshot.tables
      .filter((t) => t.io !== null && t.io.heapBlksHit + t.io.heapBlksRead >= options.minBlocks / 10)
      .map((t) => {
        const io = t.io ?? { heapBlksHit: 0, heapBlksRead: 0 };
        return { table: t.qualifiedName, ratio: io.heapBlksHit / (io.heapBlksHit + io.heapBlksRead), reads: io.heapBlksRead, bytes: t.totalBytes };
      })
      .sort((a, b) => a.ratio - b.ratio)
      .slice(0, options.worstTables);
    const below = ratio < target;
    const sharedBuffers = snapshot.settings.find((s) => s.name === 'shared_buffers');
    const finding: Finding = {
      rule: 'cache-hit-ratio',
      severity: below ? (ratio < target - 0.1 ? 'critical' : 'warning') : 'info',
      title: below
        ? `Buffer cache hit ratio is ${percent(ratio)}, below the ${options.targetPercent} % target`
        : `Buffer cache hit ratio is ${percent(ratio)} (target > ${options.targetPercent} %)`,
      target: { kind: 'database', name: db.name },
      evidence: {
        hitRatio: round(ratio, 4),
        blocksHit: db.blksHit,
        blocksRead: db.blksRead,
        targetPercent: options.targetPercent,
        sharedBuffers: sharedBuffers === undefined ? null : `${sharedBuffers.setting}${sharedBuffers.unit === '8kB' ? ' × 8kB' : (sharedBuffers.unit ?? '')}`,
        databaseBytes: db.sizeBytes,
        worstTables: worst.map((w) => ({ table: w.table, hitRatio: round(w.ratio, 4), blocksRead: w.reads, totalBytes: w.bytes })),
      },
      impact: {
        score: below ? db.blksRead / 1000 : 0,
        summary: below
          ? `${formatCount(db.blksRead)} blocks read from disk or OS cache since the stats reset`
          : 'healthy: nothing to gain',
      },
      description: below
        ? 'Reads that miss shared_buffers go to the OS cache or disk. Usual causes: shared_buffers too small for the working set, or sequential scans of large tables that an index would avoid (see the worst tables).'
        : 'Most reads are served from shared memory.',
      ...(below
        ? {
            nextSteps: [
              'check sequential scans on the worst tables listed (db-optimize indexes)',
              'size shared_buffers to about 25 % of RAM (db-optimize config)',
            ],
          }
        : {}),
    };
    return [finding];
  },
});
