import { NON_UNRESERVED_KEYWORDS } from './keywords.ts';

export { deriveIdentifier, fitIdentifier, sanitizeNamePart, serverDefaultName, truncateIdentifier, withSuffix } from './derived-name.ts';

/**
 * The one quoting layer for everything we print or run: identifiers, qualified names, literals
 * and shell arguments. Names come from catalogs an attacker may control (`semi;colon; DROP TABLE
 * victims; --` is a valid table name), so no generated SQL or command concatenates a raw name.
 */

/** quote_ident(): quoted unless lower-case simple and not a keyword that needs quoting. */
export function quoteIdent(name: string): string {
  if (/^[a-z_][a-z0-9_]*$/.test(name) && !NON_UNRESERVED_KEYWORDS.has(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** `schema.name` with both parts quoted as needed; a null schema gives the bare name. */
export function quoteQualified(schema: string | null, name: string): string {
  return schema === null || schema === '' ? quoteIdent(name) : `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/**
 * Splits a possibly quoted, possibly qualified name (`"My Schema"."a.b"`, `public.t`) into its
 * unquoted parts. Unquoted parts fold to lower case, as the server does.
 */
export function splitQualifiedName(qualified: string): string[] {
  const parts: string[] = [];
  let i = 0;
  while (i <= qualified.length) {
    if (qualified[i] === '"') {
      let part = '';
      i++;
      while (i < qualified.length) {
        if (qualified[i] === '"') {
          if (qualified[i + 1] === '"') {
            part += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        part += qualified[i];
        i++;
      }
      parts.push(part);
    } else {
      const dot = qualified.indexOf('.', i);
      const end = dot === -1 ? qualified.length : dot;
      parts.push(qualified.slice(i, end).trim().toLowerCase());
      i = end;
    }
    if (qualified[i] !== '.') break;
    i++;
  }
  return parts;
}

/** Re-quotes a qualified name so it is safe whatever form it arrived in. */
export function requoteQualified(qualified: string): string {
  return splitQualifiedName(qualified).map(quoteIdent).join('.');
}

/** The schema part of a qualified name, quoted, or null when unqualified. */
export function quotedSchemaOf(qualified: string): string | null {
  const parts = splitQualifiedName(qualified);
  return parts.length > 1 ? quoteIdent(parts[parts.length - 2] ?? '') : null;
}

/**
 * A name as quote_ident() printed it, back to the name itself (`"Order Id"` → `Order Id`). Index
 * columns arrive from the catalog this way; candidates and workloads hold raw names.
 */
export function unquoteIdent(name: string): string {
  return name.length >= 2 && name.startsWith('"') && name.endsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name;
}

/** The last part of a qualified name, unquoted. */
export function bareNameOf(qualified: string): string {
  const parts = splitQualifiedName(qualified);
  return parts[parts.length - 1] ?? qualified;
}

/**
 * quote_literal(): single quotes doubled; a value with backslashes becomes E'…' with them doubled
 * too, so it means the same under any standard_conforming_strings setting.
 */
export function quoteLiteral(value: string): string {
  const body = value.replace(/'/g, "''");
  return value.includes('\\') ? `E'${body.replace(/\\/g, '\\\\')}'` : `'${body}'`;
}

/** A dollar-quoted string whose tag does not occur in the body (a name holding `$$` cannot end it). */
export function dollarQuote(body: string): string {
  let tag = '$body$';
  for (let n = 1; body.includes(tag); n++) tag = `$body${n}$`;
  return `${tag}${body}${tag}`;
}

/**
 * A shell word: left bare when it only has safe characters, else single-quoted (POSIX). A word
 * with control characters (a newline in a table name) uses bash's $'…' so the command stays on
 * one line, which matters when it is printed inside a `--` comment.
 */
export function quoteShellArg(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(arg)) {
    // eslint-disable-next-line no-control-regex
    const body = arg.replace(/[\\']/g, (c) => `\\${c}`).replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
    return `$'${body}'`;
  }
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** A command line from words, each quoted for the shell. */
export function shellCommand(words: readonly string[]): string {
  return words.map(quoteShellArg).join(' ');
}

/**
 * Makes untrusted text safe to write to a terminal: control characters (escape sequences,
 * carriage returns, bells) become visible \x.. / \u.... escapes; newlines and tabs stay.
 */
export function escapeControlChars(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]/g, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * Text safe inside a `-- …` SQL comment: a newline in a name would end the comment and turn the
 * rest of the name into a statement, so line breaks and other control characters are escaped.
 */
export function commentText(text: string): string {
  return escapeControlChars(text).replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}

/**
 * True when every name can be typed as is on our own command lines (`migrate plan --add-fk t.c->p.id`):
 * lower-case plain identifiers. Other names are not printed as a command, since those flags read plain names.
 */
export function plainNames(...names: readonly string[]): boolean {
  return names.every((n) => /^[a-z_][a-z0-9_$]*(\.[a-z_][a-z0-9_$]*)?$/.test(n));
}
