import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { reportSchemaErrors } from '../../test/helpers/report-schema.ts';
import { runCli } from '../../test/helpers/run-cli.ts';
import type { LogsSummary } from './logs-model.ts';

// Logs of a real PostgreSQL 15 (bench/logs/setup-server.sh + workload.sh t5): one run written
// to stderr (Debian's log_line_prefix), csvlog and jsonlog at once.
const FIXTURES = new URL('../../test/fixtures/logs/', import.meta.url).pathname;
const STDERR = `${FIXTURES}pg15-stderr.log`;

async function logsOf(args: readonly string[], stdin?: string): Promise<{ logs: LogsSummary; stderr: string; report: unknown }> {
  const r = await runCli(['logs', ...args, '--format', 'json', '--top', '1000'], stdin === undefined ? {} : { stdin });
  expect(r.code, r.stderr).toBe(0);
  const report = JSON.parse(r.stdout) as { logs: LogsSummary };
  return { logs: report.logs, stderr: r.stderr, report };
}

/** Statement durations counted straight from the stderr text, independently of the reader. */
function durationsInText(): { count: number; totalMs: number; byText: Map<string, number[]> } {
  let count = 0;
  let totalMs = 0;
  const byText = new Map<string, number[]>();
  for (const line of readFileSync(STDERR, 'utf8').split('\n')) {
    const m = /LOG: {2}duration: ([\d.]+) ms {2}(?:statement|execute [^:]*): (.*)$/.exec(line);
    if (m === null) continue;
    count++;
    totalMs += Number(m[1]);
    byText.set(m[2] ?? '', [...(byText.get(m[2] ?? '') ?? []), Number(m[1])]);
  }
  return { count, totalMs, byText };
}

