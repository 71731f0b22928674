/**
 * Literal values from a live database (plan conditions such as `(email = 'alice@example.com'::text)`,
 * values sampled from pg_stats) are customer data: they are masked in what `query` prints unless
 * --show-literals. Fixes are left whole so they stay runnable.
 */

const STRING_LITERAL = /(?<![\w$])[EeBbXxUu]?&?'(?:[^']|'')*'/g;

/** Masks SQL string literals in a plan condition or any SQL fragment. */
export function redactStringLiterals(text: string): string {
  return text.replace(STRING_LITERAL, "'?'");
}

/** `$1 = "alice@example.com" (most common value …)` → `$1 = ? (most common value …)` */
export function redactParameterNote(note: string): string {
  return note.replace(/^(\$\d+ = )("(?:[^"\\]|\\.)*"|null)/, '$1?');
}

/** Deep copy with every string redacted, except under the keys given (fix, statement text). */
export function redactDeep<T>(value: T, keep: ReadonlySet<string>): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactStringLiterals(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, keep.has(k) ? x : walk(x)]));
  };
  return walk(value) as T;
}
