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
    const stacked = (sql: string): string[] => formatSql(sql, width).split('\n').flatMap((l) => fitLine(`  ${l}`, width));
    return ['before:', ...stacked(before), rule, 'after:', ...stacked(after)];
  }
  const lines = [`${'before'.padEnd(col)}${gutter}after`, `${'─'.repeat(col)}─┼─${'─'.repeat(col)}`];
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    lines.push(`${(left[i] ?? '').padEnd(col)}${gutter}${right[i] ?? ''}`.trimEnd());
  }
  return lines;
}

/** Breaks a too-long SQL line at a space, continuing further indented, so nothing is cut off. */
export function fitLine(line: string, width: number): string[] {
  if (line.length <= width) return [line];
  const indent = ' '.repeat(Math.min(line.length - line.trimStart().length + 4, Math.floor(width / 2)));
  const out: string[] = [];
  let rest = line;
  while (rest.length > width) {
    let cut = rest.lastIndexOf(' ', width);
    if (cut <= indent.length) cut = width;
    out.push(rest.slice(0, cut).trimEnd());
    rest = indent + rest.slice(cut).trimStart();
  }
  out.push(rest);
  return out;
}
