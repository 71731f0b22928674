import { helpText } from '../../format/wrap-section-lines.ts';
import { monitorFlow } from '../../flows/monitor.ts';
import type { Command } from '../command.ts';
import { runFlowCommand } from '../context-helpers.ts';

export const monitorCommand: Command = {
  name: 'monitor',
  summary: 'Prometheus alert rules, postgres_exporter queries and a Grafana dashboard with profile\'s thresholds',
  usage: 'monitor --out-dir DIR [--db URL | --pg-version N] [--set ID.OPTION=VALUE] [--config FILE]',
  help: helpText([
    'Writes, into --out-dir: postgres-alerts.yml (Prometheus alerting rules: cache hit ratio, connections near',
    'max_connections, long statements, idle in transaction, replication lag, xid and multixact age, dead tuples,',
    'requested vs timed checkpoints, temporary file bytes, slow statements, exporter down), postgres-alerts.test.yml',
    '(promtool unit tests that fire each alert at its threshold and keep it quiet just below), postgres-exporter-queries.yml',
    '(custom queries for postgres_exporter --extend.query-path: the measures the built-in collectors lack, including',
    'pg_stat_statements) and grafana-dashboard.json (thresholds drawn as lines).',
    '',
    'Thresholds and severities are the profile analyzers\' options (cache-hit-ratio.targetPercent,',
    'connection-usage.warnPercent, slow-statements.minMeanMs, …): the same --set flags and config "analyzers" section',
    'change profile, maintain and monitor at once. --db reads the server version and checks pg_stat_statements.',
    '',
    'Examples:',
    '  db-optimize monitor --db postgresql://localhost/shop --out-dir monitoring/',
    '  db-optimize monitor --pg-version 16 --out-dir monitoring/ --set cache-hit-ratio.targetPercent=99',
    '  promtool check rules monitoring/postgres-alerts.yml && promtool test rules monitoring/postgres-alerts.test.yml',
  ]),
  common: monitorFlow.common,
  options: monitorFlow.options,
  run: (ctx) => runFlowCommand(ctx, monitorFlow),
};
