import type { ReportSection } from '../model/index.ts';
import type { AppliedSetting } from './apply-settings.ts';
import type { ConfigPlan } from './recommend-config.ts';
import { alterSystemStatements, changedSettings, configTableLines, needsRestart, postgresqlConfSnippet, undoStatements } from './render-config.ts';
import { humanSize } from './units.ts';

/** The sections of the config report: changes, memory check, snippets, undo, tables, applied, notes. */
export function configSections(plan: ConfigPlan, live: boolean, applied: readonly AppliedSetting[] | null, notes: readonly string[]): ReportSection[] {
  const changes = changedSettings(plan);
  const sections: ReportSection[] = [
    { id: 'config-changes', title: !live ? 'Recommended settings' : 'Current → recommended (only what changes)', lines: configTableLines(plan) },
  ];
  if (plan.memory !== null) {
    const m = plan.memory;
    sections.push({
      id: 'config-memory',
      title: `Memory check (${m.fits ? 'fits' : 'does NOT fit'} in ${humanSize(m.ramBytes)})`,
      lines: [
        `shared_buffers                      ${humanSize(m.sharedBuffersBytes)}`,
        `wal_buffers                         ${humanSize(m.walBuffersBytes)}`,
        `sessions × work_mem × nodes         ${m.connections} + ${m.parallelWorkers} parallel × ${humanSize(m.workMemBytes)} × ${m.nodeFactor} = ${humanSize((m.connections + m.parallelWorkers) * m.workMemBytes * m.nodeFactor)}`,
        `autovacuum workers × memory         ${m.autovacuumWorkers} × ${humanSize(m.autovacuumMemBytes)} = ${humanSize(m.autovacuumWorkers * m.autovacuumMemBytes)}`,
        `total worst case                    ${humanSize(m.totalBytes)} of ${humanSize(m.ramBytes - m.osReserveBytes)} (RAM − ${humanSize(m.osReserveBytes)} OS reserve)`,
        ...(m.workMemBeforeBytes === null ? [] : [m.explanation]),
      ],
    });
  }
  if (changes.length > 0) {
    sections.push({ id: 'config-snippet', title: 'postgresql.conf snippet', lines: postgresqlConfSnippet(plan).trimEnd().split('\n') });
    sections.push({
      id: 'config-alter-system',
      title: 'ALTER SYSTEM statements',
      lines: [...alterSystemStatements(plan), needsRestart(plan) ? '-- then restart PostgreSQL (settings marked restart)' : 'SELECT pg_reload_conf();'],
    });
    if (live) sections.push({ id: 'config-undo', title: 'Undo', lines: [...undoStatements(plan), 'SELECT pg_reload_conf();'] });
  }
  if (plan.tables.length > 0) sections.push({ id: 'config-tables', title: 'Autovacuum for large hot tables', lines: plan.tables.map((t) => t.statement) });
  if (applied !== null) {
    sections.push({
      id: 'config-applied',
      title: 'Applied with ALTER SYSTEM (undo statements above)',
      lines:
        applied.length === 0
          ? ['nothing to apply']
          : applied.map((a) => `${a.name} = ${a.value}${a.pendingRestart ? '  (written; live after a restart)' : `  (live now: ${a.liveValue})`}`),
    });
  }
  if (notes.length > 0) sections.push({ id: 'config-notes', title: 'Notes', lines: notes.map((n) => `- ${n}`) });

  return sections;
}
