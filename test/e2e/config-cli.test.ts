import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportSchemaErrors } from '../helpers/report-schema.ts';
import { runCli } from '../helpers/run-cli.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';

interface Rec {
  name: string;
  current: string | null;
  recommended: string;
  apply: 'reload' | 'restart';
  changed: boolean;
  reason: string;
  formula: string;
  undo: string | null;
}
interface ConfigReport {
  findings: { rule: string; severity: string; target: { setting?: string }; fix?: { rollback?: string } }[];
  config: {
    recommendations: Rec[];
    memoryCheck: { fits: boolean; totalBytes: number; ramBytes: number; workMemBeforeBytes: number | null; explanation: string } | null;
    alterSystem: string[];
    undo: string[];
    postgresqlConf: string;
    notes: string[];
  };
}

const rec = (r: ConfigReport, name: string): Rec | undefined => r.config.recommendations.find((x) => x.name === name);

describe('db-optimize config (hardware flags, no server)', () => {
  it('sizes a 32 GB / 8 core OLTP server with pgtune-based formulas and a memory check', async () => {
    const r = await runCli(['config', '--ram', '32GB', '--cpus', '8', '--storage', 'ssd', '--workload', 'oltp', '--pg-version', '14', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as ConfigReport;
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(rec(report, 'shared_buffers')?.recommended).toBe('8GB');
    expect(rec(report, 'shared_buffers')?.apply).toBe('restart');
    expect(rec(report, 'effective_cache_size')?.recommended).toBe('24GB');
    expect(rec(report, 'maintenance_work_mem')?.recommended).toBe('2GB');
    expect(rec(report, 'wal_buffers')?.recommended).toBe('16MB');
    expect(rec(report, 'random_page_cost')?.recommended).toBe('1.1');
    expect(rec(report, 'effective_io_concurrency')?.recommended).toBe('200');
    // corrections of pgtune: fewer parallel workers for OLTP, larger max_wal_size, jit off, no 300 connections
    expect(rec(report, 'max_parallel_workers_per_gather')?.recommended).toBe('2');
    expect(rec(report, 'max_wal_size')?.recommended).toBe('16GB');
    expect(rec(report, 'jit')?.recommended).toBe('off');
    expect(rec(report, 'max_connections')?.recommended).toBe('100');
    expect(rec(report, 'huge_pages')?.reason).toMatch(/vm\.nr_hugepages ≈ \d+/);
    expect(rec(report, 'io_method')).toBeUndefined(); // 18+ only
    for (const x of report.config.recommendations) {
      expect(x.reason.length).toBeGreaterThan(10);
      expect(x.formula.length).toBeGreaterThan(0);
    }
    const m = report.config.memoryCheck;
    expect(m?.fits).toBe(true);
    expect(m?.totalBytes).toBeLessThanOrEqual(32 * 1024 ** 3);
    expect(report.config.alterSystem).toContain("ALTER SYSTEM SET shared_buffers = '8GB';  -- restart");
    expect(report.config.alterSystem).toContain("ALTER SYSTEM SET work_mem = '" + (rec(report, 'work_mem')?.recommended ?? '') + "';  -- reload");
    expect(report.config.postgresqlConf).toMatch(/^shared_buffers = '8GB'$/m);
  });

  it('lowers work_mem when many connections would not fit in RAM, and says why', async () => {
    const r = await runCli(['config', '--ram', '1GB', '--cpus', '2', '--workload', 'web', '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as ConfigReport;
    const m = report.config.memoryCheck;
    expect(m?.workMemBeforeBytes).not.toBeNull();
    expect(m?.fits).toBe(true);
    expect(m?.explanation).toMatch(/work_mem lowered from/);
    expect(report.config.notes.join('\n')).toMatch(/work_mem lowered/);
    expect(report.findings.find((f) => f.target.setting === 'work_mem')?.severity).toBe('warning');
    expect(report.config.notes.join('\n')).toMatch(/below PostgreSQL's 4MB default/);
  });

  it('prints a terminal report that fits 80 columns: changes table, memory check, snippet, ALTER SYSTEM', async () => {
    const r = await runCli(['config', '--ram', '32GB', '--cpus', '8', '--storage', 'ssd', '--workload', 'oltp', '--pg-version', '14']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^shared_buffers\s+—\s+8GB\s+restart$/m);
    expect(r.stdout).toMatch(/^Memory check \(fits in 32 GB\)$/m);
    expect(r.stdout).toMatch(/^ALTER SYSTEM SET jit = 'off'; {2}-- reload$/m);
    for (const line of r.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it('recommends io_method and io_workers on PostgreSQL 18', async () => {
    const r = await runCli(['config', '--ram', '64GB', '--cpus', '16', '--storage', 'nvme', '--workload', 'mixed', '--pg-version', '18', '--format', 'json']);
    const report = JSON.parse(r.stdout) as ConfigReport;
    expect(rec(report, 'io_method')?.recommended).toBe('worker');
    expect(rec(report, 'io_method')?.apply).toBe('restart');
    expect(rec(report, 'io_workers')?.recommended).toBe('4');
  });

  it('rejects impossible hardware, unknown types and missing inputs with exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['config', '--ram', '1MB', '--cpus', '4'], /not a plausible database server/],
      [['config', '--ram', '16GB', '--cpus', '0'], /--cpus must be a whole number between 1/],
      [['config', '--ram', '16GB', '--cpus', '2.5'], /--cpus must be a whole number/],
      [['config', '--ram', 'lots', '--cpus', '4'], /--ram must be a size/],
      [['config', '--ram', '16GB', '--workload', 'gaming'], /unknown --workload type "gaming"/],
      [['config', '--ram', '16GB', '--storage', 'floppy'], /unknown --storage "floppy"/],
      [['config', '--ram', '16GB', '--pg-version', '9'], /--pg-version must be a PostgreSQL major version/],
      [['config'], /needs a live server \(--db URL\) or the machine/],
      [['config', '--ram', '16GB', '--apply'], /--apply changes a live server/],
      [['config', '--ram', '1GB', '--cpus', '2', '--max-connections', '5000'], /cannot hold shared_buffers/],
    ];
    for (const [argv, message] of cases) {
      const r = await runCli(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('db-optimize config --db (live, read-only)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('config_cli');
  });
  afterAll(async () => {
    await t.drop();
  });

  it('shows current vs recommended with undo statements, without changing the server', async () => {
    const before = (await t.exec("SELECT setting FROM pg_settings WHERE name = 'work_mem'")).rows[0] as { setting: string };
    const r = await runCli(['config', '--db', t.url, '--ram', '16GB', '--cpus', '4', '--storage', 'ssd', '--workload', 'web', '--format', 'json']);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as ConfigReport;
    expect(reportSchemaErrors(report)).toEqual([]);
    const sb = rec(report, 'shared_buffers');
    expect(sb?.current).not.toBeNull();
    expect(sb?.recommended).toBe('4GB');
    expect(sb?.changed).toBe(true);
    expect(sb?.undo).toMatch(/^ALTER SYSTEM (RESET shared_buffers|SET shared_buffers = '.+');$/);
    expect(report.config.undo.length).toBe(report.config.alterSystem.length);
    const cps = rec(report, 'checkpoint_completion_target');
    if (cps?.current === '0.9') expect(cps.changed).toBe(false);
    const after = (await t.exec("SELECT setting FROM pg_settings WHERE name = 'work_mem'")).rows[0] as { setting: string };
    expect(after.setting).toBe(before.setting);
  });

  it('without RAM or CPUs only audits what needs no hardware facts, and says so', async () => {
    const r = await runCli(['config', '--db', t.url, '--workload', 'oltp', '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as ConfigReport;
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.config.notes.join('\n')).toMatch(/RAM unknown: memory settings .* not recommended/);
    expect(rec(report, 'shared_buffers')).toBeUndefined();
    expect(rec(report, 'work_mem')).toBeUndefined();
    const jitOn = (await t.exec("SELECT setting FROM pg_settings WHERE name = 'jit'")).rows[0] as { setting: string };
    if (jitOn.setting === 'on') expect(report.findings.some((f) => f.target.setting === 'jit' && f.severity === 'warning')).toBe(true);
  });
});
