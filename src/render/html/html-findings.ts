import type { Finding, FindingHistory, Target } from '../../model/index.ts';
import { SEVERITY_RANK } from '../../model/index.ts';
import { formatDuration, formatMs } from '../../format/format.ts';
import { evidenceText } from '../../format/wrap.ts';
import { el, esc, num } from './html-escape.ts';
import { fixBlock } from './html-summary.ts';

export function targetText(t: Target): string {
  const parts: string[] = [t.kind];
  const main = t.index ?? t.relation ?? t.name ?? t.setting;
  if (main !== undefined) parts.push(t.column === undefined ? main : `${main}.${t.column}`);
  else if (t.column !== undefined) parts.push(t.column);
  if (t.nodePath !== undefined) parts.push(`node ${t.nodePath}`);
  if (t.location !== undefined) parts.push(t.location);
  if (t.fingerprint !== undefined && main === undefined) parts.push(t.fingerprint);
  return parts.join(' ');
}

const sortHead = (label: string, numeric = false): string => el('th', { scope: 'col', class: numeric ? 'n' : undefined }, el('button', { type: 'button' }, esc(label)));

/** One sortable row per finding; the title links to its details below. */
export function findingsTable(findings: readonly Finding[]): string {
  const rows = findings.map((f, i) =>
    el(
      'tr',
      {},
      el('td', { class: 'n', 'data-sort': i + 1 }, String(i + 1)),
      el('td', { 'data-sort': SEVERITY_RANK[f.severity] }, el('span', { class: `sev sev-${f.severity}` }, f.severity)),
      el('td', {}, el('a', { href: `#f-${i + 1}` }, esc(f.title))),
      el('td', {}, el('code', {}, esc(f.rule))),
      el('td', { class: 'n', 'data-sort': f.impact.msPerDay ?? '' }, f.impact.msPerDay === undefined ? '' : esc(formatMs(f.impact.msPerDay))),
      el('td', { class: 'n', 'data-sort': f.impact.score }, esc(num(f.impact.score, 2))),
    ),
  );
  const head = el('thead', {}, el('tr', {}, sortHead('#', true), sortHead('Severity'), sortHead('Finding'), sortHead('Rule'), sortHead('Saves / day', true), sortHead('Score', true)));
  return el('div', { class: 'table-wrap' }, el('table', { class: 'sortable', id: 'findings-table' }, el('caption', { class: 'visually-hidden' }, 'Findings (click a column header to sort)'), head, el('tbody', {}, ...rows)));
}

function evidenceValue(v: unknown): string {
  if (typeof v === 'string' && (v.includes('\n') || v.length > 100)) return el('pre', {}, esc(v));
  if (v !== null && typeof v === 'object') {
    const text = JSON.stringify(v, null, 2);
    return text.length > 120 ? el('pre', {}, esc(text)) : el('code', {}, esc(evidenceText(v)));
  }
  return esc(evidenceText(v));
}

function historyText(h: FindingHistory): string {
  const window = h.windowSeconds === null ? 'an unknown time' : formatDuration(h.windowSeconds);
  const needs = h.requiredSeconds === undefined ? '' : `; ${h.option ?? 'it'} asks for ${formatDuration(h.requiredSeconds)}`;
  return `Statistics cover ${window}${needs}${h.note === undefined ? '' : ` (${h.note})`}`;
}

/** A finding in full: impact, description, evidence, next steps and its fix. */
export function findingDetails(f: Finding, i: number, open: boolean): string {
  const evidence = Object.entries(f.evidence);
  return el(
    'details',
    { class: 'finding', id: `f-${i + 1}`, open },
    el('summary', {}, `${i + 1}. `, el('span', { class: `sev sev-${f.severity}` }, f.severity), ' ', esc(f.title)),
    el(
      'div',
      {},
      el('p', { class: 'gain' }, `rule `, el('code', {}, esc(f.rule)), ` · target ${esc(targetText(f.target))}`),
      el('p', {}, el('strong', {}, 'Impact: '), esc(f.impact.summary)),
      f.description === undefined ? '' : el('p', {}, esc(f.description)),
      f.history === undefined ? '' : el('p', { class: 'gain' }, esc(historyText(f.history))),
      evidence.length === 0
        ? ''
        : el('div', { class: 'table-wrap' }, el('table', { class: 'kv' }, el('caption', { class: 'visually-hidden' }, 'Evidence'), el('tbody', {}, ...evidence.map(([k, v]) => el('tr', {}, el('th', { scope: 'row' }, esc(k)), el('td', {}, evidenceValue(v))))))),
      (f.nextSteps ?? []).length === 0 ? '' : el('ul', {}, ...(f.nextSteps ?? []).map((s) => el('li', {}, esc(s)))),
      f.fix === undefined ? '' : fixBlock(f.fix),
    ),
  );
}
