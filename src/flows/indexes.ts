import { writeFile } from 'node:fs/promises';
import { advisorFindings } from '../advisor/advisor-findings.ts';
import { createIndexesConcurrently } from '../advisor/apply-indexes-db.ts';
import type { CreatedIndex } from '../advisor/apply-indexes-db.ts';
import { migrationScript } from '../advisor/migration-script.ts';
import { advisorReportFields } from '../advisor/report-fields.ts';
import { DEFAULT_SANDBOX_MAX_BYTES, runIndexAdvisor } from '../advisor/run-index-advisor.ts';
import { advisorSummaryLines } from '../advisor/summary-lines.ts';
import { DEFAULT_KNEE_OPTIONS } from '../advisor/knee.ts';
import { measureStatements } from '../advisor/validate-workload-db.ts';
import type { Database } from '../collect/connection.ts';
import { DbOptimizeError } from '../errors/index.ts';
import type { Report, ReportSection, SkippedAnalyzer, Workload } from '../model/index.ts';
import { buildReport, databaseInfo } from '../render/build-report.ts';
import { initSqlParser } from '../sql/index.ts';
import { workloadFromPgStatStatements } from '../workload/from-pg-stat-statements.ts';
import { workloadFromSql, workloadFromSqlFile } from '../workload/from-sql-file.ts';
import { defineFlow, runLibraryFlow } from './flow.ts';
import type { FlowInput, LibraryContext, LibraryOptions } from './flow.ts';
import { connect, flag, listOption, numberOption, option } from './flow-input.ts';
import { FAILED_PREFIX } from '../engine/collection-skips.ts';

export const INDEXES_OPTIONS = {
    statement: { type: 'string', multiple: true, valueName: 'SQL', description: 'analyze this statement (repeatable) instead of a workload' },
    writes: {
      type: 'string',
      valueName: 'auto|stats|workload',
      description: 'write rates: auto (default) reads pg_stat_user_tables unless a table looks bulk-loaded or its statistics are too young; stats or workload force one source',
    },
    calls: { type: 'string', valueName: 'N', description: 'calls per day of the --statement(s); without it their write overhead is shown but not weighed' },
    'budget-mb': { type: 'string', valueName: 'MB', description: 'storage the new indexes may add (default: no limit)' },
    'max-indexes': { type: 'string', valueName: 'N', description: 'at most N new indexes (default 20)' },
    'min-gain': {
      type: 'string',
      valueName: 'FRACTION',
      description: `the knee: a further index must save at least this fraction of the remaining workload cost (default ${DEFAULT_KNEE_OPTIONS.minMarginalGain})`,
    },
    'time-limit': { type: 'string', valueName: 'SECONDS', description: 'bound the search; the best configuration so far is returned (default 60)' },
    'migration-out': { type: 'string', valueName: 'FILE', description: 'write a migration (lock_timeout, CONCURRENTLY, rollback section)' },
    create: { type: 'boolean', description: 'create the recommended indexes CONCURRENTLY (asks first; needs a role that may create indexes)' },
    yes: { type: 'boolean', short: 'y', description: 'do not ask before --create' },
    validate: { type: 'boolean', description: 'run the statements before/after and report measured times (after: --create, or a sandbox build)' },
    sandbox: { type: 'boolean', description: 'allow real index builds in rolled-back transactions on tables of any size' },
    'no-sandbox': { type: 'boolean', description: 'never build indexes, not even in rolled-back transactions' },
    'sandbox-max-mb': { type: 'string', valueName: 'MB', description: `largest table measured by a rolled-back build without --sandbox (default ${DEFAULT_SANDBOX_MAX_BYTES / 1048576})` },
  } as const;

async function loadWorkload(input: FlowInput, db: Database): Promise<Workload> {
  const statements = listOption(input, 'statement');
  const file = option(input, 'workload');
  if (statements.length > 0 && file !== undefined) throw new DbOptimizeError('E_USAGE', 'usage', 'give either --workload FILE or --statement SQL, not both');
  if (statements.length > 0) {
    await initSqlParser();
    const w = workloadFromSql(statements.map((s) => s.replace(/;\s*$/, '')).join(';\n'), '--statement');
    if (w.statements.length === 0) throw new DbOptimizeError('E_EMPTY_WORKLOAD', 'input', '--statement contains no SQL statement');
    const calls = numberOption(input, 'calls', { min: 0 });
    return { ...w, source: 'statement', statements: w.statements.map((s) => ({ ...s, source: 'statement' as const, ...(calls === undefined ? {} : { calls }) })) };
  }
  if (file !== undefined) return workloadFromSqlFile(file);
  const intervalSeconds = numberOption(input, 'interval', { min: 1 });
  const minCalls = numberOption(input, 'min-calls', { min: 0 });
  const minTimeMs = numberOption(input, 'min-time', { min: 0 });
  return workloadFromPgStatStatements(db, {
    ...(intervalSeconds === undefined ? {} : { intervalSeconds }),
    ...(minCalls === undefined ? {} : { minCalls }),
    ...(minTimeMs === undefined ? {} : { minTimeMs }),
    onProgress: (m) => input.logger.info(m),
  });
}

