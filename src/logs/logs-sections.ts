import type { ReportSection } from '../model/index.ts';
import type { LogsSummary } from './logs-model.ts';
import { PERCENTILE_NOTE } from './statement-stats.ts';

const ms = (v: number): string => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v < 10 ? v.toFixed(3) : v.toFixed(1)} ms`);
const bytes = (v: number): string => (v >= 1 << 30 ? `${(v / (1 << 30)).toFixed(1)} GiB` : v >= 1 << 20 ? `${(v / (1 << 20)).toFixed(1)} MiB` : `${Math.round(v / 1024)} kB`);
const oneLine = (sql: string | null, max = 110): string => {
  const s = (sql ?? '(statement not logged)').replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
};

/** The logs report as text sections (terminal and Markdown renderers print them). */
export function logsSections(l: LogsSummary): ReportSection[] {
  const sections: ReportSection[] = [];
  const head = [
    `${l.files.join(', ')}: ${l.lines} lines, ${l.format}${l.prefix === null ? '' : `, log_line_prefix '${l.prefix}'`}`,
    `${l.firstTime ?? '?'} → ${l.lastTime ?? '?'}: ${l.queries} statements, ${ms(l.queriesTotalMs)} in total${l.parseBindMs > 0 ? ` (+ ${ms(l.parseBindMs)} in parse/bind)` : ''}`,
  ];
  for (const w of l.warnings) head.push(`warning: ${w}`);
  sections.push({ id: 'logs-summary', title: 'Log', lines: head });

  if (l.statements.length > 0) {
    const lines: string[] = [];
    l.statements.forEach((s, i) => {
      lines.push(`${i + 1}. ${oneLine(s.query)}`);
      lines.push(
        `   ${s.calls} calls, ${ms(s.totalMs)} total (${(s.share * 100).toFixed(1)} %), mean ${ms(s.meanMs)}, p50 ${ms(s.p50Ms)}, p95 ${ms(s.p95Ms)}, p99 ${ms(s.p99Ms)}, max ${ms(s.maxMs)}` +
          `${s.untimedCalls > 0 ? `, ${s.untimedCalls} without duration` : ''}  [${s.fingerprint}]`,
      );
      if (s.byHour.length > 1) {
        const peak = [...s.byHour].sort((a, b) => b.totalMs - a.totalMs)[0];
        if (peak !== undefined) lines.push(`   busiest hour ${peak.hour}:00: ${peak.calls} calls, ${ms(peak.totalMs)}`);
      }
    });
    if (l.otherStatements !== null) lines.push(`… ${l.otherStatements.shapes} more shapes: ${l.otherStatements.calls} calls, ${ms(l.otherStatements.totalMs)}`);
    lines.push(PERCENTILE_NOTE);
    sections.push({ id: 'logs-statements', title: 'Statements by total time', lines });
  }
  if (l.errors.length > 0) {
    const lines: string[] = [];
    for (const e of l.errors) {
      lines.push(`${e.severity} ${e.sqlstate ?? '?????'}${e.sqlstateSource === 'inferred' ? ' (from the message)' : ''}: ${e.count}× ${e.messages[0]?.pattern ?? ''}`);
      for (const x of e.examples.slice(0, 1)) if (x.statement !== null) lines.push(`   line ${x.line}: ${oneLine(x.statement)}`);
    }
    sections.push({ id: 'logs-errors', title: 'Errors by SQLSTATE', lines });
  }
  if (l.lockWaits.length > 0) {
    const lines: string[] = [];
    for (const w of l.lockWaits.slice(0, 20)) {
      lines.push(`line ${w.line} ${w.kind === 'deadlock' ? 'DEADLOCK' : `waited ${w.waitedMs === null ? '?' : ms(w.waitedMs)}${w.acquired ? '' : ' (still waiting)'}`} for ${w.lock}`);
      lines.push(`   blocked (pid ${w.pid ?? '?'}): ${oneLine(w.blockedStatement)}`);
      lines.push(`   blocking (pid ${w.blockingPids.join(', ') || '?'}): ${oneLine(w.blockingStatement)}`);
    }
    sections.push({ id: 'logs-locks', title: 'Lock waits and deadlocks', lines });
  }
  if (l.tempFiles.length > 0) {
    sections.push({
      id: 'logs-temp-files',
      title: 'Temporary files by statement',
      lines: l.tempFiles.slice(0, 15).map((t) => `${t.count} files, ${bytes(t.totalBytes)} (max ${bytes(t.maxBytes)}): ${oneLine(t.query)}`),
    });
  }
  const c = l.checkpoints;
  if (c.count > 0 || c.warnings > 0) {
    const reasons = Object.entries(c.starting).map(([k, v]) => `${k} ${v}`).join(', ');
    const lines = [
      `${c.count} checkpoints${reasons === '' ? '' : ` (${reasons})`}: ${c.buffersWritten} buffers written, write ${c.writeSeconds} s, sync ${c.syncSeconds} s, longest ${c.maxTotalSeconds} s`,
    ];
    if (c.meanDistanceKb !== null) lines.push(`distance: mean ${c.meanDistanceKb} kB, max ${c.maxDistanceKb ?? 0} kB; WAL files added ${c.walFilesAdded}, removed ${c.walFilesRemoved}, recycled ${c.walFilesRecycled}`);
    if (c.warnings > 0) lines.push(`${c.warnings}× "checkpoints are occurring too frequently" (as close as ${c.minSecondsApart ?? '?'} s): raise max_wal_size`);
    sections.push({ id: 'logs-checkpoints', title: 'Checkpoints', lines });
  }
  if (l.autovacuum.length > 0) {
    sections.push({
      id: 'logs-autovacuum',
      title: 'Autovacuum and autoanalyze by table',
      lines: l.autovacuum.slice(0, 20).map((a) => `${a.table}: ${a.vacuums} vacuums (${a.tuplesRemoved} tuples removed), ${a.analyzes} analyzes, ${a.elapsedSeconds} s (longest ${a.maxElapsedSeconds} s)`),
    });
  }
  const k = l.connections;
  if (k.received + k.authorized + k.sessions > 0) {
    const top = (xs: readonly { name: string; count: number }[]): string => xs.slice(0, 5).map((x) => `${x.name} ${x.count}`).join(', ');
    const lines = [`${k.received} connections received, ${k.authorized} authorized, peak ${k.peakPerSecond}/s${k.authenticationFailures > 0 ? `, ${k.authenticationFailures} authentication failures` : ''}`];
    if (k.sessions > 0) lines.push(`${k.sessions} sessions ended: mean ${ms(k.sessionMeanMs ?? 0)}, p50 ${ms(k.sessionP50Ms ?? 0)}, p95 ${ms(k.sessionP95Ms ?? 0)}`);
    if (k.byDatabase.length > 0) lines.push(`by database: ${top(k.byDatabase)}`);
    if (k.byUser.length > 0) lines.push(`by user: ${top(k.byUser)}`);
    if (k.byApplication.length > 0) lines.push(`by application: ${top(k.byApplication)}`);
    if (k.byHost.length > 0) lines.push(`by host: ${top(k.byHost)}`);
    sections.push({ id: 'logs-connections', title: 'Connections and sessions', lines });
  }
  if (l.plans.length > 0) {
    const lines: string[] = [];
    for (const p of l.plans) {
      lines.push(`${ms(p.durationMs)} line ${p.line}: ${oneLine(p.query)}`);
      for (const t of p.tips) lines.push(`   tip: ${t.title}`);
    }
    sections.push({ id: 'logs-plans', title: 'Slowest auto_explain plans', lines });
  }
  return sections;
}
