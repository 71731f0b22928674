/** FNV-1a of a parameter value: the capture needs to tell values apart, never to store them. */
export function hashValue(v: unknown): string {
  // integer keys (the usual N+1 parameter): one multiplication instead of a string and a loop
  if (typeof v === 'number' && Number.isSafeInteger(v)) return `i${(Math.imul(v | 0, 0x9e3779b1) ^ Math.floor(v / 0x100000000)) >>> 0}`;
  const s = v === null || v === undefined ? '\u0000null' : v instanceof Date ? v.toISOString() : typeof v === 'object' ? safeJson(v) : String(v);
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // arrays keep their length: a statement reading 500 keys at once is a chunk, not an N+1
  return Array.isArray(v) ? `${v.length}#${(h >>> 0).toString(16)}` : (h >>> 0).toString(16);
}

function safeJson(v: unknown): string {
  try {
    return Buffer.isBuffer(v) ? v.toString('hex') : JSON.stringify(v);
  } catch {
    return String(v);
  }
}
