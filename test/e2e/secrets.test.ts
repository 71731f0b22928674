import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';

/** Literals are customer data and passwords: no report prints them by default, passwords never. */
let t: TestDatabase;
const ROLE = `dbo_secret_role_${process.pid}`;

beforeAll(async () => {
  t = await createTestDatabase('secrets');
  await t.exec(`
    CREATE TABLE customers (id int PRIMARY KEY, email text NOT NULL, note text);
    INSERT INTO customers SELECT g, CASE WHEN g % 2 = 0 THEN 'alice@example.com' ELSE 'user' || g || '@example.org' END, NULL FROM generate_series(1, 5000) g;
    ANALYZE customers;`);
  if (t.extensions.has('pg_stat_statements')) {
    const c = await t.client();
    try {
      await c.query(`CREATE ROLE ${ROLE} PASSWORD 'RoleSecret123'`);
      await c.query(`ALTER ROLE ${ROLE} WITH ENCRYPTED PASSWORD 'RoleSecret456'`);
      await c.query(`DO $$ BEGIN PERFORM count(*) FROM customers WHERE email = 'bob.private@example.com'; END $$`);
    } finally {
      await c.end();
    }
  }
});
afterAll(async () => {
  await t.exec(`DROP ROLE IF EXISTS ${ROLE}`);
  await t.drop();
});

const SECRETS = ['RoleSecret123', 'RoleSecret456', 'bob.private@example.com'];

describe('secrets in reports', () => {
  it('pg_stat_statements texts: passwords and literals redacted in terminal, JSON and Markdown; passwords even with --show-literals', async () => {
    if (!t.extensions.has('pg_stat_statements')) return;
    for (const format of ['terminal', 'json', 'markdown']) {
      const r = await runCli(['profile', '--db', t.url, '--format', format]);
      expect(r.code, r.stderr).toBeLessThan(2);
      for (const s of SECRETS) expect(r.stdout + r.stderr, `${format}: ${s}`).not.toContain(s);
    }
    const shown = await runCli(['profile', '--db', t.url, '--format', 'json', '--show-literals']);
    expect(shown.stdout).not.toContain('RoleSecret123');
    expect(shown.stdout).not.toContain('RoleSecret456');
    // the texts are in the report: literals appear when asked for, so their absence above is redaction
    expect(shown.stdout).toContain('bob.private@example.com');
  });

  it('query: plan filters and values sampled from pg_stats are redacted', async () => {
    for (const format of ['terminal', 'json', 'markdown']) {
      const r = await runCli(['query', '--db', t.url, '--format', format, `SELECT id FROM customers WHERE email = 'alice@example.com' AND note IS NULL`]);
      expect(r.code, r.stderr).toBeLessThan(2);
      expect(r.stdout).not.toContain('alice@example.com');
      expect(r.stdout).toMatch(/email/);
    }
    const sampled = await runCli(['query', '--db', t.url, '--format', 'json', '--sample-params', 'SELECT id FROM customers WHERE email = $1']);
    expect(sampled.code, sampled.stderr).toBeLessThan(2);
    expect(sampled.stdout).not.toContain('alice@example.com');
    const shown = await runCli(['query', '--db', t.url, '--format', 'json', '--show-literals', `SELECT id FROM customers WHERE email = 'alice@example.com'`]);
    expect(shown.stdout).toContain('alice@example.com');
  });

  it('a DSN without a scheme is refused (exit 2) without echoing its password', async () => {
    const r = await runCli(['profile', '--db', 'bob:SuperSecret9@127.0.0.1/shop']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a PostgreSQL connection URL/);
    expect(r.stderr).not.toContain('SuperSecret9');
    const bad = await runCli(['profile', '--db', 'postgresql://bob:Super%ZZSecret9@127.0.0.1:99999/shop']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).not.toContain('Secret9');
  });

  it('sslmode=require in a keyword DSN is honoured: no silent plaintext fallback', async () => {
    const u = new URL(t.url);
    const password = u.password === '' ? '' : ` password=${decodeURIComponent(u.password)}`;
    const base = `host=${u.hostname} port=${u.port || '5432'} user=${decodeURIComponent(u.username)} dbname=${t.name}${password}`;
    const ssl = (await t.exec('SHOW ssl')).rows[0] as { ssl: string };
    const plain = await runCli(['profile', '--db', base, '--format', 'json']);
    expect(plain.code, plain.stderr).toBeLessThan(2);
    const required = await runCli(['profile', '--db', `${base} sslmode=require`, '--format', 'json']);
    expect(plain.stderr + required.stderr).not.toMatch(/password\s*=\s*[^*\s]/);
    if (ssl.ssl === 'off') {
      expect(required.code).toBe(3);
      expect(required.stderr).toMatch(/SSL/i);
    } else expect(required.code, required.stderr).toBeLessThan(2);
  });

  it('a timeout beyond PostgreSQL int range is a usage error', async () => {
    const r = await runCli(['profile', '--db', t.url, '--lock-timeout', '2147483648']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--lock-timeout must be a whole number between 1 and 2147483647/);
  });
});
