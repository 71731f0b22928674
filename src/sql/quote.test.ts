import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminUrl } from '../../test/helpers/test-database.ts';
import {
  plainNames,
  commentText,
  deriveIdentifier,
  fitIdentifier,
  serverDefaultName,
  escapeControlChars,
  quoteIdent,
  quoteLiteral,
  quoteQualified,
  quoteShellArg,
  requoteQualified,
  splitQualifiedName,
  withSuffix,
} from './quote.ts';

const HOSTILE = ['user', 'order', 'select', 'user id', 'semi;colon; DROP TABLE victims; --', 'it\'s', 'a"b', 'Mixed', 'ünï', 'new\nline', '1abc', 'name', 'a$b', ''];

let client: pg.Client;
beforeAll(async () => {
  client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
});
afterAll(async () => {
  await client.end();
});

describe('quoteIdent / quoteLiteral agree with the server', () => {
  it('quotes every keyword exactly as quote_ident() does', async () => {
    const r = await client.query<{ word: string; quoted: string }>('SELECT word, quote_ident(word) AS quoted FROM pg_get_keywords()');
    expect(r.rows.length).toBeGreaterThan(400);
    for (const row of r.rows) expect(quoteIdent(row.word), row.word).toBe(row.quoted);
  });

  it('quotes hostile names as quote_ident() does and they round-trip through the server', async () => {
    for (const name of HOSTILE.filter((n) => n !== '')) {
      const r = await client.query<{ q: string; back: string }>(`SELECT quote_ident($1) AS q, (SELECT $1::text) AS back`, [name]);
      expect(quoteIdent(name)).toBe(r.rows[0]?.q);
      const lit = await client.query<{ v: string }>(`SELECT ${quoteLiteral(name)}::text AS v`);
      expect(lit.rows[0]?.v).toBe(name);
    }
  });

  it('a literal with backslashes means the same under both standard_conforming_strings settings', async () => {
    const value = "a\\b'c\\\\";
    for (const setting of ['on', 'off']) {
      await client.query(`SET standard_conforming_strings = ${setting}`);
      const r = await client.query<{ v: string }>(`SELECT ${quoteLiteral(value)}::text AS v`);
      expect(r.rows[0]?.v).toBe(value);
    }
    await client.query('RESET standard_conforming_strings');
    expect(quoteLiteral('plain')).toBe("'plain'");
    // keywords of newer grammars (json_table: 17+) are quoted on every version: always valid
    expect(quoteIdent('json_table')).toBe('"json_table"');
  });
});

describe('qualified names', () => {
  it('split and re-quote like the server', () => {
    expect(splitQualifiedName('"My Schema"."a.b"')).toEqual(['My Schema', 'a.b']);
    expect(splitQualifiedName('public.Orders')).toEqual(['public', 'orders']);
    expect(splitQualifiedName('"x""y".z')).toEqual(['x"y', 'z']);
    expect(requoteQualified('public."semi;colon; DROP TABLE victims; --"')).toBe('public."semi;colon; DROP TABLE victims; --"');
    expect(quoteQualified('My Schema', 'user')).toBe('"My Schema"."user"');
    expect(quoteQualified(null, 'order')).toBe('"order"');
  });
});

