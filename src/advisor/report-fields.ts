import { concurrentCreate, concurrentDrop } from '../format/index-definitions.ts';
import { round } from '../format/format.ts';
import type { AdvisorResult, IndexRecommendation } from './types.ts';

function indexJson(r: IndexRecommendation): Record<string, unknown> {
  return {
    name: r.name,
    definition: r.ddl,
    table: r.candidate.table,
    kind: r.candidate.kind,
    method: r.candidate.method,
    sizeBytes: r.sizeBytes,
    sizeMethod: r.sizeMethod,
    ...(r.candidate.widens === undefined ? {} : { widens: r.candidate.widens }),
    ...(r.candidate.note === undefined ? {} : { note: r.candidate.note }),
    evaluation: r.method,
    verified: r.verified,
    verification: r.verification,
    benefitPerDay: r.benefitPerDay === null ? null : round(r.benefitPerDay),
    shareOfGain: r.shareOfGain === null ? null : round(r.shareOfGain, 4),
    writeOverhead: {
      entriesPerDay: Math.round(r.writeOverhead.entriesPerDay),
      costPerDay: round(r.writeOverhead.costPerDay),
      breaksHotUpdatesPerDay: Math.round(r.writeOverhead.breaksHotUpdatesPerDay),
      breaksHotColumns: [...r.writeOverhead.breaksHotColumns],
    },
    statements: r.statements.map((s) => ({ fingerprint: s.fingerprint, costBefore: round(s.costBefore), costAfter: s.costAfter === null ? null : round(s.costAfter), weight: round(s.weight) })),
  };
}

/** The `indexes` command's top-level JSON fields (documented in schema/report.schema.json). */
export function advisorReportFields(result: AdvisorResult): Record<string, unknown> {
  return {
    indexes: result.indexes.map(indexJson),
    proposals: result.proposals.map((p) => ({ ...indexJson(p), reason: p.reason })),
    drops: result.drops.map((d) => ({
      index: d.index.qualifiedName,
      definition: d.index.definition,
      drop: concurrentDrop(d.index),
      rollback: concurrentCreate(d.index),
      replacedBy: d.replacedBy,
      method: d.method,
      verified: d.verified,
      evidence: d.evidence,
      sizeBytes: d.index.sizeBytes,
      workloadCostWith: d.costWith === null ? null : round(d.costWith),
      workloadCostWithout: d.costWithout === null ? null : round(d.costWithout),
    })),
    decisions: result.decisions.map((d) => ({
      fingerprint: d.fingerprint,
      statement: d.text,
      weight: round(d.weight),
      costBefore: d.costBefore === null ? null : round(d.costBefore),
      costAfter: d.costAfter === null ? null : round(d.costAfter),
      decision: d.decision,
      reason: d.reason,
    })),
    skippedStatements: result.skipped.map((s) => ({ fingerprint: s.fingerprint, statement: s.text, reason: s.reason })),
    advisor: {
      evaluation: result.method,
      note: result.methodNote,
      candidates: result.stats.candidates,
      whatIfCalls: result.stats.whatIfCalls,
      greedyRounds: result.stats.greedyRounds,
      polish: result.stats.polish,
      timedOut: result.stats.timedOut,
      notes: [...result.notes],
      writeModel: {
        requested: result.writeModel.requested,
        source: result.writeModel.source,
        reason: result.writeModel.reason,
        tables: result.writeModel.tables.map((t) => ({ ...t, statsPerDay: Math.round(t.statsPerDay), workloadPerDay: Math.round(t.workloadPerDay) })),
      },
    },
  };
}
