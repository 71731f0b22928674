import pc from 'picocolors';
import type { Finding, Report, Severity } from '../model/index.ts';
import { formatMs } from '../format/format.ts';
import { findingGroups } from './finding-groups.ts';
import { evidenceText, wrap, wrapCode } from '../format/wrap.ts';
import { actionLines, heldBackLines, problemsLines, scorecardLines } from './render-plan-terminal.ts';

export interface TerminalOptions {
  readonly color: boolean;
  readonly width?: number;
  /** how many findings to show in full (the rest are listed by title) */
  readonly limit?: number;
  /** every problem and every finding in full (default: the plan, then the top problems) */
  readonly verbose?: boolean;
}

function targetText(f: Finding): string {
  const t = f.target;
  const parts: string[] = [t.kind];
  if (t.index !== undefined) parts.push(t.index);
  if (t.relation !== undefined && t.index === undefined) parts.push(t.relation);
  if (t.name !== undefined && t.index === undefined && t.relation === undefined) parts.push(t.name);
  if (t.setting !== undefined) parts.push(t.setting);
  if (t.nodePath !== undefined) parts.push(`node ${t.nodePath}`);
  if (t.location !== undefined) parts.push(t.location);
  if (t.fingerprint !== undefined) parts.push(`fingerprint ${t.fingerprint}`);
  return parts.join(' ');
}

