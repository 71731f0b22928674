import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportSchemaErrors } from '../helpers/report-schema.ts';
import { runCli } from '../helpers/run-cli.ts';
import { freePort } from '../../src/demo/embedded-server.ts';
import { startPostgres } from '../../src/demo/postgres-server.ts';
import type { RunningPostgres } from '../../src/demo/postgres-server.ts';

/*
 * Applies generated settings to a real server and restarts it. This uses its OWN embedded
 * PostgreSQL: the shared test server must never be restarted or ALTER SYSTEM'd.
 */

interface Rec {
  name: string;
  recommended: string;
  changed: boolean;
  apply: string;
}
interface ConfigJson {
  config: { recommendations: Rec[]; postgresqlConf: string; undo: string[]; applied: { name: string; pendingRestart: boolean }[] | null; restartRequired: boolean };
}

let server: RunningPostgres;
let port: number;
let dir: string;
let url: string;

async function liveSettings(names: readonly string[]): Promise<Map<string, string>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const rows = (await c.query<{ name: string; v: string }>('SELECT name, current_setting(name) AS v FROM pg_settings WHERE name = ANY($1)', [names])).rows;
    return new Map(rows.map((r) => [r.name, r.v]));
  } finally {
    await c.end();
  }
}

async function restart(): Promise<void> {
  await server.stop();
  server = await startPostgres({ dataDir: dir, port, password: 'postgres' });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dbo-config-apply-'));
  rmSync(dir, { recursive: true, force: true });
  port = await freePort();
  server = await startPostgres({ dataDir: dir, port, password: 'postgres' });
  url = server.url('postgres');
});

afterAll(async () => {
  await server?.stop().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('generated settings on a real server', () => {
  it('the postgresql.conf snippet is accepted and the restarted server runs with every value', async () => {
    const r = await runCli(['config', '--ram', '2GB', '--cpus', '2', '--storage', 'ssd', '--workload', 'oltp', '--pg-version', '18', '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as ConfigJson;
    const changed = report.config.recommendations.filter((x) => x.changed);
    expect(changed.length).toBeGreaterThan(10);
    appendFileSync(join(dir, 'postgresql.conf'), `\n${report.config.postgresqlConf}`);
    await restart();
    const live = await liveSettings(changed.map((x) => x.name));
    for (const x of changed) expect(`${x.name} = ${live.get(x.name)}`).toBe(`${x.name} = ${x.recommended}`);
  });

  it('--apply writes ALTER SYSTEM on the live server, prints the undo, and the values hold after a restart', async () => {
    const r = await runCli(['config', '--db', url, '--ram', '4GB', '--cpus', '4', '--storage', 'hdd', '--workload', 'dw', '--apply', '--format', 'json']);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as ConfigJson;
    expect(reportSchemaErrors(report)).toEqual([]);
    const changed = report.config.recommendations.filter((x) => x.changed);
    expect(changed.map((x) => x.name)).toEqual(expect.arrayContaining(['shared_buffers', 'random_page_cost', 'effective_io_concurrency', 'default_statistics_target']));
    expect(report.config.applied?.map((a) => a.name)).toEqual(changed.map((x) => x.name));
    expect(report.config.applied?.find((a) => a.name === 'shared_buffers')?.pendingRestart).toBe(true);
    expect(report.config.undo.length).toBe(changed.length);
    // reloadable values are live before the restart
    const beforeRestart = await liveSettings(['random_page_cost']);
    expect(beforeRestart.get('random_page_cost')).toBe('4');
    await restart();
    const live = await liveSettings(changed.map((x) => x.name));
    for (const x of changed) expect(`${x.name} = ${live.get(x.name)}`).toBe(`${x.name} = ${x.recommended}`);

    // and the printed undo statements restore the previous values
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    for (const u of report.config.undo) await c.query(u);
    await c.end();
    await restart();
    const restored = await liveSettings(['random_page_cost', 'default_statistics_target']);
    expect(restored.get('random_page_cost')).toBe('1.1');
    expect(restored.get('default_statistics_target')).toBe('100');
  });

  it('never recommends a max_connections below what clients use now', async () => {
    const open: pg.Client[] = [];
    try {
      for (let i = 0; i < 45; i++) {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        open.push(c);
      }
      const r = await runCli(['config', '--db', url, '--cpus', '2', '--workload', 'dw', '--format', 'json']);
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout) as ConfigJson & { config: { notes: string[] } };
      const mc = report.config.recommendations.find((x) => x.name === 'max_connections');
      // dw on 2 cores would want 40; 46 are in use, so 46 × 1.25 rounded up to 10
      expect(mc?.recommended).toBe('60');
      expect(report.config.notes.join('\n')).toMatch(/4\d connections are open now, more than the 40 .* put a pooler in front first/);
    } finally {
      for (const c of open) await c.end();
    }
  });

  it('refuses a RAM figure below what the current settings need (exit 2)', async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query("ALTER SYSTEM SET shared_buffers = '1GB'");
    await c.end();
    await restart();
    const r = await runCli(['config', '--db', url, '--ram', '1GB', '--cpus', '2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/below what the server's current settings need: shared_buffers alone is 1 GB/);
  });
});
