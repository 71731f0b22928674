import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportSchemaErrors } from '../helpers/report-schema.ts';
import { runCli } from '../helpers/run-cli.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';

interface PoolJson {
  findings: { rule: string; severity: string; fix?: { content: string } }[];
  sections: { id: string; lines: string[] }[];
  pool: {
    profile: { byApplication: { name: string; total: number; idle: number; idleInTransaction: number }[]; idle: { count: number } } | null;
    plan: {
      coreBudget: number;
      capacityQps: number | null;
      peakInstances: number;
      current: { peak: number; steady: number } | null;
      serverAvailable: number | null;
      currentExceeds: boolean | null;
      recommended: { poolSize: number; maxOverflow: number; minIdle: number; idleTimeoutSeconds: number; maxLifetimeSeconds: number; acquireTimeoutSeconds: number; steady: number; peak: number; maxConnections: number; idleSessionTimeoutSeconds: number | null };
      symptoms: { symptom: string; cause: string; fix: string }[];
    } | null;
    appSettings: {
      sqlalchemy: { pool_size: number; max_overflow: number; pool_pre_ping: boolean; pool_recycle: number; pool_timeout: number };
      nodePostgres: { max: number; idleTimeoutMillis: number; connectionTimeoutMillis: number };
      prisma: { connection_limit: number; pool_timeout: number };
    } | null;
  };
}

const SEED = ['pool', '--pg-version', '14', '--cpus', '8', '--ram', '32GB', '--app-instances', '10', '--avg-query-ms', '5', '--max-connections', '100'];

