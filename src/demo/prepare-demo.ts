import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { DbOptimizeError } from '../errors/index.ts';
import { defaultDemoDataDir, startEmbeddedServer } from './embedded-server.ts';
import type { EmbeddedServer } from './embedded-server.ts';
import { replayStatements, replayWorkload } from './replay.ts';
import { DEMO_VERSION, scenarioSteps } from './scenario.ts';

export interface DemoOptions {
  readonly scale: number;
  readonly fresh: boolean;
  readonly dataDir?: string;
  readonly replay?: boolean;
  readonly log: (message: string) => void;
  /** called as soon as the server runs, so a caller can stop it on Ctrl-C during the build */
  readonly onServer?: (server: EmbeddedServer) => void;
}

export interface PreparedDemo {
  readonly server: EmbeddedServer;
  /** URL of the demo database */
  readonly url: string;
  readonly built: boolean;
}

const DEMO_DB = 'demo';

function removeDataDir(dir: string): void {
  if (!existsSync(dir)) return;
  const entries = readdirSync(dir);
  // never delete a directory that is not an (empty or) PostgreSQL data directory
  if (entries.length > 0 && !existsSync(join(dir, 'PG_VERSION'))) {
    throw new DbOptimizeError('E_DEMO_DIR', 'usage', `--fresh refuses to delete ${dir}: it is not a PostgreSQL data directory`);
  }
  rmSync(dir, { recursive: true, force: true });
}

async function demoIsBuilt(admin: pg.Client, url: string, scale: number): Promise<boolean> {
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DEMO_DB]);
  if (exists.rowCount === 0) return false;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ version: number; scale: number }>(
      `SELECT version, scale FROM db_optimize_demo WHERE to_regclass('public.db_optimize_demo') IS NOT NULL`,
    );
    return r.rows[0]?.version === DEMO_VERSION && Number(r.rows[0]?.scale) === scale;
  } catch {
    return false;
  } finally {
    await c.end();
  }
}

/**
 * Starts (or reuses) the embedded server, builds the seed scenarios unless they are there
 * already at this scale, and replays the workload so pg_stat_statements has something to say.
 */
export async function prepareDemo(options: DemoOptions): Promise<PreparedDemo> {
  if (options.fresh) removeDataDir(options.dataDir ?? defaultDemoDataDir());
  const server = await startEmbeddedServer({ ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }), log: options.log });
  options.onServer?.(server);
  try {
    const url = server.url.replace(/\/postgres$/, `/${DEMO_DB}`);
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    let built = false;
    try {
      if (!(await demoIsBuilt(admin, url, options.scale))) {
        await admin.query(`DROP DATABASE IF EXISTS ${DEMO_DB} WITH (FORCE)`);
        await admin.query(`CREATE DATABASE ${DEMO_DB}`);
        built = true;
      } else {
        options.log(`reusing the demo database in ${server.dataDir} (use --fresh to rebuild)`);
      }
    } finally {
      await admin.end();
    }
    const c = new pg.Client({ connectionString: url, application_name: 'db-optimize-demo-setup' });
    await c.connect();
    try {
      await c.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      if (built) {
        const steps = scenarioSteps(options.scale);
        for (const [i, step] of steps.entries()) {
          options.log(`building ${i + 1}/${steps.length}: ${step.label}`);
          await c.query(step.sql);
        }
      }
    } finally {
      await c.end();
    }
    if (options.replay !== false) {
      // our own demo database: start the statistics from zero so they describe exactly one replay
      const r = new pg.Client({ connectionString: url });
      await r.connect();
      await r.query('SELECT pg_stat_statements_reset(), pg_stat_reset()');
      await r.end();
      const statements = replayStatements(options.scale);
      options.log(`replaying the seed workload (${statements.length} statements with their relative call rates)`);
      const result = await replayWorkload(url, statements, {
        onProgress: (done, total) => options.log(`replayed ${done}/${total} calls`),
      });
      options.log(`replayed ${result.calls} calls in ${(result.ms / 1000).toFixed(1)} s`);
      if (result.timedOut > 0) options.log(`${result.timedOut} statements hit the 60 s replay timeout (a slow machine): they are missing from pg_stat_statements`);
    }
    return { server, url, built };
  } catch (error) {
    await server.stop().catch(() => undefined);
    throw error;
  }
}
