import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { reportSchemaErrors } from '../../helpers/report-schema.ts';
import { runCli } from '../../helpers/run-cli.ts';
import { freePort } from '../../../src/demo/embedded-server.ts';

const fixture = (name: string): string => fileURLToPath(new URL(`../../fixtures/n1/${name}`, import.meta.url));

interface Finding {
  rule: string;
  title: string;
  target: { location?: string };
  evidence: { orm: string | null; expectedQueriesAfter: number };
  fix?: { content: string };
}

async function n1(args: string[]): Promise<{ code: number; findings: Finding[]; stderr: string }> {
  const r = await runCli(['n1', ...args, '--format', 'json']);
  expect(r.stderr).not.toMatch(/internal error/);
  const report = r.stdout === '' ? { findings: [] } : (JSON.parse(r.stdout) as { findings: Finding[] });
  if (r.stdout !== '') expect(reportSchemaErrors(report)).toEqual([]);
  return { code: r.code, findings: report.findings, stderr: r.stderr };
}

describe('n1 on OpenTelemetry traces (OTLP JSON recorded from the two test apps)', () => {
  it('finds the node-shop N+1, MN+1 and fan-out from spans with code.filepath', async () => {
    const r = await n1(['--otlp', fixture('node-shop.otlp.json')]);
    expect(r.code).toBe(0);
    expect(r.findings.map((f) => f.rule).sort()).toEqual(['n1-fan-out', 'n1-query', 'n1-repeating-group']);
    const knex = r.findings.find((f) => f.rule === 'n1-query');
    expect(knex?.target.location).toBe('test/apps/node-shop/routes-knex.ts:13');
    expect(knex?.evidence.orm).toBe('knex');
  });

  it('finds the SQLAlchemy 1 + N and proposes selectinload', async () => {
    const r = await n1(['--otlp', fixture('sqlalchemy-shop.otlp.json')]);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]?.title).toBe('1 + N: orders loaded once per user row');
    expect(r.findings[0]?.fix?.content).toContain('selectinload(User.orders)');
  });

  it('receives OTLP/HTTP JSON on --otlp-port and reports when --duration ends', async () => {
    const port = await freePort();
    const body = readFileSync(fixture('sqlalchemy-shop.otlp.json'), 'utf8');
    const running = n1(['--otlp-port', String(port), '--duration', '2']);
    let status = 0;
    for (let i = 0; i < 40 && status === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = await fetch(`http://127.0.0.1:${port}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(
        (res) => res.status,
        () => 0,
      );
    }
    expect(status).toBe(200);
    const proto = await fetch(`http://127.0.0.1:${port}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: 'x' });
    expect(proto.status).toBe(415);
    const r = await running;
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/listening for OTLP\/HTTP JSON traces on http:\/\/127\.0\.0\.1:/);
    expect(r.findings.map((f) => f.rule)).toEqual(['n1-query']);
  });

  it('answers to the seed spelling --fix-n1', async () => {
    const r = await runCli(['--fix-n1', '--otlp', fixture('sqlalchemy-shop.otlp.json')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 + N: orders loaded once per user row');
    expect(r.stdout).toContain('selectinload(User.orders)');
  });

  it('rejects a JSON file that is not OTLP, with exit 2 and no stack trace', async () => {
    const file = join(tmpdir(), `dbo-n1-not-otlp-${process.pid}.json`);
    writeFileSync(file, JSON.stringify({ data: [{ traceID: 'abc', spans: [] }] }));
    const r = await n1(['--otlp', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not an OTLP JSON trace export: no "resourceSpans" array/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
