/** Parses the text form of a one-dimensional PostgreSQL array ("{a,\"b c\",NULL}"). */
export function parsePgArray(text: string | null | undefined): (string | null)[] | null {
  if (text === null || text === undefined) return null;
  let s = text.trim();
  // arrays with explicit bounds: "[0:2]={...}"
  const eq = s.indexOf('=');
  if (s.startsWith('[') && eq > 0) s = s.slice(eq + 1);
  if (!s.startsWith('{') || !s.endsWith('}')) return null;
  const out: (string | null)[] = [];
  let i = 1;
  const end = s.length - 1;
  if (i === end) return out;
  while (i <= end) {
    let value: string | null;
    if (s[i] === '"') {
      i++;
      let buf = '';
      while (i < end && s[i] !== '"') {
        if (s[i] === '\\') i++;
        buf += s[i] ?? '';
        i++;
      }
      i++; // closing quote
      value = buf;
    } else {
      let depth = 0;
      const start = i;
      while (i < end && (depth > 0 || s[i] !== ',')) {
        if (s[i] === '{') depth++;
        else if (s[i] === '}') depth--;
        i++;
      }
      const raw = s.slice(start, i).trim();
      value = raw === 'NULL' ? null : raw;
    }
    out.push(value);
    i++; // comma or closing brace
  }
  return out;
}
