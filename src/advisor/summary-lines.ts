import { formatBytes, formatCount, percent } from '../format/format.ts';
import type { AdvisorResult } from './types.ts';

/** The advisor's result as report lines: cost before → after, each index, drops, rejected proposals, skips. */
export function summaryLines(r: AdvisorResult): string[] {
  const lines: string[] = [];
  const after = r.workload.costAfter;
  lines.push(`Evaluation: ${r.methodNote}`);
  lines.push(
    `Weighted workload cost: ${formatCount(r.workload.costBefore)} → ${after === null ? 'not measured' : `${formatCount(after)} (${percent(r.workload.costBefore > 0 ? 1 - after / r.workload.costBefore : 0)} less)`}` +
      ` over ${r.workload.statements} statement(s); ${r.stats.candidates} candidates, ${r.stats.whatIfCalls} what-if calls; polish: ${r.stats.polish}${r.stats.timedOut ? '; time limit reached (best so far)' : ''}`,
  );
  if (r.indexes.length === 0) lines.push('No index pays for itself on this workload.');
  for (const i of r.indexes) {
    lines.push(`+ ${i.ddl}`);
    lines.push(`    ${formatBytes(i.sizeBytes)}, ${formatCount(i.writeOverhead.entriesPerDay)} writes/day, ${i.shareOfGain === null ? '?' : percent(i.shareOfGain)} of the gain, ${i.verified ? 'verified' : 'unverified'} (${i.method})`);
    for (const s of i.statements) lines.push(`    ${s.fingerprint}: ${s.costBefore.toFixed(1)} → ${s.costAfter === null ? '?' : s.costAfter.toFixed(1)} × ${formatCount(s.weight)}/day`);
  }
  for (const d of r.drops) lines.push(`- DROP INDEX CONCURRENTLY ${d.index.qualifiedName}; (replaced by ${d.replacedBy}; ${d.method}${d.verified ? '' : ', unverified'})`);
  for (const p of r.proposals) lines.push(`? ${p.ddl}`, `    not recommended: ${p.reason}`);
  for (const d of r.decisions.filter((x) => x.decision === 'no-index')) lines.push(`· ${d.fingerprint}: no index — ${d.reason}`);
  for (const s of r.skipped) lines.push(`! skipped ${s.fingerprint ?? '(unparsed)'}: ${s.reason}`);
  return lines;
}
