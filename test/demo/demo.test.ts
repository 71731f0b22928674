import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reportSchemaErrors } from '../helpers/report-schema.ts';
import { runCli } from '../helpers/run-cli.ts';

// directly under the OS temp dir: as root the embedded server runs as "postgres"
const dataDir = join(tmpdir(), `dbo-demo-test-${process.pid}`);

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

interface DemoReport {
  command: string;
  findings: {
    rule: string;
    title: string;
    target: { index?: string; relation?: string };
    evidence: Record<string, unknown>;
    fix?: { verified?: boolean; verification?: string };
  }[];
  workload: { statements: number };
  heldBack: { rule: string; title: string }[];
  scorecard: { metric: string }[];
  problems: { id: string; title: string }[];
  actions: unknown[];
}

describe('db-optimize demo', () => {
  it('builds the seed scenarios, replays the workload and reports the planted problems', async () => {
    const r = await runCli(['demo', '--scale', '0.02', '--fresh', '--data-dir', dataDir, '--format', 'json', '--set', 'top-statements.limit=30', '--set', 'top-statements.minShare=0']);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as DemoReport;
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.command).toBe('demo');
    const has = (rule: string, pred: (f: DemoReport['findings'][number]) => boolean): boolean =>
      report.findings.some((f) => f.rule === rule && pred(f));
    expect(has('duplicate-indexes', (f) => [f.evidence.duplicate, f.evidence.kept].includes('public.users_email_idx2'))).toBe(true);
    // statistics minutes old: the planted unused index is held back (one line), not reported as unused
    expect(report.heldBack.some((h) => h.rule === 'unused-indexes' && h.title.includes('public.users_name_idx'))).toBe(true);
    // the action plan: the scorecard, problems by root cause, at most five actions
    expect(report.scorecard.map((e) => e.metric)).toContain('p95-latency');
    expect(report.problems.length).toBeGreaterThan(0);
    expect(report.actions.length).toBeLessThanOrEqual(5);
    expect(has('fk-without-index', (f) => f.target.relation === 'public.order_items')).toBe(true);
    expect(has('fk-without-index', (f) => f.target.relation === 'public.products')).toBe(true);
    expect(has('top-statements', (f) => /UPDATE sessions/.test(String(f.evidence.query)))).toBe(true);
    expect(has('top-statements', (f) => /LEFT JOIN orders o/.test(String(f.evidence.query)))).toBe(true);
    expect(report.workload.statements).toBeGreaterThanOrEqual(10);
    // the embedded server has no HypoPG: the advisor measures with real builds in rolled-back transactions
    expect(has('index-advisor', (f) => f.fix?.verified === true && /^verified \(real build in a rolled-back transaction\)/.test(f.fix.verification ?? ''))).toBe(true);
    // the server is stopped and its data kept for the next run
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false);
  }, 300_000);

  it('reuses the data directory on the next run', async () => {
    const r = await runCli(['demo', '--scale', '0.02', '--data-dir', dataDir, '--format', 'json', '--no-replay']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/reusing the demo database/);
    expect(r.stderr).not.toMatch(/building 1\//);
  }, 300_000);
});

describe('db-optimize demo, interrupted', () => {
  it('stops the embedded server on Ctrl-C and exits 130', async () => {
    const { spawn } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const dir = join(tmpdir(), `dbo-demo-sigint-${process.pid}`);
    const bin = fileURLToPath(new URL('../../bin/db-optimize.js', import.meta.url));
    try {
      const child = spawn(process.execPath, [bin, 'demo', '--scale', '0.02', '--fresh', '--data-dir', dir, '--format', 'json'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the build never started: ${stderr}`)), 240_000);
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          if (stderr.includes('building 2/')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(stderr).toMatch(/stopping the embedded PostgreSQL/);
      expect(existsSync(join(dir, 'postmaster.pid'))).toBe(false);
      expect(existsSync(join(dir, 'PG_VERSION'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
