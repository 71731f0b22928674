import { collectSnapshot } from '../collect/collect-snapshot.ts';
import type { Database } from '../collect/connection.ts';
import type { Logger } from '../engine/analyze-database.ts';
import { silentLogger } from '../engine/analyze-database.ts';
import type { Snapshot, Workload } from '../model/index.ts';
import { initSqlParser } from '../sql/index.ts';
import { HypopgEngine } from '../whatif/hypopg-engine.ts';
import { SandboxEngine } from '../whatif/sandbox-engine.ts';
import { adviseIndexes } from './advise-indexes.ts';
import type { AdvisorOptions } from './advise-indexes.ts';
import type { AdvisorResult } from './types.ts';

export interface RunIndexAdvisorOptions {
  readonly workload: (db: Database, snapshot: Snapshot) => Promise<Workload>;
  readonly advisor?: Partial<AdvisorOptions>;
  /** 'auto': real builds on tables up to sandboxMaxBytes; 'always': any size; 'never' */
  readonly sandbox?: 'auto' | 'always' | 'never';
  readonly sandboxMaxBytes?: number;
  readonly timeLimitMs?: number;
  /** skip HypoPG even when installed (bench: measure the fallback) */
  readonly noHypopg?: boolean;
  readonly logger?: Logger;
  readonly clock?: () => number;
}

export interface IndexAdvisorRun {
  readonly result: AdvisorResult;
  readonly snapshot: Snapshot;
  readonly workload: Workload;
  readonly runtimeMs: number;
}

export const DEFAULT_SANDBOX_MAX_BYTES = 64 * 1024 * 1024;

const NOT_OWNED_SQL = `
SELECT format('%I.%I', n.nspname, c.relname) AS t
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND NOT pg_has_role(c.relowner, 'USAGE')`;

/** Snapshot, workload, what-if engines, advisor; the hypothetical indexes are reset on every exit path. */
export async function runIndexAdvisor(db: Database, options: RunIndexAdvisorOptions): Promise<IndexAdvisorRun> {
  const log = options.logger ?? silentLogger;
  const clock = options.clock ?? Date.now;
  await initSqlParser();
  const t0 = clock();
  log.info('collecting catalog and statistics…');
  const snapshot = await collectSnapshot(db);
  const workload = await options.workload(db, snapshot);
  const whatIf = options.noHypopg === true ? null : await HypopgEngine.open(db);
  if (whatIf === null) {
    const available = snapshot.extensions.find((e) => e.name === 'hypopg');
    log.warn(
      available !== undefined && available.installedVersion === null
        ? 'HypoPG is available but not installed here: run CREATE EXTENSION hypopg for verified what-if costs; continuing unverified'
        : `HypoPG is not installed: install it (apt install postgresql-${snapshot.server.major}-hypopg, or build from github.com/HypoPG/hypopg) and run CREATE EXTENSION hypopg; continuing unverified`,
    );
  }
  const sandbox = new SandboxEngine(db, snapshot.server.versionNum);
  const maxBytes = options.sandboxMaxBytes ?? DEFAULT_SANDBOX_MAX_BYTES;
  const mode = options.sandbox ?? 'auto';
  const sizes = new Map(snapshot.tables.map((t) => [t.qualifiedName, t.totalBytes]));
  // CREATE INDEX, even rolled back, needs the table's owner (or a member of its role): ask once instead of failing every build
  const notOwned = new Set(
    (await db.query<{ t: string }>(NOT_OWNED_SQL).catch(() => [])).map((r) => r.t),
  );
  const sandboxRefusal = (table: string): string | null =>
    notOwned.has(table) ? `role ${snapshot.privileges.role} may not create indexes on ${table} (not its owner), not even in a rolled-back transaction` : null;
  try {
    log.info(`advising on ${workload.statements.length} statement(s)…`);
    const result = await adviseIndexes({
      snapshot,
      workload,
      whatIf,
      sandbox,
      sandboxAllowed: (table) => !notOwned.has(table) && (mode === 'always' || (mode === 'auto' && (sizes.get(table) ?? Number.POSITIVE_INFINITY) <= maxBytes)),
      sandboxRefusal,
      ...(options.advisor === undefined ? {} : { options: options.advisor }),
      clock,
      ...(options.timeLimitMs === undefined ? {} : { timeLimitMs: options.timeLimitMs }),
    });
    return { result, snapshot, workload, runtimeMs: clock() - t0 };
  } finally {
    await whatIf?.close();
  }
}
