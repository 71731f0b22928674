import { readFile } from 'node:fs/promises';
import { DbOptimizeError } from '../../errors/index.ts';
import type { Finding } from '../../model/index.ts';
import { analyzePlan, comparePlans, loadPlanCatalog, renderPlanTree, verifyIndexTips } from '../../explain/index.ts';
import { initSqlParser } from '../../sql/index.ts';
import { HypopgEngine } from '../../whatif/index.ts';
import type { Command, CommandContext } from '../command.ts';
import { connect, emitReport, flag, numberOption, option } from '../context-helpers.ts';
import { planReport } from '../plan-report.ts';

async function readInput(ctx: CommandContext, path: string): Promise<Uint8Array> {
  if (path === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of ctx.io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    return Buffer.concat(chunks);
  }
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DbOptimizeError('E_READ', 'input', `cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (code ?? String(error))}`, {
      hint: 'pass a file holding EXPLAIN output, or - to read it from stdin',
    });
  }
}

async function statementText(ctx: CommandContext): Promise<string | null> {
  const inline = option(ctx, 'sql');
  if (inline !== undefined) return inline;
  const file = option(ctx, 'sql-file');
  if (file === undefined) return null;
  try {
    return (await readFile(file, 'utf8')).trim().replace(/;\s*$/, '');
  } catch (error) {
    throw new DbOptimizeError('E_READ', 'input', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

export const explainCommand: Command = {
  name: 'explain',
  summary: 'analyze an EXPLAIN plan (JSON, text, psql output or auto_explain log): exclusive time per node and ranked tips',
  usage: 'explain FILE|- [--sql "STATEMENT"] [--db URL] [--format terminal|json|markdown]\n       db-optimize explain --compare BEFORE AFTER',
  help: [
    'Reads a plan from FILE (or stdin with -): EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) output, text EXPLAIN ANALYZE, text copied',
    'from psql (header, borders, "+" continuations) or auto_explain log lines. Shows the plan tree with the exclusive time of',
    'each node, misestimates and the hot path, and tips ranked by the time they could save.',
    'With --db and the statement text (--sql, --sql-file, or auto_explain\'s Query Text) proposed indexes are checked with HypoPG.',
    '--compare BEFORE AFTER shows what changed between two plans of the same statement (time, buffers, node types).',
    '',
    'Examples:',
    '  psql -XqAt -c "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT ..." > plan.json && db-optimize explain plan.json',
    '  db-optimize explain --compare before.json after.json',
  ].join('\n'),
  common: ['connection', 'report'],
  options: {
    compare: { type: 'boolean', description: 'compare two plans: explain --compare BEFORE AFTER' },
    sql: { type: 'string', valueName: 'STATEMENT', description: 'the statement the plan belongs to (sharpens tips; needed to verify indexes with --db)' },
    'sql-file': { type: 'string', valueName: 'FILE', description: 'read the statement from FILE' },
  },
  async run(ctx) {
    const width = numberOption(ctx, 'width', { min: 40, integer: true }) ?? 80;
    const compare = flag(ctx, 'compare');
    const expected = compare ? 2 : 1;
    if (ctx.positionals.length !== expected) {
      throw new DbOptimizeError('E_USAGE', 'usage', compare ? '--compare needs two plan files: explain --compare BEFORE AFTER' : 'explain needs one plan file (or - for stdin)', {
        hint: "run 'db-optimize explain --help' for examples",
      });
    }
    await initSqlParser();
    const sql = await statementText(ctx);
    const paths = ctx.positionals;
    const inputs: Uint8Array[] = [];
    for (const p of paths) inputs.push(await readInput(ctx, p));
    const analyses = paths.map((p, i) => analyzePlan(inputs[i] ?? new Uint8Array(), { source: p === '-' ? 'stdin' : p, sql }));
    const last = analyses.at(-1);
    if (last === undefined) return 2;
    let findings: Finding[] = [...last.findings];
    const statement = sql ?? last.plan.plan.queryText;
    const skipped: { analyzer: string; reason: string }[] = [];
    let verification: unknown = null;
    if (option(ctx, 'db') !== undefined) {
      const db = await connect(ctx);
      try {
        const relations = last.plan.nodes.map((n) => n.relation).filter((r): r is string => r !== null);
        const catalog = await loadPlanCatalog(db, relations);
        findings = [...analyzePlan(inputs.at(-1) ?? new Uint8Array(), { sql, catalog }).findings];
        if (statement === null) {
          skipped.push({ analyzer: 'what-if', reason: 'no statement text (give --sql or --sql-file): proposed indexes are not verified' });
        } else {
          const engine = await HypopgEngine.open(db);
          if (engine === null) skipped.push({ analyzer: 'what-if', reason: 'HypoPG is not installed in this database: proposed indexes are not verified' });
          else {
            try {
              const v = await verifyIndexTips(findings, engine, statement, { mode: 'none', values: [], notes: [] });
              findings = v.findings;
              verification = v.verifications;
            } finally {
              await engine.close();
            }
          }
        }
      } finally {
        await db.close();
      }
    }
    const source = paths.map((p) => (p === '-' ? 'stdin' : p)).join(' → ');
    const comparison = compare && analyses[0] !== undefined ? comparePlans(analyses[0].plan, last.plan) : null;
    const report = planReport({
      command: 'explain',
      plan: last.plan,
      findings,
      width,
      database: { source: `${compare ? 'plans' : 'plan'} ${source} (${last.plan.plan.format})` },
      before: comparison === null ? [] : [{ id: 'comparison', title: 'What changed (before → after)', lines: comparison.lines }],
      ...(comparison !== null && analyses[0] !== undefined
        ? { after: [{ id: 'plan-before', title: 'Plan before', lines: renderPlanTree(analyses[0].plan, [], width) }] }
        : {}),
      extra: {
        skipped,
        ...(comparison === null ? {} : { comparison: comparison.data }),
        ...(verification === null ? {} : { whatIf: verification }),
      },
    });
    return emitReport(ctx, report);
  },
};
