/**
 * The forms in which users paste a plan, derived programmatically from a plan captured from a
 * real server here: what psql, pgAdmin, DBeaver, a terminal, a mail client or an old server would
 * have made of the same output. Each variant must read back to the tree of the captured JSON.
 */
export interface PastedVariant {
  readonly name: string;
  /** the variant is of the JSON capture (else of the text capture) */
  readonly json?: boolean;
  make(plan: string, sql: string): string;
}

function rowsOf(text: string): string[] {
  return text.replace(/\n$/, '').split('\n');
}

function psqlBody(rows: readonly string[], header = 'QUERY PLAN'): string[] {
  const width = Math.max(10, ...rows.map((r) => r.length));
  return [`${' '.repeat(Math.floor((width - header.length) / 2))} ${header}`, '-'.repeat(width + 2), ...rows.map((r) => ` ${r}`)];
}

/** Hard wrap every line at `width` columns, as a terminal does when the text is copied from it. */
function hardWrap(rows: readonly string[], width: number): string[] {
  return rows.flatMap((r) => {
    const out: string[] = [];
    for (let i = 0; i < r.length; i += width) out.push(r.slice(i, i + width));
    return out.length === 0 ? [''] : out;
  });
}

/** Word wrap at `width`, breaking at the last space (which is dropped), as mail clients do. */
function wordWrap(rows: readonly string[], width: number): string[] {
  return rows.flatMap((r) => {
    const out: string[] = [];
    let rest = r;
    while (rest.length > width) {
      const at = rest.lastIndexOf(' ', width);
      if (at <= rest.length - rest.trimStart().length) break;
      out.push(rest.slice(0, at));
      rest = rest.slice(at + 1);
    }
    out.push(rest);
    return out;
  });
}

/** An editor's "convert indentation to tabs" with tab width `width`. */
function tabify(rows: readonly string[], width: number): string[] {
  return rows.map((r) => r.replace(/^ +/, (m) => '\t'.repeat(Math.floor(m.length / width)) + ' '.repeat(m.length % width)));
}

function csvQuote(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** psql with \\pset linestyle unicode, border 2 and unicode_border_linestyle double; `mark` ends a row continued on the next. */
function doubleBorder(rows: readonly string[], mark = ''): string[] {
  const width = Math.max(10, ...rows.map((r) => r.length + mark.length));
  const header = 'QUERY PLAN';
  const pad = Math.floor((width - header.length) / 2);
  return [
    `╔${'═'.repeat(width + 2)}╗`,
    `║ ${' '.repeat(pad)}${header}${' '.repeat(width - pad - header.length)} ║`,
    `╠${'═'.repeat(width + 2)}╣`,
    ...rows.map((r, i) => {
      const cont = i < rows.length - 1 ? mark : '';
      return `║ ${r.padEnd(width - cont.length)}${cont} ║`;
    }),
    `╚${'═'.repeat(width + 2)}╝`,
    mark === "" ? `(${rows.length} rows)` : "(1 row)",
  ];
}

/** What a server before 9.4 printed: "Total runtime", no planning time, unnumbered InitPlan/SubPlan. */
function oldServer(text: string): string {
  return rowsOf(text)
    .filter((r) => !/^\s*Planning( Time)?:/.test(r) && !/^Settings:/.test(r))
    .map((r) => r.replace(/^Execution Time:/, 'Total runtime:').replace(/^(\s*)(InitPlan|SubPlan) \d+(?: \(returns .*\))?$/, '$1$2'))
    .join('\n');
}

export const PASTED_VARIANTS: readonly PastedVariant[] = [
  {
    name: 'psql session: prompt, echoed statement, localised footer, timing',
    make: (plan, sql) => {
      const rows = rowsOf(plan);
      return ['shop=# \\timing on', 'Timing is on.', `shop=# EXPLAIN (ANALYZE, BUFFERS)`, `shop-# ${sql};`, ...psqlBody(rows), `(${rows.length} lignes)`, '', 'Time: 438.861 ms', 'shop=# '].join('\n');
    },
  },
  {
    name: 'comments, SET and BEGIN before, prose after',
    make: (plan, sql) =>
      ['-- slow on production since Monday', '# copied from the staging box', 'SET', 'BEGIN', `EXPLAIN ANALYZE ${sql};`, plan.trimEnd(), 'ROLLBACK', '', 'Any idea why this is slow?'].join('\n'),
  },
  {
    name: 'custom column header and German footer',
    make: (plan) => {
      const rows = rowsOf(plan);
      return [...psqlBody(rows, 'plan'), `(${rows.length} Zeilen)`].join('\n');
    },
  },
  { name: 'pgAdmin: every line quoted', make: (plan) => ['"QUERY PLAN"', ...rowsOf(plan).map(csvQuote)].join('\n') },
  { name: 'CSV export without header', make: (plan) => rowsOf(plan).map(csvQuote).join('\r\n') },
  { name: "pgAdmin III: every row in single quotes, inner quotes as they are", make: (plan) => rowsOf(plan).map((r) => `'${r}'`).join('\n') },
  { name: 'export that leaves a double quote at the end of every row', make: (plan) => rowsOf(plan).map((r) => `${r}"`).join('\n') },
  { name: 'psql unicode border, double lines', make: (plan) => doubleBorder(rowsOf(plan)).join('\n') },
  { name: "DBeaver: trailing '|'", make: (plan) => ['QUERY PLAN|', ...rowsOf(plan).map((r) => `${r}|`)].join('\n') },
  { name: 'terminal hard wrap at 80 columns', make: (plan) => hardWrap(rowsOf(plan), 80).join('\n') },
  { name: 'mail word wrap at 72 columns', make: (plan) => wordWrap(rowsOf(plan), 72).join('\n') },
  { name: 'tabs of 8 mixed with spaces', make: (plan) => tabify(rowsOf(plan), 8).join('\n') },
  { name: 'tabs of 4 mixed with spaces', make: (plan) => tabify(rowsOf(plan), 4).join('\n') },
  { name: 'old server: Total runtime, unnumbered InitPlan/SubPlan', make: (plan) => oldServer(plan) },
  {
    name: 'PostgreSQL 9.4–12: lowercase Planning time / Execution time',
    make: (plan) => plan.replace(/^Planning Time:/m, 'Planning time:').replace(/^Execution Time:/m, 'Execution time:'),
  },
  {
    name: 'auto_explain body without its LOG line',
    make: (plan, sql) => [`\tQuery Text: ${sql}`, ...rowsOf(plan).map((r) => `\t${r}`)].join('\n'),
  },
  { name: 'JSON quoted by a CSV export', json: true, make: (json) => csvQuote(json.trimEnd()) },
  {
    name: 'JSON in a psql session',
    json: true,
    make: (json, sql) => ['db=# EXPLAIN (ANALYZE, FORMAT JSON)', `db-# ${sql};`, json.trimEnd(), '', 'Time: 12.5 ms'].join('\n'),
  },
  { name: 'JSON in a psql unicode border, double lines', json: true, make: (json) => doubleBorder(rowsOf(json), '↵').join('\n') },
  {
    name: 'JSON of a server before 9.4 ("Total Runtime")',
    json: true,
    make: (json) => json.replace('"Execution Time"', '"Total Runtime"').replace(/\s*"Planning Time": [\d.]+,/, ''),
  },
];
