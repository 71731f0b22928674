import type pg from 'pg';
import type { Database } from '../collect/connection.ts';
import { NO_CLIENT_TIMEOUT_MS } from '../collect/connection.ts';
import { dropIndexDdl, qualifiedIndexName } from './index-name.ts';
import type { IndexRecommendation } from './types.ts';

export interface CreatedIndex {
  readonly name: string;
  readonly ddl: string;
  readonly ok: boolean;
  readonly ms: number;
  readonly error?: string;
}

/**
 * The one write path of the advisor, used only by `indexes --create`: a dedicated session is
 * switched to read-write, builds each index CONCURRENTLY (outside any transaction, so reads and
 * writes continue), drops a build that ended INVALID, and is then destroyed rather than returned
 * to the read-only pool.
 */
export async function createIndexesConcurrently(
  db: Database,
  indexes: readonly IndexRecommendation[],
  options: { lockTimeoutMs?: number; onProgress?: (message: string) => void; clock?: () => number } = {},
): Promise<CreatedIndex[]> {
  const clock = options.clock ?? Date.now;
  const client = await db.acquire();
  const out: CreatedIndex[] = [];
  try {
    await client.query(`SET default_transaction_read_only = off`);
    await client.query(`SET lock_timeout = '${Math.trunc(options.lockTimeoutMs ?? 5000)}ms'`);
    await client.query('SET statement_timeout = 0');
    for (const r of indexes) {
      options.onProgress?.(`creating ${r.name} on ${r.candidate.table}…`);
      const t0 = clock();
      try {
        // a partitioned parent's index is several statements (ON ONLY, CONCURRENTLY per partition, ATTACH): one at a time;
        // statement_timeout is 0 for the build: lift the client-side limit too
        for (const statement of r.ddl.split(/;\n/)) await client.query({ text: statement.replace(/;$/, ''), query_timeout: NO_CLIENT_TIMEOUT_MS } as pg.QueryConfig);
        // by schema-qualified name: an index outside the search_path is not "visible" yet valid
        const valid = await client.query<{ ok: boolean }>(`SELECT i.indisvalid AS ok FROM pg_index i WHERE i.indexrelid = to_regclass($1)`, [qualifiedIndexName(r.candidate.table, r.name)]);
        if (valid.rows[0]?.ok !== true) throw new Error('the build finished INVALID');
        out.push({ name: r.name, ddl: r.ddl, ok: true, ms: clock() - t0 });
      } catch (error) {
        await client.query(dropIndexDdl(r.candidate.table, r.name)).catch(() => undefined);
        out.push({ name: r.name, ddl: r.ddl, ok: false, ms: clock() - t0, error: (error as Error).message });
      }
    }
  } finally {
    client.release(true);
  }
  return out;
}
