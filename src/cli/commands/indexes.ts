import { writeFile } from 'node:fs/promises';
import { advisorFindings } from '../../advisor/advisor-findings.ts';
import { createIndexesConcurrently } from '../../advisor/apply-indexes-db.ts';
import type { CreatedIndex } from '../../advisor/apply-indexes-db.ts';
import { migrationScript } from '../../advisor/migration-script.ts';
import { advisorReportFields } from '../../advisor/report-fields.ts';
import { DEFAULT_SANDBOX_MAX_BYTES, runIndexAdvisor } from '../../advisor/run-index-advisor.ts';
import type { AdvisorResult } from '../../advisor/types.ts';
import { measureStatements } from '../../advisor/validate-workload-db.ts';
import { formatBytes, formatCount, percent } from '../../analyzers/format.ts';
import type { Database } from '../../collect/connection.ts';
import { DbOptimizeError, EXIT } from '../../errors/index.ts';
import type { ReportSection, Workload } from '../../model/index.ts';
import { buildReport, databaseInfo } from '../../render/build-report.ts';
import { initSqlParser } from '../../sql/index.ts';
import { workloadFromPgStatStatements } from '../../workload/from-pg-stat-statements.ts';
import { workloadFromSql, workloadFromSqlFile } from '../../workload/from-sql-file.ts';
import type { Command, CommandContext } from '../command.ts';
import { connect, emitReport, flag, numberOption, option } from '../context-helpers.ts';