/** Without a way to ask (library), --create needs --yes. */
const notConfirmed = (): Promise<boolean> => Promise.resolve(false);

/** The index advisor over the workload: what-if costs, a selection under the budget, drops, optional --create/--validate. */
async function runIndexes(input: FlowInput): Promise<Report> {
    const budgetMb = numberOption(input, 'budget-mb', { min: 0 });
    const maxIndexes = numberOption(input, 'max-indexes', { min: 0, integer: true });
    const timeLimit = numberOption(input, 'time-limit', { min: 0.1 }) ?? 60;
    const sandboxMaxMb = numberOption(input, 'sandbox-max-mb', { min: 0 });
    const migrationOut = option(input, 'migration-out');
    const minGain = numberOption(input, 'min-gain', { min: 0 });
    const writes = option(input, 'writes') ?? 'auto';
    if (writes !== 'auto' && writes !== 'stats' && writes !== 'workload') throw new DbOptimizeError('E_BAD_FLAG', 'usage', `--writes must be auto, stats or workload, got "${writes}"`);
    if (flag(input, 'sandbox') && flag(input, 'no-sandbox')) throw new DbOptimizeError('E_USAGE', 'usage', '--sandbox and --no-sandbox contradict each other');
    const statementCalls = numberOption(input, 'calls', { min: 0 });
    if (statementCalls !== undefined && listOption(input, 'statement').length === 0) throw new DbOptimizeError('E_USAGE', 'usage', '--calls only applies to --statement');
    // a lone statement without a call rate: the question is "which index serves it", not whether it pays for its writes
    const unweighted = listOption(input, 'statement').length > 0 && statementCalls === undefined;
    if (flag(input, 'yes') && !flag(input, 'create')) throw new DbOptimizeError('E_USAGE', 'usage', '--yes only applies to --create');
    const db = await connect(input);
    try {
      input.logger.info(`connected to ${db.display} (read-only session)`);
      const run = await runIndexAdvisor(db, {
        workload: () => loadWorkload(input, db),
        advisor: {
          ...(budgetMb === undefined ? {} : { budgetBytes: budgetMb * 1048576 }),
          ...(maxIndexes === undefined ? {} : { maxIndexes }),
          ...(unweighted ? { writeCostPerEntry: 0 } : {}),
          ...(minGain === undefined ? {} : { knee: { ...DEFAULT_KNEE_OPTIONS, minMarginalGain: minGain } }),
          writeSource: writes,
        },
        sandbox: flag(input, 'no-sandbox') ? 'never' : flag(input, 'sandbox') ? 'always' : 'auto',
        ...(sandboxMaxMb === undefined ? {} : { sandboxMaxBytes: sandboxMaxMb * 1048576 }),
        timeLimitMs: timeLimit * 1000,
        logger: input.logger,
      });
      const { result, snapshot, workload } = run;
      const failures: SkippedAnalyzer[] = [];
      // a role that may not read the tables (CONNECT only) gets no plans: "no index pays for itself" would be false
      const denied = result.skipped.filter((x) => /permission denied/i.test(x.reason));
      if (denied.length > 0) {
        input.logger.warn(`${denied.length} statement(s) could not be planned (${denied[0]?.reason ?? ''}): grant this role SELECT on the tables; the advice covers only the rest`);
        if (result.statements.length === 0) failures.push({ analyzer: `${FAILED_PREFIX}index-advisor`, reason: `no statement could be planned (${denied[0]?.reason ?? 'permission denied'})` });
      }
      const generatedAt = new Date().toISOString();
      if (migrationOut !== undefined) {
        try {
          await writeFile(migrationOut, migrationScript(result, { database: db.display, generatedAt }));
        } catch (error) {
          throw new DbOptimizeError('E_WRITE', 'usage', `cannot write ${migrationOut}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
        }
        input.logger.info(`migration written to ${migrationOut}`);
      }

      const sections: ReportSection[] = [{ id: 'index-advisor', title: 'Index advisor', lines: advisorSummaryLines(result) }];
      const extra: Record<string, unknown> = {};
      const advised = result.statements;
      let validateBefore: Map<string, number | string> | null = null;
      if (flag(input, 'validate')) {
        input.logger.info('validate: measuring the statements before…');
        validateBefore = await measureStatements(db, advised);
      }
      let created: CreatedIndex[] | null = null;
      if (flag(input, 'create') && result.indexes.length > 0) {
        const ok = flag(input, 'yes') || (await (input.confirm ?? notConfirmed)(`Create ${result.indexes.length} index(es) CONCURRENTLY on ${db.display}?`));
        if (ok) created = await createIndexesConcurrently(db, result.indexes, { onProgress: (m) => input.logger.info(m) });
        else input.logger.warn('--create: not confirmed, nothing was created');
        // --create that could not build an index did not do its job: never exit 0
        for (const c of (created ?? []).filter((x) => !x.ok)) failures.push({ analyzer: `${FAILED_PREFIX}create-index`, reason: `--create: ${c.name} was not created: ${c.error ?? 'unknown error'}` });
        extra.created = (created ?? []).map((c) => ({ name: c.name, definition: c.ddl, ok: c.ok, ms: Math.round(c.ms), ...(c.error === undefined ? {} : { error: c.error }) }));
      }
      if (validateBefore !== null) {
        const createdAll = created !== null && created.every((c) => c.ok);
        const sandboxOk = !flag(input, 'no-sandbox');
        let after: Map<string, number | string> | null = null;
        let how: string;
        if (createdAll) {
          after = await measureStatements(db, advised);
          how = 'after --create';
        } else if (sandboxOk && result.indexes.length > 0) {
          after = await measureStatements(db, advised, result.indexes.map((i) => i.ddl.replace(' CONCURRENTLY', '')));
          how = 'after building the recommended indexes inside a rolled-back transaction';
        } else how = result.indexes.length === 0 ? 'nothing to validate: no index recommended' : 'after not measured (use --create, or allow the sandbox)';
        extra.validation = {
          method: how,
          statements: advised.map((s) => {
            const b = validateBefore?.get(s.id);
            const a = after?.get(s.id);
            return {
              fingerprint: s.fingerprint,
              weight: s.weight,
              beforeMs: typeof b === 'number' ? Math.round(b * 1000) / 1000 : null,
              afterMs: typeof a === 'number' ? Math.round(a * 1000) / 1000 : null,
              ...(typeof b === 'string' ? { note: b } : typeof a === 'string' ? { note: a } : {}),
            };
          }),
        };
        sections.push({
          id: 'index-advisor-validation',
          title: `Measured execution times (${how})`,
          lines: advised.map((s) => {
            const b = validateBefore?.get(s.id);
            const a = after?.get(s.id);
            return `${s.fingerprint}: ${typeof b === 'number' ? `${b.toFixed(3)} ms` : (b ?? '?')} → ${typeof a === 'number' ? `${a.toFixed(3)} ms` : (a ?? '?')}`;
          }),
        });
      }
      const fields = advisorReportFields(result);
      const report = buildReport({
        command: 'indexes',
        generatedAt,
        database: databaseInfo(snapshot, db.display),
        findings: advisorFindings(result),
        workload,
        sections,
        skipped: failures,
      });
      const base = (report.workload ?? {}) as Record<string, unknown>;
      return {
        ...report,
        ...fields,
        ...extra,
        advisor: {
          ...(fields.advisor as { notes: string[] }),
          runtimeMs: Math.round(run.runtimeMs),
          notes: [...(fields.advisor as { notes: string[] }).notes, ...(unweighted ? ['no call rate given (--calls N): write overhead is shown but not weighed against the read benefit'] : [])],
        },
        workload: { ...base, costBefore: Math.round(result.workload.costBefore * 100) / 100, costAfter: result.workload.costAfter === null ? null : Math.round(result.workload.costAfter * 100) / 100, analyzedStatements: result.workload.statements } as never,
      };
    } finally {
      await db.close();
    }
}

export const indexesFlow = defineFlow({ name: 'indexes', common: ['connection', 'report', 'analysis'], options: INDEXES_OPTIONS, run: runIndexes });

export type IndexesOptions = LibraryOptions<typeof INDEXES_OPTIONS>;

export function indexes(options: IndexesOptions = {}, context?: LibraryContext): Promise<Report> {
  return runLibraryFlow(indexesFlow, options, context);
}
