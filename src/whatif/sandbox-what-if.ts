import type { Database } from '../collect/connection.ts';
import { SandboxEngine } from './sandbox-engine.ts';
import type { WhatIfConfiguration, WhatIfCost, WhatIfEngine } from './what-if-engine.ts';

/**
 * The what-if interface answered by real builds in rolled-back transactions, for a database that
 * is ours (the demo) when HypoPG is missing. Each build holds a SHARE lock on its table until the
 * rollback, so it is never opened on someone else's database without being asked.
 */
export class SandboxWhatIf implements WhatIfEngine {
  readonly backend = 'sandbox' as const;
  readonly hypopgVersion = '';
  readonly canHide = false;
  readonly engine: SandboxEngine;

  constructor(db: Database, serverVersionNum: number) {
    this.engine = new SandboxEngine(db, serverVersionNum);
  }

  get calls(): number {
    return this.engine.calls;
  }

  async cost(sql: string, configuration: WhatIfConfiguration = {}): Promise<WhatIfCost> {
    const [first] = await this.costMany([sql], configuration);
    if (first === undefined) throw new Error('the sandbox returned no plan');
    if (first instanceof Error) throw first;
    return first;
  }

  async costMany(sqls: readonly string[], configuration: WhatIfConfiguration = {}): Promise<(WhatIfCost | Error)[]> {
    if ((configuration.hide ?? []).length > 0) throw new Error('the sandbox what-if cannot hide indexes by oid');
    const r = await this.engine.costMany(sqls, configuration.create ?? [], [], configuration.timeoutMs);
    const failed = Object.entries(r.failed)[0];
    if (failed !== undefined) throw new Error(`${failed[0]}: ${failed[1]}`);
    return r.costs.map((c) => (c instanceof Error ? c : { ...c, hypothetical: r.names }));
  }

  async indexSize(definition: string): Promise<number> {
    const r = await this.engine.costMany([], [definition]);
    const bytes = r.sizes[definition];
    if (bytes === undefined) throw new Error(r.failed[definition] ?? 'the index could not be built');
    return bytes;
  }

  async close(): Promise<void> {
    // nothing stays open: every build was rolled back with its transaction
  }
}
