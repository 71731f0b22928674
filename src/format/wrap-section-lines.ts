import { wrap } from './wrap.ts';

/** Wraps prose lines of a report section to the terminal width, keeping their indentation. */
export function wrapSectionLines(lines: readonly string[], width = 80): string[] {
  return lines.flatMap((line) => {
    if (line.length <= width) return [line];
    const indent = /^\s*(?:- )?/.exec(line)?.[0] ?? '';
    const [first = '', ...rest] = wrap(line.slice(indent.length), width - indent.length - 2);
    return [`${indent}${first}`, ...rest.map((l) => `${' '.repeat(indent.length)}  ${l}`)];
  });
}

/**
 * Help text from lines written as prose: consecutive prose lines are joined and re-wrapped at 80
 * columns; empty lines separate paragraphs and indented lines (examples) are kept as they are.
 */
export function helpText(lines: readonly string[]): string {
  const out: string[] = [];
  let paragraph: string[] = [];
  const flush = (): void => {
    if (paragraph.length > 0) out.push(...wrap(paragraph.join(' '), 80));
    paragraph = [];
  };
  for (const line of lines) {
    if (line === '' || line.startsWith(' ') || line.endsWith(':')) {
      flush();
      out.push(line);
    } else paragraph.push(line);
  }
  flush();
  return out.join('\n');
}

/** Wraps the prose sections of a report; files (ini, snippets, application settings) keep their lines. */
export function wrapProseSections<S extends { readonly id: string; readonly lines: readonly string[] }>(sections: readonly S[]): S[] {
  return sections.map((x) => ({ ...x, lines: x.id.endsWith('app-settings') || x.id.endsWith('-ini') || x.id.endsWith('-snippet') ? x.lines : wrapSectionLines(x.lines) }));
}
