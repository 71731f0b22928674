import type pg from 'pg';
import type { Database } from '../collect/connection.ts';
import { explainCost, explainMany } from './explain-cost.ts';
import type { WhatIfConfiguration, WhatIfCost, WhatIfCostOptions, WhatIfEngine } from './what-if-engine.ts';

/**
 * What-if engine on HypoPG. Hypothetical indexes live in one backend, so the engine holds one
 * pooled session for its lifetime and resets them before every configuration and on close:
 * nothing is ever left behind. Results are cached by (statement, configuration); callers that
 * pass only the indexes relevant to a statement get the (statement, relevant subset) cache.
 * Parameterized statements are planned generically (GENERIC_PLAN on 16+, PREPARE on 14/15).
 */
export class HypopgEngine implements WhatIfEngine {
  readonly backend = 'hypopg' as const;
  readonly hypopgVersion: string;
  readonly canHide: boolean;
  readonly serverVersionNum: number;
  /** HypoPG models btree faithfully; brin/hash exist but their costs are rough, gin/gist are not supported */
  readonly methods: readonly string[] = ['btree'];
  private readonly client: pg.PoolClient;
  private readonly cache = new Map<string, WhatIfCost>();
  private readonly sizeCache = new Map<string, number>();
  private plannerCalls = 0;
  private closed = false;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(client: pg.PoolClient, version: string, serverVersionNum: number) {
    this.client = client;
    this.hypopgVersion = version;
    const [major = 0, minor = 0] = version.split('.').map(Number);
    this.canHide = major > 1 || (major === 1 && minor >= 4);
    this.serverVersionNum = serverVersionNum;
  }

  /** Null when HypoPG is not installed in this database. */
  static async open(db: Database): Promise<HypopgEngine | null> {
    const rows = await db.query<{ extversion: string; v: number }>(
      `SELECT extversion, current_setting('server_version_num')::int AS v FROM pg_extension WHERE extname = 'hypopg'`,
    );
    const row = rows[0];
    if (row === undefined) return null;
    const client = await db.acquire();
    await client.query('SELECT hypopg_reset()');
    return new HypopgEngine(client, row.extversion, row.v);
  }

  get calls(): number {
    return this.plannerCalls;
  }

  /** Serializes work on the single session. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private key(sql: string, create: readonly string[], hide: readonly number[]): string {
    return JSON.stringify([sql, create, hide]);
  }

  /** Resets HypoPG and applies one configuration on the held session; returns definition → hypothetical name. */
  private async apply(create: readonly string[], hide: readonly number[]): Promise<Record<string, string>> {
    await this.client.query('SELECT hypopg_reset()');
    if (this.canHide) await this.client.query('SELECT hypopg_unhide_all_indexes()');
    const names: Record<string, string> = {};
    if (create.length > 0) {
      // one round trip for the whole configuration; WITH ORDINALITY keeps each name with its definition
      const r = await this.client.query<{ n: string; indexname: string }>(
        'SELECT d.n::text AS n, (hypopg_create_index(d.def)).indexname FROM unnest($1::text[]) WITH ORDINALITY AS d(def, n) ORDER BY d.n',
        [create],
      );
      for (const row of r.rows) names[create[Number(row.n) - 1] ?? ''] = row.indexname;
    }
    if (hide.length > 0) {
      if (!this.canHide) throw new Error(`HypoPG ${this.hypopgVersion} cannot hide indexes (needs 1.4+)`);
      for (const oid of hide) await this.client.query('SELECT hypopg_hide_index($1)', [oid]);
    }
    return names;
  }

  async cost(sql: string, configuration: WhatIfConfiguration = {}, options: WhatIfCostOptions = {}): Promise<WhatIfCost> {
    if (options.params !== undefined) return this.costWithValues(sql, configuration, options.params);
    const [result] = await this.costMany([sql], configuration);
    if (result instanceof Error) throw result;
    if (result === undefined) throw new Error('no result');
    return result;
  }

  /** The plan for bound values (a custom plan), cached with the values. */
  private async costWithValues(sql: string, configuration: WhatIfConfiguration, values: readonly unknown[]): Promise<WhatIfCost> {
    const create = [...new Set(configuration.create ?? [])].sort();
    const hide = [...new Set(configuration.hide ?? [])].sort((a, b) => a - b);
    const key = JSON.stringify([sql, create, hide, values]);
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    return this.exclusive(async () => {
      const names = await this.apply(create, hide);
      this.plannerCalls++;
      const cost: WhatIfCost = { ...(await explainCost(this.client, sql, this.serverVersionNum, values)), hypothetical: names };
      this.cache.set(key, cost);
      return cost;
    });
  }

  async costMany(sqls: readonly string[], configuration: WhatIfConfiguration = {}): Promise<(WhatIfCost | Error)[]> {
    const create = [...new Set(configuration.create ?? [])].sort();
    const hide = [...new Set(configuration.hide ?? [])].sort((a, b) => a - b);
    const missing = sqls.filter((s) => !this.cache.has(this.key(s, create, hide)));
    const errors = new Map<string, Error>();
    if (missing.length > 0) {
      await this.exclusive(async () => {
        const names = await this.apply(create, hide);
        const todo = [...new Set(missing)].filter((sql) => !this.cache.has(this.key(sql, create, hide)));
        this.plannerCalls += todo.length;
        const results = await explainMany(this.client, todo, this.serverVersionNum);
        todo.forEach((sql, i) => {
          const r = results[i];
          if (r === undefined || r instanceof Error) errors.set(sql, r ?? new Error('not planned'));
          else this.cache.set(this.key(sql, create, hide), { ...r, hypothetical: names });
        });
      });
    }
    return sqls.map((s) => this.cache.get(this.key(s, create, hide)) ?? errors.get(s) ?? new Error('not planned'));
  }

  async indexSize(definition: string): Promise<number> {
    const cached = this.sizeCache.get(definition);
    if (cached !== undefined) return cached;
    return this.exclusive(async () => {
      await this.client.query('SELECT hypopg_reset()');
      const created = await this.client.query<{ indexrelid: number }>('SELECT indexrelid FROM hypopg_create_index($1)', [definition]);
      const oid = created.rows[0]?.indexrelid;
      const size = await this.client.query<{ s: string }>('SELECT hypopg_relation_size($1)::text AS s', [oid]);
      const bytes = Number(size.rows[0]?.s ?? 0);
      this.sizeCache.set(definition, bytes);
      return bytes;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.exclusive(async () => {
      await this.client.query('SELECT hypopg_reset()').catch(() => undefined);
      if (this.canHide) await this.client.query('SELECT hypopg_unhide_all_indexes()').catch(() => undefined);
    });
    this.client.release();
  }
}
