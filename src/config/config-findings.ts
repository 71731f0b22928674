import type { Finding, Severity } from '../model/index.ts';
import type { SettingAudit } from './audit-settings.ts';
import type { ConfigPlan, SettingRecommendation } from './recommend-config.ts';
import { humanSize } from './units.ts';

const NOT_MEASURABLE =
  'a server setting cannot be measured before it is applied: the value follows the formula shown; apply it on a staging server (db-optimize config --apply) and compare';

function severityOf(r: SettingRecommendation, plan: ConfigPlan): Severity {
  const before = plan.memory?.workMemBeforeBytes;
  // a memory check that had to cut work_mem by more than a quarter is worth a look
  if (r.name === 'work_mem' && before !== null && before !== undefined && (plan.memory?.workMemBytes ?? 0) < before * 0.75) return 'warning';
  if (r.name === 'max_wal_size' && r.reason.includes('forced by WAL volume')) return 'warning';
  if (r.name === 'max_connections' && r.current !== null && Number(r.current) > Number(r.recommended)) return 'warning';
  if (r.name === 'jit' || r.name === 'shared_buffers') return r.current === null ? 'info' : 'warning';
  return 'info';
}

/** One finding per setting that changes, one per hot table, one per audit. */
export function configFindings(plan: ConfigPlan, audits: readonly SettingAudit[], rule = 'config-tuner'): Finding[] {
  const out: Finding[] = [];
  for (const r of plan.recommendations) {
    if (!r.changed) continue;
    out.push({
      rule,
      severity: severityOf(r, plan),
      title: r.current === null ? `${r.name} = ${r.recommended}` : `${r.name}: ${r.current} → ${r.recommended}`,
      target: { kind: 'setting', setting: r.name },
      evidence: {
        current: r.current,
        currentSource: r.currentSource,
        recommended: r.recommended,
        apply: r.apply,
        formula: r.formula,
        ...(r.name === 'work_mem' && plan.memory !== null ? { memoryCheck: plan.memory.explanation } : {}),
      },
      impact: { score: severityOf(r, plan) === 'warning' ? 10 : 1, summary: r.apply === 'restart' ? 'takes effect after a restart' : 'takes effect on reload' },
      description: r.reason,
      fix: {
        kind: 'config',
        content: `ALTER SYSTEM SET ${r.name} = '${r.recommended}';${r.apply === 'restart' ? '  -- then restart PostgreSQL' : '\nSELECT pg_reload_conf();'}`,
        ...(r.undo === null ? {} : { rollback: r.undo }),
        safety: r.apply === 'restart' ? 'review' : 'safe',
        verified: false,
        verification: NOT_MEASURABLE,
      },
    });
  }
  if (plan.memory !== null && plan.memory.workMemBeforeBytes !== null && !plan.recommendations.some((r) => r.name === 'work_mem' && r.changed)) {
    out.push({
      rule,
      severity: 'info',
      title: `Memory check: work_mem kept at ${humanSize(plan.memory.workMemBytes)}`,
      target: { kind: 'setting', setting: 'work_mem' },
      evidence: { explanation: plan.memory.explanation },
      impact: { score: 1, summary: plan.memory.explanation },
    });
  }
  for (const t of plan.tables) {
    out.push({
      rule,
      severity: t.deadRows > t.liveRows * 0.1 ? 'warning' : 'info',
      title: `Autovacuum on ${t.table} waits for 20 % dead rows of ${t.liveRows.toLocaleString('en-US')}`,
      target: { kind: 'table', relation: t.table },
      evidence: { liveRows: t.liveRows, deadRows: t.deadRows, churnSinceStatsReset: t.churn },
      impact: { score: t.deadRows / 1000, summary: `${t.deadRows.toLocaleString('en-US')} dead rows now; vacuum would start after ~1 % instead of 20 %` },
      description: t.reason,
      fix: {
        kind: 'sql',
        content: t.statement,
        rollback: t.rollback,
        lockLevel: 'SHARE UPDATE EXCLUSIVE',
        safety: 'safe',
        verified: false,
        verification: 'a storage parameter change; its effect shows in pg_stat_user_tables.last_autovacuum and n_dead_tup over the following days',
      },
    });
  }
  // an audit's own fix would contradict a sized recommendation for the same setting
  const covered = new Set(plan.recommendations.filter((r) => r.changed).map((r) => r.name));
  for (const a of audits.filter((x) => x.fix === null || !covered.has(x.setting))) {
    out.push({
      rule: `${rule}/${a.id}`,
      severity: a.severity,
      title: a.title,
      target: { kind: 'setting', setting: a.setting },
      evidence: a.evidence,
      impact: { score: a.severity === 'critical' ? 100 : a.severity === 'warning' ? 10 : 1, summary: a.description.split('. ')[0] ?? a.description },
      description: a.description,
      ...(a.fix === null
        ? {}
        : {
            fix: {
              kind: 'config' as const,
              content: `${a.fix}${a.apply === 'reload' ? '\nSELECT pg_reload_conf();' : '  -- then restart PostgreSQL'}`,
              ...(a.rollback === null ? {} : { rollback: a.rollback }),
              safety: 'review' as const,
              verified: false,
              verification: NOT_MEASURABLE,
            },
          }),
    });
  }
  return out;
}
