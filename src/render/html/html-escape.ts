/**
 * Every text that reaches the page goes through here: table names, SQL and settings come from
 * the database and may hold markup ("<script>" as a table name is legal in PostgreSQL).
 */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** A tag with escaped attribute values; children are already-rendered HTML. */
export function el(tag: string, attrs: Readonly<Record<string, string | number | boolean | undefined>>, ...children: readonly string[]): string {
  const a = Object.entries(attrs)
    .filter(([, v]) => v !== undefined && v !== false)
    .map(([k, v]) => (v === true ? ` ${k}` : ` ${k}="${esc(v)}"`))
    .join('');
  return `<${tag}${a}>${children.join('')}</${tag}>`;
}

/** Numbers for humans in tables and charts. */
export function num(n: number, digits = 1): string {
  if (!Number.isFinite(n)) return String(n);
  return Math.abs(n) >= 100 || Number.isInteger(n) ? Math.round(n).toLocaleString('en-US') : n.toFixed(digits);
}
