import pg from 'pg';
import { OWN_QUERY_MARKER } from '../collect/connection.ts';

/** One statement of the replay: its SQL (original or verified rewrite) and how to draw its parameters. */
export interface LoadStatement {
  readonly id: string;
  readonly sql: string;
  /** share of the calls in the mix (weights are normalised) */
  readonly weight: number;
  readonly params: (random: () => number) => string[];
}

export interface LoadOptions {
  readonly url: string;
  readonly clients: number;
  readonly durationMs: number;
  readonly statementTimeoutMs: number;
  readonly seed: number;
  /** rounds of every statement run before timing starts, so before and after both start warm */
  readonly warmupRounds?: number;
  readonly onProgress?: (message: string) => void;
}

export interface StatementTimings {
  readonly latenciesMs: number[];
  errors: number;
  lastError: string | null;
}

export interface LoadResult {
  readonly elapsedMs: number;
  readonly perStatement: ReadonlyMap<string, StatementTimings>;
}

/** mulberry32: a seeded generator, so before and after draw the same statement mix and values. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick(statements: readonly LoadStatement[], cumulative: readonly number[], r: number): LoadStatement {
  const total = cumulative[cumulative.length - 1] ?? 1;
  const x = r * total;
  const i = cumulative.findIndex((c) => x < c);
  return statements[i === -1 ? statements.length - 1 : i] as LoadStatement;
}

async function openClient(url: string, statementTimeoutMs: number): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: 'db-optimize-validate' });
  client.on('error', () => undefined);
  await client.connect();
  // the copy is ours, but the replay only reads: a statement that tries to write fails instead of changing the data between runs
  await client.query(`SELECT set_config('statement_timeout', $1, false), set_config('default_transaction_read_only', 'on', false) ${OWN_QUERY_MARKER}`, [
    String(Math.trunc(statementTimeoutMs)),
  ]);
  // pg_stat_statements is shared by the whole server: thousands of replayed calls should not crowd the
  // source's entries out. Only a superuser may turn tracking off; anyone else replays tracked.
  await client.query(`SET pg_stat_statements.track = 'none'`).catch(() => undefined);
  return client;
}

/** The session is gone (terminated, server shut down, network): no point in sending it more. */
function isSessionLost(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code !== 'string' || code.startsWith('08') || code.startsWith('57P');
}

function record(timings: Map<string, StatementTimings>, id: string): StatementTimings {
  let t = timings.get(id);
  if (t === undefined) {
    t = { latenciesMs: [], errors: 0, lastError: null };
    timings.set(id, t);
  }
  return t;
}

/**
 * `clients` node-postgres sessions, each running statements picked by weight, back to back, for
 * `durationMs`; every call's latency is kept (client-side, including the round trip).
 */
export async function runLoad(statements: readonly LoadStatement[], options: LoadOptions): Promise<LoadResult> {
  const timings = new Map<string, StatementTimings>();
  if (statements.length === 0) return { elapsedMs: 0, perStatement: timings };
  const cumulative: number[] = [];
  statements.reduce((sum, s) => (cumulative.push(sum + s.weight), sum + s.weight), 0);
  const clients: pg.Client[] = [];
  try {
    for (let i = 0; i < options.clients; i++) clients.push(await openClient(options.url, options.statementTimeoutMs));
    const warm = seededRandom(options.seed ^ 0x5eed);
    const first = clients[0] as pg.Client;
    for (let round = 0; round < (options.warmupRounds ?? 2); round++) {
      for (const s of statements) await first.query(s.sql, s.params(warm)).catch(() => undefined);
    }
    const started = performance.now();
    const deadline = started + options.durationMs;
    await Promise.all(
      clients.map(async (client, w) => {
        const random = seededRandom(options.seed + w * 7919);
        while (performance.now() < deadline) {
          const s = pick(statements, cumulative, random());
          const values = s.params(random);
          const t0 = performance.now();
          try {
            await client.query(s.sql, values);
            record(timings, s.id).latenciesMs.push(performance.now() - t0);
          } catch (error) {
            const t = record(timings, s.id);
            t.errors++;
            t.lastError = (error as Error).message;
            // a dead session rejects at once: without this the loop would spin on microtasks and starve every timer and signal handler
            if (isSessionLost(error)) return;
            await new Promise((r) => setImmediate(r));
          }
        }
      }),
    );
    return { elapsedMs: performance.now() - started, perStatement: timings };
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  }
}
