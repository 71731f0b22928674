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

export interface WhatIfEngine {
  readonly backend: 'hypopg';
  readonly hypopgVersion: string;
  /** hypopg_hide_index exists (HypoPG 1.4+) */
  readonly canHide: boolean;
  cost(sql: string, configuration?: WhatIfConfiguration): Promise<WhatIfCost>;
  /** estimated size in bytes of a hypothetical index */
  indexSize(definition: string): Promise<number>;
  /** planner calls made so far (cache misses) */
  readonly calls: number;
  close(): Promise<void>;
}
