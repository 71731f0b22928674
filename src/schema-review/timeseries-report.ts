import { formatBytes, formatCount } from '../format/format.ts';
import type { Finding, ReportSection } from '../model/index.ts';
import type { TimeSeriesRequest } from './table-shape.ts';
import type { TimeSeriesDesign } from './timeseries-design.ts';
import { wrapSqlLines } from './wrap-sql-lines.ts';

/**
 * The design asked for with rates (schema --timeseries): reported under the schema-time-series rule,
 * whose analyzer finds existing time-series tables.
 */
export function timeSeriesFinding(d: TimeSeriesDesign, r: TimeSeriesRequest): Finding {
  return {
    rule: 'schema-time-series',
    severity: 'info',
    title: `Time-series design for ${d.table}: ${formatCount(d.estimate.totalRows)} rows, ~${formatBytes(d.estimate.totalBytes)} in PostgreSQL; ${d.partitions} partitions of 1 ${d.interval}; engine: ${d.engine.choice}`,
    target: { kind: 'table', relation: d.table },
    evidence: { rowsPerMinute: r.rowsPerMinute, retentionDays: r.retentionDays, interval: d.interval, partitions: d.partitions, estimate: { ...d.estimate }, engine: d.engine.choice },
    impact: { score: 10, bytes: d.estimate.totalBytes, summary: d.summaryLines.join('; ') },
    description: d.engine.reasons.join('; '),
    nextSteps: [d.partitionSql, d.scheduleSql, d.rollupSql, d.alertingSql, ...d.engine.alternatives],
    fix: { kind: 'migration', content: d.schemaSql, safety: 'safe', verified: false, verification: 'sizes computed from the ingest rate and PostgreSQL on-disk row layout; compression ratios are typical values, not measured', language: 'sql' },
  };
}

export function timeSeriesSection(d: TimeSeriesDesign): ReportSection {
  return {
    id: 'timeseries',
    title: 'Time-series plan',
    lines: wrapSqlLines([...d.summaryLines, '', ...d.schemaSql.split('\n'), '', ...d.partitionSql.split('\n'), '', ...d.scheduleSql.split('\n'), '', ...d.rollupSql.split('\n'), '', ...d.alertingSql.split('\n'), '', ...d.engine.reasons.map((r) => `why: ${r}`), ...d.engine.alternatives.map((a) => `alternative: ${a}`)]),
  };
}