describe('logs on a real server log', () => {
  it('counts every logged statement and its duration, in the three formats alike', async () => {
    const truth = durationsInText();
    const stderr = await logsOf([STDERR]);
    expect(stderr.logs.format).toBe('stderr');
    expect(stderr.logs.prefix).toBe('%m [%p] %q%u@%d ');
    expect(stderr.logs.queries).toBe(truth.count);
    expect(stderr.logs.queriesTotalMs).toBeCloseTo(truth.totalMs, 2);
    expect(stderr.logs.statements.reduce((n, s) => n + s.calls, 0)).toBe(truth.count);
    expect(reportSchemaErrors(stderr.report)).toEqual([]);
    for (const file of ['pg15.csv', 'pg15.json']) {
      const other = await logsOf([`${FIXTURES}${file}`]);
      expect(other.logs.format).toBe(file.endsWith('csv') ? 'csvlog' : 'jsonlog');
      expect(other.logs.queries).toBe(stderr.logs.queries);
      expect(other.logs.queriesTotalMs).toBeCloseTo(stderr.logs.queriesTotalMs, 2);
      expect(other.logs.statements.map((s) => [s.fingerprint, s.calls])).toEqual(stderr.logs.statements.map((s) => [s.fingerprint, s.calls]));
      expect(other.logs.connections.authorized).toBe(stderr.logs.connections.authorized);
      expect(other.logs.checkpoints).toEqual(stderr.logs.checkpoints);
      expect(other.logs.tempFiles).toEqual(stderr.logs.tempFiles);
      expect(reportSchemaErrors(other.report)).toEqual([]);
    }
  });

  it('gives one entry per shape with constants replaced, and exact percentiles of the logged durations', async () => {
    const { logs } = await logsOf([STDERR]);
    const sleep = logs.statements.find((s) => s.query === 'SELECT pg_sleep($1)');
    expect(sleep?.calls).toBe(3);
    expect(new Set(logs.statements.map((s) => s.fingerprint)).size).toBe(logs.statements.length);
    // the simple-protocol pgbench SELECT: all its texts differ only in the constant
    const truth = [...durationsInText().byText.entries()].filter(([t]) => /^SELECT abalance FROM pgbench_accounts WHERE aid = \d+;$/.test(t)).flatMap(([, d]) => d);
    const shape = logs.statements.find((s) => s.query === 'SELECT abalance FROM pgbench_accounts WHERE aid = $1;');
    const sorted = [...truth].sort((a, b) => a - b);
    expect(truth.length).toBeGreaterThan(5);
    // the prepared run logs the same shape (execute), counted in the same entry
    expect(shape?.calls).toBeGreaterThanOrEqual(truth.length);
    expect(shape?.percentiles).toBe('exact');
    expect(logs.statements.every((s) => s.p50Ms <= s.p95Ms && s.p95Ms <= s.p99Ms && s.p99Ms <= s.maxMs)).toBe(true);
    const max = Math.max(...sorted);
    expect(shape?.maxMs).toBeGreaterThanOrEqual(max);
    expect(shape?.byHour.reduce((n, h) => n + h.calls, 0)).toBe(shape?.calls);
  });

  it('reports errors by SQLSTATE with their statements: logged in csvlog, inferred from the message in stderr', async () => {
    const stderr = (await logsOf([STDERR])).logs;
    const csv = (await logsOf([`${FIXTURES}pg15.csv`])).logs;
    const codes = (l: LogsSummary): string[] => l.errors.map((e) => e.sqlstate ?? '').sort();
    expect(codes(stderr)).toEqual(['22012', '23505', '40P01', '42601', '42P01']);
    expect(codes(csv)).toEqual(codes(stderr));
    expect(stderr.errors.every((e) => e.sqlstateSource === 'inferred')).toBe(true);
    expect(csv.errors.every((e) => e.sqlstateSource === 'logged')).toBe(true);
    const dup = stderr.errors.find((e) => e.sqlstate === '23505');
    expect(dup?.examples[0]?.statement).toBe('INSERT INTO uniq VALUES ($1)');
    expect(dup?.examples[0]?.detail).toMatch(/^Key \(id\)=\(\?\) already exists/);
  });

  it('shows the blocked and the blocking statement of a lock wait and of a deadlock', async () => {
    for (const file of [STDERR, `${FIXTURES}pg15.json`]) {
      const { logs } = await logsOf([file]);
      const wait = logs.lockWaits.find((w) => w.kind === 'wait');
      expect(wait?.acquired).toBe(true);
      expect(wait?.waitedMs).toBeGreaterThan(200);
      expect(wait?.blockedStatement).toBe('UPDATE pgbench_branches SET bbalance = bbalance + $1 WHERE bid = $2');
      expect(wait?.blockingStatement).toBe('UPDATE pgbench_branches SET bbalance = bbalance WHERE bid = $1');
      const deadlock = logs.lockWaits.find((w) => w.kind === 'deadlock');
      expect(deadlock?.blockingPids.length).toBe(1);
      expect(deadlock?.blockedStatement).toMatch(/^UPDATE pgbench_tellers SET tbalance = tbalance WHERE tid = \$1$/);
      expect(deadlock?.blockingStatement).toMatch(/^UPDATE pgbench_tellers SET tbalance = tbalance WHERE tid = \$1$/);
    }
  });

  it('attributes temp files to their statement; counts checkpoints, autovacuum runs and sessions', async () => {
    const { logs } = await logsOf([STDERR]);
    const text = readFileSync(STDERR, 'utf8');
    const count = (re: RegExp): number => text.split('\n').filter((l) => re.test(l)).length;
    expect(logs.tempFiles.reduce((n, t) => n + t.count, 0)).toBe(count(/LOG: {2}temporary file: /));
    expect(logs.tempFiles.map((t) => t.query)).toContain('alter table pgbench_accounts add primary key (aid)');
    expect(logs.checkpoints.count).toBe(count(/LOG: {2}checkpoint complete: /));
    expect(logs.checkpoints.warnings).toBe(count(/checkpoints are occurring too frequently/));
    const uniq = logs.autovacuum.find((a) => a.table === 'bench.public.uniq');
    expect(uniq?.vacuums).toBe(1);
    expect(uniq?.tuplesRemoved).toBe(1501);
    expect(logs.connections.received).toBe(count(/LOG: {2}connection received: /));
    expect(logs.connections.sessions).toBe(count(/LOG: {2}disconnection: /));
    expect(logs.connections.byApplication.map((a) => a.name)).toContain('pgbench');
  });

  it('runs the explain tips on the slowest auto_explain plans', async () => {
    const r = await runCli(['logs', STDERR]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Slowest auto_explain plans');
    const { logs } = await logsOf([STDERR]);
    const sort = logs.plans.find((p) => p.query.startsWith('SELECT aid, abalance FROM pgbench_accounts ORDER BY abalance'));
    expect(sort?.tips.length).toBeGreaterThan(0);
  });

  it('keeps only the records between --since and --until', async () => {
    const all = (await logsOf([STDERR])).logs;
    const first = all.firstTime ?? '';
    const cut = `${first.slice(0, 17)}${String(Number(first.slice(17, 19)) + 2).padStart(2, '0')}`;
    const before = (await logsOf([STDERR, '--until', cut])).logs;
    const after = (await logsOf([STDERR, '--since', cut])).logs;
    expect(before.queries + after.queries).toBe(all.queries);
    expect(before.queries).toBeGreaterThan(0);
    const bad = await runCli(['logs', STDERR, '--since', 'yesterday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--since "yesterday" is not a time/);
  });
});
