export interface MaskedSql {
  /** the statement with every literal replaced by `?` and whitespace collapsed: a cache key */
  readonly key: string;
  /** literal values in textual order (the order libpg_query's normalize numbers them) */
  readonly literals: readonly string[];
}

const isIdentChar = (c: string): boolean => {
  const k = c.charCodeAt(0);
  return (k >= 48 && k <= 57) || (k >= 65 && k <= 90) || (k >= 97 && k <= 122) || k === 95 || k === 36 || k > 127;
};
const isDigit = (c: string): boolean => {
  const k = c.charCodeAt(0);
  return k >= 48 && k <= 57;
};

/**
 * A cheap scanner that masks literals so that thousands of statements differing only in
 * their constants share one cache entry (libpg_query costs ~50 µs a call; this ~1 µs).
 * Quoted identifiers and comments are kept; the key is never shown to the user.
 */
export function maskLiterals(sql: string): MaskedSql {
  const literals: string[] = [];
  let out = '';
  let i = 0;
  const n = sql.length;
  let lastSpace = false;
  while (i < n) {
    const c = sql[i] as string;
    if (c === "'" || ((c === 'E' || c === 'e') && sql[i + 1] === "'" && (i === 0 || !isIdentChar(sql[i - 1] as string)))) {
      const start = c === "'" ? i : i + 1;
      let j = start + 1;
      let value = '';
      while (j < n) {
        const d = sql[j] as string;
        if (d === "'" && sql[j + 1] === "'") {
          value += "'";
          j += 2;
        } else if (d === '\\' && start !== i) {
          value += sql[j + 1] ?? '';
          j += 2;
        } else if (d === "'") break;
        else {
          value += d;
          j++;
        }
      }
      literals.push(value);
      out += '?';
      i = j + 1;
      lastSpace = false;
      continue;
    }
    if (c === '"') {
      const j = sql.indexOf('"', i + 1);
      const end = j < 0 ? n : j + 1;
      out += sql.slice(i, end);
      i = end;
      lastSpace = false;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      const j = sql.indexOf('\n', i);
      i = j < 0 ? n : j;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const j = sql.indexOf('*/', i + 2);
      i = j < 0 ? n : j + 2;
      continue;
    }
    if (c === '$') {
      const m = /^\$([A-Za-z_]\w*)?\$/.exec(sql.slice(i, i + 64));
      if (m !== null) {
        const tag = m[0];
        const j = sql.indexOf(tag, i + tag.length);
        const end = j < 0 ? n : j + tag.length;
        literals.push(sql.slice(i + tag.length, j < 0 ? n : j));
        out += '?';
        i = end;
        lastSpace = false;
        continue;
      }
      const p = /^\$\d+/.exec(sql.slice(i, i + 12));
      if (p !== null) {
        out += p[0];
        i += p[0].length;
        lastSpace = false;
        continue;
      }
    }
    if (isDigit(c) && (i === 0 || !isIdentChar(sql[i - 1] as string))) {
      const m = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(sql.slice(i, i + 40));
      const len = m === null ? 1 : m[0].length;
      literals.push(sql.slice(i, i + len));
      out += '?';
      i += len;
      lastSpace = false;
      continue;
    }
    if (c === ' ' || c === '\n' || c === '\t' || c === '\r') {
      if (!lastSpace) out += ' ';
      lastSpace = true;
      i++;
      continue;
    }
    out += c;
    lastSpace = false;
    i++;
  }
  return { key: out.trim(), literals };
}
