import { writeFile } from 'node:fs/promises';
import { makeDir } from './make-dir.ts';
import { dirname, join } from 'node:path';
import { DbOptimizeError } from '../errors/index.ts';
import type { Report } from '../model/index.ts';
import { applyPlan } from '../migrate/plan/apply-plan.ts';
import type { ApplyLogEntry } from '../migrate/plan/apply-plan.ts';
import { buildPlan } from '../migrate/plan/build-plan.ts';
import type { TableFacts } from '../migrate/plan/build-plan.ts';
import { collectTableFacts, functionVolatility } from '../migrate/plan/collect-table-facts.ts';
import { parseChange } from '../migrate/plan/parse-change.ts';
import type { Change } from '../migrate/plan/parse-change.ts';
import { PLAN_FORMATS, renderPlanFiles } from '../migrate/plan/plan-formats.ts';
import type { PlanFormat } from '../migrate/plan/plan-formats.ts';
import { planFinding, planLines } from '../migrate/plan/plan-report.ts';
import { buildReport } from '../render/build-report.ts';
import { wrapSqlLines } from '../schema-review/wrap-sql-lines.ts';
import { initSqlParser } from '../sql/index.ts';
import { defineFlow, runLibraryFlow } from './flow.ts';
import type { FlowInput, LibraryContext, LibraryOptions } from './flow.ts';
import { connect, flag, numberOption, option, positionalsOr } from './flow-input.ts';
import { DEFAULT_RULES_PG_MAJOR, pgVersionOption, RULES_RANGE } from './pg-version.ts';

export const CHANGE_FLAGS = ['add-column', 'add-index', 'add-fk', 'change-type', 'set-not-null', 'rename'] as const;

export const PG_VERSION_OPTION = {
    'pg-version': { type: 'string', valueName: 'N', description: 'PostgreSQL major version to plan/lint for (default: the server of --db, else 17)' },
} as const;

export const MIGRATE_PLAN_OPTIONS = {
    'add-column': { type: 'string', valueName: 'T.COL', description: 'plan: add a column (definition as the value after a space or as the next argument)' },
    'add-index': { type: 'string', valueName: '"T(COLS)"', description: 'plan: add an index, built CONCURRENTLY' },
    'add-fk': { type: 'string', valueName: 'T.COL->R.COL', description: 'plan: add a foreign key NOT VALID then VALIDATE' },
    'change-type': { type: 'string', valueName: 'T.COL', description: 'plan: change a column type by expand/contract' },
    'set-not-null': { type: 'string', valueName: 'T.COL', description: 'plan: SET NOT NULL via CHECK … NOT VALID + VALIDATE' },
    rename: { type: 'string', valueName: 'T[.COL]', description: 'plan: rename a column (expand/contract) or a table (with a compatibility view)' },
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
  ...PG_VERSION_OPTION,
} as const;

function changeFromFlags(input: FlowInput): Change {
  const given = CHANGE_FLAGS.filter((f) => option(input, f) !== undefined);
  if (given.length === 0) {
    throw new DbOptimizeError('E_USAGE', 'usage', 'migrate plan needs one change: --add-column, --add-index, --add-fk, --change-type, --set-not-null or --rename', {
      hint: `example: db-optimize migrate plan --add-column users.tier "text NOT NULL DEFAULT 'free'" --pg-version 15`,
    });
  }
  if (given.length > 1) throw new DbOptimizeError('E_USAGE', 'usage', `one change per plan, got --${given.join(' and --')}`, { hint: 'run migrate plan once per change' });
  const f = given[0] as (typeof CHANGE_FLAGS)[number];
  const extra = positionalsOr(input, 'definition');
  if (extra.length > 1) throw new DbOptimizeError('E_USAGE', 'usage', `unexpected arguments: ${extra.slice(1).join(' ')}`, { hint: 'quote the definition: --add-column users.tier "text NOT NULL DEFAULT \'free\'"' });
  return parseChange(f, option(input, f) ?? '', extra[0]);
}

/** A zero-downtime plan for one schema change; with --apply it runs the steps. */
async function runPlan(input: FlowInput): Promise<Report> {
  await initSqlParser();
  let change = changeFromFlags(input);
  const formatRaw = option(input, 'migration-format') ?? 'sql';
  if (!(PLAN_FORMATS as readonly string[]).includes(formatRaw)) {
    throw new DbOptimizeError('E_BAD_FLAG', 'usage', `unknown --migration-format "${formatRaw}" (use ${PLAN_FORMATS.join(', ')})`);
  }
  const apply = flag(input, 'apply');
  const url = option(input, 'db');
  if (apply && url === undefined) {
    throw new DbOptimizeError('E_USAGE', 'usage', '--apply needs an explicit --db URL (DATABASE_URL is not enough for a write)', { hint: 'db-optimize migrate plan … --apply --db postgresql://…' });
  }
  const settings = {
    lockTimeoutMs: numberOption(input, 'step-lock-timeout', { min: 10, integer: true }) ?? 500,
    statementTimeoutMs: numberOption(input, 'step-statement-timeout', { min: 100, integer: true }) ?? 5000,
    batchSize: numberOption(input, 'batch-size', { min: 1, integer: true }) ?? 5000,
    sleepMs: numberOption(input, 'sleep-ms', { min: 0, integer: true }) ?? 50,
    retries: numberOption(input, 'retries', { min: 1, max: 100, integer: true }) ?? 10,
  };
  const key = option(input, 'key');
  let facts: TableFacts | null = null;
  let pgVersion = pgVersionOption(input, RULES_RANGE) ?? DEFAULT_RULES_PG_MAJOR;
  let verification: string | null = null;
  let log: ApplyLogEntry[] | null = null;
  const db = url === undefined ? null : await connect(input);
  try {
    if (db !== null) {
      const collected = await collectTableFacts(db, change);
      facts = collected.facts;
      if (option(input, 'pg-version') === undefined) pgVersion = collected.pgVersion;
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
      const fromStep = numberOption(input, 'from-step', { min: 1, integer: true });
      log = await applyPlan(db, plan, { onProgress: (m) => input.logger.info(m), ...(fromStep === undefined ? {} : { fromStep }) });
      verification = `applied to ${db.display}: ${log.filter((l) => l.status === 'done').length} steps done`;
    }
    const outDir = option(input, 'out-dir');
    const files = renderPlanFiles(plan, formatRaw as PlanFormat);
    if (outDir !== undefined) {
      try {
        for (const f of files) {
          const path = join(outDir, f.path);
          await makeDir(dirname(path));
          await writeFile(path, f.content);
        }
      } catch (error) {
        throw new DbOptimizeError('E_WRITE', 'usage', `cannot write to ${outDir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      }
      input.logger.info(`${files.length} files written to ${outDir}`);
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
    return report;
  } finally {
    await db?.close();
  }
}

export const migratePlanFlow = defineFlow({
  name: 'migrate plan',
  common: ['connection', 'report'],
  options: MIGRATE_PLAN_OPTIONS,
  // the library gives an --add-column definition as "definition"; a config file may carry lint settings
  configKeys: ['definition', 'migrateLint'],
  run: runPlan,
});

export type MigratePlanOptions = LibraryOptions<typeof MIGRATE_PLAN_OPTIONS, { definition?: string }>;

export function migratePlan(options: MigratePlanOptions = {}, context?: LibraryContext): Promise<Report> {
  return runLibraryFlow(migratePlanFlow, options, context);
}
