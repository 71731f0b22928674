import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/demo/embedded-server.ts';
import { reportSchemaErrors } from '../helpers/report-schema.ts';
import { runCli } from '../helpers/run-cli.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';

/*
 * monitor's files checked by the tools that consume them: promtool (Debian's prometheus package)
 * checks and unit-tests the rules, and a real prometheus-postgres-exporter scraping the test
 * server with the generated queries file exposes every metric the rules read.
 */

interface MonitorJson {
  monitor: {
    files: { rules: string; tests: string; queries: string; dashboard: string };
    alerts: { alert: string; severity: string; rule: string; expr: string }[];
    metrics: { name: string; source: string }[];
    thresholds: { cacheHit: { targetPercent: number } };
  };
}

const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const PROMTOOL = has('promtool');
const EXPORTER = has('prometheus-postgres-exporter');

let t: TestDatabase;
let dir: string;
beforeAll(async () => {
  t = await createTestDatabase('monitor');
  dir = mkdtempSync(join(tmpdir(), 'dbo-monitor-'));
  await t.exec(`CREATE TABLE orders (id int PRIMARY KEY, status text);
    INSERT INTO orders SELECT g, 'new' FROM generate_series(1, 1000) g;
    DELETE FROM orders WHERE id <= 100;
    SELECT count(*) FROM orders;`);
  await t.flushStats();
});
afterAll(async () => {
  await t.drop();
  rmSync(dir, { recursive: true, force: true });
});

function promtool(args: string[], cwd: string): { code: number | null; out: string } {
  const r = spawnSync('promtool', args, { cwd, encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('monitor', () => {
  it('writes rules that promtool accepts and whose generated unit tests pass, at the default thresholds', async (ctx) => {
    const out = join(dir, 'default');
    const r = await runCli(['monitor', '--db', t.url, '--out-dir', out, '--format', 'json']);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as MonitorJson;
    expect(reportSchemaErrors(report)).toEqual([]);
    const rules = report.monitor.alerts.map((a) => a.rule);
    for (const id of ['cache-hit-ratio', 'connection-usage', 'long-running-queries', 'idle-in-transaction', 'replication-lag', 'xid-wraparound', 'dead-tuples', 'checkpoint-frequency', 'temp-files', 'slow-statements']) {
      expect(rules).toContain(id);
    }
    const dashboard = JSON.parse(readFileSync(report.monitor.files.dashboard, 'utf8')) as { panels: { targets: { expr: string }[] }[] };
    expect(dashboard.panels.length).toBeGreaterThanOrEqual(10);
    if (!PROMTOOL) ctx.skip();
    const check = promtool(['check', 'rules', report.monitor.files.rules], out);
    expect(check.out).toMatch(/SUCCESS: \d+ rules found/);
    expect(check.code).toBe(0);
    const test = promtool(['test', 'rules', report.monitor.files.tests], out);
    expect(test.out).toMatch(/SUCCESS/);
    expect(test.code).toBe(0);
  });

  it('--set and --config tune profile and monitor at once', async (ctx) => {
    const out = join(dir, 'tuned');
    const config = join(dir, 'tuned.json');
    writeFileSync(config, JSON.stringify({ analyzers: { 'slow-statements': { minMeanMs: 50 } } }));
    const r = await runCli(['monitor', '--pg-version', '15', '--out-dir', out, '--config', config, '--set', 'cache-hit-ratio.targetPercent=99', '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as MonitorJson;
    expect(report.monitor.thresholds.cacheHit.targetPercent).toBe(99);
    const rulesText = readFileSync(report.monitor.files.rules, 'utf8');
    expect(rulesText).toContain(') < 0.99 and');
    expect(rulesText).toContain('>= 50 and increase(pg_dbopt_statements_calls[1h])');
    // profile reads the very same option
    const profile = JSON.parse((await runCli(['profile', '--db', t.url, '--depth', '1', '--set', 'cache-hit-ratio.targetPercent=99', '--set', 'cache-hit-ratio.minBlocks=0', '--format', 'json'])).stdout) as {
      findings: { rule: string; evidence: { targetPercent?: number } }[];
    };
    expect(profile.findings.find((f) => f.rule === 'cache-hit-ratio')?.evidence.targetPercent).toBe(99);
    const bad = await runCli(['monitor', '--out-dir', out, '--set', 'cache-hit-ratio.nope=1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/analyzer cache-hit-ratio has no option "nope"/);
    expect((await runCli(['monitor'])).code).toBe(2);
    if (!PROMTOOL) ctx.skip();
    expect(promtool(['test', 'rules', report.monitor.files.tests], out).code).toBe(0);
  });

  it('a real postgres_exporter with the generated queries exposes every metric the rules read', async (ctx) => {
    if (!EXPORTER) ctx.skip();
    const out = join(dir, 'scrape');
    const report = JSON.parse((await runCli(['monitor', '--db', t.url, '--out-dir', out, '--format', 'json'])).stdout) as MonitorJson;
    const port = await freePort();
    const dsn = new URL(t.url);
    dsn.searchParams.set('sslmode', 'disable');
    let exporter: ChildProcess | null = null;
    let stderr = '';
    try {
      exporter = spawn('prometheus-postgres-exporter', [`--web.listen-address=127.0.0.1:${port}`, `--extend.query-path=${report.monitor.files.queries}`, '--log.level=warn'], {
        env: { ...process.env, DATA_SOURCE_NAME: dsn.toString() },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      exporter.stderr?.on('data', (d: Buffer) => void (stderr += d.toString()));
      let body = '';
      for (let i = 0; i < 100 && body === ''; i++) {
        body = await fetch(`http://127.0.0.1:${port}/metrics`).then((res) => (res.ok ? res.text() : ''), () => '');
        if (body === '') await new Promise((res) => setTimeout(res, 100));
      }
      const scraped = new Set(body.split('\n').filter((l) => !l.startsWith('#') && l.trim() !== '').map((l) => l.replace(/[{ ].*$/, '')));
      const missing = report.monitor.metrics.map((m) => m.name).filter((name) => !scraped.has(name));
      expect({ missing, exporterErrors: missing.length > 0 ? stderr : '' }).toEqual({ missing: [], exporterErrors: '' });
      expect(report.monitor.metrics.some((m) => m.source === 'custom-query')).toBe(true);
      expect(report.monitor.metrics.some((m) => m.source === 'exporter')).toBe(true);
    } finally {
      exporter?.kill('SIGTERM');
    }
  });
});
