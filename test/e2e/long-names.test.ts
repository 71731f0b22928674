import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';

/**
 * Names at PostgreSQL's 63-byte limit in a multi-byte script. The server cuts longer identifiers
 * silently, so `<62-byte name>_new` and `<62-byte name>_old` both become `<62-byte name>_`: every
 * name we derive must stay within 63 bytes and distinct, and the SQL must touch only its object.
 */
const TABLE = 'з'.repeat(31); // 62 bytes
const TWIN = `${'з'.repeat(30)}ж`; // same first 60 bytes
const COLUMN = 'ö'.repeat(31); // 62 bytes
const q = (s: string): string => `"${s.replace(/"/g, '""')}"`;

let t: TestDatabase;
let dir: string;

beforeAll(async () => {
  t = await createTestDatabase('long_names');
  dir = mkdtempSync(join(tmpdir(), 'dbo-long-'));
  await t.exec(`
    CREATE TABLE ${q(TABLE)} (id bigint PRIMARY KEY, ${q(COLUMN)} int, customer_name text, customer_email text, code char(4));
    INSERT INTO ${q(TABLE)} SELECT g, g, 'Customer ' || (g % 50), 'c' || (g % 50) || '@example.com', 'AB' FROM generate_series(1, 2000) g;
    CREATE INDEX ON ${q(TABLE)} (${q(COLUMN)});
    CREATE TABLE ${q(TWIN)} (id bigint PRIMARY KEY, ${q(COLUMN)} int);
    INSERT INTO ${q(TWIN)} SELECT g, g FROM generate_series(1, 100) g;
    ANALYZE;`);
});
afterAll(async () => {
  await t.drop();
  rmSync(dir, { recursive: true, force: true });
});

let scripts = 0;
function psql(script: string): void {
  const file = join(dir, `s${scripts++}.sql`);
  writeFileSync(file, script);
  const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', t.url, '-f', file], { encoding: 'utf8' });
  if (r.error !== undefined) throw r.error;
  if (r.status !== 0) throw new Error(`psql failed on:\n${script}\n${r.stderr}`);
}

interface Catalog {
  relations: string[];
  columns: string[];
}

/** Every user relation and column (name, type), to compare before and after. */
async function catalog(): Promise<Catalog> {
  const rel = await t.exec(`SELECT c.relname || ':' || c.relkind::text AS r FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' ORDER BY 1`);
  const col = await t.exec(`
    SELECT c.relname || '.' || a.attname || ':' || format_type(a.atttypid, a.atttypmod) AS c
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY 1`);
  return { relations: rel.rows.map((r: { r: string }) => r.r), columns: col.rows.map((r: { c: string }) => r.c) };
}

describe('derived names at the 63-byte limit, multi-byte', () => {
  it('migrate plan --change-type: every step runs and only the column changes type', async () => {
    const out = join(dir, 'plan');
    const r = await runCli(['migrate', 'plan', '--change-type', `public.${q(TABLE)}.${q(COLUMN)}`, 'bigint', '--db', t.url, '--key', 'id', '--out-dir', out]);
    expect(r.code, r.stderr).toBe(0);
    const before = await catalog();
    const steps = readdirSync(out)
      .filter((x) => /^\d+_.*\.sql$/.test(x) && !x.includes('.rollback.'))
      .sort();
    expect(steps.length).toBeGreaterThan(3);
    for (const f of steps) psql(readFileSync(join(out, f), 'utf8'));
    for (const name of readFileSync(join(out, steps[0] ?? ''), 'utf8').match(/"[^"]+"/g) ?? []) expect(Buffer.byteLength(name)).toBeLessThanOrEqual(65);
    const after = await catalog();
    expect(after.columns).toEqual(before.columns.map((c) => (c === `${TABLE}.${COLUMN}:integer` ? `${TABLE}.${COLUMN}:bigint` : c)).sort());
    const sum = await t.exec(`SELECT sum(${q(COLUMN)})::bigint AS s FROM ${q(TABLE)}`);
    expect(Number(sum.rows[0]?.s)).toBe((2000 * 2001) / 2);
    const twin = await t.exec(`SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = $1::regclass AND attname = $2`, [q(TWIN), COLUMN]);
    expect(twin.rows).toEqual([{ type: 'integer' }]);
  });

  it('schema fixes (char column check, normalization with <table>_new/_old) run and touch only that table', async () => {
    const r = await runCli(['schema', '--db', t.url, '--format', 'json']);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    const findings = (JSON.parse(r.stdout) as { findings: { rule: string; target: { relation?: string }; fix?: { content: string; rollback?: string } }[] }).findings;
    const mine = (rule: string) => findings.find((f) => f.rule === rule && f.target.relation === `public.${q(TABLE)}`);

    const char = mine('schema-char-column');
    expect(char?.fix).toBeDefined();
    const checks = async (): Promise<{ conname: string; rel: string }[]> =>
      (await t.exec(`SELECT conname, conrelid::regclass::text AS rel FROM pg_constraint WHERE contype = 'c' AND connamespace = 'public'::regnamespace`)).rows as {
        conname: string;
        rel: string;
      }[];
    const consBefore = await checks();
    psql(char?.fix?.content ?? '');
    const added = (await checks()).filter((c) => !consBefore.some((b) => b.conname === c.conname && b.rel === c.rel));
    expect(added).toHaveLength(1);
    expect(added[0]?.rel).toBe(q(TABLE));
    expect(Buffer.byteLength(added[0]?.conname ?? '')).toBeLessThanOrEqual(63);

    const norm = mine('schema-normalization');
    expect(norm?.fix).toBeDefined();
    const twinBefore = (await catalog()).columns.filter((c) => c.startsWith(`${TWIN}.`));
    psql(norm?.fix?.content ?? '');
    const after = await catalog();
    // the new main table took the name, the old one sits beside it under a different (hashed) name
    expect(after.relations).toContain(`${TABLE}:r`);
    expect(after.relations).toContain('customers:r');
    const old = after.relations.filter((x) => x.endsWith('_old:r'));
    expect(old).toHaveLength(1);
    expect(Buffer.byteLength(old[0] ?? '')).toBeLessThanOrEqual(63 + 2);
    expect(after.columns.filter((c) => c.startsWith(`${TWIN}.`))).toEqual(twinBefore);
    expect(Number((await t.exec(`SELECT count(*) AS n FROM ${q(TABLE)}`)).rows[0]?.n)).toBe(2000);
    psql(norm?.fix?.rollback ?? '');
    expect((await catalog()).relations.filter((x) => x.endsWith('_old:r') || x === 'customers:r')).toEqual([]);
    expect(Number((await t.exec(`SELECT count(*) AS n FROM ${q(TABLE)} WHERE customer_email IS NOT NULL`)).rows[0]?.n)).toBe(2000);
  });
});
