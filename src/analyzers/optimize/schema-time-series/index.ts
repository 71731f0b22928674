import { defineAnalyzer } from '../../../engine/analyzer.ts';
import type { Finding } from '../../../model/index.ts';
import { isIdColumn, tableRows } from '../../../schema-review/column-roles.ts';
import { timeSeriesDesign } from '../../../schema-review/timeseries-design.ts';
import { formatBytes, formatCount, quoteIdent, round } from '../../../format/format.ts';
import { unquoteIdent } from '../../../sql/quote.ts';

export const schemaTimeSeries = defineAnalyzer({
  id: 'schema-time-series',
  phase: 'optimize',
  title: 'Large append-only tables ordered by time (partitioning, BRIN, rollups)',
  description: 'Tables whose time column is physically ordered (pg_stats correlation ≈ 1) and that only grow (inserts ≫ updates + deletes): range partitioning with retention by DROP, BRIN instead of a btree on time, rollups for aggregates.',
  depth: 5,
  requires: {},
  options: {
    minRows: { default: 1_000_000, description: 'only tables with at least this many rows' },
    minCorrelation: { default: 0.9, description: 'minimum |correlation| of the time column' },
    appendRatio: { default: 10, description: 'inserts must exceed updates + deletes by this factor' },
    retentionDays: { default: 365, description: 'retention assumed when the data does not show one' },
  },
  run({ snapshot, options }) {
    const findings: Finding[] = [];
    for (const t of snapshot.tables) {
      if (t.kind !== 'table' || t.isPartition) continue;
      const rows = tableRows(t);
      if (rows < options.minRows) continue;
      const a = t.activity;
      const ins = a?.nTupIns ?? 0;
      const changes = (a?.nTupUpd ?? 0) + (a?.nTupDel ?? 0);
      if (ins < options.appendRatio * changes) continue;
      const time = t.columns.find((c) => (c.type.startsWith('timestamp') || c.type === 'date') && c.stats !== null && Math.abs(c.stats.correlation ?? 0) >= options.minCorrelation);
      if (time === undefined) continue;
      const window = snapshot.server.statsAgeSeconds;
      const bounds = time.stats?.histogramBounds ?? [];
      const first = bounds[0] === undefined || bounds[0] === null ? NaN : Date.parse(bounds[0]);
      const last = bounds[bounds.length - 1];
      const lastMs = last === undefined || last === null ? NaN : Date.parse(last);
      const spanDays = Number.isFinite(first) && Number.isFinite(lastMs) && lastMs > first ? (lastMs - first) / 86_400_000 : null;
      // growth: inserts over the statistics window, else rows spread over the span the data covers
      const rowsPerMinute = window > 0 && ins > 0 ? (ins / window) * 60 : spanDays !== null ? rows / (spanDays * 1440) : rows / (options.retentionDays * 1440);
      const dataBytes = t.columns.reduce((sum, c) => sum + (c.stats?.avgWidth ?? 8), 0);
      const series = t.columns.find((c) => isIdColumn(c.name) && c.name !== 'id')?.name ?? t.columns.find((c) => c.name !== time.name)?.name ?? 'id';
      const value = t.columns.find((c) => c.name !== series && !isIdColumn(c.name) && /^(real|double precision|numeric|integer|bigint|smallint)/.test(c.type))?.name ?? null;
      const design = timeSeriesDesign({
        valueColumn: value,
        table: t.qualifiedName,
        timeColumn: time.name,
        seriesColumn: series,
        rowsPerMinute,
        retentionDays: Math.max(options.retentionDays, Math.round(spanDays ?? 0)),
        dataBytes,
        columnsDdl: t.columns.map((c) => `${quoteIdent(c.name)} ${c.type}${c.notNull ? ' NOT NULL' : ''}`),
        startDate: snapshot.collectedAt.slice(0, 10),
        extensions: snapshot.extensions.filter((e) => e.installedVersion !== null).map((e) => e.name),
      });
      const btree = snapshot.indexes.find((i) => i.table === t.qualifiedName && i.method === 'btree' && i.columns[0] !== undefined && !i.columns[0].isExpression && unquoteIdent(i.columns[0].name) === time.name);
      findings.push({
        rule: 'schema-time-series',
        severity: 'info',
        title: `${t.qualifiedName} is an append-only time series (${time.name} correlation ${round(time.stats?.correlation ?? 0, 3)}): partition by ${design.interval}, BRIN, rollups`,
        target: { kind: 'table', relation: t.qualifiedName, column: time.name },
        evidence: {
          rows: Math.round(rows),
          tableBytes: t.tableBytes,
          timeColumn: time.name,
          correlation: round(time.stats?.correlation ?? 0, 4),
          inserts: ins,
          updatesAndDeletes: changes,
          rowsPerMinute: round(rowsPerMinute, 1),
          spanDays: spanDays === null ? null : round(spanDays, 1),
          btreeOnTime: btree?.name ?? null,
          btreeOnTimeBytes: btree?.sizeBytes ?? null,
          partitionInterval: design.interval,
          partitions: design.partitions,
          estimatedBytesAtRetention: design.estimate.totalBytes,
        },
        impact: {
          score: 10 + t.totalBytes / (1024 * 1024 * 100),
          summary: `${formatCount(rows)} rows growing ~${formatCount(rowsPerMinute * 1440)}/day; retention by DROP PARTITION instead of DELETE + VACUUM${btree === undefined ? '' : `; BRIN would replace the ${formatBytes(btree.sizeBytes)} btree ${btree.name} for range scans`}`,
        },
        description: `${design.summaryLines.join('. ')}. ${design.engine.reasons.join('; ')}.`,
        nextSteps: [design.partitionSql, design.scheduleSql, design.rollupSql, ...design.engine.alternatives],
        fix: {
          kind: 'migration',
          content: [
            // every statement targets the new, empty table: nothing here locks or indexes the live one
            design.schemaSql.replaceAll(t.qualifiedName, `${t.qualifiedName}_partitioned`),
            `-- rows outside the ${design.interval} partitions (history, clock skew) land here until partitions exist for them`,
            `CREATE TABLE ${t.qualifiedName}_partitioned_default PARTITION OF ${t.qualifiedName}_partitioned DEFAULT;`,
            `-- NOT generated: the move of existing rows (with a sync trigger for rows written meanwhile) and the name swap; plan them before switching`,
          ].join('\n'),
          safety: 'review',
          verified: false,
          verification: 'design from pg_stats correlation and insert counters; sizes are estimates',
          language: 'sql',
        },
      });
    }
    return findings;
  },
});