describe('db-optimize pool: the seed "Pool Sizing" scenario', () => {
  it('PostgreSQL 14, 8 vCPUs, 32 GB, 10 pods with pools of 20 + 10: concrete numbers tied to the three symptoms', async () => {
    const r = await runCli([...SEED, '--pool-size', '20', '--max-overflow', '10', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as PoolJson;
    expect(reportSchemaErrors(report)).toEqual([]);
    const plan = report.pool.plan;
    expect(plan).not.toBeNull();
    if (plan === null) return;
    // cores × 2 + 1 spindle; 17 busy connections × (1000 / 5 ms)
    expect(plan.coreBudget).toBe(17);
    expect(plan.capacityQps).toBe(3400);
    // what each side can open: 13 pods during a rolling deploy × 30 vs 100 − 3 reserved
    expect(plan.peakInstances).toBe(13);
    expect(plan.current?.peak).toBe(390);
    expect(plan.current?.steady).toBe(200);
    expect(plan.serverAvailable).toBe(97);
    expect(plan.currentExceeds).toBe(true);
    const rec = plan.recommended;
    expect(rec).toMatchObject({ poolSize: 3, maxOverflow: 2, minIdle: 1, idleTimeoutSeconds: 60, maxLifetimeSeconds: 1800, steady: 30, peak: 65, maxConnections: 100, idleSessionTimeoutSeconds: 600 });
    // the recommended fleet peak fits what the server accepts, with room for admin sessions
    expect(rec.peak + 3 + 10).toBeLessThanOrEqual(rec.maxConnections);
    const [tooMany, refused, idle] = plan.symptoms;
    expect(tooMany?.symptom).toMatch(/too many connections/);
    expect(tooMany?.cause).toMatch(/390 connections but the server accepts 97/);
    expect(refused?.symptom).toMatch(/connection refused/);
    expect(refused?.fix).toMatch(/pool timeout 5 s/);
    expect(idle?.symptom).toMatch(/idle connections consuming memory/);
    expect(idle?.cause).toMatch(/200 pooled connections .* ~1000 MB/);
    expect(idle?.fix).toMatch(/30 steady connections/);
    // app pool settings come from the same budget
    const app = report.pool.appSettings;
    expect(app?.sqlalchemy).toEqual({ pool_size: 3, max_overflow: 2, pool_pre_ping: true, pool_recycle: 1800, pool_timeout: 5 });
    expect(app?.nodePostgres).toMatchObject({ max: 5, idleTimeoutMillis: 60000, connectionTimeoutMillis: 5000 });
    expect(app?.prisma).toMatchObject({ connection_limit: 5, pool_timeout: 5 });
    const critical = report.findings.find((f) => f.rule === 'pool-sizing/fleet-vs-server');
    expect(critical?.severity).toBe('critical');
    expect(report.findings.find((f) => f.rule === 'pool-sizing/server')?.fix?.content).toMatch(/idle_session_timeout = '600s'/);
  });

  it('prints readable sections: fleet vs server, symptoms, and code for three client libraries', async () => {
    const r = await runCli([...SEED, '--pool-size', '20', '--max-overflow', '10']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/now: 20 \+ 10 overflow per instance → 200 steady, 390 at the peak vs 97/);
    expect(r.stdout).toMatch(/pool_size=3,/);
    expect(r.stdout).toMatch(/max: 5,/);
    expect(r.stdout).toMatch(/connection_limit=5&pool_timeout=5/);
    for (const line of r.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it('uses Little\'s law when the peak rate is known', async () => {
    const r = await runCli([...SEED, '--peak-qps', '6000', '--format', 'json']);
    const plan = (JSON.parse(r.stdout) as PoolJson).pool.plan;
    // 6000 q/s × 5 ms = 30 busy; × 1.2 = 36 over 10 pods = 4 each
    expect(plan?.recommended.poolSize).toBe(4);
  });

  it('rejects incomplete or inconsistent fleets with exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['pool'], /needs a live server \(--db URL\) or the fleet/],
      [['pool', '--app-instances', '10'], /needs the database server's --cpus/],
      [['pool', '--app-instances', '10', '--cpus', '8', '--peak-qps', '100'], /--peak-qps needs --avg-query-ms/],
      [['pool', '--app-instances', '10', '--cpus', '8', '--max-instances', '5'], /--max-instances 5 is below --app-instances 10/],
      [['pool', '--app-instances', '0', '--cpus', '8'], /--app-instances must be/],
      [['pool', '--app-instances', '10', '--cpus', '8', '--ram', '2TBB'], /--ram must be a size/],
    ];
    for (const [argv, message] of cases) {
      const r = await runCli(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});

describe('db-optimize pool --db (pg_stat_activity)', () => {
  let t: TestDatabase;
  const clients: pg.Client[] = [];
  beforeAll(async () => {
    t = await createTestDatabase('pool_cli');
    for (let i = 0; i < 12; i++) {
      const c = await t.client();
      await c.query("SET application_name = 'dbo-pool-test-idle'");
      await c.query('SELECT 1');
      clients.push(c);
    }
    const tx = await t.client();
    await tx.query("SET application_name = 'dbo-pool-test-iit'");
    await tx.query('BEGIN');
    await tx.query('SELECT 1');
    clients.push(tx);
  });
  afterAll(async () => {
    for (const c of clients) await c.end().catch(() => undefined);
    await t.drop();
  });

  it('counts connections by application and state, and sizes the fleet against the live max_connections', async () => {
    const r = await runCli(['pool', '--db', t.url, '--app-instances', '4', '--cpus', '2', '--pool-size', '10', '--format', 'json']);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as PoolJson;
    expect(reportSchemaErrors(report)).toEqual([]);
    const apps = report.pool.profile?.byApplication ?? [];
    expect(apps.find((a) => a.name === 'dbo-pool-test-idle')).toMatchObject({ total: 12, idle: 12 });
    expect(apps.find((a) => a.name === 'dbo-pool-test-iit')).toMatchObject({ total: 1, idleInTransaction: 1 });
    expect(report.pool.profile?.idle.count).toBeGreaterThanOrEqual(12);
    const max = Number(((await t.exec('SHOW max_connections')).rows[0] as { max_connections: string }).max_connections);
    const reserved = Number(((await t.exec('SHOW superuser_reserved_connections')).rows[0] as { superuser_reserved_connections: string }).superuser_reserved_connections);
    expect(report.pool.plan?.serverAvailable).toBe(max - reserved);
    expect(report.sections.find((s) => s.id === 'pool-connections')?.lines.join('\n')).toMatch(/dbo-pool-test-idle/);
  });

  it('--watch samples the peak and counts connections opened per request during the window', async () => {
    let stop = false;
    const churn = (async () => {
      await new Promise((r) => setTimeout(r, 500));
      // each connection lives longer than the sampling interval, so a loaded machine cannot miss it
      for (let i = 0; i < 6 && !stop; i++) {
        const c = await t.client();
        await c.query('SELECT 1');
        await new Promise((r) => setTimeout(r, 1100));
        await c.end();
      }
    })();
    const r = await runCli(['pool', '--db', t.url, '--watch', '4', '--format', 'json']);
    stop = true;
    await churn;
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as PoolJson & { pool: { watch: { samples: number; peakClients: number; newConnections: number } | null } };
    expect(reportSchemaErrors(report)).toEqual([]);
    const w = report.pool.watch;
    expect(w?.samples).toBeGreaterThanOrEqual(2);
    expect(w?.peakClients).toBeGreaterThanOrEqual(14);
    expect(w?.newConnections).toBeGreaterThanOrEqual(2);
  });
});
