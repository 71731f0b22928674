/** The ordering and page size of the "1" query, which an eager load must keep. */
export interface ParentQuery {
  readonly order: readonly { readonly column: string; readonly desc: boolean }[];
  /** LIMIT n; 'param' when the limit is a bind parameter (the code keeps its own variable) */
  readonly limit: number | 'param' | null;
}

export const NO_PARENT_QUERY: ParentQuery = { order: [], limit: null };

/**
 * Reads ORDER BY and LIMIT of the parent statement: a fix that drops them would load every
 * row of the table instead of the page the route shows.
 */
export function parentQueryOf(sql: string | null): ParentQuery {
  if (sql === null) return NO_PARENT_QUERY;
  // the outermost ORDER BY / LIMIT are the last ones in the text
  const orderText = /\bORDER\s+BY\s+((?:(?!\bORDER\s+BY\b)[\s\S])+?)(?:\bLIMIT\b|\bOFFSET\b|\bFOR\s+(?:UPDATE|SHARE)\b|\bFETCH\b|;|\)?\s*$)/i.exec(lastTopLevel(sql))?.[1] ?? '';
  const order = orderText
    .split(',')
    .map((part) => /(?:"?[\w$]+"?\.)?"?([\w$]+)"?\s*(ASC|DESC)?(?:\s+NULLS\s+(?:FIRST|LAST))?\s*$/i.exec(part.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ column: m[1] ?? '', desc: (m[2] ?? '').toUpperCase() === 'DESC' }));
  const limitMatch = /\bLIMIT\s+(\d+|\$\d+)/i.exec(lastTopLevel(sql));
  const limit = limitMatch === null ? null : limitMatch[1]?.startsWith('$') === true ? 'param' : Number(limitMatch[1]);
  return { order, limit };
}

/** The text after the last closing parenthesis that ends a subquery: where the outer ORDER BY lives. */
function lastTopLevel(sql: string): string {
  let depth = 0;
  let cut = 0;
  for (let i = 0; i < sql.length; i++) {
    if (sql[i] === '(') depth++;
    else if (sql[i] === ')') {
      depth--;
      if (depth === 0) cut = i + 1;
    }
  }
  return depth === 0 ? sql.slice(cut) : sql;
}