describe('derived names', () => {
  it('hold only letters, digits and _, stay within 63 bytes, keep their suffix, never start with a digit', () => {
    for (const h of HOSTILE) {
      const n = deriveIdentifier([h, 'x'.repeat(80)], 'idx');
      expect(n).toMatch(/^[\p{L}_][\p{L}\p{M}\p{N}_]*_idx$/u);
      expect(Buffer.byteLength(n)).toBeLessThanOrEqual(63);
    }
    expect(deriveIdentifier(['orders', 'user_id'], 'idx')).toBe('orders_user_id_idx');
    // names in other scripts stay apart instead of all becoming t_id_idx
    expect(deriveIdentifier(['заказы', 'id'], 'idx')).toBe('заказы_id_idx');
    expect(deriveIdentifier(['клиенты', 'id'], 'idx')).not.toBe(deriveIdentifier(['заказы', 'id'], 'idx'));
  });

  it('withSuffix cuts on a character boundary within 63 bytes, and two cut names stay two names', () => {
    const long = 'ü'.repeat(40);
    const n = withSuffix(long, '_pkey');
    expect(Buffer.byteLength(n)).toBeLessThanOrEqual(63);
    expect(n).toMatch(/^ü+_[0-9a-f]{8}_pkey$/);
    expect(withSuffix(long, '_new')).not.toBe(withSuffix(long, '_old').replace(/_old$/, '_new'));
    expect(withSuffix(`${long}a`, '_new')).not.toBe(withSuffix(`${long}b`, '_new'));
    expect(withSuffix('orders', '_new')).toBe('orders_new');
    expect(fitIdentifier('x'.repeat(63))).toBe('x'.repeat(63));
    expect(Buffer.byteLength(fitIdentifier('я'.repeat(40)))).toBeLessThanOrEqual(63);
  });

  it('names cut by the server itself stay distinct only through withSuffix', async () => {
    // without the hash, <63-byte column>_new and _old both truncate to the column name: the second ADD COLUMN fails
    const col = 'ö'.repeat(31);
    await client.query('BEGIN');
    try {
      await client.query(`CREATE TEMP TABLE dn (${quoteIdent(col)} int)`);
      await client.query(`ALTER TABLE dn ADD COLUMN ${quoteIdent(withSuffix(col, '_new'))} int, ADD COLUMN ${quoteIdent(withSuffix(col, '_old'))} int`);
      const r = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_attribute WHERE attrelid = 'dn'::regclass AND attnum > 0`);
      expect(r.rows[0]?.n).toBe(3);
    } finally {
      await client.query('ROLLBACK');
    }
  });

  it('serverDefaultName predicts the names PostgreSQL gives unnamed indexes and constraints', async () => {
    const table = `т${'а'.repeat(35)}`;
    const column = `к${'о'.repeat(30)}`;
    await client.query('BEGIN');
    try {
      await client.query(`CREATE TEMP TABLE ${quoteIdent(table)} (id int PRIMARY KEY, ${quoteIdent(column)} int UNIQUE)`);
      await client.query(`CREATE INDEX ON ${quoteIdent(table)} (${quoteIdent(column)}, id)`);
      const r = await client.query<{ name: string }>(`SELECT relname AS name FROM pg_class WHERE relnamespace = pg_my_temp_schema() AND relkind = 'i' ORDER BY 1`);
      const expected = [serverDefaultName(table, null, 'pkey'), serverDefaultName(table, column, 'key'), serverDefaultName(table, `${column}_id`, 'idx')];
      expect(r.rows.map((x) => x.name).sort()).toEqual(expected.sort());
    } finally {
      await client.query('ROLLBACK');
    }
  });
});

describe('shell and terminal', () => {
  it('shell words survive a real shell unchanged', async () => {
    const { spawnSync } = await import('node:child_process');
    for (const h of [...HOSTILE, '$(touch /tmp/pwned)', '`id`', 'a\'b"c', '"My Schema"."Order Items"."Item ID"']) {
      const r = spawnSync('bash', ['-c', `printf '%s' ${quoteShellArg(h)}`], { encoding: 'utf8' });
      expect(r.stdout).toBe(h);
    }
  });

  it('control characters are made visible; comment text stays on one line', () => {
    expect(escapeControlChars('a\u001b[31mred\u0007')).toBe('a\\x1b[31mred\\x07');
    expect(commentText('nl\nDROP TABLE victims; --')).toBe('nl\\nDROP TABLE victims; --');
    expect(quoteShellArg('new\nline')).toBe("$'new\\x0aline'");
  });
});

describe('names printed on our own command lines', () => {
  it('only plain lower-case identifiers: a newline, quote or capital never reaches a printed command', () => {
    expect(plainNames('public.orders', 'user_id')).toBe(true);
    expect(plainNames('"Order Items"', 'id')).toBe(false);
    expect(plainNames('public.orders', 'x\nDROP TABLE victims; --')).toBe(false);
    expect(plainNames('Orders')).toBe(false);
    expect(plainNames('a.b.c')).toBe(false);
  });
});
