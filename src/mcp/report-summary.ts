import type { Finding, Report } from '../model/index.ts';

const TOP = 8;

function target(f: Finding): string {
  const t = f.target;
  return t.relation ?? t.index ?? t.setting ?? t.name ?? t.location ?? (t.fingerprint === undefined ? t.kind : `statement ${t.fingerprint}`);
}

function firstLine(text: string, max = 160): string {
  const line = text.split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('--')) ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * The few lines a model reads first: what ran, how many findings of each severity, the top
 * findings with their impact and fix, and what was skipped. The full report is the structured
 * content (and a resource).
 */
export function reportSummary(report: Report, options: { uri?: string; warnings?: readonly string[] } = {}): string {
  const count = (s: string): number => report.findings.filter((f) => f.severity === s).length;
  const where = report.database.host ?? report.database.name ?? report.database.source ?? '';
  const lines = [
    `db-optimize ${report.command}${where === '' ? '' : ` on ${where}`}: ${report.findings.length} finding${report.findings.length === 1 ? '' : 's'}` +
      ` (${count('critical')} critical, ${count('warning')} warning, ${count('info')} info)`,
  ];
  report.findings.slice(0, TOP).forEach((f, i) => {
    lines.push(`${i + 1}. [${f.severity}] ${f.title} — ${target(f)}; ${f.impact.summary}`);
    if (f.fix !== undefined) lines.push(`   fix (${f.fix.kind}, ${f.fix.safety}${f.fix.verified ? ', verified' : ', unverified'}): ${firstLine(f.fix.content)}`);
  });
  if (report.findings.length > TOP) lines.push(`… ${report.findings.length - TOP} more in the structured report`);
  if (report.skipped.length > 0) lines.push(`skipped: ${report.skipped.slice(0, 5).map((s) => `${s.analyzer} (${s.reason})`).join('; ')}${report.skipped.length > 5 ? '; …' : ''}`);
  for (const w of options.warnings ?? []) lines.push(`warning: ${w}`);
  if (options.uri !== undefined) lines.push(`full report: ${options.uri}`);
  return lines.join('\n');
}
