import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding } from '../../../model/index.ts';
import { formatCount, round } from '../../../format/format.ts';
import { autovacuumPolicy } from '../settings-lookup.ts';

export const autovacuumBehind = defineAnalyzer({
  id: 'autovacuum-behind',
  phase: 'profile',
  title: 'Autovacuum behind its own thresholds',
  description:
    'Tables whose dead tuples (or changes since the last analyze) are well past the point where autovacuum should have processed them: autovacuum is disabled, starved of workers, or blocked.',
  depth: 1,
  requires: {},
  options: {
    overshootFactor: { default: 2, description: 'flag when dead tuples exceed the autovacuum trigger point by this factor (autovacuum should run at 1×)' },
    minDeadTuples: { default: 1000, description: 'ignore tables with fewer dead tuples' },
    graceSeconds: {
      default: 3600,
      description: 'while autovacuum is on, only flag tables not vacuumed (analyzed) for this long: it runs every naptime and may simply not have reached them yet',
    },
  },
  run({ snapshot, options }) {
    const findings: Finding[] = [];
    for (const t of snapshot.tables) {
      const a = t.activity;
      if (a === null || t.kind !== 'table') continue;
      const policy = autovacuumPolicy(snapshot, t);
      const rows = Math.max(0, t.rowEstimate);
      const vacuumAt = policy.vacuumThreshold + policy.vacuumScaleFactor * rows;
      const analyzeAt = policy.analyzeThreshold + policy.analyzeScaleFactor * rows;
      // seconds since the newest of the timestamps, measured at collection time (snapshot data, not a clock)
      const idleFor = (...times: (string | null)[]): number => {
        const last = times.filter((x): x is string => x !== null).sort().at(-1);
        return last === undefined ? snapshot.server.statsAgeSeconds : (Date.parse(snapshot.collectedAt) - Date.parse(last)) / 1000;
      };
      const overdue = (idle: number): boolean => !policy.enabled || idle >= options.graceSeconds;
      const vacuumLate =
        a.nDeadTup >= options.minDeadTuples && a.nDeadTup >= vacuumAt * options.overshootFactor && overdue(idleFor(a.lastVacuum, a.lastAutovacuum));
      const analyzeLate =
        a.nModSinceAnalyze >= options.minDeadTuples &&
        a.nModSinceAnalyze >= analyzeAt * options.overshootFactor &&
        overdue(idleFor(a.lastAnalyze, a.lastAutoanalyze));
      if (!vacuumLate && !analyzeLate) continue;
      const what = vacuumLate && analyzeLate ? 'vacuum and analyze' : vacuumLate ? 'vacuum' : 'analyze';
      findings.push({
        rule: 'autovacuum-behind',
        severity: policy.enabled ? 'warning' : 'critical',
        title: `Autovacuum is behind on ${t.qualifiedName}: ${what} overdue${policy.tableEnabled ? (policy.serverEnabled ? '' : ' (autovacuum is off server-wide)') : ' (autovacuum disabled for this table)'}`,
        target: { kind: 'table', relation: t.qualifiedName },
        evidence: {
          table: t.qualifiedName,
          autovacuumEnabled: policy.enabled,
          autovacuumEnabledForTable: policy.tableEnabled,
          autovacuumEnabledOnServer: policy.serverEnabled,
          deadTuples: a.nDeadTup,
          vacuumTriggerAt: Math.round(vacuumAt),
          modifiedSinceAnalyze: a.nModSinceAnalyze,
          analyzeTriggerAt: Math.round(analyzeAt),
          vacuumOvershoot: round(a.nDeadTup / Math.max(1, vacuumAt), 2),
          analyzeOvershoot: round(a.nModSinceAnalyze / Math.max(1, analyzeAt), 2),
          lastAutovacuum: a.lastAutovacuum,
          lastAutoanalyze: a.lastAutoanalyze,
          autovacuumCount: a.autovacuumCount,
          perTableSettings: [...policy.perTable],
          rowEstimate: Math.round(rows),
        },
        impact: {
          score: a.nDeadTup / 1000 + a.nModSinceAnalyze / 2000 + (policy.enabled ? 0 : 50),
          summary: `${formatCount(a.nDeadTup)} dead tuples against a trigger point of ${formatCount(vacuumAt)}; ${formatCount(a.nModSinceAnalyze)} changes since the last analyze against ${formatCount(analyzeAt)}`,
        },
        description: policy.enabled
          ? 'Autovacuum should have processed this table already. Usual causes: all autovacuum workers busy on large tables (autovacuum_max_workers), cost limits throttling them, or a lock conflict cancelling them (DDL, LOCK TABLE).'
          : `Autovacuum is turned off ${policy.tableEnabled ? 'for the whole server' : 'for this table'}, so dead tuples and stale statistics only ever go away with a manual VACUUM/ANALYZE.`,
        nextSteps: policy.enabled
          ? ['check pg_stat_progress_vacuum and the server log (log_autovacuum_min_duration) for workers that run or get cancelled', 'raise autovacuum_vacuum_cost_limit or autovacuum_max_workers if workers are saturated (db-optimize config)']
          : [policy.tableEnabled ? 'turn autovacuum back on for the server (settings-sanity)' : 're-enable autovacuum for this table unless a batch job deliberately vacuums it'],
        fix: {
          kind: 'sql',
          content: [`VACUUM (ANALYZE) ${t.qualifiedName};`, ...(!policy.tableEnabled ? [`ALTER TABLE ${t.qualifiedName} RESET (autovacuum_enabled);`] : [])].join('\n'),
          ...(!policy.tableEnabled ? { rollback: `ALTER TABLE ${t.qualifiedName} SET (autovacuum_enabled = false);` } : {}),
          lockLevel: 'SHARE UPDATE EXCLUSIVE (reads and writes continue)',
          safety: 'safe',
          verified: false,
          verification: 'catalog and statistics facts; the VACUUM itself takes I/O proportional to the table size',
        },
      });
    }
    return findings;
  },
});
