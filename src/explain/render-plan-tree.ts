import type { Finding } from '../model/index.ts';
import { rowsNotReported, stoppedEarly } from './early-stop.ts';
import type { EnrichedNode, EnrichedPlan } from './enrich-plan.ts';
import { count, ms, nodeLabel } from './tips/plan-tip.ts';

function pad(s: string, n: number, left = false): string {
  return left ? s.padEnd(n) : s.padStart(n);
}

function timeCell(v: number | null): string {
  if (v === null) return '';
  if (v >= 10_000) return `${(v / 1000).toFixed(1)}s`;
  if (v >= 100) return `${Math.round(v)}ms`;
  return `${v.toFixed(v < 10 ? 2 : 1)}ms`;
}

function estimateCell(n: EnrichedNode, plan: EnrichedPlan): string {
  if (n.misestimateFactor === null || n.misestimateFactor < 10) return '';
  // a node stopped early (LIMIT, EXISTS, a CTE read partly) or one that reports no rows is no misestimate
  if (rowsNotReported(n) || (n.misestimateDirection === 'over' && stoppedEarly(plan, n))) return '';
  const f = n.misestimateFactor >= 1000 ? `${Math.round(n.misestimateFactor / 1000)}k` : String(Math.round(n.misestimateFactor));
  return `${n.misestimateDirection === 'under' ? '↓' : '↑'}${f}×`;
}

function details(n: EnrichedNode): string[] {
  const node = n.node;
  const out: string[] = [];
  if (node.subplanName !== null) out.push(node.subplanName);
  const cond = node.indexCond ?? node.hashCond ?? node.mergeCond ?? node.recheckCond;
  if (cond !== null) out.push(cond);
  if (node.filter !== null) out.push(`filter ${node.filter}`);
  if ((node.rowsRemovedByFilter ?? 0) > 0) out.push(`removed ${count((node.rowsRemovedByFilter ?? 0) * (node.actualLoops ?? 1))}`);
  if ((node.actualLoops ?? 1) > 1) out.push(`loops ${count(node.actualLoops ?? 1)}`);
  if (node.sortSpaceType === 'Disk') out.push(`sort on disk ${node.sortSpaceUsedKb ?? '?'}kB`);
  if ((node.hashBatches ?? 1) > 1) out.push(`hash batches ${node.hashBatches}`);
  if ((node.diskUsageKb ?? 0) > 0) out.push(`agg disk ${node.diskUsageKb}kB`);
  if ((node.lossyHeapBlocks ?? 0) > 0) out.push(`lossy blocks ${count(node.lossyHeapBlocks ?? 0)}`);
  if ((node.heapFetches ?? 0) > 0) out.push(`heap fetches ${count(node.heapFetches ?? 0)}`);
  if (node.workersPlanned !== null) out.push(`workers ${node.workersLaunched ?? '?'}/${node.workersPlanned}`);
  const b = n.exclusiveBuffers;
  if (b !== null && b.sharedRead + b.tempRead + b.tempWritten > 0) {
    out.push(`read ${count(b.sharedRead)} blk${b.tempRead + b.tempWritten > 0 ? `, temp ${count(b.tempRead + b.tempWritten)} blk` : ''}`);
  }
  if (n.ioMs !== null && n.ioMs > 0) out.push(`I/O ${ms(n.ioMs)}`);
  return out;
}

/** Words over lines of at most `width` columns (the warning must be read whole, not cut with "…"). */
function wrapWords(text: string, width: number, indent: string): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      out.push(line);
      line = indent + word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') out.push(line);
  return out;
}

/**
 * The annotated plan tree: exclusive time and its share, rows, misestimates (↓ under, ↑ over),
 * the hot path (»), and the numbers of the findings that target each node. Fits `width` columns.
 */
export function renderPlanTree(plan: EnrichedPlan, findings: readonly Finding[] = [], width = 80): string[] {
  const findingNumbers = new Map<string, number[]>();
  findings.forEach((f, i) => {
    if (f.target.kind !== 'plan-node' || f.target.nodePath === undefined) return;
    const list = findingNumbers.get(f.target.nodePath) ?? [];
    list.push(i + 1);
    findingNumbers.set(f.target.nodePath, list);
  });
  const p = plan.plan;
  const lines: string[] = [];
  const head: string[] = [];
  if (p.executionTimeMs !== null) head.push(`execution ${ms(p.executionTimeMs)}`);
  if (p.planningTimeMs !== null) head.push(`planning ${ms(p.planningTimeMs)}`);
  if (p.jit !== null) head.push(`JIT ${ms(p.jit.totalMs)}`);
  for (const t of p.triggers) head.push(`trigger ${t.constraintName ?? t.name} ${ms(t.timeMs)}`);
  if (p.loggedDurationMs !== null) {
    head.push(`logged ${ms(p.loggedDurationMs)}${(p.loggedEntries ?? 1) > 1 ? ` (slowest of ${p.loggedEntries} plans in the log)` : ''}`);
  }
  if (!p.analyzed) head.push('estimates only (no ANALYZE): times and actual rows unknown');
  if (head.length > 0) lines.push(head.join(' · '));
  // a guess made while reading a pasted plan is said before the tree it shaped
  for (const w of p.parseWarnings) lines.push(...wrapWords(`! read with an assumption: ${w}`, width, '  '));
  lines.push(`${pad('excl', 9)} ${pad('%', 4)} ${pad('rows', 6)} ${pad('est', 5)}  node  (» hot path, ↓↑ misestimate, #n finding)`);
  const fixed = 1 + 9 + 1 + 4 + 1 + 6 + 1 + 5 + 2;
  for (const n of plan.nodes) {
    const share = n.exclusiveShare === null ? '' : `${Math.round(n.exclusiveShare * 100)}%`;
    const rows = n.actualRowsTotal === null ? count(n.planRowsTotal) : n.node.neverExecuted ? 'never' : count(n.actualRowsTotal);
    const indent = '  '.repeat(Math.min(n.depth, 12)) + (n.depth > 12 ? '…' : '');
    const marks = (findingNumbers.get(n.path) ?? []).map((x) => `#${x}`).join(' ');
    const label = `${indent}${n.depth > 0 ? '→ ' : ''}${nodeLabel(n)} [${n.path}]${marks === '' ? '' : ` ${marks}`}`;
    lines.push(`${n.hot ? '»' : ' '}${pad(timeCell(n.exclusiveMs), 9)} ${pad(share, 4)} ${pad(rows, 6)} ${pad(estimateCell(n, plan), 5)}  ${label}`);
    const d = details(n);
    if (d.length > 0) {
      const prefix = ' '.repeat(fixed) + indent + (n.depth > 0 ? '  ' : '');
      const room = Math.max(20, width - prefix.length);
      let text = d.join(' · ');
      if (text.length > room) text = `${text.slice(0, room - 1)}…`;
      lines.push(`${prefix}${text}`);
    }
  }
  return lines.map((l) => (l.length > width ? `${l.slice(0, width - 1)}…` : l));
}
