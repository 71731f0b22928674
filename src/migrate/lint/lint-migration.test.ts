import { describe, expect, it } from 'vitest';
import { isDbOptimizeError } from '../../errors/index.ts';
import { lintMigration } from './lint-migration.ts';
import type { TypeInfo } from '../pg-ast.ts';
import { LINT_RULES, renderRuleTable } from './lint-rules.ts';
import { readFileSync } from 'node:fs';

const T = "SET lock_timeout = '1s';\nSET statement_timeout = '5s';\n";

async function rules(sql: string, pgVersion = 17, extra: { assumeInTransaction?: boolean; exclude?: string[] } = {}): Promise<string[]> {
  const r = await lintMigration(sql, { file: 'm.sql', pgVersion, ...extra });
  return [...new Set(r.violations.map((v) => v.rule))].sort();
}

describe('migrate lint rules', () => {
  it('flags a volatile default on every version and a constant default only before 11', async () => {
    expect(await rules(`${T}BEGIN;\nALTER TABLE users ADD COLUMN t uuid DEFAULT gen_random_uuid();\nCOMMIT;`)).toEqual(['adding-field-with-default']);
    expect(await rules(`${T}BEGIN;\nALTER TABLE users ADD COLUMN tier text NOT NULL DEFAULT 'free';\nCOMMIT;`, 15)).toEqual([]);
    expect(await rules(`${T}BEGIN;\nALTER TABLE users ADD COLUMN tier text NOT NULL DEFAULT 'free';\nCOMMIT;`, 10)).toEqual(['adding-field-with-default']);
    // now() is STABLE: evaluated once by ADD COLUMN on 11+, no rewrite
    expect(await rules(`${T}BEGIN;\nALTER TABLE users ADD COLUMN at timestamptz DEFAULT now();\nCOMMIT;`, 15)).toEqual([]);
  });

  it('gives recipes that exist on the target version', async () => {
    const sql = `${T}REINDEX INDEX orders_user_id_idx;`;
    const on11 = await lintMigration(sql, { file: 'm.sql', pgVersion: 11 });
    expect(on11.violations.find((v) => v.rule === 'require-concurrent-reindex')?.recipe).toMatch(/needs PostgreSQL 12/);
    const on15 = await lintMigration(sql, { file: 'm.sql', pgVersion: 15 });
    expect(on15.violations.find((v) => v.rule === 'require-concurrent-reindex')?.recipe).toMatch(/^REINDEX INDEX CONCURRENTLY orders_user_id_idx;/);
    const fk = await lintMigration(`${T}BEGIN;\nALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);\nCOMMIT;`, { file: 'm.sql', pgVersion: 15 });
    const recipe = fk.violations.find((v) => v.rule === 'adding-foreign-key-constraint')?.recipe ?? '';
    expect(recipe).toMatch(/NOT VALID;/);
    expect(recipe).toMatch(/ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;/);
  });

  it('reports line, lock, why and recipe for each finding', async () => {
    const r = await lintMigration(`${T}BEGIN;\n\nCREATE INDEX users_email_idx ON users (email);\nCOMMIT;`, { file: 'x.sql', pgVersion: 15 });
    const v = r.violations.find((x) => x.rule === 'require-concurrent-index-creation');
    expect(v?.line).toBe(5);
    expect(v?.lock).toBe('SHARE on users');
    expect(v?.why).toMatch(/INSERT, UPDATE and DELETE/);
    expect(v?.recipe).toMatch(/CONCURRENTLY/);
  });

  it('treats NOT VALID then VALIDATE in separate transactions as safe, and in one transaction as unsafe', async () => {
    expect(await rules(`${T}BEGIN;\nALTER TABLE o ADD CONSTRAINT c CHECK (total >= 0) NOT VALID;\nCOMMIT;\nBEGIN;\nALTER TABLE o VALIDATE CONSTRAINT c;\nCOMMIT;`)).toEqual([]);
    expect(await rules(`${T}BEGIN;\nALTER TABLE o ADD CONSTRAINT c CHECK (total >= 0) NOT VALID;\nALTER TABLE o VALIDATE CONSTRAINT c;\nCOMMIT;`)).toEqual(['constraint-missing-not-valid']);
  });

  it('NOT VALID then VALIDATE without BEGIN are two transactions, unless the framework wraps the file (--assume-in-transaction)', async () => {
    const sql = `${T}ALTER TABLE o ADD CONSTRAINT c CHECK (total >= 0) NOT VALID;\nALTER TABLE o VALIDATE CONSTRAINT c;`;
    expect(await rules(sql)).toEqual(['prefer-robust-stmts']);
    expect(await rules(sql, 17, { assumeInTransaction: true })).toContain('constraint-missing-not-valid');
  });

  it('timeouts are reminders: reported, below info, never failing', async () => {
    const r = await lintMigration('CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);', { file: 'm.sql', pgVersion: 17 });
    expect(r.violations.map((v) => [v.rule, v.level, v.severity])).toEqual([
      ['require-lock-timeout', 'reminder', 'info'],
      ['require-statement-timeout', 'reminder', 'info'],
    ]);
  });

  it('a type change whose old type is unknown but may be binary-compatible is an info note, not a failure', async () => {
    const r = await lintMigration(`${T}ALTER TABLE users ALTER COLUMN email TYPE text;`, { file: 'm.sql', pgVersion: 17 });
    const change = r.violations.filter((v) => v.rule === 'changing-column-type');
    expect(change.map((v) => v.severity)).toEqual(['info']);
    expect(r.violations.every((v) => v.severity === 'info')).toBe(true);
    expect(change[0]?.message).toMatch(/no rewrite if email is currently varchar/);
    expect(await rules(`${T}ALTER TABLE users ALTER COLUMN id TYPE bigint;`)).toContain('changing-column-type');
  });

  it('knows column types declared by earlier migration files of the same run', async () => {
    const columnTypes = new Map<string, TypeInfo>();
    await lintMigration('CREATE TABLE users (id bigint PRIMARY KEY, name varchar(100), age int);', { file: '001.sql', pgVersion: 17, columnTypes });
    const longer = await lintMigration(`${T}BEGIN;\nALTER TABLE users ALTER COLUMN name TYPE varchar(200);\nCOMMIT;`, { file: '002.sql', pgVersion: 17, columnTypes });
    expect(longer.violations.map((v) => v.rule)).toEqual(['prefer-text-field']);
    const shorter = await lintMigration(`${T}BEGIN;\nALTER TABLE users ALTER COLUMN name TYPE varchar(50);\nCOMMIT;`, { file: '003.sql', pgVersion: 17, columnTypes });
    expect(shorter.violations.map((v) => [v.rule, v.severity])).toEqual([
      ['changing-column-type', 'critical'],
      ['prefer-text-field', 'info'],
    ]);
    expect(shorter.violations[0]?.message).toMatch(/varchar\(200\) → varchar\(50\) is not binary-compatible/);
  });

  it('does not flag DDL on a table created earlier in the same migration', async () => {
    expect(await rules(`${T}BEGIN;\nCREATE TABLE t (id bigint PRIMARY KEY, u bigint);\nCREATE INDEX t_u ON t (u);\nALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (u) REFERENCES users (id);\nCOMMIT;`)).toEqual([]);
  });

  it('catches CONCURRENTLY inside a transaction and missing timeouts', async () => {
    expect(await rules(`${T}BEGIN;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\nCOMMIT;`)).toContain('ban-concurrent-index-creation-in-transaction');
    expect(await rules(`CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);`)).toEqual(['require-lock-timeout', 'require-statement-timeout']);
    expect(await rules(`BEGIN;\nSET LOCAL lock_timeout = '1s';\nSET LOCAL statement_timeout = '5s';\nALTER TABLE t ADD COLUMN IF NOT EXISTS a text;\nCOMMIT;`)).toEqual([]);
  });

  it('framework transactions: --assume-in-transaction flags CONCURRENTLY and explicit BEGIN', async () => {
    expect(await rules(`${T}CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);`, 17, { assumeInTransaction: true })).toContain('ban-concurrent-index-creation-in-transaction');
    expect(await rules(`${T}BEGIN;\nALTER TABLE t ADD COLUMN a text;\nCOMMIT;`, 17, { assumeInTransaction: true })).toContain('transaction-nesting');
  });

  it('honours suppression comments (ours and squawk\'s) and exclusions', async () => {
    const sql = `${T}BEGIN;\n-- db-optimize-ignore ban-drop-column\nALTER TABLE users DROP COLUMN a;\n-- squawk-ignore renaming-column\nALTER TABLE users RENAME COLUMN b TO c;\nALTER TABLE users DROP COLUMN d;\nCOMMIT;`;
    const r = await lintMigration(sql, { file: 'm.sql', pgVersion: 17 });
    expect(r.violations.map((v) => `${v.rule}:${v.line}`)).toEqual(['ban-drop-column:8']);
    expect(r.suppressed).toEqual([
      { rule: 'ban-drop-column', line: 5 },
      { rule: 'renaming-column', line: 7 },
    ]);
    expect(await rules(`-- db-optimize-ignore-file ban-drop-column\n${sql}`)).toEqual([]);
    expect(await rules(sql, 17, { exclude: ['ban-drop-column'] })).toEqual([]);
  });

  it('rejects SQL that does not parse with file, line and column', async () => {
    try {
      await lintMigration(`${T}ALTER TABLE users ADD COLUMN x int AUTO_INCREMENT;`, { file: 'mysql.sql', pgVersion: 17 });
      expect.unreachable();
    } catch (error) {
      expect(isDbOptimizeError(error)).toBe(true);
      expect((error as Error).message).toMatch(/^mysql\.sql:3:\d+: migration does not parse/);
    }
  });

  it('documents every rule in the lint README (the table is generated from the rule modules)', () => {
    const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
    expect(readme).toContain(renderRuleTable());
    for (const r of LINT_RULES) expect(readme, r.id).toContain(`\`${r.id}\``);
  });
});
