import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DbOptimizeError, EXIT } from '../../errors/index.ts';
import type { Finding, Severity } from '../../model/index.ts';
import { SEVERITY_RANK } from '../../model/index.ts';
import { buildReport } from '../../render/build-report.ts';
import { initSqlParser } from '../../sql/index.ts';
import { lintMigration } from '../../migrate/lint/lint-migration.ts';
import type { LintOptions, LintResult } from '../../migrate/lint/lint-migration.ts';
import { lintSummary, renderGithub, renderGitlab, violationToFinding } from '../../migrate/lint/lint-report.ts';
import { resolveRuleName } from '../../migrate/lint/lint-rules.ts';
import { applyPlan } from '../../migrate/plan/apply-plan.ts';
import type { ApplyLogEntry } from '../../migrate/plan/apply-plan.ts';
import { buildPlan } from '../../migrate/plan/build-plan.ts';
import type { TableFacts } from '../../migrate/plan/build-plan.ts';
import { collectTableFacts, functionVolatility } from '../../migrate/plan/collect-table-facts.ts';
import { parseChange } from '../../migrate/plan/parse-change.ts';
import type { Change } from '../../migrate/plan/parse-change.ts';
import { PLAN_FORMATS, renderPlanFiles, stepSql } from '../../migrate/plan/plan-formats.ts';
import type { PlanFormat } from '../../migrate/plan/plan-formats.ts';
import type { MigrationPlan } from '../../migrate/plan/plan-types.ts';
import { wrapSqlLines } from '../../schema-review/wrap-sql-lines.ts';
import type { Command, CommandContext } from '../command.ts';
import { connect, emitReport, failOnOption, flag, numberOption, option } from '../context-helpers.ts';

const CHANGE_FLAGS = ['add-column', 'add-index', 'add-fk', 'change-type', 'set-not-null', 'rename'] as const;
const DEFAULT_PG = 17;

function pgVersionOption(ctx: CommandContext, fallback: number): number {
  const raw = option(ctx, 'pg-version');
  if (raw === undefined) return fallback;
  const m = /^(\d+)(?:\.\d+)?$/.exec(raw.trim());
  const major = m === null ? NaN : Number(m[1]);
  if (!(major >= 9 && major <= 19)) throw new DbOptimizeError('E_BAD_FLAG', 'usage', `--pg-version must be a PostgreSQL major version such as 15, got "${raw}"`);
  return major === 9 ? 9 : major;
}

// ---------------------------------------------------------------- lint

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

function listOption(ctx: CommandContext, name: string, configKey: string): string[] {
  const v = ctx.values[name];
  const fromFlag = Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
  const cfg = migrateConfig(ctx)[configKey];
  const fromConfig = Array.isArray(cfg) ? cfg.map(String) : [];
  return [...fromConfig, ...fromFlag].flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
}

function migrateConfig(ctx: CommandContext): Record<string, unknown> {
  const c = ctx.config.migrateLint;
  if (c === undefined) return {};
  if (typeof c !== 'object' || c === null || Array.isArray(c)) throw new DbOptimizeError('E_CONFIG', 'config', 'config "migrateLint" must be an object');
  return c as Record<string, unknown>;
}

