import type { AstNode } from '../pg-ast.ts';
import { isNode, num } from '../pg-ast.ts';

export interface StatementSpan {
  readonly node: AstNode;
  /** offset of the first token (comments and blanks before it skipped) */
  readonly start: number;
  readonly end: number;
  /** 1-based */
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  /** comments between the previous statement and this one */
  readonly leadingComments: readonly string[];
  readonly text: string;
}

/** Line and column (1-based) of an offset. */
export function lineColumn(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** Skips blanks and comments from `from`, collecting the comments. */
function skipTrivia(source: string, from: number, to: number, comments: string[]): number {
  let i = from;
  while (i < to) {
    const c = source[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === ';') {
      i++;
    } else if (c === '-' && source[i + 1] === '-') {
      const eol = source.indexOf('\n', i);
      const stop = eol === -1 || eol > to ? to : eol;
      comments.push(source.slice(i + 2, stop).trim());
      i = stop;
    } else if (c === '/' && source[i + 1] === '*') {
      const close = source.indexOf('*/', i + 2);
      const stop = close === -1 ? to : close + 2;
      comments.push(source.slice(i + 2, stop - 2).trim());
      i = stop;
    } else break;
  }
  return i;
}

/** Statement spans of a parsed script (libpg_query gives stmt_location/stmt_len in bytes of UTF-8). */
export function statementSpans(source: string, stmts: readonly unknown[]): StatementSpan[] {
  // libpg_query offsets are byte offsets; map them to string indexes
  const bytes = Buffer.from(source, 'utf8');
  const toIndex = (byteOffset: number): number => bytes.subarray(0, byteOffset).toString('utf8').length;
  const spans: StatementSpan[] = [];
  // libpg_query's stmt_location skips leading comments: scan from the end of the previous statement
  let previousEnd = 0;
  for (const raw of stmts) {
    if (!isNode(raw)) continue;
    const locB = num(raw, 'stmt_location') ?? 0;
    const lenB = num(raw, 'stmt_len') ?? 0;
    const loc = toIndex(locB);
    const endRaw = lenB === 0 ? source.length : toIndex(locB + lenB);
    const comments: string[] = [];
    const start = skipTrivia(source, Math.min(previousEnd, loc), endRaw, comments);
    previousEnd = endRaw;
    const node = isNode(raw.stmt) ? raw.stmt : {};
    const a = lineColumn(source, start);
    const b = lineColumn(source, Math.max(start, endRaw - 1));
    spans.push({
      node,
      start,
      end: endRaw,
      line: a.line,
      column: a.column,
      endLine: b.line,
      leadingComments: comments,
      text: source.slice(start, endRaw).trim(),
    });
  }
  return spans;
}
