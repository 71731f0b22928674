import type { Finding } from '../../model/index.ts';
import type { ApplyLogEntry } from './apply-plan.ts';
import { stepSql } from './plan-formats.ts';
import type { MigrationPlan } from './plan-types.ts';

/** The naive DDL's cost as a finding, with the zero-downtime steps as its migration fix. */
export function planFinding(plan: MigrationPlan, table: string, verification: string | null): Finding {
  const blocking = plan.naive.duration !== 'metadata';
  return {
    rule: 'migration-plan',
    severity: plan.naive.duration === 'rewrite' ? 'critical' : blocking ? 'warning' : 'info',
    title: `${plan.naive.duration === 'rewrite' ? 'Naive DDL would rewrite the table' : blocking ? 'Naive DDL would block the table while it scans' : 'Naive DDL is metadata only here'}: ${plan.change.description}`,
    target: { kind: 'table', relation: table },
    evidence: {
      naiveSql: plan.naive.sql,
      naiveLock: plan.naive.lock,
      naiveDuration: plan.naive.duration,
      pgVersion: plan.pgVersion,
      steps: plan.steps.length,
    },
    impact: { score: plan.naive.duration === 'rewrite' ? 1000 : blocking ? 100 : 1, summary: plan.naive.why },
    description: `The plan below replaces it with ${plan.steps.length} step${plan.steps.length === 1 ? '' : 's'} whose locks are instant or non-blocking; every step sets lock_timeout and is retried instead of queueing traffic.`,
    fix: {
      kind: 'migration',
      content: plan.steps.map((s) => `-- step ${s.n}: ${s.title}\n${stepSql(s, plan.pgVersion)}`).join('\n\n'),
      rollback: [...plan.steps].reverse().map((s) => `-- undo step ${s.n}\n${s.rollback}`).join('\n'),
      lockLevel: [...new Set(plan.steps.map((s) => s.lock.split(' (')[0] ?? s.lock))].join(', '),
      safety: 'review',
      verified: verification !== null,
      verification: verification ?? 'planned from the catalog rules of this PostgreSQL version; run it with --apply on a staging copy to verify',
      language: 'sql',
    },
  };
}

/** The plan as report lines: naive DDL, each step with its lock, SQL, rollback and notes, what was applied. */
export function planLines(plan: MigrationPlan, log: readonly ApplyLogEntry[] | null): string[] {
  const lines: string[] = [`change: ${plan.change.description}`, `PostgreSQL ${plan.pgVersion}`, `naive: ${plan.naive.sql}`, `  → ${plan.naive.lock}, ${plan.naive.duration}: ${plan.naive.why}`, ''];
  for (const s of plan.steps) {
    lines.push(`step ${s.n}: ${s.title}`);
    lines.push(`  lock: ${s.lock} · ${s.duration}${s.transactional ? '' : ' · outside a transaction'}${s.lockTimeoutMs === null ? '' : ` · lock_timeout ${s.lockTimeoutMs} ms`}${s.retry === null ? '' : ` · retry ×${s.retry.attempts}`}`);
    for (const l of (s.manual === true ? `-- ${s.title}` : stepSql(s, plan.pgVersion)).split('\n')) lines.push(`    ${l}`);
    lines.push(`  rollback:`);
    for (const l of s.rollback.split('\n')) lines.push(`    ${l}`);
    for (const n of s.notes) lines.push(`  note: ${n}`);
    lines.push('');
  }
  for (const a of plan.assumptions) lines.push(`assumption: ${a}`);
  if (log !== null) {
    lines.push('', 'applied:');
    for (const l of log) lines.push(`  step ${l.step}: ${l.status} in ${l.ms} ms${l.attempts > 1 ? `, ${l.attempts} attempts` : ''}${l.batches === undefined ? '' : `, ${l.batches} batches, ${l.rows} rows`}`);
  }
  return lines;
}
