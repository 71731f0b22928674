import { readFile } from 'node:fs/promises';
import { DbOptimizeError, isDbOptimizeError } from '../errors/index.ts';
import type { ReportSection } from '../model/index.ts';
import { diagnoseQuery, statementShape } from '../explain/index.ts';
import { slowOriginalRewriteReport } from '../rewrite/slow-original-rewrite.ts';
import { redactDeep, redactParameterNote } from '../explain/redact-literals.ts';
import { displaySql, initSqlParser } from '../sql/index.ts';
import { planReport } from './plan-report.ts';
import type { Report } from '../model/index.ts';
import { connect, flag, listOption, numberOption, option, positionalsOr, widthOption } from './flow-input.ts';
import { defineFlow, runLibraryFlow } from './flow.ts';
import type { FlowInput, LibraryContext, LibraryOptions } from './flow.ts';

export const QUERY_OPTIONS = {
    file: { type: 'string', valueName: 'FILE', description: 'read the statement from FILE' },
    param: { type: 'string', multiple: true, valueName: 'VALUE', description: 'value for $1, $2, … (repeat in order)' },
    'sample-params': { type: 'boolean', description: 'sample $n values from pg_stats even on PostgreSQL 16+ (runs the statement)' },
    'allow-writes': { type: 'boolean', description: 'allow INSERT/UPDATE/DELETE/MERGE and side-effect functions: run inside BEGIN … ROLLBACK' },
    'apply-in-sandbox': { type: 'boolean', description: 'build proposed indexes in a rolled-back transaction and measure before/after' },
    'sandbox-max-mb': { type: 'string', valueName: 'MB', description: 'largest table (with indexes) to build a sandbox index on (default 1024)' },
    'no-verify': { type: 'boolean', description: 'do not check proposed indexes with HypoPG' },
    rewrite: { type: 'string', valueName: 'SQL', description: 'a rewritten statement to measure against the original (time, plan, same rows?)' },
    'rewrite-file': { type: 'string', valueName: 'FILE', description: 'read the rewritten statement from FILE' },
  } as const;

async function statementOf(input: FlowInput): Promise<string> {
  const file = option(input, 'file');
  const positionals = positionalsOr(input, 'statement');
  if (file !== undefined && positionals.length > 0) throw new DbOptimizeError('E_USAGE', 'usage', 'give the statement either as an argument or with --file, not both');
  let sql: string;
  if (file !== undefined) {
    try {
      sql = await readFile(file, 'utf8');
    } catch (error) {
      throw new DbOptimizeError('E_READ', 'input', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  } else if (positionals.length === 1) sql = positionals[0] ?? '';
  else {
    throw new DbOptimizeError('E_USAGE', 'usage', positionals.length === 0 ? 'query needs a statement: query --db URL "SELECT ..." or --file F' : 'query takes one statement (quote it)', {
      hint: "run 'db-optimize query --help' for examples",
    });
  }
  sql = sql.trim().replace(/;\s*$/, '');
  if (sql === '') throw new DbOptimizeError('E_USAGE', 'usage', 'the statement is empty');
  return sql;
}

async function rewriteOf(input: FlowInput): Promise<string | null> {
  const inline = option(input, 'rewrite');
  const file = option(input, 'rewrite-file');
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

/** EXPLAIN ANALYZE of one statement (read-only, rolled back), why it is slow, and its fixes checked against the database. */
async function runQuery(input: FlowInput): Promise<Report> {
    const width = widthOption(input);
    const sandboxMaxMb = numberOption(input, 'sandbox-max-mb', { min: 1 }) ?? 1024;
    const sql = await statementOf(input);
    await initSqlParser();
    // bad SQL is a usage error even when the database is unreachable
    statementShape(sql);
    const rewrite = await rewriteOf(input);
    if (rewrite !== null) statementShape(rewrite);
    const db = await connect(input);
    try {
      let d: Awaited<ReturnType<typeof diagnoseQuery>>;
      try {
        d = await diagnoseQuery(db, sql, {
          allowWrites: flag(input, 'allow-writes'),
          params: listOption(input, 'param'),
          sampleParams: flag(input, 'sample-params'),
          verify: !flag(input, 'no-verify'),
          applyInSandbox: flag(input, 'apply-in-sandbox'),
          sandboxMaxBytes: sandboxMaxMb * 1024 * 1024,
          rewrite,
          logger: input.logger,
        });
      } catch (error) {
        // the original is the slow one: prove the given rewrite on subsets of its outer table instead
        if (rewrite === null || !isDbOptimizeError(error) || error.code !== 'E_STATEMENT_TIMEOUT') throw error;
        input.logger.warn(`${error.message}; verifying the rewrite on subsets of the outer table instead`);
        const slow = await slowOriginalRewriteReport(db, sql, rewrite, { width, reason: error.message, generatedAt: new Date().toISOString() });
        return flag(input, 'show-literals') ? slow : redactDeep(slow, new Set(['fix', 'database']));
      }
      const { shape, parameters } = d;
      const showLiterals = flag(input, 'show-literals');
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
      return showLiterals ? report : redactDeep(report, new Set(['fix', 'database']));
    } finally {
      await db.close();
    }
}

export const queryFlow = defineFlow({ name: 'query', common: ['connection', 'report'], options: QUERY_OPTIONS, configKeys: ['statement'], run: runQuery });

export type QueryOptions = LibraryOptions<typeof QUERY_OPTIONS, { statement?: string }>;

export function query(options: QueryOptions = {}, context?: LibraryContext): Promise<Report> {
  return runLibraryFlow(queryFlow, options, context);
}
