import { formatBytes, formatCount, quoteIdent } from '../format/format.ts';
import { bareNameOf, dollarQuote, quoteLiteral, quoteQualified, requoteQualified, splitQualifiedName, withSuffix } from '../sql/quote.ts';

export interface TimeSeriesInput {
  readonly table: string;
  readonly timeColumn: string;
  /** series key (sensor, device, user…) */
  readonly seriesColumn: string;
  /** measurement column aggregated by the rollups and checked by alerts (default value) */
  readonly valueColumn?: string | null;
  readonly rowsPerMinute: number;
  readonly retentionDays: number;
  /** bytes of user data per row before alignment; default: int4 series + timestamptz + float8 value */
  readonly dataBytes?: number;
  /** explicit column list for the schema, else the sensor default */
  readonly columnsDdl?: readonly string[];
  /** first partition's day, ISO yyyy-mm-dd (the caller's clock; analyzers pass a fixed date) */
  readonly startDate: string;
  readonly series?: number;
  readonly extensions?: readonly string[];
}

export interface StorageEstimate {
  readonly rowsPerDay: number;
  readonly totalRows: number;
  readonly bytesPerRow: number;
  readonly heapBytes: number;
  readonly btreeBytes: number;
  readonly brinBytes: number;
  readonly partitionBytes: number;
  readonly totalBytes: number;
  readonly hourlyRollupBytes: number;
  readonly dailyRollupBytes: number;
  readonly timescaleCompressedBytes: number;
  readonly clickhouseBytes: number;
}

export interface TimeSeriesDesign {
  readonly table: string;
  readonly interval: 'day' | 'week' | 'month';
  readonly partitions: number;
  readonly estimate: StorageEstimate;
  readonly schemaSql: string;
  readonly partitionSql: string;
  readonly scheduleSql: string;
  readonly rollupSql: string;
  readonly alertingSql: string;
  readonly engine: { readonly choice: 'postgresql-partitioning' | 'timescaledb' | 'clickhouse'; readonly reasons: readonly string[]; readonly alternatives: readonly string[] };
  readonly summaryLines: readonly string[];
}

const PAGE = 8192;
const ADVERB = { day: 'daily', week: 'weekly', month: 'monthly' } as const;
const TUPLE_HEADER = 24; // 23-byte header, MAXALIGNed
const LINE_POINTER = 4;

/** Heap bytes per row on 8 kB pages (header, alignment, line pointer, page header, fillfactor 100). */
export function heapBytesPerRow(dataBytes: number): number {
  const tuple = TUPLE_HEADER + Math.ceil(dataBytes / 8) * 8 + LINE_POINTER;
  const perPage = Math.floor((PAGE - 24) / tuple);
  return PAGE / perPage;
}

const day = (iso: string, plus: number): string => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + plus);
  return d.toISOString().slice(0, 10);
};

/**
 * Declarative range partitioning with retention by dropping partitions, BRIN on time, a (series,
 * time) btree for "last hour of sensor X", rollups for daily/monthly queries, the pg_partman +
 * pg_cron schedule, a storage estimate and when TimescaleDB or ClickHouse is the better engine.
 */
