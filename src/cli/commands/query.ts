import { readFile } from 'node:fs/promises';
import { DbOptimizeError } from '../../errors/index.ts';
import type { Finding, ReportSection } from '../../model/index.ts';
import {
  analyzePlan,
  comparePlans,
  compareResults,
  explainLive,
  loadPlanCatalog,
  measureIndexInSandbox,
  rankTipFindings,
  relationBytes,
  statementShape,
  verifyIndexTips,
} from '../../explain/index.ts';
import { indexDefinitionOf } from '../../explain/verify-index-tips.ts';
import { initSqlParser, redactSql } from '../../sql/index.ts';
import { HypopgEngine } from '../../whatif/index.ts';
import type { Command, CommandContext } from '../command.ts';
import { connect, emitReport, flag, numberOption, option } from '../context-helpers.ts';
import { planReport } from '../plan-report.ts';

/** Sandbox builds take a SHARE lock for their duration: without --apply-in-sandbox they never run. */
const SANDBOX_LIMIT = 3;

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
    'statement timeout. Statements that write run only with --allow-writes, inside BEGIN … ROLLBACK.',
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
    'allow-writes': { type: 'boolean', description: 'allow INSERT/UPDATE/DELETE/MERGE: run inside BEGIN … ROLLBACK' },
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
    const shape = statementShape(sql);
    const db = await connect(ctx);
    try {
      const live = await explainLive(db, sql, shape, {
        allowWrites: flag(ctx, 'allow-writes'),
        params: listOption(ctx, 'param'),
        sampleParams: flag(ctx, 'sample-params'),
      });
      const planText = JSON.stringify(live.planJson);
      const first = analyzePlan(planText, { sql });
      const relations = first.plan.nodes.map((n) => n.relation).filter((r): r is string => r !== null);
      const catalog = await loadPlanCatalog(db, relations);
      const { plan } = first;
      let findings: Finding[] = [...analyzePlan(planText, { sql, catalog }).findings];
      const skipped: { analyzer: string; reason: string }[] = [];
      let whatIf: unknown = null;
      if (!flag(ctx, 'no-verify') && findings.some((f) => indexDefinitionOf(f) !== null)) {
        const engine = await HypopgEngine.open(db);
        if (engine === null) {
          skipped.push({ analyzer: 'what-if', reason: 'HypoPG is not installed in this database: proposed indexes are not verified (CREATE EXTENSION hypopg, or use --apply-in-sandbox)' });
          findings = findings.map((f) =>
            indexDefinitionOf(f) === null || f.fix === undefined || f.evidence.verifyBy === 'sandbox' ? f : { ...f, fix: { ...f.fix, verified: false, verification: 'not verified: HypoPG is not installed in this database (try --apply-in-sandbox)' } },
          );
        } else {
          try {
            const v = await verifyIndexTips(findings, engine, sql, live.parameters);
            findings = v.findings;
            whatIf = v.verifications;
          } finally {
            await engine.close();
          }
        }
      }
      const sandboxSections: ReportSection[] = [];
      const sandbox: unknown[] = [];
      if (flag(ctx, 'apply-in-sandbox')) {
        const candidates = findings
          .filter((f) => indexDefinitionOf(f) !== null && (f.fix?.verified === true || whatIf === null || f.evidence.verifyBy === 'sandbox'))
          .slice(0, SANDBOX_LIMIT);
        if (candidates.length === 0) skipped.push({ analyzer: 'sandbox', reason: 'no proposed index the planner would use: nothing to measure' });
        for (const f of candidates) {
          const def = indexDefinitionOf(f) as string;
          const rel = f.target.relation ?? null;
          const bytes = rel === null ? null : await relationBytes(db, rel);
          if (bytes !== null && bytes > sandboxMaxMb * 1024 * 1024) {
            skipped.push({ analyzer: 'sandbox', reason: `${rel} is ${Math.round(bytes / 1048576)} MB, above --sandbox-max-mb ${sandboxMaxMb}: ${def} not built` });
            continue;
          }
          ctx.logger.info(`building ${def} in a rolled-back transaction`);
          const m = await measureIndexInSandbox(db, sql, def, live.parameters);
          const before = analyzePlan(JSON.stringify(m.before)).plan;
          const after = analyzePlan(JSON.stringify(m.after)).plan;
          const cmp = comparePlans(before, after);
          sandboxSections.push({ id: `sandbox-${sandboxSections.length + 1}`, title: `Measured in a rolled-back transaction: ${def}`, lines: cmp.lines });
          sandbox.push({ indexDefinition: def, ...cmp.data });
          const b = before.plan.executionTimeMs;
          const a = after.plan.executionTimeMs;
          const faster = b !== null && a !== null && a < b * 0.9;
          findings = findings.map((x) =>
            x !== f || x.fix === undefined
              ? x
              : {
                  ...x,
                  evidence: { ...x.evidence, measuredBeforeMs: b, measuredAfterMs: a },
                  fix: {
                    ...x.fix,
                    verified: faster || x.fix.verified,
                    verification: `${x.fix.verification ?? ''}${x.fix.verification === undefined ? '' : '; '}measured with the index built in a rolled-back transaction: ${b} ms → ${a} ms${faster ? '' : ' (no real gain)'}`,
                  },
                },
          );
        }
      }
      let rewriteData: unknown = null;
      const rewriteSql = await rewriteOf(ctx);
      if (rewriteSql !== null) {
        const rshape = statementShape(rewriteSql);
        if (rshape.paramCount !== shape.paramCount) {
          throw new DbOptimizeError('E_REWRITE', 'usage', `the rewrite has ${rshape.paramCount} parameters, the statement ${shape.paramCount}: they must take the same $n`);
        }
        const rlive = await explainLive(db, rewriteSql, rshape, {
          allowWrites: flag(ctx, 'allow-writes'),
          params: live.parameters.mode === 'none' || live.parameters.mode === 'generic' ? [] : [...live.parameters.values],
          sampleParams: flag(ctx, 'sample-params'),
        });
        const rplan = analyzePlan(JSON.stringify(rlive.planJson), { sql: rewriteSql }).plan;
        // the first run may have paid for a cold cache: run the original again and keep its faster run
        let baseline = plan;
        if (live.analyzed) {
          const again = analyzePlan(JSON.stringify((await explainLive(db, sql, shape, { allowWrites: flag(ctx, 'allow-writes'), params: [...live.parameters.values] })).planJson)).plan;
          if ((again.plan.executionTimeMs ?? Infinity) < (plan.plan.executionTimeMs ?? Infinity)) baseline = again;
        }
        const cmp = comparePlans(baseline, rplan);
        const same = !shape.writes && !rshape.writes && live.analyzed ? await compareResults(db, sql, rewriteSql, live.parameters) : null;
        const b = baseline.plan.executionTimeMs;
        const a = rplan.plan.executionTimeMs;
        const verdict =
          same === null
            ? 'results not compared (statements that write, or a generic plan)'
            : same.onlyInOriginal + same.onlyInRewrite === 0
              ? 'same rows (compared with EXCEPT ALL both ways)'
              : `DIFFERENT rows: ${same.onlyInOriginal} only in the original, ${same.onlyInRewrite} only in the rewrite (ties cut by a LIMIT can do this; otherwise the rewrite is wrong)`;
        sandboxSections.push({ id: 'rewrite', title: 'Rewrite measured against the original', lines: [...cmp.lines, `results    ${verdict}`] });
        rewriteData = { ...cmp.data, sameRows: same === null ? null : same.onlyInOriginal + same.onlyInRewrite === 0, ...(same === null ? {} : same) };
        const faster = b !== null && a !== null && a < b * 0.9;
        const equivalent = same !== null && same.onlyInOriginal + same.onlyInRewrite === 0;
        findings.push({
          rule: 'query-rewrite',
          severity: faster && equivalent ? 'warning' : 'info',
          title: faster && equivalent ? `The rewrite returns the same rows ${Math.round(((b ?? 0) / Math.max(a ?? 1, 0.001)) * 10) / 10}× faster` : `The rewrite is not a confirmed improvement (${verdict.split(' (')[0]})`,
          target: { kind: 'statement', name: 'rewrite' },
          evidence: { beforeMs: b, afterMs: a, beforeCost: baseline.nodes[0]?.node.totalCost ?? null, afterCost: rplan.nodes[0]?.node.totalCost ?? null, results: verdict },
          impact: { score: faster && equivalent && b !== null && a !== null ? b - a : 0, summary: `${b ?? '?'} ms → ${a ?? '?'} ms per execution` },
          ...(faster && equivalent
            ? { fix: { kind: 'sql' as const, content: rewriteSql, safety: 'review' as const, verified: true, verification: `measured on the database: ${b} ms → ${a} ms; ${verdict}` } }
            : {}),
        });
      }
      const showLiterals = flag(ctx, 'show-literals');
      // the values are stated: the plan shows them in its conditions anyway
      const paramLines = [...live.parameters.notes];
      const head: ReportSection[] = [
        {
          id: 'statement',
          title: 'Statement',
          lines: [
            ...(showLiterals ? sql : redactSql(sql)).split('\n'),
            ...(shape.writes ? ['(writes: run inside BEGIN … ROLLBACK with --allow-writes; nothing was kept)'] : []),
            ...(paramLines.length > 0 ? ['', `parameters (${live.parameters.mode}):`, ...paramLines.map((l) => `  ${l}`)] : []),
          ],
        },
      ];
      const report = planReport({
        command: 'query',
        plan,
        findings: rankTipFindings(findings),
        width,
        database: { name: live.database, host: db.display, serverVersion: live.serverVersion, serverVersionNum: live.serverVersionNum, source: live.analyzed ? 'EXPLAIN ANALYZE (rolled back)' : 'EXPLAIN (GENERIC_PLAN)' },
        before: head,
        after: sandboxSections,
        extra: {
          skipped,
          statement: { text: showLiterals ? sql : redactSql(sql), kind: shape.kind, writes: shape.writes, analyzed: live.analyzed },
          parameters: { mode: live.parameters.mode, notes: paramLines, values: [...live.parameters.values] },
          ...(whatIf === null ? {} : { whatIf }),
          ...(sandbox.length === 0 ? {} : { sandbox }),
          ...(rewriteData === null ? {} : { rewrite: rewriteData }),
        },
      });
      return await emitReport(ctx, report);
    } finally {
      await db.close();
    }
  },
};
