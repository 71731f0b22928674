import type pg from 'pg';
import type { Database } from '../collect/connection.ts';
import { markOwn } from '../collect/connection.ts';
import type { WhatIfConfiguration, WhatIfCost, WhatIfCostOptions, WhatIfEngine } from './what-if-engine.ts';

interface PlanNode {
  'Node Type'?: string;
  'Index Name'?: string;
  'Total Cost'?: number;
  'Startup Cost'?: number;
  'Plan Rows'?: number;
  Plans?: PlanNode[];
}

function usedIndexes(node: PlanNode, out: Set<string>): Set<string> {
  if (node['Index Name'] !== undefined) out.add(node['Index Name']);
  for (const child of node.Plans ?? []) usedIndexes(child, out);
  return out;
}

/**
 * What-if engine on HypoPG. Hypothetical indexes live in one backend, so the engine holds one
 * pooled session for its lifetime and resets them before every configuration and on close:
 * nothing is ever left behind. Results are cached by (statement, configuration).
 */
export class HypopgEngine implements WhatIfEngine {
  readonly backend = 'hypopg' as const;
  readonly hypopgVersion: string;
  readonly canHide: boolean;
  readonly serverVersionNum: number;
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
    await client.query(markOwn('SELECT hypopg_reset()'));
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

  async cost(sql: string, configuration: WhatIfConfiguration = {}, options: WhatIfCostOptions = {}): Promise<WhatIfCost> {
    const create = [...(configuration.create ?? [])].sort();
    const hide = [...(configuration.hide ?? [])].sort((a, b) => a - b);
    const params = options.params ?? null;
    const key = JSON.stringify(params === null ? [sql, create, hide] : [sql, create, hide, params]);
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    return this.exclusive(async () => {
      const again = this.cache.get(key);
      if (again !== undefined) return again;
      await this.client.query(markOwn('SELECT hypopg_reset()'));
      if (this.canHide) await this.client.query(markOwn('SELECT hypopg_unhide_all_indexes()'));
      for (const def of create) await this.client.query(markOwn('SELECT * FROM hypopg_create_index($1)'), [def]);
      if (hide.length > 0) {
        if (!this.canHide) throw new Error(`HypoPG ${this.hypopgVersion} cannot hide indexes (needs 1.4+)`);
        for (const oid of hide) await this.client.query(markOwn('SELECT hypopg_hide_index($1)'), [oid]);
      }
      const generic = params === null && /\$\d/.test(sql) && this.serverVersionNum >= 160000 ? 'GENERIC_PLAN, ' : '';
      this.plannerCalls++;
      const result = await this.client.query(markOwn(`EXPLAIN (${generic}FORMAT JSON) ${sql}`), params === null ? undefined : [...params]);
      const plan = (result.rows[0] as { 'QUERY PLAN': { Plan: PlanNode }[] })['QUERY PLAN'][0]?.Plan ?? {};
      const cost: WhatIfCost = {
        totalCost: plan['Total Cost'] ?? 0,
        startupCost: plan['Startup Cost'] ?? 0,
        planRows: plan['Plan Rows'] ?? 0,
        usedIndexes: [...usedIndexes(plan, new Set())].sort(),
        plan,
      };
      this.cache.set(key, cost);
      return cost;
    });
  }

  async indexSize(definition: string): Promise<number> {
    const cached = this.sizeCache.get(definition);
    if (cached !== undefined) return cached;
    return this.exclusive(async () => {
      await this.client.query(markOwn('SELECT hypopg_reset()'));
      const created = await this.client.query<{ indexrelid: number }>(markOwn('SELECT indexrelid FROM hypopg_create_index($1)'), [definition]);
      const oid = created.rows[0]?.indexrelid;
      const size = await this.client.query<{ s: string }>(markOwn('SELECT hypopg_relation_size($1)::text AS s'), [oid]);
      const bytes = Number(size.rows[0]?.s ?? 0);
      this.sizeCache.set(definition, bytes);
      return bytes;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.exclusive(async () => {
      await this.client.query(markOwn('SELECT hypopg_reset()')).catch(() => undefined);
      if (this.canHide) await this.client.query(markOwn('SELECT hypopg_unhide_all_indexes()')).catch(() => undefined);
    });
    this.client.release();
  }
}
