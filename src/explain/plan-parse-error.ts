import { DbOptimizeError } from '../errors/index.ts';

/** The one error the plan parsers throw: what is wrong and where (1-based line and column). */
export function planParseError(message: string, where: { line?: number; column?: number; source?: string } = {}, hint?: string): DbOptimizeError {
  const at =
    where.line === undefined ? '' : where.column === undefined ? ` at line ${where.line}` : ` at line ${where.line}, column ${where.column}`;
  const source = where.source === undefined ? '' : `${where.source}: `;
  return new DbOptimizeError('E_PLAN_PARSE', 'input', `${source}cannot read the plan${at}: ${message}`, {
    hint:
      hint ??
      'pass the output of EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) or of EXPLAIN ANALYZE in text (psql output and auto_explain log lines are accepted)',
    details: { ...(where.line === undefined ? {} : { line: where.line }), ...(where.column === undefined ? {} : { column: where.column }) },
  });
}

/** 1-based line and column of a character offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: end - last };
}
