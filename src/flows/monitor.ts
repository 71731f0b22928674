import { writeFile } from 'node:fs/promises';
import { makeDir } from './make-dir.ts';
import { join, resolve } from 'node:path';
import { collectSnapshot } from '../collect/collect-snapshot.ts';
import { DbOptimizeError } from '../errors/index.ts';
import { wrapProseSections } from '../format/wrap-section-lines.ts';
import type { Report, Snapshot } from '../model/index.ts';
import { alertRules, metricsIn } from '../monitor/alert-rules.ts';
import { exporterMetricNames, exporterQueries, exporterQueriesYaml } from '../monitor/exporter-queries.ts';
import { grafanaDashboard } from '../monitor/grafana-dashboard.ts';
import { MONITORED_ANALYZERS, monitorThresholds } from '../monitor/monitor-thresholds.ts';
import { RULES_FILE, RULES_TEST_FILE, rulesTestYaml, rulesYaml } from '../monitor/rule-files.ts';
import { buildReport, databaseInfo } from '../render/build-report.ts';
import { shellCommand } from '../sql/quote.ts';
import { analyzerThresholds } from './analyzer-thresholds.ts';
import { ANALYSIS_OPTIONS } from './common-options.ts';
import { defineFlow, runLibraryFlow } from './flow.ts';
import type { FlowInput, LibraryContext, LibraryOptions } from './flow.ts';
import { connect, option, wantsLiveServer } from './flow-input.ts';
import { NEWEST_PG_MAJOR, pgVersionOption, TUNED_RANGE } from './pg-version.ts';

export const MONITOR_OPTIONS = {
  'out-dir': { type: 'string', valueName: 'DIR', description: 'where to write the alert rules, their promtool tests, the exporter queries and the Grafana dashboard (required)' },
  set: ANALYSIS_OPTIONS.set,
  'pg-version': { type: 'string', valueName: 'MAJOR', description: 'PostgreSQL major version when there is no --db (the checkpoint query differs from 17 on)' },
} as const;

export const QUERIES_FILE = 'postgres-exporter-queries.yml';
export const DASHBOARD_FILE = 'grafana-dashboard.json';

/** Prometheus alerts, exporter queries and a Grafana dashboard from the thresholds profile uses. */
async function runMonitor(input: FlowInput): Promise<Report> {
  const outDir = option(input, 'out-dir');
  if (outDir === undefined) {
    throw new DbOptimizeError('E_USAGE', 'usage', 'monitor writes files: give the directory with --out-dir DIR', { hint: 'e.g. db-optimize monitor --db URL --out-dir monitoring/' });
  }
  const thresholds = monitorThresholds(analyzerThresholds(input).optionsOf);
  const pgVersion = pgVersionOption(input, TUNED_RANGE);
  let snapshot: Snapshot | null = null;
  let display: string | undefined;
  if (wantsLiveServer(input)) {
    const db = await connect(input);
    try {
      input.logger.info(`connected to ${db.display} (read-only session)`);
      snapshot = await collectSnapshot(db);
      display = db.display;
    } finally {
      await db.close();
    }
  }
  const major = snapshot?.server.major ?? pgVersion ?? NEWEST_PG_MAJOR;
  const queries = exporterQueries(major);
  const rules = alertRules(thresholds);
  const dir = resolve(outDir);
  const files = { rules: join(dir, RULES_FILE), tests: join(dir, RULES_TEST_FILE), queries: join(dir, QUERIES_FILE), dashboard: join(dir, DASHBOARD_FILE) };
  try {
    await makeDir(dir);
    await writeFile(files.rules, rulesYaml(rules));
    await writeFile(files.tests, rulesTestYaml(rules));
    await writeFile(files.queries, exporterQueriesYaml(queries));
    await writeFile(files.dashboard, `${JSON.stringify(grafanaDashboard(thresholds), null, 2)}\n`);
  } catch (error) {
    throw new DbOptimizeError('E_WRITE', 'usage', `cannot write to ${outDir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  input.logger.info(`wrote ${RULES_FILE}, ${RULES_TEST_FILE}, ${QUERIES_FILE} and ${DASHBOARD_FILE} to ${dir}`);

  const custom = new Set(exporterMetricNames(queries));
  const metrics = [...new Set(rules.flatMap((r) => metricsIn(r.expr)))].sort();
  const notes: string[] = [];
  if (snapshot !== null && !snapshot.extensions.some((e) => e.name === 'pg_stat_statements' && e.installedVersion !== null)) {
    notes.push(`pg_stat_statements is not installed in ${snapshot.server.database}: the slow-statement alerts stay silent until CREATE EXTENSION pg_stat_statements (the exporter logs an error for pg_dbopt_statements)`);
  }
  if (snapshot === null && pgVersion === null) notes.push(`no --db or --pg-version: the checkpoint query is written for PostgreSQL ${NEWEST_PG_MAJOR} (pg_stat_checkpointer)`);
  notes.push('the exporter needs a role with pg_monitor (GRANT pg_monitor TO postgres_exporter) to see every session and pg_stat_statements row');
  const run = [
    `export DATA_SOURCE_NAME='postgresql://postgres_exporter@HOST:5432/${snapshot?.server.database ?? 'DBNAME'}?sslmode=require'`,
    shellCommand(['prometheus-postgres-exporter', `--extend.query-path=${files.queries}`]),
  ];
  const sections = wrapProseSections([
    {
      id: 'monitor-files',
      title: 'Files',
      lines: [
        `- ${files.rules}: ${rules.length} alerting rules (rule_files in prometheus.yml)`,
        `- ${files.tests}: their unit tests at each threshold: ${shellCommand(['promtool', 'test', 'rules', files.tests])}`,
        `- ${files.queries}: custom queries for postgres_exporter`,
        `- ${files.dashboard}: Grafana dashboard (Dashboards → Import), thresholds drawn as lines`,
      ],
    },
    { id: 'monitor-exporter', title: 'Run the exporter with the queries', lines: run },
    {
      id: 'monitor-alerts',
      title: 'Alerts (thresholds from the profile analyzers: --set ID.OPTION=VALUE changes both)',
      lines: rules.map((r) => `- ${r.alert} [${r.severity}] ${r.summary} (${r.rule}, for ${r.for})`),
    },
    { id: 'monitor-notes', title: 'Notes', lines: notes.map((n) => `- ${n}`) },
  ]);
  return buildReport({
    command: 'monitor',
    generatedAt: new Date().toISOString(),
    database: snapshot === null ? { source: 'thresholds only (no live server)' } : databaseInfo(snapshot, display),
    findings: [],
    sections,
    extra: {
      monitor: {
        outDir: dir,
        files,
        pgMajor: major,
        thresholds,
        analyzers: MONITORED_ANALYZERS.map((a) => a.id),
        alerts: rules.map((r) => ({ alert: r.alert, severity: r.severity, rule: r.rule, expr: r.expr, for: r.for, summary: r.summary })),
        metrics: metrics.map((name) => ({ name, source: custom.has(name) ? 'custom-query' : 'exporter' })),
        notes,
      },
    },
  });
}

export const monitorFlow = defineFlow({ name: 'monitor', common: ['connection', 'report'], options: MONITOR_OPTIONS, configKeys: ['analyzers'], run: runMonitor });

export type MonitorOptions = LibraryOptions<typeof MONITOR_OPTIONS>;

export function monitor(options: MonitorOptions = {}, context?: LibraryContext): Promise<Report> {
  return runLibraryFlow(monitorFlow, options, context);
}
