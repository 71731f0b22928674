import { createHash } from 'node:crypto';

/**
 * Names we make up for new objects (`orders_user_id_idx`, `orders_new`, `events_p20240101`) and
 * the names the server itself would choose. PostgreSQL silently cuts identifiers to 63 bytes, so
 * `<long column>_new` and `<long column>_old` would both become `<long column>`: a name that must
 * be cut keeps its suffix and gets a short hash of the whole, so two long names stay two names.
 */

export const MAX_IDENTIFIER_BYTES = 63;

const HASH_CHARS = 8;

/** Truncates to at most maxBytes of UTF-8 without splitting a character. */
export function truncateIdentifier(name: string, maxBytes = MAX_IDENTIFIER_BYTES): string {
  let out = '';
  let bytes = 0;
  for (const ch of name) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (bytes + n > maxBytes) break;
    out += ch;
    bytes += n;
  }
  return out;
}

function shortHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, HASH_CHARS);
}

/**
 * `name` + `suffix` (`orders_pkey`, `amount_new`) within 63 bytes: unchanged when it fits, else
 * the name cut on a character boundary, `_` and 8 hex characters of a hash of the full name, then
 * the suffix — deterministic, so every step and rollback that derives it gets the same name.
 */
export function withSuffix(name: string, suffix: string): string {
  const full = name + suffix;
  if (Buffer.byteLength(full, 'utf8') <= MAX_IDENTIFIER_BYTES) return full;
  const room = MAX_IDENTIFIER_BYTES - Buffer.byteLength(suffix, 'utf8') - HASH_CHARS - 1;
  return truncateIdentifier(`${truncateIdentifier(name, Math.max(room, 0))}_${shortHash(full)}${suffix}`);
}

/** A name we build whole (`orders_customer_id`): unchanged when it fits, else cut and hashed. */
export function fitIdentifier(name: string): string {
  return withSuffix(name, '');
}

/**
 * A name part derived from a catalog name: letters (any script) and digits kept, lower-cased,
 * everything else (quotes, spaces, semicolons, control and format characters) becomes `_`, so a
 * hostile name cannot leak syntax even before it is quoted, and `заказы` stays distinct from `клиенты`.
 */
export function sanitizeNamePart(part: string): string {
  return part
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}_]+/gu, '_')
    .replace(/^_+|_+$/g, '');
}

/**
 * A new object name from parts and a suffix (`orders_user_id_idx`): parts sanitised, never
 * starting with a digit, within 63 bytes with the suffix kept (hashed when cut, see withSuffix).
 */
export function deriveIdentifier(parts: readonly string[], suffix: string): string {
  const cleanSuffix = sanitizeNamePart(suffix) || 'x';
  let base = parts.map(sanitizeNamePart).filter((p) => p !== '').join('_');
  if (base === '' || /^[0-9]/.test(base)) base = `t_${base}`.replace(/_+$/, '');
  return withSuffix(base, `_${cleanSuffix}`);
}

/**
 * The name PostgreSQL gives an object created without one (makeObjectName in the server:
 * `orders_customer_id_fkey`, `orders_pkey`): the longer of the two parts is cut first, on a
 * character boundary, until the whole fits. No hash: this predicts the server, it does not invent.
 * (When that name is taken the server appends a digit; only the catalog can tell.)
 */
export function serverDefaultName(name1: string, name2: string | null, label: string | null): string {
  const overhead = (name2 === null ? 0 : 1) + (label === null ? 0 : Buffer.byteLength(label, 'utf8') + 1);
  const avail = MAX_IDENTIFIER_BYTES - overhead;
  let n1 = Buffer.byteLength(name1, 'utf8');
  let n2 = name2 === null ? 0 : Buffer.byteLength(name2, 'utf8');
  while (n1 + n2 > avail) {
    if (n1 > n2) n1--;
    else n2--;
  }
  let out = truncateIdentifier(name1, n1);
  if (name2 !== null) out += `_${truncateIdentifier(name2, n2)}`;
  if (label !== null) out += `_${label}`;
  return out;
}
