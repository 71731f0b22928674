import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding } from '../../../model/index.ts';
import { bytesScore, formatBytes, formatCount, round } from '../../../format/format.ts';
import { perDay } from '../../snapshot-lookup.ts';
import { setting } from '../settings-lookup.ts';
import { shortQuery } from '../statement-relations.ts';

export const tempFiles = defineAnalyzer({
  id: 'temp-files',
  phase: 'profile',
  title: 'Temporary file volume',
  description: 'Sorts, hashes and materializations that spilled to disk because they did not fit in work_mem, with the statements that spill most.',
  depth: 1,
  requires: {},
  options: {
    maxBytesPerDay: { default: 1024 * 1024 * 1024, description: 'warn when temporary files exceed this many bytes per day (default 1 GiB)' },
    statements: { default: 5, description: 'how many spilling statements to name' },
  },
  run({ snapshot, workload, options }) {
    const db = snapshot.database;
    if (db === null || db.tempBytes === 0) return [];
    const window = snapshot.server.statsAgeSeconds;
    const bytesPerDay = perDay(db.tempBytes, window);
    if (bytesPerDay < options.maxBytesPerDay) return [];
    const blockSize = snapshot.server.blockSize;
    const spilling = (workload?.statements ?? [])
      .filter((s) => s.tempBlksWritten > 0)
      .sort((a, b) => b.tempBlksWritten - a.tempBlksWritten)
      .slice(0, options.statements)
      .map((s) => ({ query: shortQuery(s.text, 160), fingerprint: s.fingerprint, calls: s.calls, tempBytesWritten: s.tempBlksWritten * blockSize }));
    const workMem = setting(snapshot, 'work_mem');
    const finding: Finding = {
      rule: 'temp-files',
      history: { windowSeconds: Math.round(window), note: 'bytes per day extrapolated from the statistics window (at least an hour)' },
      severity: 'warning',
      title: `${formatBytes(bytesPerDay)}/day written to temporary files (${formatCount(db.tempFiles)} files since the stats reset)`,
      target: { kind: 'database', name: db.name },
      evidence: {
        tempFiles: db.tempFiles,
        tempBytes: db.tempBytes,
        bytesPerDay: Math.round(bytesPerDay),
        statsAgeSeconds: Math.round(window),
        workMem: workMem === undefined ? null : `${workMem.setting}${workMem.unit ?? ''}`,
        spillingStatements: spilling,
        averageFileBytes: db.tempFiles > 0 ? round(db.tempBytes / db.tempFiles, 0) : null,
      },
      impact: { score: bytesScore(bytesPerDay), bytes: Math.round(bytesPerDay), summary: `${formatBytes(bytesPerDay)} of disk I/O per day that memory could absorb` },
      description:
        'A sort or hash that exceeds work_mem writes to disk, which is much slower than memory. Fix the statement (an index that provides the order, fewer rows) before raising work_mem: it is per sort/hash node, per connection.',
      nextSteps: [
        spilling.length > 0 ? 'EXPLAIN (ANALYZE, BUFFERS) the spilling statements listed: look for "Sort Method: external merge" and "Batches: n" on hashes' : workload === null ? 'enable pg_stat_statements to see which statements spill' : 'no statement in the workload spills: the temp files come from maintenance (CREATE INDEX, VACUUM) or another database',
        "raise work_mem for the role or session that runs them (SET work_mem = '64MB'), not globally",
        'log_temp_files = 0 logs each temp file with its statement',
      ],
    };
    return [finding];
  },
});
