import type { AlertExample, AlertRule } from './alert-rules.ts';
import type { YamlValue } from './yaml.ts';
import { toYaml } from './yaml.ts';

export const RULES_FILE = 'postgres-alerts.yml';
export const RULES_TEST_FILE = 'postgres-alerts.test.yml';

function labelsOf(rule: AlertRule): Record<string, string> {
  return { severity: rule.severity, db_optimize_rule: rule.rule };
}

function annotationsOf(rule: AlertRule): Record<string, string> {
  return { summary: rule.summary, description: rule.description };
}

/** Prometheus alerting rules (promtool check rules). */
export function rulesYaml(rules: readonly AlertRule[]): string {
  const doc = {
    groups: [
      {
        name: 'db-optimize-postgres',
        rules: rules.map((r) => ({ alert: r.alert, expr: r.expr, for: r.for, labels: labelsOf(r), annotations: annotationsOf(r) })),
      },
    ],
  };
  return toYaml(doc, ['db-optimize monitor: alerting rules for postgres_exporter, thresholds from the profile analyzers (--set / --config change both)']);
}

function testCase(rule: AlertRule, example: AlertExample, fires: boolean): YamlValue {
  return {
    interval: '1m',
    input_series: example.series.map((s) => ({ series: s.series, values: s.values })),
    alert_rule_test: [
      {
        eval_time: example.evalTime,
        alertname: rule.alert,
        exp_alerts: fires ? [{ exp_labels: { ...example.labels, ...labelsOf(rule) }, exp_annotations: annotationsOf(rule) }] : [],
      },
    ],
  };
}

/**
 * promtool unit tests derived from the same thresholds: each alert fires on series at its
 * threshold and stays quiet just below it (promtool test rules postgres-alerts.test.yml).
 */
export function rulesTestYaml(rules: readonly AlertRule[]): string {
  const tests = rules.flatMap((r) => [testCase(r, r.fires, true), ...(r.quiet === undefined ? [] : [testCase(r, r.quiet, false)])]);
  return toYaml({ rule_files: [RULES_FILE], evaluation_interval: '1m', tests }, ['db-optimize monitor: unit tests of the alerting rules at their thresholds (promtool test rules)']);
}
