import { readFile } from 'node:fs/promises';
import { DbOptimizeError } from '../errors/index.ts';
import type { Finding } from '../model/index.ts';
import { analyzePlan, comparePlans, loadPlanCatalog, renderPlanTree, verifyIndexTips } from '../explain/index.ts';
import { initSqlParser } from '../sql/index.ts';
import { HypopgEngine } from '../whatif/index.ts';
import { planReport } from './plan-report.ts';
import type { Report } from '../model/index.ts';
import { connect, flag, option, positionalsOr, widthOption } from './flow-input.ts';
import { defineFlow, runLibraryFlow } from './flow.ts';
import type { FlowInput, LibraryContext, LibraryOptions } from './flow.ts';

export const EXPLAIN_OPTIONS = {
    compare: { type: 'boolean', description: 'compare two plans: explain --compare BEFORE AFTER' },
    sql: { type: 'string', valueName: 'STATEMENT', description: 'the statement the plan belongs to (sharpens tips; needed to verify indexes with --db)' },
    'sql-file': { type: 'string', valueName: 'FILE', description: 'read the statement from FILE' },
  } as const;

async function readInput(input: FlowInput, path: string): Promise<Uint8Array> {
  if (path === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of (input.stdin ?? process.stdin)) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
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

async function statementText(input: FlowInput): Promise<string | null> {
  const inline = option(input, 'sql');
  if (inline !== undefined) return inline;
  const file = option(input, 'sql-file');
  if (file === undefined) return null;
  try {
    return (await readFile(file, 'utf8')).trim().replace(/;\s*$/, '');
  } catch (error) {
    throw new DbOptimizeError('E_READ', 'input', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

/** An EXPLAIN plan (or two, --compare) analyzed: exclusive time per node and ranked tips, verified with HypoPG when --db is given. */
async function runExplain(input: FlowInput): Promise<Report> {
    const width = widthOption(input);
    const compare = flag(input, 'compare');
    const expected = compare ? 2 : 1;
    const paths = positionalsOr(input, 'plans');
    if (paths.length !== expected) {
      throw new DbOptimizeError('E_USAGE', 'usage', compare ? '--compare needs two plan files: explain --compare BEFORE AFTER' : 'explain needs one plan file (or - for stdin)', {
        hint: "run 'db-optimize explain --help' for examples",
      });
    }
    await initSqlParser();
    const sql = await statementText(input);
    const inputs: Uint8Array[] = [];
    for (const p of paths) inputs.push(await readInput(input, p));
    const analyses = paths.map((p, i) => analyzePlan(inputs[i] ?? new Uint8Array(), { source: p === '-' ? 'stdin' : p, sql }));
    const last = analyses.at(-1);
    if (last === undefined) throw new DbOptimizeError('E_USAGE', 'usage', 'explain needs one plan file (or - for stdin)');
    let findings: Finding[] = [...last.findings];
    const statement = sql ?? last.plan.plan.queryText;
    const skipped: { analyzer: string; reason: string }[] = [];
    let verification: unknown = null;
    if (option(input, 'db') !== undefined) {
      const db = await connect(input);
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
    return report;
}

export const explainFlow = defineFlow({ name: 'explain', common: ['connection', 'report'], options: EXPLAIN_OPTIONS, configKeys: ['plans'], run: runExplain });

export type ExplainOptions = LibraryOptions<typeof EXPLAIN_OPTIONS, { plans?: readonly string[] | string }>;

export function explain(options: ExplainOptions = {}, context?: LibraryContext): Promise<Report> {
  return runLibraryFlow(explainFlow, options, context);
}
