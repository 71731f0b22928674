import { formatSql } from './format-sql.ts';

/**
 * Before and after SQL as two columns when both fit the width, else one above the other.
 * Pure: returns lines.
 */
export function sideBySide(before: string, after: string, width: number): string[] {
  const gutter = ' │ ';
  const col = Math.floor((width - gutter.length) / 2);
  const left = formatSql(before, col).split('\n');
  const right = formatSql(after, col).split('\n');
  const fits = [...left, ...right].every((l) => l.length <= col) && col >= 30;
  if (!fits) {
    const rule = '─'.repeat(Math.min(width, 80));
    return ['before:', ...formatSql(before, width).split('\n').map((l) => `  ${l}`), rule, 'after:', ...formatSql(after, width).split('\n').map((l) => `  ${l}`)];
  }
  const lines = [`${'before'.padEnd(col)}${gutter}after`, `${'─'.repeat(col)}─┼─${'─'.repeat(col)}`];
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    lines.push(`${(left[i] ?? '').padEnd(col)}${gutter}${right[i] ?? ''}`.trimEnd());
  }
  return lines;
}