async function runLint(ctx: CommandContext, files: readonly string[]): Promise<number> {
  if (files.length === 0) throw new DbOptimizeError('E_USAGE', 'usage', 'migrate lint needs at least one migration file or directory', { hint: 'db-optimize migrate lint migrations/*.sql' });
  const cfg = migrateConfig(ctx);
  const cfgVersion = cfg.pgVersion === undefined ? undefined : String(cfg.pgVersion as string | number);
  let fallback = cfgVersion === undefined ? DEFAULT_PG : Number.parseInt(cfgVersion, 10);
  if (option(ctx, 'pg-version') === undefined && option(ctx, 'db') !== undefined) {
    // lint for the server the migrations will run on
    const db = await connect(ctx);
    try {
      const [row] = await db.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`);
      fallback = Math.floor(Number(row?.v ?? '0') / 10_000) || fallback;
    } finally {
      await db.close();
    }
  }
  const pgVersion = pgVersionOption(ctx, fallback);
  const exclude = listOption(ctx, 'exclude', 'exclude');
  for (const e of exclude) {
    if (resolveRuleName(e).length === 0) throw new DbOptimizeError('E_BAD_FLAG', 'usage', `--exclude: unknown rule "${e}"`, { hint: 'rule ids are listed in src/migrate/lint/README.md (squawk names work too)' });
  }
  const assumeInTransaction = flag(ctx, 'assume-in-transaction') || cfg.assumeInTransaction === true;
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
  const violations = results.flatMap((r) => r.violations);
  const format = option(ctx, 'format') ?? 'terminal';
  const failOn: Severity = failOnOption(ctx) ?? 'warning';
  const exit = violations.some((v) => SEVERITY_RANK[v.severity] >= SEVERITY_RANK[failOn]) ? EXIT.findings : EXIT.ok;
  if (format === 'github' || format === 'gitlab') {
    const text = format === 'github' ? renderGithub(violations) : renderGitlab(violations);
    const out = option(ctx, 'out');
    if (out === undefined) ctx.io.stdout(text);
    else await writeFile(out, text);
    return exit;
  }
  const report = buildReport({
    command: 'migrate lint',
    generatedAt: new Date().toISOString(),
    database: { source: `${results.length} migration file${results.length === 1 ? '' : 's'}, PostgreSQL ${pgVersion} rules` },
    findings: violations.map(violationToFinding),
    extra: { lint: lintSummary(results, pgVersion, assumeInTransaction) },
  });
  const code = await emitReport(ctx, report);
  return failOnOption(ctx) === undefined ? exit : code;
}

// ---------------------------------------------------------------- plan

function changeFromFlags(ctx: CommandContext): Change {
  const given = CHANGE_FLAGS.filter((f) => typeof ctx.values[f] === 'string');
  if (given.length === 0) {
    throw new DbOptimizeError('E_USAGE', 'usage', 'migrate plan needs one change: --add-column, --add-index, --add-fk, --change-type, --set-not-null or --rename', {
      hint: `example: db-optimize migrate plan --add-column users.tier "text NOT NULL DEFAULT 'free'" --pg-version 15`,
    });
  }
  if (given.length > 1) throw new DbOptimizeError('E_USAGE', 'usage', `one change per plan, got --${given.join(' and --')}`, { hint: 'run migrate plan once per change' });
  const f = given[0] as (typeof CHANGE_FLAGS)[number];
  const extra = ctx.positionals.slice(1);
  if (extra.length > 1) throw new DbOptimizeError('E_USAGE', 'usage', `unexpected arguments: ${extra.slice(1).join(' ')}`, { hint: 'quote the definition: --add-column users.tier "text NOT NULL DEFAULT \'free\'"' });
  return parseChange(f, String(ctx.values[f]), extra[0]);
}

function planFinding(plan: MigrationPlan, table: string, verification: string | null): Finding {
  const blocking = plan.naive.duration !== 'metadata';
  return {
    rule: 'migration-plan',
    severity: plan.naive.duration === 'rewrite' ? 'critical' : blocking ? 'warning' : 'info',
    title: `${plan.naive.duration === 'rewrite' ? 'Naive DDL would rewrite the table' : blocking ? 'Naive DDL would block the table while it scans' : 'Naive DDL is metadata only here'}: ${plan.change.description}`,
    target: { kind: 'table', relation: table },
    evidence: {
      naiveSql: plan.naive.sql,
      naiveLock: plan.naive.lock,
      naiveDuration: plan.naive.duration,
      pgVersion: plan.pgVersion,
      steps: plan.steps.length,
    },
    impact: { score: plan.naive.duration === 'rewrite' ? 1000 : blocking ? 100 : 1, summary: plan.naive.why },
    description: `The plan below replaces it with ${plan.steps.length} step${plan.steps.length === 1 ? '' : 's'} whose locks are instant or non-blocking; every step sets lock_timeout and is retried instead of queueing traffic.`,
    fix: {
      kind: 'migration',
      content: plan.steps.map((s) => `-- step ${s.n}: ${s.title}\n${stepSql(s, plan.pgVersion)}`).join('\n\n'),
      rollback: [...plan.steps].reverse().map((s) => `-- undo step ${s.n}\n${s.rollback}`).join('\n'),
      lockLevel: [...new Set(plan.steps.map((s) => s.lock.split(' (')[0] ?? s.lock))].join(', '),
      safety: 'review',
      verified: verification !== null,
      verification: verification ?? 'planned from the catalog rules of this PostgreSQL version; run it with --apply on a staging copy to verify',
      language: 'sql',
    },
  };
}

function planLines(plan: MigrationPlan, log: readonly ApplyLogEntry[] | null): string[] {
  const lines: string[] = [`change: ${plan.change.description}`, `PostgreSQL ${plan.pgVersion}`, `naive: ${plan.naive.sql}`, `  → ${plan.naive.lock}, ${plan.naive.duration}: ${plan.naive.why}`, ''];
  for (const s of plan.steps) {
    lines.push(`step ${s.n}: ${s.title}`);
    lines.push(`  lock: ${s.lock} · ${s.duration}${s.transactional ? '' : ' · outside a transaction'}${s.lockTimeoutMs === null ? '' : ` · lock_timeout ${s.lockTimeoutMs} ms`}${s.retry === null ? '' : ` · retry ×${s.retry.attempts}`}`);
    for (const l of (s.manual === true ? `-- ${s.title}` : stepSql(s, plan.pgVersion)).split('\n')) lines.push(`    ${l}`);
    lines.push(`  rollback:`);
    for (const l of s.rollback.split('\n')) lines.push(`    ${l}`);
    for (const n of s.notes) lines.push(`  note: ${n}`);
    lines.push('');
  }
  for (const a of plan.assumptions) lines.push(`assumption: ${a}`);
  if (log !== null) {
    lines.push('', 'applied:');
    for (const l of log) lines.push(`  step ${l.step}: ${l.status} in ${l.ms} ms${l.attempts > 1 ? `, ${l.attempts} attempts` : ''}${l.batches === undefined ? '' : `, ${l.batches} batches, ${l.rows} rows`}`);
  }
  return lines;
}

async function runPlan(ctx: CommandContext): Promise<number> {
  await initSqlParser();
  let change = changeFromFlags(ctx);
  const formatRaw = option(ctx, 'migration-format') ?? 'sql';
  if (!(PLAN_FORMATS as readonly string[]).includes(formatRaw)) {
    throw new DbOptimizeError('E_BAD_FLAG', 'usage', `unknown --migration-format "${formatRaw}" (use ${PLAN_FORMATS.join(', ')})`);
  }
  const apply = flag(ctx, 'apply');
  const url = option(ctx, 'db');
  if (apply && url === undefined) {
    throw new DbOptimizeError('E_USAGE', 'usage', '--apply needs an explicit --db URL (DATABASE_URL is not enough for a write)', { hint: 'db-optimize migrate plan … --apply --db postgresql://…' });
  }
  const settings = {
    lockTimeoutMs: numberOption(ctx, 'step-lock-timeout', { min: 10, integer: true }) ?? 500,
    statementTimeoutMs: numberOption(ctx, 'step-statement-timeout', { min: 100, integer: true }) ?? 5000,
    batchSize: numberOption(ctx, 'batch-size', { min: 1, integer: true }) ?? 5000,
    sleepMs: numberOption(ctx, 'sleep-ms', { min: 0, integer: true }) ?? 50,
    retries: numberOption(ctx, 'retries', { min: 1, max: 100, integer: true }) ?? 10,
  };
  const key = option(ctx, 'key');
  let facts: TableFacts | null = null;
  let pgVersion = pgVersionOption(ctx, DEFAULT_PG);
  let verification: string | null = null;
  let log: ApplyLogEntry[] | null = null;
  const db = url === undefined ? null : await connect(ctx);
  try {
    if (db !== null) {
      const collected = await collectTableFacts(db, change);
      facts = collected.facts;
      if (option(ctx, 'pg-version') === undefined) pgVersion = collected.pgVersion;
      if (change.kind === 'add-column' && change.defaultSql !== null) {
        const fn = /^([\w.]+)\s*\(/.exec(change.defaultSql)?.[1]?.split('.').pop();
        if (fn !== undefined) {
          const vol = await functionVolatility(db, fn);
          if (vol !== null) {
            // the server knows the function's volatility better than our list of builtins
            change = { ...change, defaultKind: vol === 'v' ? 'volatile' : 'non-volatile' };
            verification = `pg_proc says ${fn}() is ${vol === 'v' ? 'VOLATILE' : vol === 's' ? 'STABLE' : 'IMMUTABLE'} on this server`;
          }
        }
      }
    }
    const plan = buildPlan(change, { pgVersion, facts, ...settings, ...(key === undefined ? {} : { key }) });
    if (apply && db !== null) {
      const fromStep = numberOption(ctx, 'from-step', { min: 1, integer: true });
      log = await applyPlan(db, plan, { onProgress: (m) => ctx.logger.info(m), ...(fromStep === undefined ? {} : { fromStep }) });
      verification = `applied to ${db.display}: ${log.filter((l) => l.status === 'done').length} steps done`;
    }
    const outDir = option(ctx, 'out-dir');
    const files = renderPlanFiles(plan, formatRaw as PlanFormat);
    if (outDir !== undefined) {
      for (const f of files) {
        const path = join(outDir, f.path);
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, f.content);
      }
      ctx.logger.info(`${files.length} files written to ${outDir}`);
    }
    const report = buildReport({
      command: 'migrate plan',
      generatedAt: new Date().toISOString(),
      database: db === null ? { source: `planned for PostgreSQL ${pgVersion} (no --db)` } : { host: db.display, serverVersion: String(pgVersion) },
      findings: [planFinding(plan, change.table, verification)],
      sections: [{ id: 'plan', title: `Zero-downtime plan (${plan.steps.length} step${plan.steps.length === 1 ? '' : 's'})`, lines: wrapSqlLines(planLines(plan, log)) }],
      extra: {
        plan: { ...plan, format: formatRaw, files: outDir === undefined ? files.map((f) => ({ path: f.path, content: f.content })) : files.map((f) => ({ path: join(outDir, f.path) })) },
        ...(log === null ? {} : { applied: log }),
      },
    });
    return await emitReport(ctx, report);
  } finally {
    await db?.close();
  }
}

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'migrate plan: zero-downtime step-by-step DDL plans; migrate lint: lint SQL migrations (squawk + strong_migrations rules)',
  usage: [
    `migrate plan --add-column TABLE.COLUMN "TYPE [NOT NULL] [DEFAULT …]" [--pg-version N | --db URL] [--migration-format sql|alembic|knex|prisma|drizzle] [--out-dir DIR] [--apply]`,
    '       db-optimize migrate lint FILE|DIR… [--pg-version N] [--format terminal|json|markdown|github|gitlab] [--exclude RULE]',
  ].join('\n'),
  help: [
    'plan: one change per run: --add-column, --add-index "t(cols) [WHERE …]" (prefix UNIQUE for a unique one), --add-fk t.col->ref.col,',
    '--change-type t.col TYPE [USING expr], --set-not-null t.col, --rename t.col NEW | --rename t NEW. It only prints (and writes',
    '--out-dir files); --apply --db URL runs the steps with lock_timeout, retries and batched backfills.',
    'lint: exits 1 when a warning or critical finding exists (--fail-on changes the threshold). Suppress with a comment on the line',
    'before a statement: -- db-optimize-ignore RULE[, RULE] (squawk-ignore works too); for a whole file: -- db-optimize-ignore-file RULE.',
    'Config file (--config): { "migrateLint": { "pgVersion": 15, "exclude": ["prefer-robust-stmts"], "assumeInTransaction": true } }',
  ].join('\n'),
  common: ['connection', 'report'],
  options: {
    'add-column': { type: 'string', valueName: 'T.COL', description: 'plan: add a column (definition as the value after a space or as the next argument)' },
    'add-index': { type: 'string', valueName: '"T(COLS)"', description: 'plan: add an index, built CONCURRENTLY' },
    'add-fk': { type: 'string', valueName: 'T.COL->R.COL', description: 'plan: add a foreign key NOT VALID then VALIDATE' },
    'change-type': { type: 'string', valueName: 'T.COL', description: 'plan: change a column type by expand/contract' },
    'set-not-null': { type: 'string', valueName: 'T.COL', description: 'plan: SET NOT NULL via CHECK … NOT VALID + VALIDATE' },
    rename: { type: 'string', valueName: 'T[.COL]', description: 'plan: rename a column (expand/contract) or a table (with a compatibility view)' },
    'pg-version': { type: 'string', valueName: 'N', description: 'PostgreSQL major version to plan/lint for (default: the server of --db, else 17)' },
    'migration-format': { type: 'string', valueName: 'FMT', description: 'plan files: sql (default), alembic, knex, prisma, drizzle' },
    'out-dir': { type: 'string', valueName: 'DIR', description: 'plan: write the migration files there' },
    apply: { type: 'boolean', description: 'plan: run the plan against --db (read-write; explicit); stops before a manual (deploy) step' },
    'from-step': { type: 'string', valueName: 'N', description: 'plan --apply: start at step N (after deploying code for a manual step)' },
    key: { type: 'string', valueName: 'COLUMN', description: 'plan: integer key to batch backfills by (found from the primary key with --db)' },
    'batch-size': { type: 'string', valueName: 'N', description: 'plan: rows per backfill batch (default 5000)' },
    'sleep-ms': { type: 'string', valueName: 'MS', description: 'plan: pause between backfill batches (default 50)' },
    retries: { type: 'string', valueName: 'N', description: 'plan: attempts per step when lock_timeout fires (default 10)' },
    'step-lock-timeout': { type: 'string', valueName: 'MS', description: 'plan: lock_timeout of each DDL step (default 500, below the 1 s budget)' },
    'step-statement-timeout': { type: 'string', valueName: 'MS', description: 'plan: statement_timeout of short steps (default 5000)' },
    'assume-in-transaction': { type: 'boolean', description: 'lint: the framework wraps each migration in a transaction' },
    exclude: { type: 'string', multiple: true, valueName: 'RULE', description: 'lint: rule to skip (repeatable, comma-separated)' },
  },
  async run(ctx) {
    const sub = ctx.positionals[0];
    if (sub === 'lint') {
      const format = option(ctx, 'format') ?? 'terminal';
      if (!['terminal', 'json', 'markdown', 'github', 'gitlab'].includes(format)) {
        throw new DbOptimizeError('E_BAD_FLAG', 'usage', `unknown --format "${format}" for migrate lint (use terminal, json, markdown, github, gitlab)`);
      }
      const planOnly = CHANGE_FLAGS.filter((f) => ctx.values[f] !== undefined);
      if (planOnly.length > 0) throw new DbOptimizeError('E_USAGE', 'usage', `--${planOnly[0] ?? ''} belongs to migrate plan, not migrate lint`);
      return runLint(ctx, ctx.positionals.slice(1));
    }
    if (sub === 'plan') {
      if (ctx.values.exclude !== undefined) throw new DbOptimizeError('E_USAGE', 'usage', '--exclude belongs to migrate lint, not migrate plan');
      return runPlan(ctx);
    }
    throw new DbOptimizeError('E_USAGE', 'usage', sub === undefined ? 'migrate needs a subcommand: plan or lint' : `unknown migrate subcommand "${sub}" (use plan or lint)`, {
      hint: "run 'db-optimize migrate --help'",
    });
  },
};
