import { wrap } from '../render/wrap.ts';

/** Wraps prose lines of a report section to the terminal width, keeping their indentation. */
export function wrapSectionLines(lines: readonly string[], width = 80): string[] {
  return lines.flatMap((line) => {
    if (line.length <= width) return [line];
    const indent = /^\s*(?:- )?/.exec(line)?.[0] ?? '';
    const [first = '', ...rest] = wrap(line.slice(indent.length), width - indent.length - 2);
    return [`${indent}${first}`, ...rest.map((l) => `${' '.repeat(indent.length)}  ${l}`)];
  });
}
