import { formatBytes, formatCount, percent, round } from '../format/format.ts';
import { concurrentCreate, concurrentDrop } from '../format/index-definitions.ts';
import type { Finding, JsonValue, Severity } from '../model/index.ts';
import { dropIndexDdl } from './index-name.ts';
import type { AdvisorResult, IndexRecommendation } from './types.ts';

/** Planner cost units are not time; without measured times a unit is ranked as ~10 µs (a cached page read). */
const MS_PER_COST_UNIT = 0.01;
/** skipped statements that are expected (utility statements, plain INSERTs) are not worth a finding */
const BENIGN_SKIP = /^(not a SELECT|INSERT:|reads no table)/;
const CONCURRENT_LOCK = 'SHARE UPDATE EXCLUSIVE (CONCURRENTLY: reads and writes continue)';

function costEvidence(r: IndexRecommendation, result: AdvisorResult): Record<string, JsonValue> {
  const writes = result.writeModel.tables.find((t) => t.table === r.candidate.table);
  const before = r.statements.reduce((a, s) => a + s.weight * s.costBefore, 0);
  const measured = r.statements.every((s) => s.costAfter !== null);
  const after = measured ? r.statements.reduce((a, s) => a + s.weight * (s.costAfter ?? 0), 0) : null;
  return {
    definition: r.ddl,
    table: r.candidate.table,
    kind: r.candidate.kind,
    sizeBytes: r.sizeBytes,
    sizeMethod: r.sizeMethod,
    statements: r.statements.length,
    // which statements it helps: the report groups the recommendation with them (one problem per root cause)
    statementsHelped: r.statements.map((s) => ({ fingerprint: s.fingerprint, costBefore: round(s.costBefore), costAfter: s.costAfter === null ? null : round(s.costAfter), weight: round(s.weight) })),
    weightedCostBefore: round(before),
    weightedCostAfter: after === null ? null : round(after),
    benefitPerDay: r.benefitPerDay === null ? null : round(r.benefitPerDay),
    shareOfGain: r.shareOfGain === null ? null : round(r.shareOfGain, 4),
    writeEntriesPerDay: Math.round(r.writeOverhead.entriesPerDay),
    writeCostPerDay: round(r.writeOverhead.costPerDay),
    breaksHotUpdatesPerDay: Math.round(r.writeOverhead.breaksHotUpdatesPerDay),
    breaksHotColumns: r.writeOverhead.breaksHotColumns.join(', '),
    method: r.method,
    writeModel: writes?.source ?? result.writeModel.requested,
    writeModelReason: writes?.reason ?? result.writeModel.reason,
  };
}

/** DROP INDEX CONCURRENTLY fails on a partitioned index: the plain DROP removes the parent's and its partitions' at once. */
function hotNote(r: IndexRecommendation): string {
  return r.writeOverhead.breaksHotColumns.length === 0
    ? ''
    : ` It indexes ${r.writeOverhead.breaksHotColumns.join(', ')}, which the workload updates: about ${formatCount(r.writeOverhead.breaksHotUpdatesPerDay)} HOT updates/day would become non-HOT and write every index of the table.`;
}

