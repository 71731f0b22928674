import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { serverMajor } from '../collect/server-major.ts';
import { DbOptimizeError } from '../errors/index.ts';
import { lintMigration } from '../migrate/lint/lint-migration.ts';
import type { LintOptions, LintResult, LintViolation } from '../migrate/lint/lint-migration.ts';
import { lintSummary, violationToFinding } from '../migrate/lint/lint-report.ts';
import { resolveRuleName } from '../migrate/lint/lint-rules.ts';
import type { Report } from '../model/index.ts';
import { buildReport } from '../render/build-report.ts';
import { initSqlParser } from '../sql/index.ts';
import { defineFlow, runLibraryFlow } from './flow.ts';
import type { FlowInput, LibraryContext, LibraryOptions } from './flow.ts';
import { connect, flag, option, positionalsOr } from './flow-input.ts';
import { PG_VERSION_OPTION } from './migrate-plan.ts';
import { DEFAULT_RULES_PG_MAJOR, parsePgVersion, pgVersionOption, RULES_RANGE } from './pg-version.ts';

export const MIGRATE_LINT_OPTIONS = {
    'assume-in-transaction': { type: 'boolean', description: 'lint: the framework wraps each migration in a transaction' },
    exclude: { type: 'string', multiple: true, valueName: 'RULE', description: 'lint: rule to skip (repeatable, comma-separated)' },
  ...PG_VERSION_OPTION,
} as const;

/** Files as given, directories as their .sql files (recursively, sorted). */
async function expandPaths(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    let s;
    try {
      s = await stat(p);
    } catch {
      throw new DbOptimizeError('E_READ_FILE', 'input', `cannot read ${p}: no such file or directory`);
    }
    if (s.isDirectory()) {
      const entries = (await readdir(p, { recursive: true })).map(String).filter((f) => f.endsWith('.sql')).sort();
      out.push(...entries.map((f) => join(p, f)));
    } else out.push(p);
  }
  return out;
}

/** The config's "migrateLint" section: { pgVersion, exclude, assumeInTransaction }. */
function migrateConfig(input: FlowInput): Record<string, unknown> {
  const c = input.config.migrateLint;
  if (c === undefined) return {};
  if (typeof c !== 'object' || c === null || Array.isArray(c)) throw new DbOptimizeError('E_CONFIG', 'config', 'config "migrateLint" must be an object');
  return c as Record<string, unknown>;
}

/** --exclude (repeatable, comma-separated) after the config's migrateLint.exclude. */
function excludeOption(input: FlowInput): string[] {
  const v = input.values.exclude;
  const fromFlag = Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
  const cfg = migrateConfig(input).exclude ?? input.config.exclude;
  const fromConfig = Array.isArray(cfg) ? cfg.map(String) : typeof cfg === 'string' ? [cfg] : [];
  return [...fromConfig, ...fromFlag].flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
}

/** Which PostgreSQL the migrations will run on: --pg-version, else the --db server, else the config, else the default. */
async function lintPgVersion(input: FlowInput): Promise<number> {
  const explicit = pgVersionOption(input, RULES_RANGE);
  if (explicit !== null) return explicit;
  const cfg = migrateConfig(input).pgVersion;
  const fallback = cfg === undefined ? DEFAULT_RULES_PG_MAJOR : parsePgVersion(String(cfg as string | number), RULES_RANGE, 'config migrateLint.pgVersion');
  if (option(input, 'db') === undefined) return fallback;
  const db = await connect(input);
  try {
    return (await serverMajor(db)) ?? fallback;
  } finally {
    await db.close();
  }
}

export interface MigrationLint {
  readonly results: readonly LintResult[];
  readonly violations: readonly LintViolation[];
  readonly pgVersion: number;
  readonly assumeInTransaction: boolean;
}

/** Lints the migration files (the CLI also prints these violations as GitHub / GitLab annotations). */
export async function lintMigrationFiles(input: FlowInput): Promise<MigrationLint> {
  const files = positionalsOr(input, 'files');
  if (files.length === 0) throw new DbOptimizeError('E_USAGE', 'usage', 'migrate lint needs at least one migration file or directory', { hint: 'db-optimize migrate lint migrations/*.sql' });
  const exclude = excludeOption(input);
  for (const e of exclude) {
    if (resolveRuleName(e).length === 0) throw new DbOptimizeError('E_BAD_FLAG', 'usage', `--exclude: unknown rule "${e}"`, { hint: 'rule ids are listed in src/migrate/lint/README.md (squawk names work too)' });
  }
  const pgVersion = await lintPgVersion(input);
  const assumeInTransaction = flag(input, 'assume-in-transaction') || migrateConfig(input).assumeInTransaction === true;
  await initSqlParser();
  const results: LintResult[] = [];
  // column types declared by earlier files, so a later type change knows the old type
  const columnTypes: NonNullable<LintOptions['columnTypes']> = new Map();
  for (const file of await expandPaths(files)) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new DbOptimizeError('E_READ_FILE', 'input', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    results.push(await lintMigration(text, { file, pgVersion, assumeInTransaction, exclude, columnTypes }));
  }
  return { results, violations: results.flatMap((r) => r.violations), pgVersion, assumeInTransaction };
}

export function migrationLintReport(lint: MigrationLint): Report {
  const { results, pgVersion } = lint;
  return buildReport({
    command: 'migrate lint',
    generatedAt: new Date().toISOString(),
    database: { source: `${results.length} migration file${results.length === 1 ? '' : 's'}, PostgreSQL ${pgVersion} rules` },
    findings: lint.violations.map(violationToFinding),
    extra: { lint: lintSummary(results, pgVersion, lint.assumeInTransaction) },
  });
}

export const migrateLintFlow = defineFlow({
  name: 'migrate lint',
  common: ['connection', 'report'],
  options: MIGRATE_LINT_OPTIONS,
  // "files": the library's name for the positional files; "migrateLint": the config file's lint section
  configKeys: ['files', 'migrateLint'],
  run: async (input) => migrationLintReport(await lintMigrationFiles(input)),
});

export type MigrateLintOptions = LibraryOptions<typeof MIGRATE_LINT_OPTIONS, { files?: readonly string[] | string; migrateLint?: { pgVersion?: number | string; exclude?: readonly string[]; assumeInTransaction?: boolean } }>;

export function migrateLint(options: MigrateLintOptions = {}, context?: LibraryContext): Promise<Report> {
  return runLibraryFlow(migrateLintFlow, options, context);
}
