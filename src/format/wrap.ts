/** Greedy word wrap; words longer than the width are cut. */
export function wrap(text: string, width: number, indent = ''): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter((w) => w !== '')) {
      let w = word;
      while (indent.length + w.length > width) {
        if (line !== '') {
          lines.push(indent + line);
          line = '';
        }
        const room = Math.max(1, width - indent.length);
        lines.push(indent + w.slice(0, room));
        w = w.slice(room);
      }
      if (line === '') line = w;
      else if (indent.length + line.length + 1 + w.length <= width) line += ` ${w}`;
      else {
        lines.push(indent + line);
        line = w;
      }
    }
    lines.push(indent + line);
  }
  return lines;
}

/** Short text form of an evidence value. */
export function evidenceText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000);
  if (typeof value === 'string') return value.replace(/\s+/g, ' ');
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) return value.map(evidenceText).join(', ');
    return value.map((v) => evidenceText(v)).join('; ');
  }
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}=${evidenceText(v)}`)
      .join(' ');
  }
  return String(value);
}

/**
 * Wraps code for display without changing what it means: breaks only at spaces outside quotes,
 * continuation lines indented further. Lines that cannot be broken stay long.
 */
export function wrapCode(line: string, width: number, indent: string): string[] {
  const out: string[] = [];
  let rest = line;
  let prefix = indent;
  while (prefix.length + rest.length > width) {
    let quote: string | null = null;
    let cut = -1;
    for (let i = 0; i < rest.length && prefix.length + i <= width; i++) {
      const ch = rest[i];
      if (quote !== null) {
        if (ch === quote) quote = null;
      } else if (ch === "'" || ch === '"') quote = ch;
      else if (ch === ' ' && i > 0) cut = i;
    }
    if (cut <= 0) break;
    out.push(prefix + rest.slice(0, cut));
    rest = rest.slice(cut + 1);
    prefix = `${indent}    `;
  }
  out.push(prefix + rest);
  return out;
}
