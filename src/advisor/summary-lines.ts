import { formatBytes, formatCount, percent } from '../format/format.ts';
import { wrap, wrapCode } from '../format/wrap.ts';
import type { AdvisorResult } from './types.ts';

/** The terminal renderer cuts section lines at this width; everything here is wrapped to fit, SQL only at spaces outside quotes. */
const WIDTH = 80;

function sql(marker: string, statement: string): string[] {
  const [first = '', ...rest] = statement.split('\n').flatMap((line) => wrapCode(line, WIDTH - marker.length, ''));
  return [`${marker}${first}`, ...rest.map((l) => `${' '.repeat(marker.length)}${l}`)];
}

function text(line: string, indent = ''): string[] {
  return wrap(line, WIDTH, indent);
}

/** The `indexes` command's section: what was measured how, then every index line whole (a person copies them). */
export function advisorSummaryLines(r: AdvisorResult): string[] {
  const lines: string[] = [];
  const after = r.workload.costAfter;
  lines.push(...text(`Evaluation: ${r.methodNote}`));
  lines.push(...text(`Write model: ${r.writeModel.reason}`));
  lines.push(
    ...text(
      `Weighted workload cost: ${formatCount(r.workload.costBefore)} → ${after === null ? 'not measured' : `${formatCount(after)} (${percent(r.workload.costBefore > 0 ? 1 - after / r.workload.costBefore : 0)} less)`}` +
        ` over ${r.workload.statements} statement(s); ${r.stats.candidates} candidates, ${r.stats.whatIfCalls} what-if calls; polish: ${r.stats.polish}${r.stats.timedOut ? '; time limit reached (best so far)' : ''}`,
    ),
  );
  const unmeasured = r.proposals.filter((p) => !p.verified).length;
  if (r.indexes.length === 0)
    lines.push(unmeasured > 0 ? `No measured index pays for itself; ${unmeasured} could not be measured here (listed below with why).` : 'No index pays for itself on this workload.');
  for (const i of r.indexes) {
    lines.push(...sql('+ ', i.ddl));
    lines.push(...text(`${formatBytes(i.sizeBytes)}, ${formatCount(i.writeOverhead.entriesPerDay)} writes/day, ${i.shareOfGain === null ? '?' : percent(i.shareOfGain)} of the gain, ${i.verified ? 'verified' : 'unverified'} (${i.method})`, '    '));
    for (const s of i.statements) lines.push(`    ${s.fingerprint}: ${s.costBefore.toFixed(1)} → ${s.costAfter === null ? '?' : s.costAfter.toFixed(1)} × ${formatCount(s.weight)}/day`);
  }
  for (const d of r.drops) lines.push(...sql('- ', `DROP INDEX CONCURRENTLY ${d.index.qualifiedName};`), ...text(`replaced by ${d.replacedBy}; ${d.method}${d.verified ? '' : ', unverified'}`, '    '));
  for (const p of r.proposals) lines.push(...sql('? ', p.ddl), ...text(`not recommended: ${p.reason}`, '    '));
  for (const d of r.decisions.filter((x) => x.decision === 'no-index')) lines.push(...text(`· ${d.fingerprint}: no index — ${d.reason}`));
  for (const s of r.skipped) lines.push(...text(`! skipped ${s.fingerprint ?? '(unparsed)'}: ${s.reason}`));
  return lines;
}
