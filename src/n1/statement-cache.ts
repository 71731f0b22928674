import { maskLiterals } from './sql-literals.ts';
import { analyzeStatement } from './statement-shape.ts';
import type { StatementShape } from './statement-shape.ts';

export interface AnalyzedEvent {
  readonly shape: StatementShape | null;
  /** values of $1..$n of the normalized statement: bind parameters first, then inlined literals */
  readonly values: readonly (string | undefined)[];
}

/**
 * Fingerprints statements once per literal-masked text. Bounded: a log with millions of
 * distinct texts keeps memory flat (the map is cleared when it grows past `limit`).
 */
export class StatementCache {
  private readonly shapes = new Map<string, StatementShape | null>();
  unparsable = 0;
  constructor(private readonly limit = 50_000) {}

  analyze(sql: string, params: readonly string[] | null): AnalyzedEvent {
    const masked = maskLiterals(sql);
    let shape = this.shapes.get(masked.key);
    if (shape === undefined) {
      shape = analyzeStatement(sql);
      if (this.shapes.size >= this.limit) this.shapes.clear();
      this.shapes.set(masked.key, shape);
    }
    if (shape === null) {
      this.unparsable++;
      return { shape, values: [] };
    }
    const bind: (string | undefined)[] = [];
    for (let i = 0; i < shape.bindParamCount; i++) bind.push(params?.[i]);
    return { shape, values: [...bind, ...masked.literals] };
  }
}
