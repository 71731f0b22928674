import { createHash } from 'node:crypto';
import type { Report } from '../../model/index.ts';
import { formatDuration, formatMs } from '../../format/format.ts';
import { chartsSection } from './html-charts.ts';
import { el, esc } from './html-escape.ts';
import { findingDetails, findingsTable } from './html-findings.ts';
import { planNodes, planSection } from './html-plan.ts';
import { HTML_SCRIPT } from './html-script.ts';
import { HTML_STYLE } from './html-style.ts';
import { actionsSection, heldBackSection, problemsSection, reportExtras, scorecardSection } from './html-summary.ts';

const hash = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * Nothing may load from the network, and only our own style and script may apply: the policy
 * allows exactly their hashes, so markup that escaped our escaping could still not run.
 */
const CSP = `default-src 'none'; style-src ${hash(HTML_STYLE)}; script-src ${hash(HTML_SCRIPT)}; img-src data:; base-uri 'none'; form-action 'none'`;

function header(report: Report): string {
  const db = report.database;
  const meta: string[] = [];
  if (db.host !== undefined) meta.push(db.host);
  else if (db.name !== undefined) meta.push(db.name);
  if (db.serverVersion !== undefined) meta.push(db.serverVersion);
  if (typeof db.statsAgeSeconds === 'number') meta.push(`statistics cover ${formatDuration(db.statsAgeSeconds)}`);
  if (db.source !== undefined) meta.push(db.source);
  const w = report.workload as { source?: unknown; statements?: unknown; totalTimeMs?: unknown } | undefined;
  if (w !== undefined && typeof w.statements === 'number') {
    meta.push(`workload: ${String(w.source ?? '')} · ${w.statements} statements${typeof w.totalTimeMs === 'number' ? ` · ${formatMs(w.totalTimeMs)} total time` : ''}`);
  }
  const counts = { critical: 0, warning: 0, info: 0 };
  for (const f of report.findings) counts[f.severity]++;
  return el(
    'header',
    {},
    el(
      'div',
      {},
      el('h1', {}, `db-optimize ${esc(report.command)}`),
      el('p', { class: 'meta' }, esc(meta.join(' · '))),
      el(
        'p',
        { class: 'counts', id: 'counts' },
        `${report.findings.length} findings: `,
        el('span', { class: 'sev sev-critical' }, `${counts.critical} critical`),
        el('span', { class: 'sev sev-warning' }, `${counts.warning} warning`),
        el('span', { class: 'sev sev-info' }, `${counts.info} info`),
      ),
    ),
    el('button', { id: 'theme-toggle', type: 'button', 'aria-pressed': 'false' }, 'Dark theme'),
  );
}

/** One self-contained HTML page (inline CSS, JS and SVG; no network): scorecard first, then problems, charts, plan, findings. */
export function renderHtml(report: Report): string {
  const extras = reportExtras(report);
  const nodes = planNodes(report);
  const findings = report.findings;
  // the scorecard replaces the baseline-metrics text section when both exist (as in the terminal and Markdown reports)
  const textSections = (report.sections ?? []).filter((s) => !(extras.scorecard !== null && s.id === 'baseline-metrics')).map((s) =>
    nodes !== null && s.id === 'plan'
      ? el('details', {}, el('summary', {}, esc(`${s.title} as text`)), el('pre', {}, esc(s.lines.join('\n'))))
      : el('section', { 'aria-label': s.title }, el('h2', {}, esc(s.title)), el('pre', {}, esc(s.lines.join('\n')))),
  );
  const body = [
    extras.scorecard === null ? '' : scorecardSection(extras.scorecard),
    extras.actions === null ? '' : actionsSection(extras.actions, extras.actionsMigration),
    extras.problems === null ? '' : problemsSection(extras.problems, findings.length),
    chartsSection(report, extras.scorecard),
    nodes === null ? '' : planSection(report, nodes),
    ...textSections,
    el(
      'section',
      { id: 'findings', 'aria-labelledby': 'findings-h' },
      el('h2', { id: 'findings-h' }, extras.problems === null ? 'Findings' : 'All findings'),
      findings.length === 0 ? el('p', {}, 'No findings.') : findingsTable(findings) + findings.map((f, i) => findingDetails(f, i, f.severity === 'critical')).join(''),
    ),
    extras.heldBack === null ? '' : heldBackSection(extras.heldBack),
    report.skipped.length === 0
      ? ''
      : el(
          'section',
          { id: 'skipped', 'aria-labelledby': 'skipped-h' },
          el('h2', { id: 'skipped-h' }, 'Not run'),
          el('ul', {}, ...report.skipped.map((s) => el('li', {}, el('code', {}, esc(s.analyzer)), `: ${esc(s.reason)}`))),
        ),
  ];
  const title = `db-optimize ${report.command}${report.database.name === undefined ? '' : ` — ${report.database.name}`}`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${esc(CSP)}">`,
    `<meta name="generator" content="db-optimize ${esc(report.tool.version)}">`,
    `<title>${esc(title)}</title>`,
    `<style>${HTML_STYLE}</style>`,
    '</head>',
    '<body>',
    header(report),
    el('main', { id: 'main' }, ...body),
    el('footer', {}, `Generated ${esc(report.generatedAt)} by db-optimize ${esc(report.tool.version)}. This file is self-contained and works offline.`),
    `<script>${HTML_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
