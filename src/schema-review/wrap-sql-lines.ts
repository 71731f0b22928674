/**
 * Wraps long pre-rendered lines (SQL in report sections) at spaces so the terminal renderer does
 * not cut them; continuation lines keep the indentation plus two spaces, which SQL ignores.
 */
export function wrapSqlLines(lines: readonly string[], width = 78): string[] {
  const out: string[] = [];
  for (const line of lines) {
    if (line.length <= width) {
      out.push(line);
      continue;
    }
    const indent = /^\s*/.exec(line)?.[0] ?? '';
    const comment = line.trimStart().startsWith('--');
    const cont = `${indent}${comment ? '-- ' : '  '}`;
    let rest = line;
    let first = true;
    while (rest.length > width) {
      const cut = rest.lastIndexOf(' ', width);
      const at = cut <= (first ? indent.length : cont.length) + 10 ? width : cut;
      out.push(rest.slice(0, at).trimEnd());
      rest = cont + rest.slice(at).trimStart();
      first = false;
    }
    out.push(rest);
  }
  return out;
}
