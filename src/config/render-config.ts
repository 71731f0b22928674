import { wrap } from '../format/wrap.ts';
import type { ConfigPlan, SettingRecommendation } from './recommend-config.ts';

/** Values go in single quotes in both postgresql.conf and ALTER SYSTEM (always valid). */
function quoted(v: string): string {
  return `'${v.replace(/'/g, "''")}'`;
}

export function changedSettings(plan: ConfigPlan): SettingRecommendation[] {
  return plan.recommendations.filter((r) => r.changed);
}

/** current → recommended table lines, only what changes. */
export function configTableLines(plan: ConfigPlan): string[] {
  const rows = changedSettings(plan);
  if (rows.length === 0) return ['nothing to change: the current values match the recommendations'];
  const w = Math.max(7, ...rows.map((r) => r.name.length));
  const cw = Math.max(7, ...rows.map((r) => (r.current ?? '—').length));
  const rw = Math.max(11, ...rows.map((r) => r.recommended.length));
  return [
    `${'setting'.padEnd(w)}  ${'current'.padEnd(cw)}  ${'recommended'.padEnd(rw)}  apply`,
    ...rows.map((r) => `${r.name.padEnd(w)}  ${(r.current ?? '—').padEnd(cw)}  ${r.recommended.padEnd(rw)}  ${r.apply}`),
  ];
}

/** A postgresql.conf fragment (include it or paste it at the end: the last occurrence wins). */
export function postgresqlConfSnippet(plan: ConfigPlan): string {
  const rows = changedSettings(plan);
  const lines = [`# db-optimize config — ${plan.workload} workload, PostgreSQL ${plan.pgMajor}`];
  for (const r of rows) lines.push(...wrap(`${r.apply}: ${r.formula}`, 78, '# '), `${r.name} = ${quoted(r.recommended)}`);
  return `${lines.join('\n')}\n`;
}

export function alterSystemStatements(plan: ConfigPlan): string[] {
  return changedSettings(plan).map((r) => `ALTER SYSTEM SET ${r.name} = ${quoted(r.recommended)};  -- ${r.apply}`);
}

export function undoStatements(plan: ConfigPlan): string[] {
  return changedSettings(plan).map((r) => r.undo ?? `ALTER SYSTEM RESET ${r.name};`);
}

export function needsRestart(plan: ConfigPlan): boolean {
  return changedSettings(plan).some((r) => r.apply === 'restart');
}
