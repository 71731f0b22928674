import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { truncateIdentifier } from '../../src/sql/quote.ts';
import { runCli } from '../helpers/run-cli.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';

/**
 * Bounded, deterministic fuzzing: generated hostile names and broken inputs through the commands.
 * None may print the password, crash with a stack trace, hang (the test timeout), exit 0 after
 * reporting an error, or generate SQL that touches anything but its target.
 */
const SEED = 24_2026;
const SECRET = `FuzzSecret${SEED}`;
const FRAGMENTS = ["'", '"', ';', ' ', '--', '/*', ' DROP TABLE victims; ', 'user', 'order', 'select', 'ü', '表', '\n', '\u001b[31m', '$$', '\\', 'Mixed', '%s', '$(id)', '`id`', '.', 'x'];

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const rand = prng(SEED);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
function hostileName(taken: Set<string>): string {
  for (;;) {
    const parts = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => pick(FRAGMENTS));
    const name = truncateIdentifier(`${parts.join('')}${rand() < 0.3 ? 'z'.repeat(70) : ''}`);
    if (name.trim() !== '' && !taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}
const q = (s: string): string => `"${s.replace(/"/g, '""')}"`;

const taken = new Set<string>(['victims', 'parent']);
const tables = Array.from({ length: 4 }, () => ({ name: hostileName(taken), cols: [hostileName(new Set()), hostileName(new Set())] as [string, string] }));

let t: TestDatabase;
let dir: string;
let url: string;

beforeAll(async () => {
  t = await createTestDatabase('fuzz');
  const ddl = tables.map(
    (tb) => `CREATE TABLE ${q(tb.name)} (id int, ${q(tb.cols[0])} int, ${q(tb.cols[1])} int REFERENCES parent(id));
      INSERT INTO ${q(tb.name)} SELECT g, g % 500, 1 + g % 50 FROM generate_series(1, 5000) g;`,
  );
  await t.exec(`CREATE TABLE victims (id int PRIMARY KEY); INSERT INTO victims VALUES (1);
    CREATE TABLE parent (id int PRIMARY KEY); INSERT INTO parent SELECT generate_series(1, 50);
    ${ddl.join('\n')} ANALYZE;`);
  dir = mkdtempSync(join(tmpdir(), 'dbo-fuzz-'));
  const u = new URL(t.url);
  // trust auth ignores a password it did not ask for; it must still never be printed. A server
  // that asks for one (embedded PG 18) keeps its own; the DSN cases below still carry SECRET.
  if (u.password === '') u.password = SECRET;
  url = u.toString();
});
afterAll(async () => {
  await t.drop();
});

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

// a checksum of the catalog (relations, columns, indexes, constraints, functions) and of the victim row
const checksum = async (): Promise<string> =>
  (
    await t.exec(`SELECT md5(concat_ws('|',
      (SELECT string_agg(format('%s:%s:%s', c.relname, c.relkind, c.relnamespace::regnamespace), ',' ORDER BY c.oid) FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace),
      (SELECT string_agg(format('%s.%s:%s', a.attrelid, a.attname, a.atttypid), ',' ORDER BY a.attrelid, a.attnum) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid WHERE c.relnamespace = 'public'::regnamespace),
      (SELECT string_agg(format('%s:%s', conname, contype), ',' ORDER BY oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace),
      (SELECT string_agg(proname, ',' ORDER BY oid) FROM pg_proc WHERE pronamespace = 'public'::regnamespace),
      (SELECT string_agg(id::text, ',') FROM victims))) AS h`)
  ).rows[0]?.h as string;

const logOf = (statements: string[]): string =>
  statements.map((st, i) => `2026-12-03 10:00:0${i % 10}.000 UTC [42] 6789.abc 3/1 0 LOG:  statement: ${st}`).join('\n');

function checkRun(label: string, r: { code: number; stdout: string; stderr: string }): void {
  const all = r.stdout + r.stderr;
  expect([0, 1, 2, 3], `${label}: exit ${r.code}\n${r.stderr}`).toContain(r.code);
  expect(all, label).not.toContain(SECRET);
  expect(all, label).not.toMatch(/internal error|Unhandled|\n\s+at [\w.<]+ \(/);
  if (/^db-optimize: /m.test(r.stderr)) expect(r.code, `${label}: reported an error but exited 0`).not.toBe(0);
}

describe(`fuzz (seed ${SEED}): hostile names and broken inputs through the commands`, () => {
  it('analysis commands survive the hostile catalog', async () => {
    for (const format of ['terminal', 'json', 'markdown']) {
      checkRun(`profile ${format}`, await runCli(['profile', '--db', url, '--format', format]));
      checkRun(`schema ${format}`, await runCli(['schema', '--db', url, '--format', format]));
    }
  });

  it('indexes on a hostile workload: its migration runs under psql and only adds indexes', async () => {
    const workload = file('workload.sql', tables.map((tb) => `-- calls: 10000000\nSELECT * FROM ${q(tb.name)} WHERE ${q(tb.cols[0])} = 7;\n`).join(''));
    const migration = join(dir, 'migration.sql');
    const r = await runCli(['indexes', '--db', url, '--workload', workload, '--migration-out', migration]);
    checkRun('indexes', r);
    expect(r.code).toBe(0);
    expect(readFileSync(migration, 'utf8')).toMatch(/CREATE INDEX CONCURRENTLY/);
    const before = (await t.exec(`SELECT count(*)::int AS n FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace`)).rows[0];
    const psql = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', t.url, '-f', migration], { encoding: 'utf8' });
    if (psql.error === undefined) expect(psql.status, psql.stderr).toBe(0);
    expect((await t.exec('SELECT count(*)::int AS n FROM victims')).rows).toEqual([{ n: 1 }]);
    expect((await t.exec(`SELECT count(*)::int AS n FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace`)).rows[0]).toEqual(before);
  });

  it('query on hostile names, and broken statements, fail cleanly', async () => {
    for (const tb of tables) checkRun(`query ${JSON.stringify(tb.name)}`, await runCli(['query', '--db', url, `SELECT * FROM ${q(tb.name)} WHERE ${q(tb.cols[0])} = 3`]));
    for (let i = 0; i < 12; i++) {
      const broken = Array.from({ length: 1 + Math.floor(rand() * 5) }, () => pick([...FRAGMENTS, 'SELECT', 'FROM', '(', ')', '1', 'pg_terminate_backend(1)'])).join(' ');
      const r = await runCli(['query', '--db', url, broken]);
      checkRun(`query ${JSON.stringify(broken)}`, r);
      expect(r.code, broken).not.toBe(0);
    }
  });

  it('broken files: workloads, plans and migrations', async () => {
    const inputs = [
      ['indexes', '--db', url, '--workload', file('w1.sql', "SELECT 'unterminated;\n")],
      ['indexes', '--db', url, '--workload', file('w2.sql', '-- calls: 1e999x\nSELECT 1;\n')],
      ['indexes', '--db', url, '--workload', file('w3.sql', '\u0000\u0001binary')],
      ['explain', file('p1.json', '{"Plan": {"Node Type": ')],
      ['explain', file('p2.txt', 'Seq Scan on "\u001b[2J" (cost=abc)')],
      ['migrate', 'lint', file('m1.sql', `ALTER TABLE ${q(tables[0]?.name ?? 'x')} ADD COLUMN ${q('user')} int NOT NULL DEFAULT 1;\nCREATE INDEX ON ${q(tables[1]?.name ?? 'y')} (${q(tables[1]?.cols[0] ?? 'c')});`)],
      ['migrate', 'lint', file('m2.sql', 'ALTER TABLE ; DROP')],
      ['profile', '--db', `postgresql://postgres:${SECRET}@127.0.0.1:notaport/x`],
      ['profile', '--db', `postgres:${SECRET}@127.0.0.1/x`],
      ['profile', '--db', url, '--statement-timeout', '-1'],
      ['profile', '--db', url, '--lock-timeout', '99999999999'],
    ];
    for (const args of inputs) checkRun(args.slice(0, 2).join(' '), await runCli(args));
  });

  it('every command that takes SQL, names or files: clean exits, and the database is unchanged', async () => {
    const before = await checksum();
    const hostileSql = (): string => {
      const tb = pick(tables);
      return pick([
        `SELECT * FROM ${q(tb.name)} WHERE ${q(tb.cols[0])} = 3`,
        `SELECT ${q(tb.cols[1])}, count(*) FROM ${q(tb.name)} GROUP BY 1 ORDER BY 2 DESC LIMIT 5`,
        `SELECT * FROM ${q(tb.name)} t WHERE EXISTS (SELECT 1 FROM parent p WHERE p.id = t.${q(tb.cols[1])}) AND pg_terminate_backend(1)`,
        `DELETE FROM victims; SELECT 1`,
        Array.from({ length: 1 + Math.floor(rand() * 6) }, () => pick([...FRAGMENTS, 'SELECT', 'FROM', q(tb.name), '(', ')', 'nextval(1)'])).join(' '),
      ]);
    };
    const runs: string[][] = [];
    for (let i = 0; i < 3; i++) {
      const sql = hostileSql();
      const tb = pick(tables);
      runs.push(
        ['query', '--db', url, sql],
        ['rewrite', '--db', url, sql],
        ['explain', file(`plan${i}.txt`, `Seq Scan on ${q(tb.name)}  (cost=0.00..10.00 rows=5000 width=12) (actual time=0.01..5.00 rows=5000 loops=1)\n  Filter: (${q(tb.cols[0])} = ${pick(["'x'", '3', "E'\\x1b'"])})`)],
        ['migrate', 'lint', file(`m${i}.sql`, `${sql};\nALTER TABLE ${q(tb.name)} ALTER COLUMN ${q(tb.cols[0])} TYPE bigint;\nDROP TABLE victims;`)],
        ['migrate', 'plan', '--db', url, '--change-type', `public.${q(tb.name)}.${q(tb.cols[0])}`, 'bigint'],
        ['migrate', 'plan', '--db', url, '--add-index', `${pick(FRAGMENTS)}(${pick(FRAGMENTS)})`],
        ['schema', '--db', url, '--ddl', file(`ddl${i}.sql`, `CREATE TABLE ${q(hostileName(new Set()))} (${q(tb.cols[0])} char(3), id int);\n${sql};`)],
        ['indexes', '--db', url, '--workload', file(`w${i}.sql`, `-- calls: ${pick(['10', 'abc', '-5', '1e400'])}\n${sql};\n${hostileSql()};\n`)],
        ['n1', '--db', url, '--log', file(`log${i}.log`, logOf([sql, sql, hostileSql(), `SELECT * FROM ${q(tb.name)} WHERE id = 1`, `SELECT * FROM ${q(tb.name)} WHERE id = 2`]))],
      );
    }
    runs.push(['validate', '--db', url, '--workload', file('v.sql', '\u0000broken')], ['validate', '--db', url, '--log', join(dir, 'missing.log')]);
    for (const args of runs) checkRun(args.slice(0, 2).join(' '), await runCli(args));
    expect(await checksum()).toBe(before);
    expect((await t.exec('SELECT count(*)::int AS n FROM victims')).rows).toEqual([{ n: 1 }]);
  }, 600_000);
  it('config, pool, pgbouncer, logs, maintain, monitor, full and mcp (its flags): broken flags and files, clean exits, nothing written', async () => {
    const before = await checksum();
    const tb = tables[0] ?? { name: 'x', cols: ['c', 'd'] };
    const secretDb = `postgresql://postgres:${SECRET}@127.0.0.1:1/x`;
    const aFile = file('a-file', 'x');
    const workload = file('pgb.sql', tables.map((x) => `SELECT * FROM ${q(x.name)} WHERE ${q(x.cols[0])} = 1;\nSET search_path = ${q(x.name)};\nPREPARE p AS SELECT 1;\n`).join(''));
    const goodLog = file('hostile.log', logOf([...tables.map((x) => `SELECT * FROM ${q(x.name)} WHERE ${q(x.cols[0])} = 1`), `CREATE ROLE fuzz PASSWORD '${SECRET}'`, `ALTER ROLE fuzz PASSWORD '${SECRET}'`]));
    const runs: string[][] = [
      ['config', '--db', url],
      ['config', '--db', url, '--format', 'json', '--workload', 'oltp', '--ram', '1e99'],
      ['config', '--cpus=-1', '--ram', '32GB'],
      ['config', '--cpus', 'abc', '--ram', '-4GB', '--storage', 'tape'],
      ['config', '--ram', '99999999999999TB', '--cpus', '1e99', '--max-connections', '0'],
      ['config', '--db', secretDb, '--ram', '8GB'],
      ['pool', '--db', url, '--app-instances', '3', '--pool-size', '20'],
      ['pool', '--app-instances', 'abc', '--cpus', '4'],
      ['pool', '--app-instances', '1e99', '--pool-size=-1', '--cpus', '4'],
      ['pool', '--db', url, '--watch', 'abc'],
      ['pool', '--db', secretDb, '--app-instances', '3', '--pool-size', '20'],
      ['pgbouncer', '--db', url, '--clients', '50', '--workload', workload, '--log', goodLog],
      ['pgbouncer', '--clients', 'abc', '--max-connections', '100'],
      ['pgbouncer', '--clients', '1e99', '--max-connections=-1'],
      ['pgbouncer', '--clients', '50', '--max-connections', '100', '--workload', file('pgb-bin.sql', '\u0000\u0001\u00ff')],
      ['pgbouncer', '--clients', '50', '--max-connections', '100', '--write-ini', join(aFile, 'x.ini')],
      ['pgbouncer', '--clients', '50', '--max-connections', '100', '--database-alias', tb.name, '--admin-user', tb.cols[0], '--pool-mode', 'weird'],
      ['pgbouncer', '--db', secretDb, '--clients', '50'],
      ['logs', goodLog],
      ['logs', goodLog, '--format', 'json', '--show-literals'],
      ['logs', file('empty.log', '')],
      ['logs', file('garbage.log', Array.from({ length: 40 }, () => Array.from({ length: 8 }, () => pick(FRAGMENTS)).join('')).join('\n'))],
      ['logs', file('binary.log', '\u0000\u0001\u0002\u00ff\u00fe binary\n')],
      ['logs', file('broken.log.gz', '\u001f\u008b\u0008 not gzip')],
      ['logs', join(dir, 'missing.log')],
      ['logs', goodLog, '--since', 'yesterday', '--top=-1'],
      ['logs', goodLog, '--log-format', 'csvlog'],
      ['maintain', '--db', url],
      ['maintain', '--db', url, '--out-dir', aFile],
      ['maintain', '--db', url, '--out-dir', '/proc/db-optimize-fuzz/x'],
      ...tables.map((x) => ['maintain', '--db', url, '--retain', `${x.name}=30`]),
      ['maintain', '--db', url, '--retain', `${tb.name}.${tb.cols[0]}=30`],
      ['maintain', '--db', url, '--retain', `${q(tb.name)}.${q(tb.cols[1])}=abc`],
      ['maintain', '--db', url, '--retain', 'victims; DROP TABLE victims; --=1'],
      ['maintain', '--db', url, '--retain', 'victims=-1', '--set', 'nope.x=1'],
      ['maintain', '--db', secretDb],
      ['monitor', '--db', url, '--out-dir', join(dir, 'monitor')],
      ['monitor', '--db', url, '--out-dir', aFile],
      ['monitor', '--db', url, '--out-dir', '/proc/db-optimize-fuzz/x'],
      ['monitor', '--pg-version', 'abc', '--out-dir', join(dir, 'monitor2')],
      ['monitor', '--db', url],
      ['monitor', '--db', secretDb, '--out-dir', join(dir, 'monitor3')],
      ['full', '--db', url, '--depth', '1', '--format', 'json'],
      ['full', '--db', url, '--depth', '9'],
      ['full', '--db', url, '--depth', '1', '--workload', file('full-bin.sql', '\u0000broken'), '--baseline', aFile],
      ['full', '--db', secretDb],
      ['mcp'],
      ['mcp', '--db', secretDb],
      ['mcp', '--db', url, '--http', 'abc'],
      ['mcp', '--db', url, '--host', '0.0.0.0'],
    ];
    for (const args of runs) {
      const r = await runCli(args);
      checkRun(args.join(' ').slice(0, 120), r);
      // an unreachable server (3), or a usage error found before connecting (2): never a success
      if (args.includes(secretDb)) expect(r.code, args.join(' ')).not.toBe(0);
    }
    expect(await checksum()).toBe(before);
    expect((await t.exec('SELECT count(*)::int AS n FROM victims')).rows).toEqual([{ n: 1 }]);
  }, 600_000);
});
