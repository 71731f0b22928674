import { readFile } from 'node:fs/promises';
import { collectSnapshot } from '../collect/collect-snapshot.ts';
import type { Database } from '../collect/connection.ts';
import { DbOptimizeError } from '../errors/index.ts';
import { buildReport, databaseInfo } from '../render/build-report.ts';
import { planProblem } from '../rewrite/check-plans.ts';
import { rewriteAndVerify, rewriteFindings, rewriteJson, rewriteSections } from '../rewrite/rewrite-and-verify.ts';
import { schemaFactsFromSnapshot } from '../rewrite/schema-facts.ts';
import { initSqlParser, parseSql } from '../sql/index.ts';
import { HypopgEngine } from '../whatif/hypopg-engine.ts';

import type { Report } from '../model/index.ts';
import { connect, flag, numberOption, option, positionalsOr, wantsLiveServer, widthOption } from './flow-input.ts';
import { defineFlow, runLibraryFlow } from './flow.ts';
import type { FlowInput, LibraryContext, LibraryOptions } from './flow.ts';

/** Rows compared per statement before an automatic sample is used. */
export const DEFAULT_ROW_CAP = 10_000;

export const REWRITE_OPTIONS = {
    file: { type: 'string', valueName: 'FILE', description: 'read the statement from FILE' },
    analyze: { type: 'boolean', description: 'also time both statements (EXPLAIN ANALYZE, median of 3; read-only)' },
    'verify-sample': { type: 'string', valueName: 'PCT', description: 'compare results on a TABLESAMPLE BERNOULLI sample of PCT % of every table' },
    'verify-budget': { type: 'string', valueName: 'SECONDS', description: 'time bound for verifying the rewrites of the statement (default 60); a slow original is compared on subsets of its outer table' },
    'row-cap': { type: 'string', valueName: 'N', description: `compare at most N rows per statement (default ${DEFAULT_ROW_CAP}); larger results are compared on an automatic sample` },
    uses: { type: 'string', valueName: 'COLS', description: 'columns the caller reads (comma-separated): SELECT * becomes these' },
    'in-list-threshold': { type: 'string', valueName: 'N', description: 'IN lists at least this long become = ANY($n) (default 50)' },
  } as const;

async function readStatement(input: FlowInput): Promise<{ sql: string; origin: string }> {
  const file = option(input, 'file');
  if (file !== undefined) {
    try {
      return { sql: await readFile(file, 'utf8'), origin: file };
    } catch (error) {
      throw new DbOptimizeError('E_READ', 'input', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }
  const sql = positionalsOr(input, 'statement').join(' ').trim();
  if (sql === '') {
    throw new DbOptimizeError('E_USAGE', 'usage', 'no statement given', { hint: 'db-optimize rewrite --db URL "SELECT ..." (or --file query.sql)' });
  }
  return { sql, origin: 'the statement' };
}

/** One statement rewritten, each rewrite proved on the database (same rows, cheaper plan) or marked unverified. */
async function runRewrite(input: FlowInput): Promise<Report> {
    const rowCap = numberOption(input, 'row-cap', { min: 1, integer: true }) ?? DEFAULT_ROW_CAP;
    const samplePercent = numberOption(input, 'verify-sample', { min: 0.0001, max: 100 });
    const budgetSeconds = numberOption(input, 'verify-budget', { min: 1, max: 3600 });
    const inListThreshold = numberOption(input, 'in-list-threshold', { min: 2, integer: true });
    const usesRaw = option(input, 'uses');
    const uses = usesRaw === undefined ? undefined : usesRaw.split(',').map((s) => s.trim()).filter((s) => s !== '');
    const { sql, origin } = await readStatement(input);
    await initSqlParser();
    const ruleOptions = { ...(uses === undefined ? {} : { uses }), ...(inListThreshold === undefined ? {} : { inListThreshold }) };
    const wantsDb = wantsLiveServer(input);
    const width = widthOption(input);
    const generatedAt = new Date().toISOString();
    if (!wantsDb) {
      const outcome = await rewriteAndVerify(null, sql, { facts: null, ruleOptions, origin });
      const report = buildReport({
        command: 'rewrite',
        generatedAt,
        database: { source: 'static (no database: rewrites are unverified)' },
        findings: rewriteFindings(outcome),
        sections: rewriteSections(outcome, width),
        extra: { rewrite: rewriteJson(outcome) },
      });
      return report;
    }
    // parse before connecting so a typo fails fast with its position
    parseSql(sql, origin);
    let db: Database | null = null;
    try {
      db = await connect(input);
      input.logger.info(`connected to ${db.display} (read-only session)`);
      const problem = await planProblem(db, sql);
      if (problem !== null) {
        throw new DbOptimizeError('E_STATEMENT_NOT_PLANNABLE', 'usage', `the statement does not plan on ${db.display}: ${problem}`, {
          hint: 'check the table and column names, the schema (search_path) and that --db points at the right database',
        });
      }
      const snapshot = await collectSnapshot(db, { showLiterals: true });
      const facts = schemaFactsFromSnapshot(snapshot);
      const whatIf = await HypopgEngine.open(db).catch(() => null);
      let outcome;
      try {
        outcome = await rewriteAndVerify(db, sql, {
          facts,
          ruleOptions,
          origin,
          verify: { rowCap, analyze: flag(input, 'analyze'), whatIf, ...(samplePercent === undefined ? {} : { samplePercent }), ...(budgetSeconds === undefined ? {} : { budgetMs: budgetSeconds * 1000 }) },
        });
      } finally {
        await whatIf?.close();
      }
      const report = buildReport({
        command: 'rewrite',
        generatedAt,
        database: databaseInfo(snapshot, db.display),
        findings: rewriteFindings(outcome),
        sections: rewriteSections(outcome, width),
        extra: { rewrite: rewriteJson(outcome) },
      });
      return report;
    } finally {
      await db?.close();
    }
}

export const rewriteFlow = defineFlow({ name: 'rewrite', common: ['connection', 'report'], options: REWRITE_OPTIONS, configKeys: ['statement'], run: runRewrite });

export type RewriteOptions = LibraryOptions<typeof REWRITE_OPTIONS, { statement?: string }>;

export function rewrite(options: RewriteOptions = {}, context?: LibraryContext): Promise<Report> {
  return runLibraryFlow(rewriteFlow, options, context);
}
