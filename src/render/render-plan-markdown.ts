import type { Report } from '../model/index.ts';
import { formatDuration, formatMs } from '../format/format.ts';
import { scorecardValue } from './render-plan-terminal.ts';

const esc = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Scorecard, "do these first" and problems for the Markdown report (before the findings). */
export function planMarkdown(report: Report): string[] {
  const out: string[] = [];
  if (report.scorecard !== undefined) {
    out.push('## Scorecard (seed targets)', '', '| Metric | Target | Value | Pass |', '|---|---|---|---|');
    for (const e of report.scorecard) {
      const pass = e.pass === null ? `unknown${e.why === undefined ? '' : ` (${esc(e.why)})`}` : e.pass ? 'yes' : '**no**';
      out.push(`| ${esc(e.label)} | ${esc(e.target)} | ${scorecardValue(e)} | ${pass} |`);
    }
    out.push('');
  }
  const actions = report.actions ?? [];
  if (actions.length > 0) {
    out.push('## Do these first', '');
    for (const a of actions) {
      const saving = a.estimatedSavingMsPerDay === null ? '' : ` — saves ~${formatMs(a.estimatedSavingMsPerDay)}/day`;
      out.push(`${a.rank}. ${esc(a.title)}${saving} (${a.verified ? 'verified' : 'unverified'})`);
      if (a.category !== 'index' && a.category !== 'schema') out.push('', '   ```' + (a.kind === 'config' ? '' : 'sql'), ...a.content.split('\n').map((l) => `   ${l}`), '   ```', '');
    }
    out.push('');
    if (typeof report.actionsMigration === 'string') out.push('Migration (the index and schema actions):', '', '```sql', report.actionsMigration.trimEnd(), '```', '');
  }
  const problems = report.problems ?? [];
  if (problems.length > 0) {
    out.push('## Problems', '', 'Findings grouped by root cause, ranked by estimated time saved per day (critical risks first).', '');
    out.push('| # | Problem | Gain | Fix | Findings |', '|---|---|---|---|---|');
    for (const p of problems) {
      const fix = p.fix === null ? 'none yet' : `${p.fix.category}, ${p.fix.verified ? 'verified' : 'unverified'}`;
      out.push(`| ${p.rank} | ${esc(p.title)} | ${esc(p.gain)} | ${fix} | ${p.findings.map((i) => i + 1).join(', ')} |`);
    }
    out.push('');
  }
  const held = report.heldBack ?? [];
  if (held.length > 0) {
    out.push('## Held back (statistics too young)', '');
    for (const h of held) {
      out.push(`- \`${h.rule}\`: ${esc(h.title)} — statistics cover ${h.windowSeconds === null ? 'an unknown time' : formatDuration(h.windowSeconds)}, \`${h.option}\` asks for ${formatDuration(h.requiredSeconds)}`);
    }
    out.push('');
  }
  return out;
}