export function timeSeriesDesign(input: TimeSeriesInput): TimeSeriesDesign {
  const dataBytes = input.dataBytes ?? 4 + 4 + 8 + 8; // series int4 (+4 pad), timestamptz, float8
  const rowsPerDay = input.rowsPerMinute * 1440;
  const totalRows = rowsPerDay * input.retentionDays;
  const bytesPerRow = heapBytesPerRow(dataBytes);
  const heapBytes = totalRows * bytesPerRow;
  // btree leaf entry: 8-byte tuple header + (4 + 8) key MAXALIGNed to 16 + 4-byte line pointer, 90 % fill
  const btreeBytes = (totalRows * (8 + 16 + 4)) / 0.9;
  // BRIN: one ~32-byte summary per 32 pages
  const brinBytes = Math.max(PAGE * 3, (heapBytes / PAGE / 32) * 32);
  const totalBytes = heapBytes + btreeBytes + brinBytes;
  const series = input.series ?? Math.max(1, Math.round(input.rowsPerMinute));
  const rollupRow = heapBytesPerRow(4 + 4 + 8 + 8 + 8 + 8 + 8) + 28;
  const hourlyRollupBytes = series * 24 * input.retentionDays * rollupRow;
  const dailyRollupBytes = series * input.retentionDays * rollupRow;
  const t = requoteQualified(input.table);
  const tableSchema = splitQualifiedName(input.table).length > 1 ? splitQualifiedName(input.table).slice(-2)[0] ?? null : null;
  const bare = bareNameOf(input.table);
  /** a table beside the parent: same schema, derived name within 63 bytes */
  const beside = (suffix: string): string => quoteQualified(tableSchema, withSuffix(bare, suffix));
  // pg_partman wants schema-qualified names
  const partmanName = quoteLiteral(tableSchema === null ? `public.${quoteIdent(bare)}` : t);
  const tc = quoteIdent(input.timeColumn);
  const sc = quoteIdent(input.seriesColumn);

  // shortest interval that keeps partitions ≤ 1000 and each big enough to be worth its own table
  const perDayBytes = totalBytes / input.retentionDays;
  let interval: TimeSeriesDesign['interval'] = 'day';
  if (input.retentionDays > 1000 || perDayBytes < 64 * 1024 * 1024) interval = 'week';
  if ((interval === 'week' && input.retentionDays / 7 > 1000) || perDayBytes * 7 < 64 * 1024 * 1024) interval = 'month';
  const daysPer = interval === 'day' ? 1 : interval === 'week' ? 7 : 30;
  const partitions = Math.ceil(input.retentionDays / daysPer);
  const partitionBytes = perDayBytes * daysPer;

  const columns = input.columnsDdl ?? [`${sc} integer NOT NULL`, `${tc} timestamptz NOT NULL`, 'value double precision NOT NULL'];
  const schemaSql = [
    `CREATE TABLE ${t} (`,
    ...columns.map((c, i) => `  ${c}${i === columns.length - 1 ? '' : ','}`),
    `) PARTITION BY RANGE (${tc});`,
    `-- "last hour of sensor X" and alert look-ups: one btree per partition, each small because a partition holds one ${interval}`,
    `CREATE INDEX ON ${t} (${sc}, ${tc} DESC);`,
    `-- time-range scans across all series: BRIN is ~${formatBytes(brinBytes)} for the whole retention vs ~${formatBytes(btreeBytes)} for a btree`,
    `CREATE INDEX ON ${t} USING brin (${tc}) WITH (pages_per_range = 32);`,
  ].join('\n');
  const parts: string[] = [];
  for (let i = 0; i < 3; i++) {
    const from = day(input.startDate, i * daysPer);
    const to = day(input.startDate, (i + 1) * daysPer);
    parts.push(`CREATE TABLE ${beside(`_p${from.replace(/-/g, '')}`)} PARTITION OF ${t} FOR VALUES FROM ('${from}') TO ('${to}');`);
  }
  const partitionSql = [
    `-- ${partitions} ${ADVERB[interval]} partitions cover ${input.retentionDays} days; ~${formatBytes(partitionBytes)} each (heap + indexes)`,
    ...parts,
    `-- retention: dropping a whole partition is instant and leaves no bloat (no DELETE, no VACUUM)`,
    `ALTER TABLE ${t} DETACH PARTITION ${beside(`_p${input.startDate.replace(/-/g, '')}`)} CONCURRENTLY;`,
    `DROP TABLE ${beside(`_p${input.startDate.replace(/-/g, '')}`)};`,
  ].join('\n');
  const scheduleSql = [
    `-- pg_partman 5 creates future partitions and drops expired ones; pg_cron runs its maintenance`,
    `CREATE EXTENSION IF NOT EXISTS pg_partman SCHEMA partman;`,
    `SELECT partman.create_parent(p_parent_table => ${partmanName}, p_control => ${quoteLiteral(input.timeColumn)}, p_interval => '1 ${interval}', p_premake => ${interval === 'day' ? 7 : 4});`,
    `UPDATE partman.part_config SET retention = '${input.retentionDays} days', retention_keep_table = false WHERE parent_table = ${partmanName};`,
    `CREATE EXTENSION IF NOT EXISTS pg_cron;`,
    `SELECT cron.schedule('partman-maintenance', '*/30 * * * *', $$CALL partman.run_maintenance_proc()$$);`,
    `-- without pg_partman: a pg_cron job that runs CREATE TABLE … PARTITION OF for the next ${interval} and DROPs the partition older than ${input.retentionDays} days`,
  ].join('\n');
  // no measurement column (an event log): the rollups keep counts only
  const vc = input.valueColumn === null ? 'NULL::double precision' : quoteIdent(input.valueColumn ?? 'value');
  const rollupSql = [
    `CREATE TABLE ${beside('_hourly')} (${sc} bigint NOT NULL, bucket timestamptz NOT NULL, n bigint NOT NULL, min double precision, max double precision, sum double precision, PRIMARY KEY (${sc}, bucket));`,
    `CREATE TABLE ${beside('_daily')} (${sc} bigint NOT NULL, bucket date NOT NULL, n bigint NOT NULL, min double precision, max double precision, sum double precision, PRIMARY KEY (${sc}, bucket));`,
    `-- every hour at :05, aggregate the previous hour (idempotent: re-running overwrites)`,
    `SELECT cron.schedule(${quoteLiteral(`${bare}-hourly`)}, '5 * * * *', ${dollarQuote(
      [
        `\n  INSERT INTO ${beside('_hourly')} SELECT ${sc}, date_trunc('hour', ${tc}), count(*), min(${vc}), max(${vc}), sum(${vc})`,
        `  FROM ${t} WHERE ${tc} >= date_trunc('hour', now()) - interval '1 hour' AND ${tc} < date_trunc('hour', now())`,
        `  GROUP BY 1, 2 ON CONFLICT (${sc}, bucket) DO UPDATE SET n = EXCLUDED.n, min = EXCLUDED.min, max = EXCLUDED.max, sum = EXCLUDED.sum`,
      ].join('\n'),
    )});`,
    `SELECT cron.schedule(${quoteLiteral(`${bare}-daily`)}, '15 0 * * *', ${dollarQuote(
      [
        `\n  INSERT INTO ${beside('_daily')} SELECT ${sc}, bucket::date, sum(n), min(min), max(max), sum(sum) FROM ${beside('_hourly')}`,
        `  WHERE bucket >= current_date - 1 AND bucket < current_date GROUP BY 1, 2`,
        `  ON CONFLICT (${sc}, bucket) DO UPDATE SET n = EXCLUDED.n, min = EXCLUDED.min, max = EXCLUDED.max, sum = EXCLUDED.sum`,
      ].join('\n'),
    )});`,
    `-- daily aggregates read ${beside('_daily')} (${formatCount(series * input.retentionDays)} rows in total); monthly trends aggregate it further`,
  ].join('\n');
  const alertingSql = [
    `CREATE TABLE ${beside('_thresholds')} (${sc} bigint PRIMARY KEY, max_value double precision, min_value double precision);`,
    `-- every minute: breaches in the last minute, served by the (${input.seriesColumn}, ${input.timeColumn}) index of the newest partition only`,
    `SELECT r.${sc}, r.${tc}, r.${vc} FROM ${t} r JOIN ${beside('_thresholds')} th USING (${sc})`,
    `WHERE r.${tc} >= now() - interval '1 minute' AND (r.${vc} > th.max_value OR r.${vc} < th.min_value);`,
  ].join('\n');

  const timescaleCompressedBytes = totalBytes / 12;
  const clickhouseBytes = totalRows * 2.5;
  const huge = totalRows >= 1e9;
  const hasTimescale = (input.extensions ?? []).includes('timescaledb');
  const reasons: string[] = [];
  let choice: TimeSeriesDesign['engine']['choice'] = 'postgresql-partitioning';
  if (huge) {
    choice = 'timescaledb';
    reasons.push(
      `${formatCount(totalRows)} rows (~${formatBytes(totalBytes)} uncompressed in PostgreSQL heap + indexes): TimescaleDB's native compression typically stores sensor data 10–20× smaller (~${formatBytes(timescaleCompressedBytes)} at 12×), and continuous aggregates replace the hand-written rollup jobs`,
      'it stays PostgreSQL: same SQL, joins with the rest of the schema, transactional ingest, the same backups and replicas',
      `hypertables do the ${ADVERB[interval]} partitioning and retention (add_retention_policy) without pg_partman`,
    );
  } else {
    reasons.push(`${formatCount(totalRows)} rows (~${formatBytes(totalBytes)}) fit comfortably in plain PostgreSQL with ${interval}ly partitions, BRIN and rollups`);
  }
  const alternatives = [
    `PostgreSQL partitioning (this plan) when TimescaleDB is not available (e.g. a managed service without it): storage ~${formatBytes(totalBytes)}, ${partitions} partitions of ~${formatBytes(partitionBytes)}; last-hour queries touch one partition, daily/monthly read the rollups`,
    `ClickHouse when the query mix is dominated by ad-hoc analytics over all series and long ranges (full scans of billions of rows per query): columnar storage ~${formatBytes(clickhouseBytes)} (≈2–3 bytes/row for sorted sensor data), scans of billions of rows per second; costs a second system, eventual consistency and no row-level updates — keep PostgreSQL for alert state and metadata`,
    ...(hasTimescale ? [] : ['timescaledb is not installed on this server: CREATE EXTENSION timescaledb (needs shared_preload_libraries) or use the partitioning plan']),
  ];
  const e: StorageEstimate = {
    rowsPerDay,
    totalRows,
    bytesPerRow: Math.round(bytesPerRow * 10) / 10,
    heapBytes: Math.round(heapBytes),
    btreeBytes: Math.round(btreeBytes),
    brinBytes: Math.round(brinBytes),
    partitionBytes: Math.round(partitionBytes),
    totalBytes: Math.round(totalBytes),
    hourlyRollupBytes: Math.round(hourlyRollupBytes),
    dailyRollupBytes: Math.round(dailyRollupBytes),
    timescaleCompressedBytes: Math.round(timescaleCompressedBytes),
    clickhouseBytes: Math.round(clickhouseBytes),
  };
  const summaryLines = [
    `ingest: ${formatCount(input.rowsPerMinute)} rows/min = ${formatCount(rowsPerDay)} rows/day; retention ${input.retentionDays} days = ${formatCount(totalRows)} rows`,
    `row: ${dataBytes} data bytes → ${e.bytesPerRow} bytes on disk (tuple header, alignment, line pointer)`,
    `heap ${formatBytes(heapBytes)} + btree (${input.seriesColumn}, ${input.timeColumn}) ${formatBytes(btreeBytes)} + BRIN ${formatBytes(brinBytes)} = ${formatBytes(totalBytes)}`,
    `partitions: ${partitions} × 1 ${interval}, ~${formatBytes(partitionBytes)} each; retention = DROP the oldest partition`,
    `rollups: hourly ${formatBytes(hourlyRollupBytes)}, daily ${formatBytes(dailyRollupBytes)} for the whole retention`,
    `engine: ${choice}${choice === 'timescaledb' ? ` (compressed ~${formatBytes(timescaleCompressedBytes)})` : ''}; ClickHouse ~${formatBytes(clickhouseBytes)}`,
  ];
  return { table: input.table, interval, partitions, estimate: e, schemaSql, partitionSql, scheduleSql, rollupSql, alertingSql, engine: { choice, reasons, alternatives }, summaryLines };
}

/** "2y", "18m", "90d", "12w", "730" (days) → days. */
export function parseRetention(value: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(y|yr|years?|m|mo|months?|w|weeks?|d|days?)?\s*$/i.exec(value);
  if (m === null) return null;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'd').toLowerCase();
  const days = unit.startsWith('y') ? n * 365 : unit.startsWith('m') ? n * 30 : unit.startsWith('w') ? n * 7 : n;
  return days > 0 ? Math.round(days) : null;
}
