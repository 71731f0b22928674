import type { Database } from '../collect/connection.ts';
import type { Logger } from '../engine/analyze-database.ts';
import { DbOptimizeError } from '../errors/index.ts';
import type { Finding, ReportDatabase, ReportSection } from '../model/index.ts';
import { HypopgEngine } from '../whatif/index.ts';
import { analyzePlan } from './analyze-plan.ts';
import { comparePlans } from './compare-plans.ts';
import type { EnrichedPlan } from './enrich-plan.ts';
import { compareResults, explainLive, loadPlanCatalog, measureIndexInSandbox, relationBytes } from './run-explain.ts';
import type { ParameterInfo } from './run-explain.ts';
import { statementShape } from './statement-shape.ts';
import type { StatementShape } from './statement-shape.ts';
import { rankTipFindings } from './tip-engine.ts';
import type { IndexVerification } from './verify-index-tips.ts';
import { indexDefinitionOf, verifyIndexTips } from './verify-index-tips.ts';

/** Sandbox builds take a SHARE lock for their duration: at most this many per run. */
const SANDBOX_LIMIT = 3;

export interface DiagnoseQueryOptions {
  readonly allowWrites?: boolean;
  readonly params?: readonly string[];
  readonly sampleParams?: boolean;
  /** check proposed indexes with HypoPG when it is installed (default true) */
  readonly verify?: boolean;
  /** build proposed indexes in a rolled-back transaction and measure (takes a SHARE lock) */
  readonly applyInSandbox?: boolean;
  readonly sandboxMaxBytes?: number;
  /** a rewritten statement to measure against the original */
  readonly rewrite?: string | null;
  readonly logger?: Logger;
}

export interface QueryDiagnosis {
  readonly sql: string;
  readonly shape: StatementShape;
  readonly plan: EnrichedPlan;
  /** ranked by estimated time saved */
  readonly findings: readonly Finding[];
  readonly parameters: ParameterInfo;
  readonly analyzed: boolean;
  readonly database: ReportDatabase;
  readonly skipped: readonly { analyzer: string; reason: string }[];
  readonly whatIf: readonly IndexVerification[] | null;
  readonly sandbox: readonly Record<string, unknown>[];
  readonly rewrite: Record<string, unknown> | null;
  /** measured comparisons (sandbox, rewrite) as report sections */
  readonly sections: readonly ReportSection[];
}

/**
 * The slow query doctor on a live database: EXPLAIN ANALYZE (rolled back), tips, HypoPG checks of
 * proposed indexes, optional sandbox measurements and rewrite comparison. Call `initSqlParser()` first.
 */
