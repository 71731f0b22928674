import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding, JsonValue, Snapshot, Workload, WorkloadStatement } from '../../../model/index.ts';
import { formatCount, formatMs, percent, round } from '../../../format/format.ts';
import { perDay } from '../../snapshot-lookup.ts';
import { shortQuery, statementShape, statementTables } from '../statement-relations.ts';

/** Workload statements by the tables they touch, computed once per run. */
function statementsByTable(snapshot: Snapshot, workload: Workload | null): Map<string, WorkloadStatement[]> {
  const out = new Map<string, WorkloadStatement[]>();
  for (const s of workload?.statements ?? []) {
    for (const t of statementTables(snapshot, s)) {
      const list = out.get(t.qualifiedName);
      if (list === undefined) out.set(t.qualifiedName, [s]);
      else list.push(s);
    }
  }
  return out;
}

function touchingStatements(byTable: Map<string, WorkloadStatement[]>, table: string, limit: number): JsonValue[] {
  return [...(byTable.get(table) ?? [])]
    .sort((a, b) => b.totalTimeMs - a.totalTimeMs)
    .slice(0, limit)
    .map((s) => ({
      query: shortQuery(s.text, 160),
      fingerprint: s.fingerprint,
      calls: s.calls,
      meanTimeMs: round(s.meanTimeMs, 3),
      totalTimeMs: round(s.totalTimeMs),
      filterColumns: [...(statementShape(s.text)?.filterColumns ?? [])],
    }));
}

export const seqScanHeavyTables = defineAnalyzer({
  id: 'seq-scan-heavy-tables',
  phase: 'profile',
  title: 'Large tables read mostly by sequential scans (index candidates)',
  description:
    'Tables with many rows whose reads are mostly sequential scans: each scan reads the whole table. Names the statements that touch them; the index advisor (db-optimize indexes) verifies an index.',
  depth: 1,
  requires: {},
  options: {
    minRows: { default: 10_000, description: 'only tables with at least this many live rows' },
    maxIndexScanShare: { default: 0.95, description: 'flag when index scans are below this share of all scans (PgHero-style 95 %)' },
    minSeqTupRead: { default: 1_000_000, description: 'and sequential scans read at least this many rows since the stats reset' },
    statements: { default: 5, description: 'how many statements touching the table to name' },
  },
  run({ snapshot, workload, options }) {
    const findings: Finding[] = [];
    const window = snapshot.server.statsAgeSeconds;
    let byTable: Map<string, WorkloadStatement[]> | null = null;
    for (const t of snapshot.tables) {
      const a = t.activity;
      if (a === null || t.kind !== 'table') continue;
      const rows = Math.max(a.nLiveTup, t.rowEstimate);
      if (rows < options.minRows || a.seqTupRead < options.minSeqTupRead) continue;
      const scans = a.seqScan + a.idxScan;
      const idxShare = scans > 0 ? a.idxScan / scans : 0;
      if (idxShare >= options.maxIndexScanShare) continue;
      byTable ??= statementsByTable(snapshot, workload);
      // statements name a partitioned table by its parent, not by the partition the planner scans
      const statements = touchingStatements(byTable, t.qualifiedName, options.statements);
      if (statements.length === 0 && t.parent !== null) statements.push(...touchingStatements(byTable, t.parent, options.statements));
      const rowsPerScan = a.seqScan > 0 ? a.seqTupRead / a.seqScan : 0;
      // a page holds ~rows/pages rows; reading it from cache costs ~0.01 ms (order of magnitude)
      const pagesPerDay = t.pages > 0 && rows > 0 ? perDay((a.seqTupRead / rows) * t.pages, window) : 0;
      findings.push({
        rule: 'seq-scan-heavy-tables',
        history: { windowSeconds: Math.round(window), note: 'scans counted since the statistics reset; ms/day extrapolated from that window (at least an hour)' },
        severity: statements.length > 0 || rowsPerScan >= options.minRows ? 'warning' : 'info',
        title: `Index candidate: ${t.qualifiedName} is read by sequential scans (${formatCount(a.seqScan)} scans, ${percent(idxShare)} index scans)`,
        target: { kind: 'table', relation: t.qualifiedName },
        evidence: {
          table: t.qualifiedName,
          liveRows: Math.round(rows),
          seqScan: a.seqScan,
          seqTupRead: a.seqTupRead,
          rowsPerSeqScan: Math.round(rowsPerScan),
          idxScan: a.idxScan,
          indexScanShare: round(idxShare, 4),
          pages: t.pages,
          statementsTouchingTable: statements,
          statsAgeSeconds: Math.round(window),
        },
        impact: {
          score: pagesPerDay * 0.01,
          msPerDay: round(pagesPerDay * 0.01),
          summary: `${formatCount(a.seqTupRead)} rows read by sequential scans since the stats reset (~${formatMs(pagesPerDay * 0.01)}/day of page reads at 0.01 ms/page)`,
        },
        description:
          `${percent(1 - idxShare)} of the scans on this ${formatCount(rows)}-row table are sequential, ${formatCount(rowsPerScan)} rows each. ` +
          (statements.length > 0
            ? 'The statements below touch it; an index on their filter columns is the usual fix, but verify it first.'
            : workload === null
              ? 'No workload was read (no pg_stat_statements), so the statements that scan it are unknown.'
              : 'No statement in the workload names it: the scans come from another database, a job, or statements evicted from pg_stat_statements.'),
        nextSteps: [
          `db-optimize indexes --db … verifies candidate indexes for ${t.qualifiedName} with hypothetical indexes`,
          ...(statements.length > 0 || workload !== null ? [] : ['enable pg_stat_statements to see which statements scan it']),
        ],
      });
    }
    return findings;
  },
});
