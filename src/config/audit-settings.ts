import { maxWalTargetBytes, walSizeText } from './max-wal-target.ts';
import type { Checkpoints, JsonValue, Setting, Severity } from '../model/index.ts';
import type { WorkloadType } from './hardware.ts';
import { humanSize, settingBytes } from './units.ts';
import { NODE_FACTOR } from './workload-factors.ts';

/** A problem visible in pg_settings alone, without knowing the machine's RAM or cores. */
export interface SettingAudit {
  readonly id: string;
  readonly severity: Severity;
  readonly setting: string;
  readonly title: string;
  readonly description: string;
  readonly evidence: Readonly<Record<string, JsonValue>>;
  /** ALTER SYSTEM statement that fixes it, when one does */
  readonly fix: string | null;
  readonly rollback: string | null;
  readonly apply: 'reload' | 'restart' | null;
}

export interface AuditInput {
  readonly settings: readonly Setting[];
  /** null when the workload type is unknown: audits that depend on it are left out */
  readonly workload: WorkloadType | null;
  readonly checkpoints: Checkpoints | null;
}

const DEFAULT_SHARED_BUFFERS = 128 * 1024 * 1024;

/** Hardware-free audits of the live settings (postgresqltuner-style sanity checks). */
export function auditSettings(input: AuditInput): SettingAudit[] {
  const s = new Map(input.settings.map((x) => [x.name, x]));
  const out: SettingAudit[] = [];
  const bytes = (name: string): number | null => {
    const v = s.get(name);
    return v === undefined ? null : settingBytes(v.setting, v.unit);
  };

  const pending = input.settings.filter((x) => x.pendingRestart);
  if (pending.length > 0) {
    out.push({
      id: 'pending-restart',
      severity: 'warning',
      setting: pending.map((p) => p.name).join(', '),
      title: `${pending.length} setting${pending.length === 1 ? ' was' : 's were'} changed but wait${pending.length === 1 ? 's' : ''} for a restart: ${pending.map((p) => p.name).join(', ')}`,
      description: 'The configuration file holds a new value that only takes effect when the server restarts; until then the server runs with the old one, and a restart at an unplanned moment will change behaviour.',
      evidence: { pendingRestart: pending.map((p) => p.name) },
      fix: null,
      rollback: null,
      apply: 'restart',
    });
  }

  const sb = bytes('shared_buffers');
  const wm = bytes('work_mem');
  const maxConn = Number(s.get('max_connections')?.setting ?? NaN);
  if (sb !== null && wm !== null && Number.isFinite(maxConn)) {
    const factor = NODE_FACTOR[input.workload ?? 'mixed'];
    const worst = maxConn * wm * factor;
    if (sb <= DEFAULT_SHARED_BUFFERS) {
      out.push({
        id: 'shared-buffers-default',
        severity: 'info',
        setting: 'shared_buffers',
        title: `shared_buffers is at the ${humanSize(sb)} default: the server was probably never tuned`,
        description: 'The default suits a tiny machine. About 25 % of RAM is the usual starting point; run db-optimize config --ram <RAM> --cpus <N> to get values sized for this machine.',
        evidence: { sharedBuffersBytes: sb },
        fix: null,
        rollback: null,
        apply: null,
      });
    } else if (worst > 3 * sb) {
      out.push({
        id: 'work-mem-vs-connections',
        severity: 'warning',
        setting: 'work_mem',
        title: `max_connections × work_mem × ${factor} nodes = ${humanSize(worst)}, over 3 × shared_buffers (${humanSize(sb)})`,
        description:
          `If shared_buffers is the usual 25 % of RAM, the machine has about ${humanSize(sb * 4)}; ${maxConn} busy sessions each running ${factor} sorts or hashes could ask for ${humanSize(worst)} on top of shared_buffers and push the server into swap or the OOM killer. ` +
          'Lower work_mem (raise it per role or session where needed) or max_connections behind a pooler; pass --ram for exact numbers.',
        evidence: { maxConnections: maxConn, workMemBytes: wm, nodeFactor: factor, worstCaseBytes: worst, sharedBuffersBytes: sb },
        fix: null,
        rollback: null,
        apply: null,
      });
    }
  }
  if (Number.isFinite(maxConn) && maxConn > 500) {
    out.push({
      id: 'max-connections-high',
      severity: 'warning',
      setting: 'max_connections',
      title: `max_connections is ${maxConn}: a pooler serves that many clients with far fewer backends`,
      description: 'Each backend costs memory and makes snapshots (and the lock manager) slower for everyone. A server rarely has more than cores × 2 queries truly running; PgBouncer in transaction mode lets thousands of clients share them.',
      evidence: { maxConnections: maxConn },
      fix: null,
      rollback: null,
      apply: 'restart',
    });
  }

  const jit = s.get('jit');
  if (jit?.setting === 'on' && (input.workload === 'oltp' || input.workload === 'web')) {
    out.push({
      id: 'jit-oltp',
      severity: 'warning',
      setting: 'jit',
      title: `jit is on for a ${input.workload} workload`,
      description: 'JIT compilation costs tens of milliseconds per query and is triggered by cost estimates: a short query with an overestimated plan pays far more for compiling than it saves.',
      evidence: { jit: 'on', jitAboveCost: s.get('jit_above_cost')?.setting ?? null },
      fix: "ALTER SYSTEM SET jit = 'off';",
      rollback: jit.source === 'default' ? 'ALTER SYSTEM RESET jit;' : "ALTER SYSTEM SET jit = 'on';",
      apply: 'reload',
    });
  }

  const av = s.get('autovacuum');
  if (av?.setting === 'off') {
    out.push({
      id: 'autovacuum-off',
      severity: 'critical',
      setting: 'autovacuum',
      title: 'autovacuum is off',
      description: 'Dead rows accumulate, statistics go stale and transaction IDs age towards wraparound, which eventually stops all writes. Turn it on and tune it per table instead.',
      evidence: { autovacuum: 'off' },
      fix: "ALTER SYSTEM SET autovacuum = 'on';",
      rollback: "ALTER SYSTEM SET autovacuum = 'off';",
      apply: 'reload',
    });
  }
  const fsync = s.get('fsync');
  if (fsync?.setting === 'off') {
    out.push({
      id: 'fsync-off',
      severity: 'critical',
      setting: 'fsync',
      title: 'fsync is off: a crash or power loss can corrupt the database',
      description: 'Only acceptable for throwaway data. For speed without corruption risk use synchronous_commit = off, which can lose the last few transactions but never corrupts.',
      evidence: { fsync: 'off' },
      fix: "ALTER SYSTEM SET fsync = 'on';",
      rollback: "ALTER SYSTEM SET fsync = 'off';",
      apply: 'reload',
    });
  }

  const cp = input.checkpoints;
  const maxWal = bytes('max_wal_size');
  if (cp !== null && cp.timed + cp.requested >= 10 && maxWal !== null) {
    const share = cp.requested / (cp.timed + cp.requested);
    if (share > 0.2) {
      const target = maxWalTargetBytes(maxWal);
      out.push({
        id: 'checkpoints-forced',
        severity: 'warning',
        setting: 'max_wal_size',
        title: `${Math.round(share * 100)} % of checkpoints were forced by WAL volume: max_wal_size ${humanSize(maxWal)} is too small`,
        description: 'Forced checkpoints come in bursts, write more full-page images and add I/O spikes. A larger max_wal_size lets checkpoint_timeout pace them (it needs that much free disk for pg_wal).',
        evidence: { checkpointsTimed: cp.timed, checkpointsRequested: cp.requested, maxWalSizeBytes: maxWal },
        fix: `ALTER SYSTEM SET max_wal_size = '${walSizeText(target)}';`,
        rollback: `ALTER SYSTEM SET max_wal_size = '${Math.round(maxWal / 1024 ** 2)}MB';`,
        apply: 'reload',
      });
    }
  }
  return out;
}