/** Findings for the report: one per recommended index, drop, proposal, statement left without an index, and skipped statement. */
export function advisorFindings(result: AdvisorResult, rule = 'index-advisor'): Finding[] {
  const findings: Finding[] = [];
  const total = result.workload.costBefore;
  for (const r of result.indexes) {
    const benefit = r.benefitPerDay ?? 0;
    const share = total > 0 ? benefit / total : 0;
    const severity: Severity = share >= 0.05 ? 'warning' : 'info';
    findings.push({
      rule,
      severity,
      title: `Create ${r.name} on ${r.candidate.table} (${formatBytes(r.sizeBytes)}): ${r.statements.length} statement(s), ${percent(share)} of workload cost`,
      target: { kind: 'index', relation: r.candidate.table, index: r.name },
      evidence: costEvidence(r, result),
      impact: {
        score: benefit * MS_PER_COST_UNIT,
        summary: `saves ${formatCount(benefit)} planner cost units/day (${percent(share)} of the workload), ${r.shareOfGain === null ? '' : `${percent(r.shareOfGain)} of the total gain, `}for ${formatBytes(r.sizeBytes)} and ${formatCount(r.writeOverhead.entriesPerDay)} index writes/day`,
        workloadShare: share,
        bytes: r.sizeBytes,
        costBefore: r.statements.reduce((a, s) => a + s.weight * s.costBefore, 0),
        costAfter: r.statements.reduce((a, s) => a + s.weight * (s.costAfter ?? s.costBefore), 0),
      },
      description:
        `${r.candidate.kind === 'widening' ? `Widens ${r.candidate.widens ?? ''}, which it replaces (see the drop): the writes below are already paid by that index. ` : ''}Statements helped: ${r.statements
          .map((s) => `${s.fingerprint} ${round(s.costBefore)} → ${s.costAfter === null ? '?' : round(s.costAfter)} × ${formatCount(s.weight)}/day`)
          .join('; ')}. Write overhead ${formatCount(r.writeOverhead.costPerDay)} cost units/day.${hotNote(r)}${r.candidate.note === undefined ? '' : ` Note: ${r.candidate.note}.`}`,
      fix: {
        kind: 'sql',
        content: r.ddl,
        rollback: dropIndexDdl(r.candidate.table, r.name, !/ ON ONLY /.test(r.ddl)),
        lockLevel: CONCURRENT_LOCK,
        safety: r.writeOverhead.breaksHotColumns.length > 0 ? 'review' : 'safe',
        verified: r.verified,
        verification: r.verification,
      },
    });
  }
  for (const d of result.drops) {
    findings.push({
      rule: `${rule}-drop`,
      severity: 'info',
      title: `Drop ${d.index.qualifiedName}: made redundant by ${d.replacedBy}`,
      target: { kind: 'index', relation: d.index.table, index: d.index.qualifiedName },
      evidence: {
        index: d.index.qualifiedName,
        definition: d.index.definition,
        replacedBy: d.replacedBy,
        method: d.method,
        sizeBytes: d.index.sizeBytes,
        workloadCostWith: d.costWith === null ? null : round(d.costWith),
        workloadCostWithout: d.costWithout === null ? null : round(d.costWithout),
      },
      impact: {
        score: d.index.sizeBytes / 1048576,
        bytes: d.index.sizeBytes,
        summary: `frees ${formatBytes(d.index.sizeBytes)} and its index maintenance; workload cost ${d.costWithout === null ? 'without it not measured' : `unchanged (${formatCount(d.costWithout)})`}`,
      },
      description: d.evidence,
      fix: {
        kind: 'sql',
        content: concurrentDrop(d.index),
        rollback: concurrentCreate(d.index),
        lockLevel: CONCURRENT_LOCK,
        safety: 'review',
        verified: d.verified,
        verification: `${d.method}: ${d.evidence}. Create ${d.replacedBy} first; check replicas and periodic jobs for other uses.`,
      },
    });
  }
  for (const p of result.proposals) {
    const measured = p.statements.every((s) => s.costAfter !== null);
    const benefit = p.benefitPerDay;
    findings.push({
      rule: `${rule}-proposal`,
      severity: 'info',
      title: `Considered ${p.name} on ${p.candidate.table}: not recommended (${p.reason.split(':')[0] ?? p.reason})`,
      target: { kind: 'index', relation: p.candidate.table, index: p.name },
      evidence: { ...costEvidence(p, result), reason: p.reason },
      impact: {
        score: (benefit ?? 0) * MS_PER_COST_UNIT * 0.1,
        summary: measured
          ? `would save ${formatCount(benefit ?? 0)} cost units/day; ${p.reason}`
          : `statement(s) cost ${formatCount(p.statements.reduce((a, s) => a + s.weight * s.costBefore, 0))} units/day today; gain not measured (${p.reason})`,
        bytes: p.sizeBytes,
      },
      description: `${p.reason}. Create it if the latency of these statements matters more than the write cost.${hotNote(p)}${p.candidate.note === undefined ? '' : ` Note: ${p.candidate.note}.`}`,
      fix: {
        kind: 'sql',
        content: p.ddl,
        rollback: dropIndexDdl(p.candidate.table, p.name),
        lockLevel: CONCURRENT_LOCK,
        safety: 'review',
        verified: p.verified && measured,
        verification: p.verification,
      },
    });
  }
  for (const d of result.decisions) {
    // only statements that matter: a decision on every cheap statement of pg_stat_statements is noise (all are in the JSON)
    if (d.decision !== 'no-index' || total <= 0 || ((d.costBefore ?? 0) * d.weight) / total < 0.01) continue;
    findings.push({
      rule: `${rule}-decision`,
      severity: 'info',
      title: `No index for statement ${d.fingerprint}: ${d.reason.length > 90 ? `${d.reason.slice(0, 87)}…` : d.reason}`,
      target: { kind: 'statement', fingerprint: d.fingerprint },
      evidence: { statement: d.text, weight: round(d.weight), costBefore: d.costBefore === null ? null : round(d.costBefore), reason: d.reason },
      impact: { score: 0, summary: d.reason },
    });
  }
  for (const s of result.skipped) {
    if (BENIGN_SKIP.test(s.reason)) continue;
    findings.push({
      rule: `${rule}-skipped`,
      severity: 'info',
      title: `Statement skipped: ${s.reason.length > 100 ? `${s.reason.slice(0, 97)}…` : s.reason}`,
      target: { kind: 'statement', ...(s.fingerprint === null ? {} : { fingerprint: s.fingerprint }) },
      evidence: { statement: s.text.slice(0, 500), reason: s.reason },
      impact: { score: 0, summary: 'not analyzed' },
    });
  }
  return findings;
}
