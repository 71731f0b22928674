import type pc from 'picocolors';

type Colors = ReturnType<typeof pc.createColors>;
import type { Finding, Problem, Report, ScorecardEntry } from '../model/index.ts';
import { formatDuration, formatMs } from '../format/format.ts';
import { wrap, wrapCode } from '../format/wrap.ts';

/** How many problems the default terminal report shows in detail (the rest one line each). */
export const DETAILED_PROBLEMS = 8;
/** Lines of a fix shown in a problem (the whole fix is in "do these first" or --verbose). */
const FIX_LINES = 12;

export function scorecardValue(e: ScorecardEntry): string {
  if (e.value === null) return 'unknown';
  if (e.unit === 'ms') return `~${formatMs(e.value)}`;
  if (e.unit === '%') return `${e.value} %`;
  return String(e.value);
}

/** The seed's scorecard: one line per metric, with why when unknown. */
export function scorecardLines(scorecard: readonly ScorecardEntry[], c: Colors, width: number): string[] {
  const out = [c.bold('Scorecard (seed targets)')];
  for (const e of scorecard) {
    const mark = e.pass === null ? c.dim('  ?  ') : e.pass ? c.green(' ok  ') : c.red(' MISS');
    const line = `${mark} ${e.label.padEnd(24)} ${e.target.padEnd(9)} ${scorecardValue(e)}`;
    out.push(line);
    if (e.pass === null && e.why !== undefined) out.push(...wrap(`(${e.why})`, width, '       ').map((l) => c.dim(l)));
  }
  return out;
}

function savingText(ms: number | null): string {
  return ms === null ? '' : ` — saves ~${formatMs(ms)}/day`;
}

/** "Do these first": the actions and their one migration. */
export function actionLines(report: Report, c: Colors, width: number): string[] {
  const actions = report.actions ?? [];
  if (actions.length === 0) return [];
  const out = ['', c.bold('Do these first')];
  for (const a of actions) {
    const head = `${a.rank}. `;
    const text = wrap(`${a.title}${savingText(a.estimatedSavingMsPerDay)} (${a.verified ? 'verified' : 'unverified'})`, width - head.length);
    out.push(head + (text[0] ?? ''), ...text.slice(1).map((l) => ' '.repeat(head.length) + l));
    if (a.category !== 'index' && a.category !== 'schema') {
      for (const line of a.content.split('\n')) out.push(...wrapCode(line, width, '     ').map((l) => c.green(l)));
    }
  }
  if (typeof report.actionsMigration === 'string') {
    out.push('', c.bold('  Migration (the index and schema actions, copy-paste):'));
    // indented like every fix and not wrapped: a wrapped comment line would not be SQL any more when pasted
    for (const line of report.actionsMigration.trimEnd().split('\n')) out.push(line === '' ? '' : c.green(`      ${line}`));
  }
  return out;
}

function problemLines(p: Problem, findings: readonly Finding[], c: Colors, width: number): string[] {
  const head = `#${p.rank} `;
  const title = wrap(p.title, width - head.length);
  const out = ['', c.bold(head + (title[0] ?? '')), ...title.slice(1).map((l) => ' '.repeat(head.length) + c.bold(l))];
  const pad = '    ';
  out.push(...wrap(`${p.severity}${p.ranking === 'risk' ? ' risk' : ''} · ${p.gain}`, width, pad));
  if (p.fix !== null) {
    out.push(`${pad}fix (${p.fix.category}, ${p.fix.safety}, ${p.fix.verified ? c.green('verified') : c.yellow('unverified')}, from ${p.fix.rule}):`);
    const lines = p.fix.content.split('\n');
    for (const line of lines.slice(0, FIX_LINES)) out.push(...wrapCode(line, width, `${pad}  `).map((l) => c.green(l)));
    if (lines.length > FIX_LINES) out.push(c.dim(`${pad}  … ${lines.length - FIX_LINES} more lines (--verbose or --format json)`));
    if (p.fix.verification !== undefined) out.push(...wrap(`(${p.fix.verification})`, width, pad).map((l) => c.dim(l)));
  } else out.push(c.dim(`${pad}no verified fix yet: see the findings below`));
  out.push(`${pad}evidence (${p.findings.length} finding${p.findings.length === 1 ? '' : 's'}):`);
  for (const i of p.findings.slice(0, 6)) {
    const f = findings[i];
    if (f !== undefined) out.push(...wrap(`- [${f.severity}] ${f.title}`, width, `${pad}  `).map((l, k) => (k === 0 ? l : `  ${l}`)));
  }
  if (p.findings.length > 6) out.push(c.dim(`${pad}  … ${p.findings.length - 6} more (--verbose)`));
  return out;
}

/** Problems: the top ones in detail, the rest one line each, nothing hidden without saying how to see it. */
export function problemsLines(report: Report, c: Colors, width: number, verbose: boolean): string[] {
  const problems = report.problems ?? [];
  if (problems.length === 0) return [];
  const out = ['', c.bold(`Problems (${problems.length}, by root cause; ranked by time saved per day, critical risks first)`)];
  const detailed = verbose ? problems : problems.slice(0, DETAILED_PROBLEMS);
  for (const p of detailed) out.push(...problemLines(p, report.findings, c, width));
  const rest = problems.slice(detailed.length);
  if (rest.length > 0) {
    out.push('', c.bold(`More problems (${rest.length}, one line each; --verbose shows them in full):`));
    for (const p of rest) out.push(...wrap(`#${p.rank} [${p.severity}] ${p.title}`, width, '  ').map((l, k) => (k === 0 ? l : `  ${l}`)));
  }
  return out;
}

/** One line per held-back rule: the findings that need more history than the statistics cover. */
export function heldBackLines(report: Report, c: Colors, width: number): string[] {
  const held = report.heldBack ?? [];
  if (held.length === 0) return [];
  const byRule = new Map<string, typeof held>();
  for (const h of held) byRule.set(h.rule, [...(byRule.get(h.rule) ?? []), h]);
  const out = ['', c.bold('Held back (statistics too young):')];
  for (const [rule, list] of byRule) {
    const h = list[0] as (typeof held)[number];
    const window = h.windowSeconds === null ? 'an unknown time' : formatDuration(h.windowSeconds);
    out.push(
      ...wrap(
        `- ${list.length} ${rule} finding${list.length === 1 ? '' : 's'}: the statistics cover ${window}, ${h.option} asks for ${formatDuration(h.requiredSeconds)} (--set ${h.option}=… to show them; listed in --format json)`,
        width,
        '  ',
      ).map((l, k) => (k === 0 ? l : `  ${l}`)),
    );
  }
  return out.map((l) => c.dim(l));
}
