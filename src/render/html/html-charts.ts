import type { Finding, Report, ScorecardEntry } from '../../model/index.ts';
import { formatMs } from '../../format/format.ts';
import { el, esc } from './html-escape.ts';


interface Bar {
  readonly label: string;
  readonly value: number;
  readonly text: string;
  /** a target line, as a fraction of the axis (ratios only) */
  readonly target?: number;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const short = (s: string, n: number): string => {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
};

/** Statements by total time, from the top-statements findings (calls × mean when the total is absent). */
export function topStatementBars(findings: readonly Finding[]): Bar[] {
  const bars: Bar[] = [];
  for (const f of findings) {
    if (f.rule !== 'top-statements') continue;
    const e = f.evidence;
    const total = num(e.totalTimeMs) ?? ((num(e.calls) ?? 0) * (num(e.meanTimeMs) ?? 0));
    const query = str(e.query) ?? f.title;
    if (total > 0) bars.push({ label: short(query, 60), value: total, text: formatMs(total) });
  }
  return bars.sort((a, b) => b.value - a.value).slice(0, 10);
}

/** Hit ratios and pool use as percentages: the scorecard's when it has them, else the health findings'. */
export function ratioBars(findings: readonly Finding[], scorecard: readonly ScorecardEntry[] | null): Bar[] {
  if (scorecard !== null) {
    const bars = scorecard
      .filter((s) => s.unit === '%' && s.value !== null)
      .map((s) => ({ label: s.label, value: (s.value ?? 0) / 100, text: `${(s.value ?? 0).toFixed(1)} %`, target: s.threshold / 100 }));
    if (bars.length > 0) return bars;
  }
  const pick: Readonly<Record<string, { label: string; key: string; target?: number }>> = {
    'cache-hit-ratio': { label: 'Buffer cache hit', key: 'hitRatio', target: 0.95 },
    'index-hit-ratio': { label: 'Index cache hit', key: 'hitRatio', target: 0.99 },
    'connection-usage': { label: 'Connections in use', key: 'usedRatio', target: 0.7 },
  };
  const bars: Bar[] = [];
  for (const f of findings) {
    const p = pick[f.rule];
    const v = p === undefined ? null : num(f.evidence[p.key]);
    if (p === undefined || v === null || bars.some((b) => b.label === p.label)) continue;
    const target = num(f.evidence.targetPercent);
    bars.push({ label: p.label, value: v, text: `${(v * 100).toFixed(1)} %`, ...(target !== null ? { target: target / 100 } : p.target === undefined ? {} : { target: p.target }) });
  }
  return bars;
}

/** A horizontal bar chart as inline SVG: labels above the bars so long SQL stays readable. */
export function barChart(title: string, bars: readonly Bar[], options: { ratio: boolean }): string {
  const width = 520;
  const rowH = 38;
  const height = bars.length * rowH + 6;
  const max = options.ratio ? 1 : Math.max(...bars.map((b) => b.value), 1e-9);
  const plot = width - 90;
  const rows = bars.map((b, i) => {
    const y = i * rowH;
    const w = Math.max(1, Math.round((Math.min(b.value, max) / max) * plot));
    const target =
      b.target === undefined ? '' : `<line class="target" x1="${Math.round(b.target * plot)}" x2="${Math.round(b.target * plot)}" y1="${y + 15}" y2="${y + 33}"><title>target ${esc((b.target * 100).toFixed(0))} %</title></line>`;
    return (
      `<g><title>${esc(b.label)}: ${esc(b.text)}</title>` +
      `<text x="0" y="${y + 12}">${esc(b.label)}</text>` +
      (options.ratio ? `<rect class="track" x="0" y="${y + 17}" width="${plot}" height="14" rx="2"></rect>` : '') +
      `<rect class="bar" x="0" y="${y + 17}" width="${w}" height="14" rx="2"></rect>` +
      target +
      `<text class="muted" x="${Math.min(w, plot) + 6}" y="${y + 29}">${esc(b.text)}</text></g>`
    );
  });
  const svg = `<svg role="img" aria-label="${esc(title)}" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMinYMin meet">${rows.join('')}</svg>`;
  // the same numbers as a table for screen readers
  const table = el('table', { class: 'visually-hidden' }, el('caption', {}, esc(title)), ...bars.map((b) => el('tr', {}, el('td', {}, esc(b.label)), el('td', {}, esc(b.text)))));
  return el('figure', {}, el('figcaption', {}, esc(title)), svg, table);
}

/** The charts section: top statements by total time and the ratios; empty when the report has neither. */
export function chartsSection(report: Report, scorecard: readonly ScorecardEntry[] | null): string {
  const top = topStatementBars(report.findings);
  const ratios = ratioBars(report.findings, scorecard);
  const figures = [
    ...(top.length > 0 ? [barChart('Top statements by total time', top, { ratio: false })] : []),
    ...(ratios.length > 0 ? [barChart('Ratios (red line: target)', ratios, { ratio: true })] : []),
  ];
  if (figures.length === 0) return '';
  return el('section', { id: 'charts', 'aria-labelledby': 'charts-h' }, el('h2', { id: 'charts-h' }, 'Charts'), el('div', { class: 'charts' }, ...figures));
}