export async function diagnoseQuery(db: Database, sql: string, options: DiagnoseQueryOptions = {}): Promise<QueryDiagnosis> {
  const shape = statementShape(sql);
  const live = await explainLive(db, sql, shape, {
    ...(options.allowWrites === undefined ? {} : { allowWrites: options.allowWrites }),
    ...(options.params === undefined ? {} : { params: options.params }),
    ...(options.sampleParams === undefined ? {} : { sampleParams: options.sampleParams }),
  });
  const planText = JSON.stringify(live.planJson);
  const first = analyzePlan(planText, { sql });
  const relations = first.plan.nodes.map((n) => n.relation).filter((r): r is string => r !== null);
  const catalog = await loadPlanCatalog(db, relations);
  const { plan } = first;
  let findings: Finding[] = [...analyzePlan(planText, { sql, catalog }).findings];
  const skipped: { analyzer: string; reason: string }[] = [];
  let whatIf: IndexVerification[] | null = null;
  if (options.verify !== false && findings.some((f) => indexDefinitionOf(f) !== null)) {
    const engine = await HypopgEngine.open(db);
    if (engine === null) {
      skipped.push({ analyzer: 'what-if', reason: 'HypoPG is not installed in this database: proposed indexes are not verified (CREATE EXTENSION hypopg, or use --apply-in-sandbox)' });
      findings = findings.map((f) =>
        indexDefinitionOf(f) === null || f.fix === undefined || f.evidence.verifyBy === 'sandbox'
          ? f
          : { ...f, fix: { ...f.fix, verified: false, verification: 'not verified: HypoPG is not installed in this database (try --apply-in-sandbox)' } },
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
  const sections: ReportSection[] = [];
  const sandbox: Record<string, unknown>[] = [];
  if (options.applyInSandbox === true) {
    const maxBytes = options.sandboxMaxBytes ?? 1024 * 1024 * 1024;
    const candidates = findings
      .filter((f) => indexDefinitionOf(f) !== null && (f.fix?.verified === true || whatIf === null || f.evidence.verifyBy === 'sandbox'))
      .slice(0, SANDBOX_LIMIT);
    if (candidates.length === 0) skipped.push({ analyzer: 'sandbox', reason: 'no proposed index the planner would use: nothing to measure' });
    for (const f of candidates) {
      const def = indexDefinitionOf(f) as string;
      const rel = f.target.relation ?? null;
      const bytes = rel === null ? null : await relationBytes(db, rel);
      if (bytes !== null && bytes > maxBytes) {
        skipped.push({ analyzer: 'sandbox', reason: `${rel} is ${Math.round(bytes / 1048576)} MB, above the sandbox limit of ${Math.round(maxBytes / 1048576)} MB: ${def} not built` });
        continue;
      }
      options.logger?.info(`building ${def} in a rolled-back transaction`);
      const m = await measureIndexInSandbox(db, sql, def, live.parameters);
      const before = analyzePlan(JSON.stringify(m.before)).plan;
      const after = analyzePlan(JSON.stringify(m.after)).plan;
      const cmp = comparePlans(before, after);
      sections.push({ id: `sandbox-${sections.length + 1}`, title: `Measured in a rolled-back transaction: ${def}`, lines: cmp.lines });
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
  let rewrite: Record<string, unknown> | null = null;
  if (options.rewrite !== undefined && options.rewrite !== null) {
    const r = await measureRewrite(db, sql, shape, plan, live.parameters, live.analyzed, options.rewrite, options.allowWrites === true);
    sections.push(r.section);
    findings.push(r.finding);
    rewrite = r.data;
  }
  return {
    sql,
    shape,
    plan,
    findings: rankTipFindings(findings),
    parameters: live.parameters,
    analyzed: live.analyzed,
    database: {
      name: live.database,
      host: db.display,
      serverVersion: live.serverVersion,
      serverVersionNum: live.serverVersionNum,
      source: live.analyzed ? 'EXPLAIN ANALYZE (rolled back)' : 'EXPLAIN (GENERIC_PLAN)',
    },
    skipped,
    whatIf,
    sandbox,
    rewrite,
    sections,
  };
}

async function measureRewrite(
  db: Database,
  sql: string,
  shape: StatementShape,
  plan: EnrichedPlan,
  parameters: ParameterInfo,
  analyzed: boolean,
  rewriteSql: string,
  allowWrites: boolean,
): Promise<{ section: ReportSection; finding: Finding; data: Record<string, unknown> }> {
  const rshape = statementShape(rewriteSql);
  if (rshape.paramCount !== shape.paramCount) {
    throw new DbOptimizeError('E_REWRITE', 'usage', `the rewrite has ${rshape.paramCount} parameters, the statement ${shape.paramCount}: they must take the same $n`);
  }
  const values = parameters.mode === 'none' || parameters.mode === 'generic' ? [] : [...parameters.values];
  const rlive = await explainLive(db, rewriteSql, rshape, { allowWrites, params: values });
  const rplan = analyzePlan(JSON.stringify(rlive.planJson), { sql: rewriteSql }).plan;
  // the first run may have paid for a cold cache: run the original again and keep its faster run
  let baseline = plan;
  if (analyzed) {
    const again = analyzePlan(JSON.stringify((await explainLive(db, sql, shape, { allowWrites, params: values })).planJson)).plan;
    if ((again.plan.executionTimeMs ?? Infinity) < (plan.plan.executionTimeMs ?? Infinity)) baseline = again;
  }
  const cmp = comparePlans(baseline, rplan);
  const same = !shape.writes && !rshape.writes && analyzed ? await compareResults(db, sql, rewriteSql, parameters) : null;
  const b = baseline.plan.executionTimeMs;
  const a = rplan.plan.executionTimeMs;
  const equivalent = same !== null && same.onlyInOriginal + same.onlyInRewrite === 0;
  const verdict =
    same === null
      ? 'results not compared (statements that write, or a generic plan)'
      : equivalent
        ? 'same rows (compared with EXCEPT ALL both ways)'
        : `DIFFERENT rows: ${same.onlyInOriginal} only in the original, ${same.onlyInRewrite} only in the rewrite (ties cut by a LIMIT can do this; otherwise the rewrite is wrong)`;
  const faster = b !== null && a !== null && a < b * 0.9;
  const finding: Finding = {
    rule: 'query-rewrite',
    severity: faster && equivalent ? 'warning' : 'info',
    title:
      faster && equivalent
        ? `The rewrite returns the same rows ${Math.round(((b ?? 0) / Math.max(a ?? 1, 0.001)) * 10) / 10}× faster`
        : `The rewrite is not a confirmed improvement (${verdict.split(' (')[0]}${faster ? '' : `; ${b ?? '?'} ms → ${a ?? '?'} ms`})`,
    target: { kind: 'statement', name: 'rewrite' },
    evidence: { beforeMs: b, afterMs: a, beforeCost: baseline.nodes[0]?.node.totalCost ?? null, afterCost: rplan.nodes[0]?.node.totalCost ?? null, results: verdict },
    impact: { score: faster && equivalent && b !== null && a !== null ? b - a : 0, summary: `${b ?? '?'} ms → ${a ?? '?'} ms per execution` },
    ...(faster && equivalent ? { fix: { kind: 'sql', content: rewriteSql, safety: 'review', verified: true, verification: `measured on the database: ${b} ms → ${a} ms; ${verdict}` } } : {}),
  };
  return {
    section: { id: 'rewrite', title: 'Rewrite measured against the original', lines: [...cmp.lines, `results    ${verdict}`] },
    finding,
    data: { ...cmp.data, sameRows: same === null ? null : equivalent, ...(same === null ? {} : same) },
  };
}
