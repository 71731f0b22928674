import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'dbo-n1-debian-'));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const ts = (ms: number): string => `${new Date(Date.UTC(2026, 10, 21, 10, 0, 0) + ms).toISOString().replace('T', ' ').replace('Z', '')} UTC`;
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

interface Report {
  findings: { rule: string; severity: string; evidence: Record<string, unknown> }[];
  n1: { units: number; unitBasis: string[]; warnings: string[]; thresholds: Record<string, unknown> };
}

async function n1(path: string, extra: string[] = []): Promise<Report> {
  const r = await runCli(['n1', '--log', path, '--format', 'json', ...extra]);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

/** Debian's default log_line_prefix: '%m [%p] %q%u@%d ' (no session id, no transaction id). */
const line = (ms: number, pid: number, db: string, sql: string, duration = 0.03): string => `${ts(ms)} [${pid}] app@${db} LOG:  duration: ${duration.toFixed(3)} ms  statement: ${sql}`;

describe('n1 on a log with Debian default prefix', () => {
  it('flags a 1 + 40 of sub-millisecond lookups at defaults, one unit per request on a pooled connection', async () => {
    const lines = range(3).flatMap((r) => [
      line(r * 50, 71, 'shop', 'SELECT * FROM customers ORDER BY id LIMIT 40', 0.2),
      ...range(40).map((i) => line(r * 50 + i, 71, 'shop', `SELECT * FROM invoices WHERE customer_id = ${i}`)),
    ]);
    const report = await n1(file('debian.log', lines.join('\n')));
    expect(report.findings.map((f) => f.rule)).toEqual(['n1-query']);
    const f = report.findings[0];
    expect(f?.evidence.units).toBe(3);
    expect(f?.evidence.queriesPerUnit).toBe(40);
    expect(f?.evidence.roundTripMs).toBe(1);
    // 40 × (0.03 ms + 1 ms): the application pays the round trips the log does not show
    expect(f?.evidence.estimatedMsPerUnit).toBeCloseTo(41.2, 1);
    expect(f?.severity).toBe('warning');
    expect(report.n1.thresholds).toMatchObject({ minRepeats: 5, minTimeMs: 0, roundTripMs: 1, roundTripSource: 'default' });
    expect(report.n1.unitBasis[0]).toMatch(/process id \(%p\) but no session id \(%c\).*2 such restarts.*add %v/);
  });

  it('a statement repeated once in each of many requests is not a repeated-identical loop', async () => {
    const lines = range(8).flatMap((r) => [
      line(r * 4, 72, 'shop', "SELECT * FROM settings WHERE key = 'theme'"),
      line(r * 4 + 1, 72, 'shop', `SELECT * FROM users WHERE id = ${r}`),
    ]);
    const report = await n1(file('settings.log', lines.join('\n')));
    expect(report.findings).toEqual([]);
    expect(report.n1.units).toBe(8);
  });

  it('warns with counts when databases are interleaved, and keeps their sessions apart', async () => {
    const lines = range(6).flatMap((i) => [
      line(i * 2, 80, 'shop', `SELECT * FROM orders WHERE user_id = ${i}`),
      line(i * 2 + 1, 81, 'blog', `SELECT * FROM comments WHERE post_id = ${i}`),
    ]);
    lines.push(line(20, 82, 'blog', 'SELECT * FROM posts WHERE id = 1'));
    const report = await n1(file('two-dbs.log', lines.join('\n')));
    expect(report.n1.warnings.join('\n')).toMatch(/interleaves 2 databases \(blog: 7, shop: 6 records\)/);
    expect(report.findings.map((f) => f.evidence.statements).flat().sort()).toEqual(['SELECT * FROM comments WHERE post_id = $1', 'SELECT * FROM orders WHERE user_id = $1']);
  });

  it('matches unknown prefix escapes loosely and says so instead of failing', async () => {
    const lines = range(6).map((i) => `${ts(i)} [90] node-a LOG:  duration: 0.030 ms  statement: SELECT * FROM orders WHERE user_id = ${i}`);
    const report = await n1(file('unknown.log', lines.join('\n')), ['--log-line-prefix', '%m [%p] %Z ']);
    expect(report.n1.warnings.join('\n')).toMatch(/unknown escape\(s\) %Z matched as free text/);
    expect(report.findings.map((f) => f.rule)).toEqual(['n1-query']);
  });

  it('states cut statements with a count rather than returning a silent empty report', async () => {
    const lines = range(6).map((i) => line(i, 91, 'shop', `SELECT * FROM orders WHERE user_id = ${i}`));
    lines.push(line(9, 91, 'shop', 'SELECT * FROM orders WHERE user_id ='), line(10, 91, 'shop', 'SELECT * FROM orders WHERE (user_id'));
    const report = await n1(file('cut.log', lines.join('\n')));
    expect(report.n1.warnings.join('\n')).toMatch(/2 statement\(s\) did not parse/);
    expect(report.findings).toHaveLength(1);
  });

  it('keeps literals the ORM inlined out of the report (findings and unflagged loops)', async () => {
    const lines = range(6).flatMap((i) => [
      line(i * 3, 93, 'shop', `SELECT "id" FROM "users" AS "User" WHERE "User"."email" = 'alice${i}@example.com' AND "User"."id" = ${i};`),
      line(i * 3 + 1, 93, 'shop', `SELECT 1 AS one FROM "users" AS "User" WHERE "User"."email" = 'bob${i}@example.com' LIMIT 1;`),
    ]);
    const r = await runCli(['n1', '--log', file('literals.log', lines.join('\n')), '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/alice|bob|example\.com/);
    const report = JSON.parse(r.stdout) as Report & { n1: { ignored: { reason: string }[] } };
    expect(report.findings.map((f) => f.rule)).toEqual(['n1-query']);
    expect(report.n1.ignored.map((i) => i.reason)).toEqual(['existence-check']);
  });
});
