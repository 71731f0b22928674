import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding } from '../../../model/index.ts';
import { formatCount, round } from '../../../format/format.ts';
import { perDay } from '../../snapshot-lookup.ts';
import { autovacuumPolicy, liveRows } from '../settings-lookup.ts';

export const autovacuumSettings = defineAnalyzer({
  id: 'autovacuum-settings',
  phase: 'profile',
  title: 'Per-table autovacuum settings worth changing',
  description:
    'Large, frequently updated tables where the default scale factors let dead tuples pile up to a fixed share of the table before autovacuum runs, and tables with autovacuum switched off.',
  depth: 2,
  requires: {},
  options: {
    minRows: { default: 1_000_000, description: 'only tables with at least this many rows' },
    maxDeadBeforeVacuum: { default: 100_000, description: 'suggest a lower scale factor when autovacuum would wait for more dead tuples than this' },
    minChurnPerDay: { default: 0.05, description: 'and updates + deletes per day are at least this share of the rows (a hot table)' },
    targetScaleFactor: { default: 0.01, description: 'the autovacuum_vacuum_scale_factor suggested for such tables' },
    costLimitMinRows: {
      default: 10_000_000,
      description: 'hot tables with at least this many rows also get their own autovacuum_vacuum_cost_limit (not shared with the other workers)',
    },
    targetCostLimit: { default: 1000, description: 'the per-table autovacuum_vacuum_cost_limit suggested for those tables (server default: 200 shared)' },
  },
  run({ snapshot, options }) {
    const findings: Finding[] = [];
    const window = snapshot.server.statsAgeSeconds;
    for (const t of snapshot.tables) {
      const a = t.activity;
      if (a === null || t.kind !== 'table') continue;
      const rows = liveRows(t);
      const policy = autovacuumPolicy(snapshot, t);
      const churnPerDay = perDay(a.nTupUpd + a.nTupDel, window);
      if (!policy.tableEnabled && rows >= Math.min(options.minRows, 10_000)) {
        findings.push({
          rule: 'autovacuum-settings',
          severity: 'warning',
          title: `Autovacuum is disabled on ${t.qualifiedName} (${formatCount(rows)} rows)`,
          target: { kind: 'table', relation: t.qualifiedName },
          evidence: { table: t.qualifiedName, options: [...t.options], rows: Math.round(rows), updatesAndDeletesPerDay: Math.round(churnPerDay) },
          impact: { score: rows / 10_000 + churnPerDay / 10_000, summary: 'dead tuples accumulate and wraparound protection relies on forced anti-wraparound vacuums' },
          description: 'autovacuum_enabled = false is sometimes set for bulk loads and forgotten. The table then bloats and its statistics go stale.',
          fix: {
            kind: 'sql',
            content: `ALTER TABLE ${t.qualifiedName} RESET (autovacuum_enabled);`,
            rollback: `ALTER TABLE ${t.qualifiedName} SET (autovacuum_enabled = false);`,
            lockLevel: 'SHARE UPDATE EXCLUSIVE (brief)',
            safety: 'safe',
            verified: false,
            verification: 'catalog fact (pg_class.reloptions)',
          },
        });
        continue;
      }
      // recommended even while autovacuum is off server-wide (settings-sanity reports that): it applies once it is on
      if (!policy.tableEnabled || rows < options.minRows) continue;
      const waitFor = policy.vacuumThreshold + policy.vacuumScaleFactor * rows;
      if (waitFor <= options.maxDeadBeforeVacuum || churnPerDay < rows * options.minChurnPerDay) continue;
      const threshold = Math.min(10_000, Math.round(options.maxDeadBeforeVacuum / 10));
      const after = threshold + options.targetScaleFactor * rows;
      const analyzeScale = round(options.targetScaleFactor / 2, 4);
      // a very large table's pass at the shared default limit takes hours: give it its own budget
      const costLimit = rows >= options.costLimitMinRows ? options.targetCostLimit : null;
      findings.push({
        rule: 'autovacuum-settings',
        severity: 'info',
        title: `${t.qualifiedName}: autovacuum waits for ${formatCount(waitFor)} dead tuples; lower its scale factor`,
        target: { kind: 'table', relation: t.qualifiedName },
        evidence: {
          table: t.qualifiedName,
          rows: Math.round(rows),
          vacuumScaleFactor: policy.vacuumScaleFactor,
          vacuumThreshold: policy.vacuumThreshold,
          deadTuplesBeforeVacuum: Math.round(waitFor),
          updatesAndDeletesPerDay: Math.round(churnPerDay),
          suggestedScaleFactor: options.targetScaleFactor,
          suggestedThreshold: threshold,
          suggestedCostLimit: costLimit,
          deadTuplesBeforeVacuumAfter: Math.round(after),
          perTableSettings: [...policy.perTable],
        },
        impact: {
          score: (waitFor - after) / 10_000,
          summary: `vacuums every ~${formatCount(after)} dead tuples instead of ${formatCount(waitFor)}: smaller, more frequent passes and less bloat`,
        },
        description:
          `With scale factor ${policy.vacuumScaleFactor}, autovacuum waits until ${formatCount(waitFor)} rows of this ${formatCount(rows)}-row table are dead; ` +
          `at ${formatCount(churnPerDay)} updates and deletes per day that is a long, heavy pass. Large hot tables do better with a small scale factor and a fixed threshold.`,
        fix: {
          kind: 'sql',
          content:
            `ALTER TABLE ${t.qualifiedName} SET (autovacuum_vacuum_scale_factor = ${options.targetScaleFactor}, autovacuum_vacuum_threshold = ${threshold}, ` +
            `autovacuum_analyze_scale_factor = ${analyzeScale}${costLimit === null ? '' : `, autovacuum_vacuum_cost_limit = ${costLimit}`});`,
          rollback: `ALTER TABLE ${t.qualifiedName} RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold, autovacuum_analyze_scale_factor${costLimit === null ? '' : ', autovacuum_vacuum_cost_limit'});`,
          lockLevel: 'SHARE UPDATE EXCLUSIVE (brief)',
          safety: 'safe',
          verified: false,
          verification: 'a tuning recommendation from table size and churn; watch pg_stat_user_tables.autovacuum_count afterwards',
        },
      });
    }
    return findings;
  },
});
