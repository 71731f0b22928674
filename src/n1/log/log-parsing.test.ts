import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/run-cli.ts';
import { compilePrefix, inferPrefix } from './log-line-prefix.ts';

const dir = mkdtempSync(join(tmpdir(), 'dbo-n1-logs-'));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('log_line_prefix', () => {
  it('infers common prefixes from the lines themselves', () => {
    const cases: [string, string][] = [
      ['2026-11-21 10:00:00.123 UTC [4242] 6561a3f0.1092 0 LOG:  statement: SELECT 1', '%m [%p] %c %x '],
      ['2026-11-21 10:00:00.123 UTC [4242] app@shop LOG:  statement: SELECT 1', '%m [%p] %u@%d '],
      ['2026-11-21 10:00:00 UTC [4242-7] user=app,db=shop,app=psql,client=10.0.0.1 LOG:  statement: SELECT 1', '%t [%p-%l] user=%u,db=%d,app=%a,client=%h '],
      ['2026-11-21 10:00:00.123 CET [4242] 3/17 LOG:  statement: SELECT 1', '%m [%p] %v '],
    ];
    for (const [line, prefix] of cases) expect(inferPrefix([line])?.prefix).toBe(prefix);
  });

  it('compiles %q so lines of non-session processes still match', () => {
    const p = compilePrefix('%m [%p] %q%u@%d ');
    expect(p.regex.test('2026-11-21 10:00:00.123 UTC [1] LOG:  checkpoint starting: time')).toBe(true);
    expect(p.regex.exec('2026-11-21 10:00:00.123 UTC [9] app@shop LOG:  statement: SELECT 1')?.[3]).toBe('app');
  });
});

describe('n1 --log on bad or incomplete logs', () => {
  it('names the exact log_line_prefix to set when grouping information is missing', async () => {
    const log = file('noprefix.log', Array.from({ length: 6 }, (_, i) => `LOG:  statement: SELECT * FROM users WHERE id = ${i}`).join('\n'));
    const r = await runCli(['n1', '--log', log, '--log-line-prefix', '']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/lacks a session id \(%c\) or process id \(%p\) and a timestamp \(%m\)/);
    expect(r.stderr).toContain("set log_line_prefix = '%m [%p] %c %v %x '");
  });

  it('rejects a file that is not a PostgreSQL log', async () => {
    const r = await runCli(['n1', '--log', file('nginx.log', '10.0.0.1 - - [21/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 612\n')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a PostgreSQL log we recognise/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('keeps the sound part of a log whose last statement is cut, and says so', async () => {
    const lines = Array.from({ length: 6 }, (_, i) => `2026-11-21 10:00:00.${String(100 + i * 20)} UTC [7] 6561a3f0.7 0 LOG:  duration: 15.000 ms  statement: SELECT * FROM orders WHERE user_id = ${i}`);
    lines.push('2026-11-21 10:00:00.300 UTC [7] 6561a3f0.7 0 LOG:  duration: 15.000 ms  statement: SELECT * FROM orders WHERE user_id = (SELECT');
    const r = await runCli(['n1', '--log', file('cut.log', lines.join('\n')), '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { findings: { rule: string; evidence: { queries: number } }[]; n1: { unparsable: number; warnings: string[] } };
    expect(report.findings.map((f) => [f.rule, f.evidence.queries])).toEqual([['n1-query', 6]]);
    expect(report.n1.unparsable).toBe(1);
    expect(report.n1.warnings.join('\n')).toMatch(/1 statement\(s\) did not parse \(lines cut mid-statement/);
  });

  it("reads Debian's default prefix '%m [%p] %q%u@%d ', where background lines have no user@db", async () => {
    const lines: string[] = [];
    for (let i = 0; i < 6; i++) {
      lines.push(`2026-11-21 10:00:0${i}.100 UTC [31] app@shop LOG:  duration: 12.000 ms  statement: SELECT *`, '\tFROM orders', `\tWHERE user_id = ${i}`);
      lines.push(`2026-11-21 10:00:0${i}.150 UTC [9] LOG:  checkpoint starting: time`);
    }
    const r = await runCli(['n1', '--log', file('debian.log', lines.join('\n')), '--gap', '5000', '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { findings: { rule: string }[]; n1: { unparsable: number; sources: { logLinePrefix: string }[] } };
    expect(report.n1.sources[0]?.logLinePrefix).toBe('%m [%p] %q%u@%d ');
    expect(report.n1.unparsable).toBe(0);
    expect(report.findings.map((f) => f.rule)).toEqual(['n1-query']);
  });

  it('reports an empty log and a missing file clearly', async () => {
    expect((await runCli(['n1', '--log', file('empty.log', '')])).stderr).toMatch(/the log is empty/);
    const missing = await runCli(['n1', '--log', join(dir, 'nope.log')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read log file .*nope\.log: ENOENT/);
  });

  it('asks for a source when none is given', async () => {
    const r = await runCli(['n1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/n1 needs a source/);
  });
});
