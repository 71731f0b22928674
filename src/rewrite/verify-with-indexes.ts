import type { Database } from '../collect/connection.ts';
import { SandboxEngine } from '../whatif/sandbox-engine.ts';
import type { WhatIfEngine } from '../whatif/what-if-engine.ts';
import { describeDbError, round } from './run-statements.ts';
import type { SupportingIndex } from './supporting-indexes.ts';

/** Larger tables are not indexed for real, even in a rolled-back transaction (the build holds a SHARE lock). */
export const SANDBOX_MAX_ROWS = 250_000;

export interface WithIndexesCheck {
  readonly indexes: readonly string[];
  readonly how: 'HypoPG' | 'built in a rolled-back transaction';
  readonly costBefore: number;
  readonly costAfter: number;
  readonly cheaper: boolean;
}

export interface WithIndexesInput {
  readonly original: string;
  readonly after: string;
  readonly beforeParams: readonly (string | null)[];
  readonly afterParams: readonly (string | null)[];
  readonly indexes: readonly SupportingIndex[];
  readonly whatIf: WhatIfEngine | null;
  readonly serverVersionNum: number;
  readonly ratio: number;
  /** what is left of the verification budget: index builds stop there */
  readonly timeoutMs: number;
}

/**
 * Planner cost of both statements once the indexes the original needs exist: HypoPG when it is
 * there, else a real build in a rolled-back transaction on small tables. Returns why not otherwise.
 */
export async function checkWithIndexes(db: Database, input: WithIndexesInput): Promise<WithIndexesCheck | string> {
  const defs = input.indexes.map((i) => i.definition);
  const judge = (how: WithIndexesCheck['how'], b: number, a: number): WithIndexesCheck => ({ indexes: defs, how, costBefore: round(b), costAfter: round(a), cheaper: a < b * input.ratio });
  if (input.timeoutMs < 200) return 'the verification budget was spent before the index could be costed';
  const w = input.whatIf;
  if (w !== null) {
    // the demo's what-if engine builds for real: name what actually happened
    const how = w.backend === 'hypopg' ? 'HypoPG' : 'built in a rolled-back transaction';
    try {
      const configuration = { create: defs, timeoutMs: input.timeoutMs };
      if (w.costMany !== undefined && input.beforeParams.length === 0 && input.afterParams.length === 0) {
        // one build (or one set of hypothetical indexes) for both statements
        const [b, a] = await w.costMany([input.original, input.after], configuration);
        if (b === undefined || a === undefined || b instanceof Error || a instanceof Error) throw b instanceof Error ? b : a instanceof Error ? a : new Error('no plan');
        return judge(how, b.totalCost, a.totalCost);
      }
      const b = await w.cost(input.original, configuration, { params: input.beforeParams });
      const a = await w.cost(input.after, configuration, { params: input.afterParams });
      return judge(how, b.totalCost, a.totalCost);
    } catch (error) {
      return `${how === 'HypoPG' ? 'HypoPG could not cost' : 'could not cost'} the statements with ${defs.join('; ')}: ${describeDbError(error)}`;
    }
  }
  const big = input.indexes.find((i) => i.rowEstimate > SANDBOX_MAX_ROWS);
  if (big !== undefined) return `HypoPG is not installed and ${big.table} (~${big.rowEstimate.toLocaleString('en-US')} rows) is too large to index in a rolled-back transaction`;
  if (input.beforeParams.length > 0 || input.afterParams.length > 0) return 'HypoPG is not installed; a parameterized statement is not costed with a rolled-back index build';
  const sandbox = new SandboxEngine(db, input.serverVersionNum);
  try {
    const r = await sandbox.costMany([input.original, input.after], defs, [], input.timeoutMs);
    const [b, a] = r.costs;
    const failed = Object.entries(r.failed)[0];
    if (failed !== undefined) return `could not build ${failed[0]} in a rolled-back transaction: ${failed[1]}`;
    if (b === undefined || a === undefined || b instanceof Error || a instanceof Error) return `could not plan with the index built: ${String(b instanceof Error ? b.message : a instanceof Error ? a.message : 'no plan')}`;
    return judge('built in a rolled-back transaction', b.totalCost, a.totalCost);
  } catch (error) {
    return `could not build the index in a rolled-back transaction: ${describeDbError(error)}`;
  }
}
