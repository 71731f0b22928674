/** Planner cost of a statement under a hypothetical index configuration. */
export interface WhatIfCost {
  readonly totalCost: number;
  readonly startupCost: number;
  readonly planRows: number;
  /** names of hypothetical or real indexes the chosen plan uses */
  readonly usedIndexes: readonly string[];
  readonly plan: unknown;
}

export interface WhatIfConfiguration {
  /** CREATE INDEX statements to model hypothetically */
  readonly create?: readonly string[];
  /** oids of existing indexes to hide (needs HypoPG ≥ 1.4) */
  readonly hide?: readonly number[];
}

export interface WhatIfCostOptions {
  /** values for $1…$n, as text (the server infers their types) */
  readonly params?: readonly (string | null)[];
}

export interface WhatIfEngine {
  readonly backend: 'hypopg';
  readonly hypopgVersion: string;
  /** hypopg_hide_index exists (HypoPG 1.4+) */
  readonly canHide: boolean;
  /** `options.params` binds $1…$n (otherwise a parameterized statement needs GENERIC_PLAN, PG 16+) */
  cost(sql: string, configuration?: WhatIfConfiguration, options?: WhatIfCostOptions): Promise<WhatIfCost>;
  /** estimated size in bytes of a hypothetical index */
  indexSize(definition: string): Promise<number>;
  /** planner calls made so far (cache misses) */
  readonly calls: number;
  close(): Promise<void>;
}
