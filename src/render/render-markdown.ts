import type { Finding, Report } from '../model/index.ts';
import { findingGroups } from './finding-groups.ts';
import { evidenceText } from '../format/wrap.ts';
import { planMarkdown } from './render-plan-markdown.ts';

const esc = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Markdown report for pull requests and wikis. */
export function renderMarkdown(report: Report): string {
  const out: string[] = [];
  const db = report.database;
  out.push(`# db-optimize ${report.command}`, '');
  const facts: string[] = [];
  if (db.host !== undefined) facts.push(`- Database: \`${db.host}\``);
  else if (db.name !== undefined) facts.push(`- Database: \`${db.name}\``);
  if (db.serverVersion !== undefined) facts.push(`- Server: ${db.serverVersion}`);
  if (db.statsResetAt !== undefined) facts.push(`- Statistics since: ${db.statsResetAt ?? 'server start'}`);
  if (db.source !== undefined) facts.push(`- Source: ${db.source}`);
  const w = report.workload as { source?: string; statements?: number; totalTimeMs?: number } | undefined;
  if (w !== undefined) facts.push(`- Workload: ${w.source}, ${w.statements} statements, ${Math.round(w.totalTimeMs ?? 0)} ms total`);
  facts.push(`- Generated: ${report.generatedAt} by db-optimize ${report.tool.version}`);
  out.push(...facts, '');
  // the action plan first (scorecard, do these first, problems); every finding follows in full
  out.push(...planMarkdown(report));

  for (const section of (report.sections ?? []).filter((x) => !(report.scorecard !== undefined && x.id === 'baseline-metrics'))) {
    out.push(`## ${section.title}`, '', '```', ...section.lines, '```', '');
  }

  const renderDetails = (f: Finding, i: number): void => {
    out.push(`### ${i + 1}. ${f.title}`, '');
    out.push(`**${f.severity}** · rule \`${f.rule}\` · target: ${f.target.kind} ${f.target.index ?? f.target.relation ?? f.target.name ?? f.target.setting ?? f.target.fingerprint ?? ''}`.trimEnd(), '');
    out.push(`**Impact:** ${f.impact.summary}`, '');
    if (f.description !== undefined) out.push(f.description, '');
    const ev = Object.entries(f.evidence);
    if (ev.length > 0) {
      out.push('| Evidence | Value |', '|---|---|');
      for (const [k, v] of ev) out.push(`| ${esc(k)} | ${esc(evidenceText(v))} |`);
      out.push('');
    }
    for (const step of f.nextSteps ?? []) out.push(`- ${step}`);
    if ((f.nextSteps ?? []).length > 0) out.push('');
    if (f.fix !== undefined) {
      out.push(
        `**Fix** (${f.fix.kind}, ${f.fix.safety}, ${f.fix.verified ? 'verified' : 'unverified'}${f.fix.lockLevel ? `, lock: ${f.fix.lockLevel}` : ''}):`,
        '',
        '```' + (f.fix.language ?? (f.fix.kind === 'sql' || f.fix.kind === 'migration' ? 'sql' : '')),
        f.fix.content,
        '```',
        '',
      );
      if (f.fix.rollback !== undefined) out.push('Rollback:', '', '```sql', f.fix.rollback, '```', '');
      if (f.fix.verification !== undefined) out.push(`_${f.fix.verification}_`, '');
    }
  };
  const groups = findingGroups(report);
  if (groups === null) {
    out.push('## Findings', '');
    if (report.findings.length === 0) out.push('No findings.', '');
    else {
      out.push('| # | Severity | Finding | Impact |', '|---|---|---|---|');
      report.findings.forEach((f, i) => out.push(`| ${i + 1} | ${f.severity} | ${esc(f.title)} | ${esc(f.impact.summary)} |`));
      out.push('');
    }
    report.findings.forEach(renderDetails);
  } else {
    // sections as in the terminal (profile: Query profiler, Index scanner, Database health)
    let n = 0;
    for (const g of groups) {
      out.push(`## ${g.title}`, '', '| # | Severity | Finding | Impact |', '|---|---|---|---|');
      g.findings.forEach((f, k) => out.push(`| ${n + k + 1} | ${f.severity} | ${esc(f.title)} | ${esc(f.impact.summary)} |`));
      out.push('');
      for (const f of g.findings) renderDetails(f, n++);
    }
    if (groups.length === 0) out.push('## Findings', '', 'No findings.', '');
  }
  if (report.skipped.length > 0) {
    out.push('## Not run', '');
    for (const s of report.skipped) out.push(`- \`${s.analyzer}\`: ${s.reason}`);
    out.push('');
  }
  return out.join('\n');
}
