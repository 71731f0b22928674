import type { Finding, Report } from '../../model/index.ts';
import { formatMs } from '../../format/format.ts';
import { el, esc, num } from './html-escape.ts';

/** The fields of report.plan.nodes (explain/query, see planSummary) the tree shows. */
interface PlanNodeLike {
  readonly path: string;
  readonly nodeType: string;
  readonly joinType?: string;
  readonly strategy?: string;
  readonly subplanName?: string;
  readonly relation?: string | null;
  readonly index?: string | null;
  readonly exclusiveMs?: number | null;
  readonly inclusiveMs?: number | null;
  readonly exclusiveShare?: number | null;
  readonly exclusiveCost?: number | null;
  readonly totalCost?: number | null;
  readonly actualRows?: number | null;
  readonly planRows?: number | null;
  readonly loops?: number | null;
  readonly misestimateFactor?: number | null;
  readonly misestimateDirection?: string | null;
  readonly hot?: boolean;
}

const isNode = (n: unknown): n is PlanNodeLike =>
  typeof n === 'object' && n !== null && typeof (n as { path?: unknown }).path === 'string' && typeof (n as { nodeType?: unknown }).nodeType === 'string';

/** Plan nodes of an explain/query report (pre-order), or null when the report has no plan tree. */
export function planNodes(report: Report): PlanNodeLike[] | null {
  const plan = report.plan;
  if (typeof plan !== 'object' || plan === null || !Array.isArray((plan as { nodes?: unknown }).nodes)) return null;
  const nodes = ((plan as { nodes: unknown[] }).nodes).filter(isNode);
  return nodes.length > 0 ? nodes : null;
}

const parentOf = (path: string): string => path.slice(0, Math.max(0, path.lastIndexOf('.')));

function shareBar(share: number): string {
  const w = Math.round(Math.max(0, Math.min(1, share)) * 60);
  return `<svg class="share" width="62" height="10" aria-hidden="true"><rect class="track" x="0" y="1" width="60" height="8"></rect><rect class="bar" x="0" y="1" width="${w}" height="8"></rect></svg>`;
}

function nodeLine(n: PlanNodeLike, findingLinks: readonly string[]): string {
  const what = [n.joinType, n.strategy, n.nodeType].filter((x) => x !== undefined && x !== null).join(' ');
  const on = n.relation === null || n.relation === undefined ? '' : ` on ${n.relation}`;
  const via = n.index === null || n.index === undefined ? '' : ` using ${n.index}`;
  const stats: string[] = [];
  if (typeof n.exclusiveMs === 'number') stats.push(`${formatMs(n.exclusiveMs)} excl`);
  else if (typeof n.exclusiveCost === 'number') stats.push(`cost ${num(n.exclusiveCost)} excl`);
  if (typeof n.exclusiveShare === 'number') stats.push(`${(n.exclusiveShare * 100).toFixed(0)} %`);
  if (typeof n.actualRows === 'number') stats.push(`${num(n.actualRows)} rows${typeof n.loops === 'number' && n.loops > 1 ? ` × ${num(n.loops)} loops` : ''}`);
  if (typeof n.planRows === 'number') stats.push(`est ${num(n.planRows)}`);
  const mis = typeof n.misestimateFactor === 'number' && n.misestimateFactor >= 10 ? el('span', { class: 'mis' }, `misestimate ${esc(num(n.misestimateFactor))}× ${esc(n.misestimateDirection ?? '')}`) : '';
  return el(
    'span',
    { class: 'node', 'data-path': n.path },
    n.hot === true ? el('span', { class: 'hot', title: 'hot path' }, '» hot') : '',
    typeof n.exclusiveShare === 'number' ? shareBar(n.exclusiveShare) : '',
    el('span', { class: 'type' }, esc(n.subplanName === undefined ? what : `${n.subplanName}: ${what}`)),
    el('span', {}, esc(`${on}${via}`)),
    el('span', { class: 'stat' }, esc(stats.join(' · '))),
    mis,
    findingLinks.length === 0 ? '' : el('span', {}, 'tips ', findingLinks.join(' ')),
  );
}

/** The plan as a nested list, the hot path marked, with links to the tips about each node. */
export function planTree(nodes: readonly PlanNodeLike[], findings: readonly Finding[]): string {
  const children = new Map<string, PlanNodeLike[]>();
  const known = new Set(nodes.map((n) => n.path));
  const roots: PlanNodeLike[] = [];
  for (const n of nodes) {
    const p = parentOf(n.path);
    if (p === '' || !known.has(p)) roots.push(n);
    else children.set(p, [...(children.get(p) ?? []), n]);
  }
  const links = (path: string): string[] =>
    findings.flatMap((f, i) => (f.target.nodePath === path ? [el('a', { href: `#f-${i + 1}` }, `#${i + 1}`)] : []));
  const item = (n: PlanNodeLike): string => {
    const kids = children.get(n.path) ?? [];
    const line = nodeLine(n, links(n.path));
    return el('li', {}, line, kids.length === 0 ? '' : el('ul', {}, ...kids.map(item)));
  };
  return el('ul', { class: 'plan' }, ...roots.map(item));
}

/** The plan section: totals, the tree, and the text rendering of the CLI for copying. */
export function planSection(report: Report, nodes: readonly PlanNodeLike[]): string {
  const plan = report.plan as { executionTimeMs?: unknown; planningTimeMs?: unknown };
  const totals = [
    typeof plan.executionTimeMs === 'number' ? `execution ${formatMs(plan.executionTimeMs)}` : null,
    typeof plan.planningTimeMs === 'number' ? `planning ${formatMs(plan.planningTimeMs)}` : null,
  ].filter((x) => x !== null);
  return el(
    'section',
    { id: 'plan', 'aria-labelledby': 'plan-h' },
    el('h2', { id: 'plan-h' }, 'Plan'),
    totals.length === 0 ? '' : el('p', { class: 'meta' }, esc(totals.join(' · '))),
    planTree(nodes, report.findings),
  );
}
