import type { Database } from '../collect/connection.ts';
import { explainCost } from './explain-cost.ts';
import type { ExplainedCost } from './explain-cost.ts';

export interface SandboxResult {
  readonly costs: (ExplainedCost | Error)[];
  /** real on-disk size of each built index, by definition */
  readonly sizes: Readonly<Record<string, number>>;
  /** name given to each built index, by definition */
  readonly names: Readonly<Record<string, string>>;
  /** definitions that failed to build, with the server's message */
  readonly failed: Readonly<Record<string, string>>;
  /** wall time of each build in milliseconds: the SHARE lock blocked the table's writes this long */
  readonly buildMs: Readonly<Record<string, number>>;
  /** partition indexes PostgreSQL created under a partitioned one, by name → the definition built on the parent */
  readonly aliases: Readonly<Record<string, string>>;
}

/**
 * Measures index configurations by building the indexes for real inside a transaction that is
 * always rolled back: the only faithful what-if for GIN/BRIN, and the fallback without HypoPG.
 * CREATE INDEX holds a SHARE lock on the table while it builds, so callers use it only on small
 * tables or when the user asked for it; the session's lock_timeout keeps it from queueing.
 */
export class SandboxEngine {
  private readonly db: Database;
  readonly serverVersionNum: number;
  private builds = 0;
  private plans = 0;
  private readonly cache = new Map<string, SandboxResult>();

  constructor(db: Database, serverVersionNum: number) {
    this.db = db;
    this.serverVersionNum = serverVersionNum;
  }

  get calls(): number {
    return this.plans;
  }

  get indexBuilds(): number {
    return this.builds;
  }

  /** the session's lock_timeout: a build that would queue behind other locks gives up after this */
  get lockTimeoutMs(): number {
    return this.db.lockTimeoutMs;
  }

  /**
   * Plans the statements with the given indexes built and the `drop` indexes removed. A drop takes
   * an ACCESS EXCLUSIVE lock until the rollback, so it is tried with a 100 ms lock_timeout only.
   * `timeoutMs` bounds every statement of the call (a caller's time budget).
   */
  async costMany(sqls: readonly string[], definitions: readonly string[], drop: readonly string[] = [], timeoutMs?: number): Promise<SandboxResult> {
    const defs = [...new Set(definitions)].sort();
    const drops = [...new Set(drop)].sort();
    const key = JSON.stringify([sqls, defs, drops]);
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const result = await this.db.inRolledBackTransaction(
      async (client) => {
        const names: Record<string, string> = {};
        const sizes: Record<string, number> = {};
        const failed: Record<string, string> = {};
        const buildMs: Record<string, number> = {};
        const aliases: Record<string, string> = {};
        let n = 0;
        if (timeoutMs !== undefined) await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
        for (const index of drops) {
          await client.query('SAVEPOINT dbo_drop');
          try {
            await client.query(`SET LOCAL lock_timeout = '100ms'`);
            await client.query(`DROP INDEX ${index}`);
            await client.query('RELEASE SAVEPOINT dbo_drop');
          } catch (error) {
            await client.query('ROLLBACK TO SAVEPOINT dbo_drop');
            failed[`DROP INDEX ${index}`] = (error as Error).message;
          }
        }
        if (drops.length > 0) await client.query(`SET LOCAL lock_timeout = '${Math.trunc(this.db.lockTimeoutMs)}ms'`);
        for (const def of defs) {
          const name = `dbo_sandbox_${++n}`;
          await client.query(`SAVEPOINT dbo_build`);
          try {
            this.builds++;
            const t0 = performance.now();
            await client.query(def.replace(/^CREATE INDEX ON /i, `CREATE INDEX ${name} ON `));
            buildMs[def] = performance.now() - t0;
            const size = await client.query<{ s: string }>(`SELECT pg_relation_size(c.oid)::text AS s FROM pg_class c WHERE c.relname = $1 AND pg_table_is_visible(c.oid)`, [name]);
            names[def] = name;
            sizes[def] = Number(size.rows[0]?.s ?? 0);
            // plans on a partitioned table use the partitions' indexes, which PostgreSQL names itself
            const children = await client.query<{ n: string }>(
              `WITH RECURSIVE tree(oid) AS (SELECT c.oid FROM pg_class c WHERE c.relname = $1 AND pg_table_is_visible(c.oid)
                 UNION ALL SELECT i.inhrelid FROM pg_inherits i JOIN tree ON i.inhparent = tree.oid)
               SELECT c.relname AS n FROM tree JOIN pg_class c ON c.oid = tree.oid WHERE c.relname <> $1`,
              [name],
            );
            for (const r of children.rows) aliases[r.n] = def;
            await client.query(`RELEASE SAVEPOINT dbo_build`);
          } catch (error) {
            await client.query(`ROLLBACK TO SAVEPOINT dbo_build`);
            failed[def] = (error as Error).message;
          }
        }
        const costs: (ExplainedCost | Error)[] = [];
        for (const sql of sqls) {
          this.plans++;
          await client.query(`SAVEPOINT dbo_plan`);
          try {
            costs.push(await explainCost(client, sql, this.serverVersionNum));
            await client.query(`RELEASE SAVEPOINT dbo_plan`);
          } catch (error) {
            await client.query(`ROLLBACK TO SAVEPOINT dbo_plan`);
            costs.push(error instanceof Error ? error : new Error(String(error)));
          }
        }
        return { costs, sizes, names, failed, buildMs, aliases };
      },
      { allowWrites: defs.length > 0 || drops.length > 0 },
    );
    // a build cut short by the caller's budget is not what the index costs: do not remember it
    if (timeoutMs === undefined || Object.keys(result.failed).length === 0) this.cache.set(key, result);
    return result;
  }
}
