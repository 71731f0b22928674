/** Planner cost of a statement under a hypothetical index configuration. */
export interface WhatIfCost {
  readonly totalCost: number;
  readonly startupCost: number;
  readonly planRows: number;
  /** names of hypothetical or real indexes the chosen plan uses */
  readonly usedIndexes: readonly string[];
  readonly plan: unknown;
  /** name HypoPG gave each hypothetical index of the configuration, by definition */
  readonly hypothetical?: Readonly<Record<string, string>>;
}

export interface WhatIfConfiguration {
  /** CREATE INDEX statements to model hypothetically */
  readonly create?: readonly string[];
  /** oids of existing indexes to hide (needs HypoPG ≥ 1.4) */
  readonly hide?: readonly number[];
  /** bound (ms) for the whole call: real builds of the sandbox stop there (a HypoPG call only plans) */
  readonly timeoutMs?: number;
}

export interface WhatIfCostOptions {
  /** values for $1…$n, as text (the server infers their types) */
  readonly params?: readonly (string | null)[];
}

export interface WhatIfEngine {
  /** 'sandbox': real builds in rolled-back transactions (SandboxWhatIf), only on a database that is ours */
  readonly backend: 'hypopg' | 'sandbox';
  readonly hypopgVersion: string;
  /** hypopg_hide_index exists (HypoPG 1.4+) */
  readonly canHide: boolean;
  /** `options.params` binds $1…$n (otherwise a parameterized statement needs a generic plan) */
  cost(sql: string, configuration?: WhatIfConfiguration, options?: WhatIfCostOptions): Promise<WhatIfCost>;
  /** several statements under one configuration: the hypothetical indexes are created once */
  costMany?(sqls: readonly string[], configuration?: WhatIfConfiguration): Promise<(WhatIfCost | Error)[]>;
  /** index access methods HypoPG can model here */
  readonly methods?: readonly string[];
  /** estimated size in bytes of a hypothetical index */
  indexSize(definition: string): Promise<number>;
  /** planner calls made so far (cache misses) */
  readonly calls: number;
  close(): Promise<void>;
}