/** Human report, readable at 80 columns; colour only when asked (the CLI asks on a TTY). */
export function renderTerminal(report: Report, options: TerminalOptions): string {
  const c = pc.createColors(options.color);
  const width = options.width ?? 80;
  const sev: Record<Severity, (s: string) => string> = {
    critical: (s) => c.bold(c.red(s)),
    warning: (s) => c.yellow(s),
    info: (s) => c.cyan(s),
  };
  const out: string[] = [];
  const db = report.database;
  out.push(c.bold(`db-optimize ${report.command}`) + (db.host !== undefined ? ` — ${db.host}` : db.name !== undefined ? ` — ${db.name}` : ''));
  const meta: string[] = [];
  if (db.serverVersion !== undefined) meta.push(db.serverVersion);
  if (db.statsAgeSeconds !== undefined && db.statsAgeSeconds !== null) meta.push(`statistics cover ${db.statsAgeBasis === 'maintenance' || db.statsAgeBasis === 'server_start' ? 'at least ' : ''}${humanAge(db.statsAgeSeconds)}`);
  if (db.source !== undefined) meta.push(db.source);
  if (meta.length > 0) out.push(...wrap(meta.join(' · '), width).map((l) => c.dim(l)));
  const w = report.workload as { source?: string; statements?: number; totalTimeMs?: number } | undefined;
  if (w !== undefined) out.push(c.dim(`workload: ${w.source} · ${w.statements} statements · ${formatMs(w.totalTimeMs ?? 0)} total time`));
  const counts = { critical: 0, warning: 0, info: 0 };
  for (const f of report.findings) counts[f.severity]++;
  out.push('─'.repeat(Math.min(width, 80)));
  const countLine = `${report.findings.length} findings: ${sev.critical(`${counts.critical} critical`)}, ${sev.warning(`${counts.warning} warning`)}, ${sev.info(`${counts.info} info`)}`;
  const plan = report.problems !== undefined;
  const verbose = options.verbose === true;
  if (plan) {
    // the action plan: scorecard first, then what to do, then the problems behind it
    if (report.scorecard !== undefined) out.push(...scorecardLines(report.scorecard, c, width));
    out.push(...actionLines(report, c, width));
    out.push(...problemsLines(report, c, width, verbose));
    out.push(...heldBackLines(report, c, width));
    out.push('', `${countLine}${verbose ? '' : ' (grouped into the problems above; --verbose shows each in full)'}`);
  } else out.push(countLine);

  for (const section of plan && !verbose ? [] : (report.sections ?? []).filter((x) => !(plan && x.id === 'baseline-metrics'))) {
    out.push('', c.bold(section.title));
    for (const line of section.lines) out.push(line.length > width ? line.slice(0, width - 1) + '…' : line);
  }

  const limit = verbose ? Number.POSITIVE_INFINITY : (options.limit ?? 40);
  const renderFinding = (f: Finding, i: number): void => {
    out.push('');
    const head = `${String(i + 1).padStart(2)}. ${f.severity.toUpperCase().padEnd(8)} `;
    const title = wrap(f.title, width - head.length);
    out.push(sev[f.severity](head) + c.bold(title[0] ?? ''));
    for (const l of title.slice(1)) out.push(' '.repeat(head.length) + c.bold(l));
    const pad = '    ';
    out.push(...wrap(`target: ${targetText(f)}`, width, pad).map((l) => c.dim(l)));
    out.push(...wrap(`impact: ${f.impact.summary}`, width, pad));
    if (f.description !== undefined) out.push(...wrap(f.description, width, pad).map((l) => c.dim(l)));
    const ev = Object.entries(f.evidence).filter(([, v]) => v !== null);
    if (ev.length > 0) {
      out.push(`${pad}evidence:`);
      for (const [k, v] of ev.slice(0, 12)) {
        const text = evidenceText(v);
        const shown = text.length > 300 ? `${text.slice(0, 297)}...` : text;
        out.push(...wrap(`${k}: ${shown}`, width, `${pad}  `));
      }
    }
    for (const step of f.nextSteps ?? []) out.push(...wrap(`→ ${step}`, width, pad));
    if (f.fix !== undefined) {
      const status = f.fix.verified ? c.green('verified') : c.yellow('unverified');
      out.push(`${pad}fix (${f.fix.kind}, ${f.fix.safety}, ${status}):`);
      if (f.fix.lockLevel !== undefined) out.push(...wrap(`lock: ${f.fix.lockLevel}`, width, `${pad}  `).map((l) => c.dim(l)));
      for (const line of f.fix.content.split('\n')) out.push(...wrapCode(line, width, `${pad}  `).map((l) => c.green(l)));
      if (f.fix.rollback !== undefined) {
        out.push(`${pad}rollback:`);
        for (const line of f.fix.rollback.split('\n')) out.push(...wrapCode(line, width, `${pad}  `).map((l) => c.dim(l)));
      }
      if (f.fix.verification !== undefined) out.push(...wrap(`(${f.fix.verification})`, width, pad).map((l) => c.dim(l)));
    }
  };
  const groups = findingGroups(report);
  if (plan && !verbose) {
    // the findings are in the problems; only the sections' names say what --verbose adds
    const names = (report.sections ?? []).map((x) => x.title);
    if (names.length > 0) out.push(...wrap(`--verbose also shows: ${names.join(', ')}`, width).map((l) => c.dim(l)));
  } else if (groups === null) {
    report.findings.slice(0, limit).forEach(renderFinding);
    if (report.findings.length > limit) {
      out.push('', `… ${report.findings.length - limit} more findings (use --format json or markdown for all of them):`);
      for (const f of report.findings.slice(limit)) out.push(...wrap(`- [${f.severity}] ${f.title}`, width, '  '));
    }
  } else {
    // each section gets its share of the limit, so a long index list cannot hide health findings
    const perGroup = verbose ? Number.POSITIVE_INFINITY : Math.max(5, Math.ceil(limit / groups.length));
    let n = 0;
    for (const g of groups) {
      const heading = `${g.title} (${g.findings.length})`;
      out.push('', c.bold(`── ${heading} ${'─'.repeat(Math.max(3, Math.min(width, 80) - heading.length - 4))}`));
      for (const f of g.findings.slice(0, perGroup)) renderFinding(f, n++);
      if (g.findings.length > perGroup) {
        out.push('', `… ${g.findings.length - perGroup} more in ${g.title} (use --format json or markdown for all of them):`);
        const listed = g.findings.slice(perGroup, perGroup * 4);
        for (const f of listed) out.push(...wrap(`- [${f.severity}] ${f.title}`, width, '  '));
        const unlisted = g.findings.length - perGroup - listed.length;
        if (unlisted > 0) out.push(`  … and ${unlisted} more`);
      }
    }
  }
  if (report.skipped.length > 0) {
    out.push('', c.bold('Not run:'));
    for (const s of report.skipped) {
      const [first = '', ...more] = wrap(`${s.analyzer}: ${s.reason}`, width - 4);
      out.push(`  - ${first}`, ...more.map((l) => `    ${l}`));
    }
  }
  return `${out.join('\n')}\n`;
}

function humanAge(seconds: number): string {
  if (seconds >= 172_800) return `${Math.floor(seconds / 86_400)} days`;
  if (seconds >= 7_200) return `${Math.floor(seconds / 3_600)} hours`;
  const minutes = Math.max(1, Math.floor(seconds / 60));
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
