import { readFile } from 'node:fs/promises';
import { DbOptimizeError } from '../../errors/index.ts';
import type { ReportSection } from '../../model/index.ts';
import { diagnoseQuery, statementShape } from '../../explain/index.ts';
import { redactDeep, redactParameterNote } from '../../explain/redact-literals.ts';
import { displaySql, initSqlParser } from '../../sql/index.ts';
import type { Command, CommandContext } from '../command.ts';
import { connect, emitReport, flag, numberOption, option } from '../context-helpers.ts';
import { planReport } from '../plan-report.ts';

async function statementOf(ctx: CommandContext): Promise<string> {
  const file = option(ctx, 'file');
  if (file !== undefined && ctx.positionals.length > 0) throw new DbOptimizeError('E_USAGE', 'usage', 'give the statement either as an argument or with --file, not both');
  let sql: string;
  if (file !== undefined) {
    try {
      sql = await readFile(file, 'utf8');
    } catch (error) {
      throw new DbOptimizeError('E_READ', 'input', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  } else if (ctx.positionals.length === 1) sql = ctx.positionals[0] ?? '';
  else {
    throw new DbOptimizeError('E_USAGE', 'usage', ctx.positionals.length === 0 ? 'query needs a statement: query --db URL "SELECT ..." or --file F' : 'query takes one statement (quote it)', {
      hint: "run 'db-optimize query --help' for examples",
    });
  }
  sql = sql.trim().replace(/;\s*$/, '');
  if (sql === '') throw new DbOptimizeError('E_USAGE', 'usage', 'the statement is empty');
  return sql;
}

async function rewriteOf(ctx: CommandContext): Promise<string | null> {
  const inline = option(ctx, 'rewrite');
  const file = option(ctx, 'rewrite-file');
  if (inline !== undefined && file !== undefined) throw new DbOptimizeError('E_USAGE', 'usage', 'give --rewrite or --rewrite-file, not both');
  let text = inline ?? null;
  if (file !== undefined) {
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new DbOptimizeError('E_READ', 'input', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }
  return text === null ? null : text.trim().replace(/;\s*$/, '');
}

function listOption(ctx: CommandContext, name: string): string[] {
  const v = ctx.values[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

export const queryCommand: Command = {
  name: 'query',
  summary: 'run EXPLAIN ANALYZE on one statement (read-only), explain why it is slow and check the fixes against the database',
  usage: 'query --db URL "SQL" | --file FILE [--param V]... [--allow-writes] [--apply-in-sandbox] [--rewrite "SQL"] [--format ...]',
  help: [
    'Runs EXPLAIN (ANALYZE, BUFFERS, SETTINGS, FORMAT JSON) in a read-only transaction that is rolled back, under the',
    'statement timeout. Statements that write run only with --allow-writes, inside BEGIN … ROLLBACK; so do statements',
    'that call functions with side effects (pg_terminate_backend, advisory locks, nextval, pg_reload_conf, VOLATILE',
    'user functions), which a rollback does not undo. Literals in plan conditions and sampled values are masked unless',
    '--show-literals.',
    'Parameters ($1…): --param values, else EXPLAIN (GENERIC_PLAN) on PostgreSQL 16+ (estimates only), else values',
    'sampled from pg_stats (most common value / median histogram bound); the report says which.',
    'Proposed indexes are checked with HypoPG when it is installed (cost before/after). --apply-in-sandbox builds each',
    'proposed index inside a rolled-back transaction and measures the statement again (takes a SHARE lock on the table',
    'while it runs: writes to it wait). --rewrite measures a rewritten statement against the original and checks that',
    'both return the same rows (EXCEPT ALL both ways).',
    '',
    'Examples:',
    '  db-optimize query --db postgresql://localhost/shop "SELECT * FROM orders WHERE status = \'pending\'"',
    '  db-optimize query --db $URL --file report.sql --apply-in-sandbox',
  ].join('\n'),
  common: ['connection', 'report'],
  options: {
    file: { type: 'string', valueName: 'FILE', description: 'read the statement from FILE' },
    param: { type: 'string', multiple: true, valueName: 'VALUE', description: 'value for $1, $2, … (repeat in order)' },
    'sample-params': { type: 'boolean', description: 'sample $n values from pg_stats even on PostgreSQL 16+ (runs the statement)' },
    'allow-writes': { type: 'boolean', description: 'allow INSERT/UPDATE/DELETE/MERGE and side-effect functions: run inside BEGIN … ROLLBACK' },
    'apply-in-sandbox': { type: 'boolean', description: 'build proposed indexes in a rolled-back transaction and measure before/after' },
    'sandbox-max-mb': { type: 'string', valueName: 'MB', description: 'largest table (with indexes) to build a sandbox index on (default 1024)' },
    'no-verify': { type: 'boolean', description: 'do not check proposed indexes with HypoPG' },
    rewrite: { type: 'string', valueName: 'SQL', description: 'a rewritten statement to measure against the original (time, plan, same rows?)' },
    'rewrite-file': { type: 'string', valueName: 'FILE', description: 'read the rewritten statement from FILE' },
  },
  async run(ctx) {
    const width = numberOption(ctx, 'width', { min: 40, integer: true }) ?? 80;
    const sandboxMaxMb = numberOption(ctx, 'sandbox-max-mb', { min: 1 }) ?? 1024;
    const sql = await statementOf(ctx);
    await initSqlParser();
    // bad SQL is a usage error even when the database is unreachable
    statementShape(sql);
    const rewrite = await rewriteOf(ctx);
    if (rewrite !== null) statementShape(rewrite);
    const db = await connect(ctx);
    try {
      const d = await diagnoseQuery(db, sql, {
        allowWrites: flag(ctx, 'allow-writes'),
        params: listOption(ctx, 'param'),
        sampleParams: flag(ctx, 'sample-params'),
        verify: !flag(ctx, 'no-verify'),
        applyInSandbox: flag(ctx, 'apply-in-sandbox'),
        sandboxMaxBytes: sandboxMaxMb * 1024 * 1024,
        rewrite,
        logger: ctx.logger,
      });
      const { shape, parameters } = d;
      const showLiterals = flag(ctx, 'show-literals');
      // the values are stated: the plan shows them in its conditions anyway
      // values sampled from pg_stats are customer data; values given with --param are the user's own
      const keepValues = showLiterals || parameters.mode !== 'sampled';
      const paramLines = keepValues ? [...parameters.notes] : parameters.notes.map(redactParameterNote);
      const head: ReportSection[] = [
        {
          id: 'statement',
          title: 'Statement',
          lines: [
            ...displaySql(sql, showLiterals).split('\n'),
            ...(shape.writes ? ['(writes: run inside BEGIN … ROLLBACK with --allow-writes; nothing was kept)'] : []),
            ...(paramLines.length > 0 ? ['', `parameters (${parameters.mode}):`, ...paramLines.map((l) => `  ${l}`)] : []),
          ],
        },
      ];
      const report = planReport({
        command: 'query',
        plan: d.plan,
        findings: d.findings,
        width,
        database: d.database,
        before: head,
        after: d.sections,
        extra: {
          skipped: d.skipped,
          statement: { text: displaySql(sql, showLiterals), kind: shape.kind, writes: shape.writes, analyzed: d.analyzed },
          parameters: { mode: parameters.mode, notes: paramLines, values: keepValues ? [...parameters.values] : parameters.values.map((v) => (v === null ? null : '?')) },
          ...(d.whatIf === null ? {} : { whatIf: d.whatIf }),
          ...(d.sandbox.length === 0 ? {} : { sandbox: d.sandbox }),
          ...(d.rewrite === null ? {} : { rewrite: d.rewrite }),
        },
      });
      // plan conditions and tips quote the data (emails, tokens); fixes stay whole so they run
      return await emitReport(ctx, showLiterals ? report : redactDeep(report, new Set(['fix', 'database'])));
    } finally {
      await db.close();
    }
  },
};
