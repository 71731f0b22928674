import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers/run-cli.ts';
import { readPostgresLog } from '../n1/log/read-postgres-log.ts';
import type { LogsSummary } from './logs-model.ts';

const FIXTURES = new URL('../../test/fixtures/logs/', import.meta.url).pathname;
const STDERR = `${FIXTURES}pg15-stderr.log`;
const dir = mkdtempSync(join(tmpdir(), 'dbo-logs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const lines = readFileSync(STDERR, 'utf8').split('\n');

async function run(args: readonly string[], stdin?: string): Promise<{ code: number; logs: LogsSummary; stderr: string }> {
  const r = await runCli(['logs', ...args, '--format', 'json'], stdin === undefined ? {} : { stdin });
  return { code: r.code, logs: (JSON.parse(r.stdout) as { logs: LogsSummary }).logs, stderr: r.stderr };
}

describe('logs on bad input: warnings with counts and line numbers, never a crash or a silently empty report', () => {
  it('reads gzip files and stdin like the plain file', async () => {
    const plain = await run([STDERR]);
    const gz = join(dir, 'pg.log.gz');
    writeFileSync(gz, gzipSync(readFileSync(STDERR)));
    const zipped = await run([gz]);
    const piped = await run(['-'], readFileSync(STDERR, 'utf8'));
    expect(zipped.logs.queries).toBe(plain.logs.queries);
    expect(piped.logs.queries).toBe(plain.logs.queries);
    expect(zipped.logs.warnings).toEqual([]);
  });

  it('reads jsonlog and csvlog lines found inside a stderr log, and says where', async () => {
    const json = readFileSync(`${FIXTURES}pg15.json`, 'utf8').split('\n').filter((l) => l.includes('"duration: ')).slice(0, 10);
    const mixed = join(dir, 'mixed.log');
    writeFileSync(mixed, [...lines.slice(0, 300), ...json, ...lines.slice(300)].join('\n'));
    const plain = await run([STDERR]);
    const r = await run([mixed]);
    expect(r.code).toBe(0);
    expect(r.logs.queries).toBe(plain.logs.queries + 10);
    expect(r.logs.warnings.join('\n')).toMatch(/10 line\(s\) are in another format \(jsonlog or csvlog inside a stderr log\) and were read as such \(lines 301, 302, 303, 304, 305, …\)/);
  });

  it('skips cut lines and binary garbage with their line numbers, and still reports the rest', async () => {
    const bad = join(dir, 'bad.log');
    const cut = lines.slice();
    cut.splice(200, 0, '2026-12-03 17:20:01.1');
    cut.splice(400, 0, '\u0000\u0001\u00ff\u00fe garbage \u0007');
    writeFileSync(bad, Buffer.concat([Buffer.from(cut.join('\n')), Buffer.from([0xff, 0xfe, 0x00, 0x0a, 0xc3, 0x28, 0x0a])]));
    const plain = await run([STDERR]);
    const r = await run([bad]);
    expect(r.code).toBe(0);
    expect(r.logs.queries).toBeGreaterThan(plain.logs.queries - 3);
    const warnings = r.logs.warnings.join('\n');
    expect(warnings).toMatch(/1 line\(s\) start like a log line but do not match log_line_prefix '%m \[%p\] %q%u@%d ' .*\(line 201\)/);
    expect(warnings).toMatch(/3 line\(s\) hold binary data .* \(lines 401, \d+, \d+\)/);
    expect(r.stderr).toContain('binary data');
  });

  it('says so when the given prefix matches no line instead of printing an empty report', async () => {
    const r = await run([STDERR, '--prefix', '%t user=%u ']);
    expect(r.code).toBe(0);
    expect(r.logs.queries).toBe(0);
    expect(r.logs.warnings.join('\n')).toMatch(/none of its \d+ line\(s\) was read as a log record with --prefix '%t user=%u '/);
  });

  it('warns about a file that grows while it is read', async () => {
    const growing = join(dir, 'growing.log');
    copyFileSync(STDERR, growing);
    let appended = false;
    const r = await readPostgresLog(growing, process.stdin, { name: growing, requireSessions: false }, () => {
      if (!appended) appendFileSync(growing, `${lines.slice(0, 50).join('\n')}\n`);
      appended = true;
    });
    expect(r.warnings.join('\n')).toMatch(/the file grew from \d+ to \d+ bytes while it was read \(the server is writing to it\); read up to line \d+/);
  });

  it('fails with a usage error, not a stack trace, on a file that is not a log or does not exist', async () => {
    const junk = join(dir, 'junk.bin');
    writeFileSync(junk, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256)));
    const r = await runCli(['logs', junk]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const missing = await runCli(['logs', join(dir, 'nope.log')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read log .*ENOENT/);
    const none = await runCli(['logs']);
    expect(none.code).toBe(2);
  });
});
