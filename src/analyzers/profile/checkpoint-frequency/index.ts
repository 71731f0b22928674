import { defineAnalyzer } from '../../../engine/analyzer.ts';
import { maxWalTargetBytes, walSizeText } from '../../../config/max-wal-target.ts';
import type { Finding } from '../../../model/index.ts';
import { percent, round } from '../../../format/format.ts';
import { setting } from '../settings-lookup.ts';

export const checkpointFrequency = defineAnalyzer({
  id: 'checkpoint-frequency',
  phase: 'profile',
  title: 'Checkpoints requested vs timed',
  description: 'Checkpoints forced by WAL volume (max_wal_size reached) rather than by checkpoint_timeout: frequent requested checkpoints mean more full-page writes and I/O spikes.',
  depth: 1,
  requires: {},
  options: {
    maxRequestedShare: { default: 0.2, description: 'warn when requested checkpoints are more than this share of all checkpoints' },
    minCheckpoints: { default: 10, description: 'ignore until at least this many checkpoints happened since the stats reset' },
  },
  run({ snapshot, options }) {
    const c = snapshot.checkpoints;
    if (c === null) return [];
    const total = c.timed + c.requested;
    if (total < options.minCheckpoints) return [];
    const share = c.requested / total;
    if (share <= options.maxRequestedShare) return [];
    const maxWal = setting(snapshot, 'max_wal_size');
    const timeout = setting(snapshot, 'checkpoint_timeout');
    const finding: Finding = {
      rule: 'checkpoint-frequency',
      severity: 'warning',
      title: `${percent(share, 0)} of checkpoints were requested, not timed (${c.requested} of ${total})`,
      target: { kind: 'setting', setting: 'max_wal_size' },
      evidence: {
        timed: c.timed,
        requested: c.requested,
        requestedShare: round(share, 4),
        buffersWritten: c.buffersWritten,
        maxWalSize: maxWal === undefined ? null : `${maxWal.setting}${maxWal.unit ?? ''}`,
        checkpointTimeout: timeout === undefined ? null : `${timeout.setting}${timeout.unit ?? ''}`,
        statsReset: c.statsReset,
      },
      impact: { score: c.requested, summary: `${c.requested} extra checkpoints, each followed by a burst of full-page writes in WAL` },
      description:
        'When WAL reaches max_wal_size before checkpoint_timeout, PostgreSQL forces a checkpoint. Manual CHECKPOINT commands and base backups count as requested too. Raising max_wal_size spaces them out (recovery after a crash takes longer).',
      fix: {
        kind: 'config',
        // the same target as `config` and the settings audit (one source of truth per setting)
        content: `# postgresql.conf (reload, no restart)\nmax_wal_size = ${walSizeText(maxWalTargetBytes(maxWal === undefined ? 1024 ** 3 : Number(maxWal.setting) * 1024 ** 2))}`,
        safety: 'review',
        verified: false,
        verification: 'needs disk room for the extra WAL; confirm with the checkpoint lines of log_checkpoints',
      },
    };
    return [finding];
  },
});
