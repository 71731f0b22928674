import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding } from '../../../model/index.ts';
import { formatCount, percent, round } from '../../../format/format.ts';
import { autovacuumPolicy } from '../settings-lookup.ts';

export const deadTuples = defineAnalyzer({
  id: 'dead-tuples',
  phase: 'profile',
  title: 'Dead tuples',
  description: 'Tables carrying many dead row versions (left by UPDATE and DELETE) that VACUUM has not removed yet.',
  depth: 1,
  requires: {},
  options: {
    minDeadTuples: { default: 10_000, description: 'only tables with more dead tuples than this' },
    minDeadRatio: { default: 0.1, description: 'and dead tuples at least this share of live tuples' },
    criticalRatio: { default: 1, description: 'critical when dead tuples reach this multiple of live tuples' },
  },
  run({ snapshot, options }) {
    const findings: Finding[] = [];
    for (const t of snapshot.tables) {
      const a = t.activity;
      if (a === null || a.nDeadTup <= options.minDeadTuples) continue;
      const ratio = a.nDeadTup / Math.max(1, a.nLiveTup);
      if (ratio < options.minDeadRatio) continue;
      const policy = autovacuumPolicy(snapshot, t);
      const lastVacuum = [a.lastVacuum, a.lastAutovacuum].filter((x): x is string => x !== null).sort().at(-1) ?? null;
      const bytes = t.pages * snapshot.server.blockSize * (a.nDeadTup / Math.max(1, a.nDeadTup + a.nLiveTup));
      findings.push({
        rule: 'dead-tuples',
        severity: ratio >= options.criticalRatio ? 'critical' : 'warning',
        title: `${t.qualifiedName} has ${formatCount(a.nDeadTup)} dead tuples (${percent(ratio, 0)} of live rows)`,
        target: { kind: 'table', relation: t.qualifiedName },
        evidence: {
          table: t.qualifiedName,
          deadTuples: a.nDeadTup,
          liveTuples: a.nLiveTup,
          deadRatio: round(ratio, 3),
          lastVacuum: a.lastVacuum,
          lastAutovacuum: a.lastAutovacuum,
          autovacuumCount: a.autovacuumCount,
          autovacuumEnabled: policy.enabled,
          updates: a.nTupUpd,
          hotUpdates: a.nTupHotUpd,
          deletes: a.nTupDel,
        },
        impact: {
          score: bytes / (1024 * 1024) + a.nDeadTup / 10_000,
          bytes: Math.round(bytes),
          summary: `~${formatCount(a.nDeadTup)} dead rows that scans still step over, ${lastVacuum === null ? 'never vacuumed' : `last vacuumed ${lastVacuum}`}`,
        },
        description:
          'Dead tuples make sequential scans and index scans read rows nobody can see, and bloat the table until VACUUM marks the space reusable.' +
          (policy.enabled ? '' : ` Autovacuum is disabled ${policy.tableEnabled ? 'server-wide' : 'for this table'}, so only a manual VACUUM will clean it.`),
        fix: {
          kind: 'sql',
          content: `VACUUM (ANALYZE, VERBOSE) ${t.qualifiedName};` + (policy.tableEnabled ? '' : `\nALTER TABLE ${t.qualifiedName} RESET (autovacuum_enabled);`),
          lockLevel: 'SHARE UPDATE EXCLUSIVE (reads and writes continue; blocks DDL)',
          safety: 'safe',
          verified: false,
          verification: 'VACUUM cannot remove rows still visible to an open transaction: check idle-in-transaction and long-running findings first',
        },
      });
    }
    return findings;
  },
});
