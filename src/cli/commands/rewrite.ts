import { readFile } from 'node:fs/promises';
import { collectSnapshot } from '../../collect/collect-snapshot.ts';
import type { Database } from '../../collect/connection.ts';
import { DbOptimizeError } from '../../errors/index.ts';
import { buildReport, databaseInfo } from '../../render/build-report.ts';
import { rewriteAndVerify, rewriteFindings, rewriteJson, rewriteSections } from '../../rewrite/rewrite-and-verify.ts';
import { schemaFactsFromSnapshot } from '../../rewrite/schema-facts.ts';
import { initSqlParser, parseSql } from '../../sql/index.ts';
import { HypopgEngine } from '../../whatif/hypopg-engine.ts';
import type { Command, CommandContext } from '../command.ts';
import { connect, emitReport, flag, numberOption, option } from '../context-helpers.ts';

export const DEFAULT_ROW_CAP = 10_000;

async function readStatement(ctx: CommandContext): Promise<{ sql: string; origin: string }> {
  const file = option(ctx, 'file');
  if (file !== undefined) {
    try {
      return { sql: await readFile(file, 'utf8'), origin: file };
    } catch (error) {
      throw new DbOptimizeError('E_READ', 'input', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }
  const sql = ctx.positionals.join(' ').trim();
  if (sql === '') {
    throw new DbOptimizeError('E_USAGE', 'usage', 'no statement given', { hint: 'db-optimize rewrite --db URL "SELECT ..." (or --file query.sql)' });
  }
  return { sql, origin: 'the statement' };
}

export const rewriteCommand: Command = {
  name: 'rewrite',
  summary: 'rewrite one statement and prove it: same rows on your data, cheaper plan',
  usage: 'rewrite [--db URL] "SQL" | --file query.sql [--analyze] [--verify-sample PCT] [--verify-budget SECONDS] [--row-cap N] [--uses col,col]',
  help: [
    'Applies the rewrite rules (correlated aggregates, IN/EXISTS, NOT IN, keyset pagination, OR → UNION ALL,',
    'SELECT *, COUNT(*) > 0, DISTINCT over joins, sargable predicates, trigram and expression indexes,',
    'ORDER BY random(), UNION → UNION ALL, long IN lists, CTE materialization) and, with a database,',
    'runs both statements read-only to compare their rows (multisets, ordered when ORDER BY ends in a',
    'unique key, parameter sets drawn from pg_stats) and their planner cost. Only a rewrite that returns',
    'the same rows and plans cheaper is shown as verified. Statements that could write are never run.',
    'Without --db the rewrites are static and unverified.',
  ].join('\n'),
  common: ['connection', 'report'],
  options: {
    file: { type: 'string', valueName: 'FILE', description: 'read the statement from FILE' },
    analyze: { type: 'boolean', description: 'also time both statements (EXPLAIN ANALYZE, median of 3; read-only)' },
    'verify-sample': { type: 'string', valueName: 'PCT', description: 'compare results on a TABLESAMPLE BERNOULLI sample of PCT % of every table' },
    'verify-budget': { type: 'string', valueName: 'SECONDS', description: 'time bound for verifying the rewrites of the statement (default 60); a slow original is compared on subsets of its outer table' },
    'row-cap': { type: 'string', valueName: 'N', description: `compare at most N rows per statement (default ${DEFAULT_ROW_CAP}); larger results are compared on an automatic sample` },
    uses: { type: 'string', valueName: 'COLS', description: 'columns the caller reads (comma-separated): SELECT * becomes these' },
    'in-list-threshold': { type: 'string', valueName: 'N', description: 'IN lists at least this long become = ANY($n) (default 50)' },
  },
  async run(ctx) {
    const rowCap = numberOption(ctx, 'row-cap', { min: 1, integer: true }) ?? DEFAULT_ROW_CAP;
    const samplePercent = numberOption(ctx, 'verify-sample', { min: 0.0001, max: 100 });
    const budgetSeconds = numberOption(ctx, 'verify-budget', { min: 1, max: 3600 });
    const inListThreshold = numberOption(ctx, 'in-list-threshold', { min: 2, integer: true });
    const usesRaw = option(ctx, 'uses');
    const uses = usesRaw === undefined ? undefined : usesRaw.split(',').map((s) => s.trim()).filter((s) => s !== '');
    const { sql, origin } = await readStatement(ctx);
    await initSqlParser();
    const ruleOptions = { ...(uses === undefined ? {} : { uses }), ...(inListThreshold === undefined ? {} : { inListThreshold }) };
    const wantsDb = option(ctx, 'db') !== undefined || (ctx.io.env.DATABASE_URL ?? '') !== '';
    const width = numberOption(ctx, 'width', { min: 40, integer: true }) ?? 80;
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
      return emitReport(ctx, report);
    }
    // parse before connecting so a typo fails fast with its position
    parseSql(sql, origin);
    let db: Database | null = null;
    try {
      db = await connect(ctx);
      ctx.logger.info(`connected to ${db.display} (read-only session)`);
      const snapshot = await collectSnapshot(db, { showLiterals: true });
      const facts = schemaFactsFromSnapshot(snapshot);
      const whatIf = await HypopgEngine.open(db).catch(() => null);
      let outcome;
      try {
        outcome = await rewriteAndVerify(db, sql, {
          facts,
          ruleOptions,
          origin,
          verify: { rowCap, analyze: flag(ctx, 'analyze'), whatIf, ...(samplePercent === undefined ? {} : { samplePercent }), ...(budgetSeconds === undefined ? {} : { budgetMs: budgetSeconds * 1000 }) },
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
      return await emitReport(ctx, report);
    } finally {
      await db?.close();
    }
  },
};