function statementsOption(ctx: CommandContext): string[] {
  const v = ctx.values.statement;
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

async function loadWorkload(ctx: CommandContext, db: Database): Promise<Workload> {
  const statements = statementsOption(ctx);
  const file = option(ctx, 'workload');
  if (statements.length > 0 && file !== undefined) throw new DbOptimizeError('E_USAGE', 'usage', 'give either --workload FILE or --statement SQL, not both');
  if (statements.length > 0) {
    await initSqlParser();
    const w = workloadFromSql(statements.map((s) => s.replace(/;\s*$/, '')).join(';\n'), '--statement');
    if (w.statements.length === 0) throw new DbOptimizeError('E_EMPTY_WORKLOAD', 'input', '--statement contains no SQL statement');
    const calls = numberOption(ctx, 'calls', { min: 0 });
    return { ...w, source: 'statement', statements: w.statements.map((s) => ({ ...s, source: 'statement' as const, ...(calls === undefined ? {} : { calls }) })) };
  }
  if (file !== undefined) return workloadFromSqlFile(file);
  const intervalSeconds = numberOption(ctx, 'interval', { min: 1 });
  const minCalls = numberOption(ctx, 'min-calls', { min: 0 });
  const minTimeMs = numberOption(ctx, 'min-time', { min: 0 });
  return workloadFromPgStatStatements(db, {
    ...(intervalSeconds === undefined ? {} : { intervalSeconds }),
    ...(minCalls === undefined ? {} : { minCalls }),
    ...(minTimeMs === undefined ? {} : { minTimeMs }),
    onProgress: (m) => ctx.logger.info(m),
  });
}

async function confirm(ctx: CommandContext, question: string): Promise<boolean> {
  ctx.io.stderr(`${question} [y/N] `);
  const answer = await new Promise<string>((resolve) => {
    let buf = '';
    const stream = ctx.io.stdin;
    const done = (): void => {
      stream.off('data', onData);
      stream.off('end', done);
      resolve(buf);
    };
    const onData = (chunk: Buffer | string): void => {
      buf += chunk.toString();
      if (buf.includes('\n')) done();
    };
    stream.on('data', onData);
    stream.on('end', done);
  });
  return /^\s*y(es)?\s*$/i.test(answer.split('\n')[0] ?? '');
}

function summaryLines(r: AdvisorResult): string[] {
  const lines: string[] = [];
  const after = r.workload.costAfter;
  lines.push(`Evaluation: ${r.methodNote}`);
  lines.push(
    `Weighted workload cost: ${formatCount(r.workload.costBefore)} → ${after === null ? 'not measured' : `${formatCount(after)} (${percent(r.workload.costBefore > 0 ? 1 - after / r.workload.costBefore : 0)} less)`}` +
      ` over ${r.workload.statements} statement(s); ${r.stats.candidates} candidates, ${r.stats.whatIfCalls} what-if calls; polish: ${r.stats.polish}${r.stats.timedOut ? '; time limit reached (best so far)' : ''}`,
  );
  if (r.indexes.length === 0) lines.push('No index pays for itself on this workload.');
  for (const i of r.indexes) {
    lines.push(`+ ${i.ddl}`);
    lines.push(`    ${formatBytes(i.sizeBytes)}, ${formatCount(i.writeOverhead.entriesPerDay)} writes/day, ${i.shareOfGain === null ? '?' : percent(i.shareOfGain)} of the gain, ${i.verified ? 'verified' : 'unverified'} (${i.method})`);
    for (const s of i.statements) lines.push(`    ${s.fingerprint}: ${s.costBefore.toFixed(1)} → ${s.costAfter === null ? '?' : s.costAfter.toFixed(1)} × ${formatCount(s.weight)}/day`);
  }
  for (const d of r.drops) lines.push(`- DROP INDEX CONCURRENTLY ${d.index.qualifiedName}; (replaced by ${d.replacedBy}; ${d.method}${d.verified ? '' : ', unverified'})`);
  for (const p of r.proposals) lines.push(`? ${p.ddl}`, `    not recommended: ${p.reason}`);
  for (const d of r.decisions.filter((x) => x.decision === 'no-index')) lines.push(`· ${d.fingerprint}: no index — ${d.reason}`);
  for (const s of r.skipped) lines.push(`! skipped ${s.fingerprint ?? '(unparsed)'}: ${s.reason}`);
  return lines;
}

export const indexesCommand: Command = {
  name: 'indexes',
  aliases: ['--indexes'],
  summary: 'index advisor: workload-wide index selection checked with HypoPG, with drops and a migration',
  usage: 'indexes [--db URL] [--workload FILE.sql | --statement SQL | --min-calls N --min-time MS] [--budget-mb N] [--max-indexes N] [--time-limit S] [--migration-out FILE] [--create [--yes]] [--validate]',
  help:
    'Reads the workload (pg_stat_statements by default), generates btree/covering/partial/expression/GIN/trigram/full-text/BRIN candidates from its predicates, ' +
    'costs them with HypoPG (real builds in rolled-back transactions for GIN/BRIN on small tables), selects a configuration by benefit per byte under the budget, ' +
    'net of write overhead, and lists redundant indexes to drop. Nothing is written to the database unless --create is given.',
  common: ['connection', 'report', 'analysis'],
  options: {
    statement: { type: 'string', multiple: true, valueName: 'SQL', description: 'analyze this statement (repeatable) instead of a workload' },
    writes: { type: 'string', valueName: 'stats|workload', description: 'write rates from pg_stat_user_tables and the workload (default), or the workload only (after a bulk load)' },
    calls: { type: 'string', valueName: 'N', description: 'calls per day of the --statement(s); without it their write overhead is shown but not weighed' },
    'budget-mb': { type: 'string', valueName: 'MB', description: 'storage the new indexes may add (default: no limit)' },
    'max-indexes': { type: 'string', valueName: 'N', description: 'at most N new indexes (default 20)' },
    'time-limit': { type: 'string', valueName: 'SECONDS', description: 'bound the search; the best configuration so far is returned (default 60)' },
    'migration-out': { type: 'string', valueName: 'FILE', description: 'write a migration (lock_timeout, CONCURRENTLY, rollback section)' },
    create: { type: 'boolean', description: 'create the recommended indexes CONCURRENTLY (asks first; needs a role that may create indexes)' },
    yes: { type: 'boolean', short: 'y', description: 'do not ask before --create' },
    validate: { type: 'boolean', description: 'run the statements before/after and report measured times (after: --create, or a sandbox build)' },
    sandbox: { type: 'boolean', description: 'allow real index builds in rolled-back transactions on tables of any size' },
    'no-sandbox': { type: 'boolean', description: 'never build indexes, not even in rolled-back transactions' },
    'sandbox-max-mb': { type: 'string', valueName: 'MB', description: `largest table measured by a rolled-back build without --sandbox (default ${DEFAULT_SANDBOX_MAX_BYTES / 1048576})` },
  },
  async run(ctx) {
    const budgetMb = numberOption(ctx, 'budget-mb', { min: 0 });
    const maxIndexes = numberOption(ctx, 'max-indexes', { min: 0, integer: true });
    const timeLimit = numberOption(ctx, 'time-limit', { min: 0.1 }) ?? 60;
    const sandboxMaxMb = numberOption(ctx, 'sandbox-max-mb', { min: 0 });
    const migrationOut = option(ctx, 'migration-out');
    const writes = option(ctx, 'writes') ?? 'stats';
    if (writes !== 'stats' && writes !== 'workload') throw new DbOptimizeError('E_BAD_FLAG', 'usage', `--writes must be stats or workload, got "${writes}"`);
    if (flag(ctx, 'sandbox') && flag(ctx, 'no-sandbox')) throw new DbOptimizeError('E_USAGE', 'usage', '--sandbox and --no-sandbox contradict each other');
    const statementCalls = numberOption(ctx, 'calls', { min: 0 });
    if (statementCalls !== undefined && statementsOption(ctx).length === 0) throw new DbOptimizeError('E_USAGE', 'usage', '--calls only applies to --statement');
    // a lone statement without a call rate: the question is "which index serves it", not whether it pays for its writes
    const unweighted = statementsOption(ctx).length > 0 && statementCalls === undefined;
    if (flag(ctx, 'yes') && !flag(ctx, 'create')) throw new DbOptimizeError('E_USAGE', 'usage', '--yes only applies to --create');
    const db = await connect(ctx);
    try {
      ctx.logger.info(`connected to ${db.display} (read-only session)`);
      const run = await runIndexAdvisor(db, {
        workload: () => loadWorkload(ctx, db),
        advisor: {
          ...(budgetMb === undefined ? {} : { budgetBytes: budgetMb * 1048576 }),
          ...(maxIndexes === undefined ? {} : { maxIndexes }),
          ...(unweighted ? { writeCostPerEntry: 0 } : {}),
          writeSource: writes,
        },
        sandbox: flag(ctx, 'no-sandbox') ? 'never' : flag(ctx, 'sandbox') ? 'always' : 'auto',
        ...(sandboxMaxMb === undefined ? {} : { sandboxMaxBytes: sandboxMaxMb * 1048576 }),
        timeLimitMs: timeLimit * 1000,
        logger: ctx.logger,
      });
      const { result, snapshot, workload } = run;
      // a role that may not read the tables (CONNECT only) gets no plans: "no index pays for itself" would be false
      const denied = result.skipped.filter((x) => /permission denied/i.test(x.reason));
      if (denied.length > 0) {
        ctx.logger.warn(`${denied.length} statement(s) could not be planned (${denied[0]?.reason ?? ''}): grant this role SELECT on the tables; the advice covers only the rest`);
      }
      const unplanned = denied.length > 0 && result.statements.length === 0;
      const generatedAt = new Date().toISOString();
      if (migrationOut !== undefined) {
        try {
          await writeFile(migrationOut, migrationScript(result, { database: db.display, generatedAt }));
        } catch (error) {
          throw new DbOptimizeError('E_WRITE', 'usage', `cannot write ${migrationOut}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
        }
        ctx.logger.info(`migration written to ${migrationOut}`);
      }

      const sections: ReportSection[] = [{ id: 'index-advisor', title: 'Index advisor', lines: summaryLines(result) }];
      const extra: Record<string, unknown> = {};
      const advised = result.statements;
      let validateBefore: Map<string, number | string> | null = null;
      if (flag(ctx, 'validate')) {
        ctx.logger.info('validate: measuring the statements before…');
        validateBefore = await measureStatements(db, advised);
      }
      let created: CreatedIndex[] | null = null;
      if (flag(ctx, 'create') && result.indexes.length > 0) {
        const ok = flag(ctx, 'yes') || (await confirm(ctx, `Create ${result.indexes.length} index(es) CONCURRENTLY on ${db.display}?`));
        if (ok) created = await createIndexesConcurrently(db, result.indexes, { onProgress: (m) => ctx.logger.info(m) });
        else ctx.logger.warn('--create: not confirmed, nothing was created');
        extra.created = (created ?? []).map((c) => ({ name: c.name, definition: c.ddl, ok: c.ok, ms: Math.round(c.ms), ...(c.error === undefined ? {} : { error: c.error }) }));
      }
      if (validateBefore !== null) {
        const createdAll = created !== null && created.every((c) => c.ok);
        const sandboxOk = !flag(ctx, 'no-sandbox');
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
      });
      const base = (report.workload ?? {}) as Record<string, unknown>;
      const code = await emitReport(ctx, {
        ...report,
        ...fields,
        ...extra,
        advisor: {
          ...(fields.advisor as { notes: string[] }),
          runtimeMs: Math.round(run.runtimeMs),
          notes: [...(fields.advisor as { notes: string[] }).notes, ...(unweighted ? ['no call rate given (--calls N): write overhead is shown but not weighed against the read benefit'] : [])],
        },
        workload: { ...base, costBefore: Math.round(result.workload.costBefore * 100) / 100, costAfter: result.workload.costAfter === null ? null : Math.round(result.workload.costAfter * 100) / 100, analyzedStatements: result.workload.statements } as never,
      });
      // --create that could not build an index did not do its job: never exit 0
      const failed = (created ?? []).filter((c) => !c.ok);
      for (const c of failed) ctx.logger.warn(`--create: ${c.name} was not created: ${c.error ?? 'unknown error'}`);
      return failed.length > 0 || unplanned ? Math.max(code, EXIT.connection) : code;
    } finally {
      await db.close();
    }
  },
};
