import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { reportSchemaErrors } from '../helpers/report-schema.ts';
import { runCli } from '../helpers/run-cli.ts';
import { CORPUS_DIR, psqlBordered } from '../explain/corpus.ts';

interface PlanReportJson {
  command: string;
  findings: { rule: string; severity: string; target: { kind: string; nodePath?: string; relation?: string }; evidence: Record<string, unknown>; impact: { score: number } }[];
  sections: { id: string; lines: string[] }[];
  plan: { nodes: { path: string; nodeType: string; exclusiveMs: number | null; hot: boolean }[]; executionTimeMs: number };
  comparison?: { speedup: number | null; removedNodes: string[]; addedNodes: string[] };
}

const plan = (name: string, ext = 'json'): string => `${CORPUS_DIR}pg15/${name}.${ext}`;

describe('db-optimize explain', () => {
  it('prints a JSON report with plan-node findings ranked by time saved, valid against the schema', async () => {
    const r = await runCli(['explain', plan('correlated-subplan'), '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as PlanReportJson;
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.command).toBe('explain');
    const top = report.findings[0];
    expect(top?.rule).toBe('plan-nested-loop-inner-scan');
    expect(top?.target).toMatchObject({ kind: 'plan-node', relation: 'products' });
    expect(report.plan.nodes.find((n) => n.path === top?.target.nodePath)?.nodeType).toBe('Seq Scan');
    expect(top?.evidence.indexDefinition).toBe('CREATE INDEX ON products (category_id)');
    const scores = report.findings.map((f) => f.impact.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(report.plan.nodes.some((n) => n.hot)).toBe(true);
  });

  it('draws the annotated tree within 80 columns, with the hot path and finding numbers', async () => {
    const r = await runCli(['explain', plan('seed-report', 'txt')]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    for (const l of lines) expect([...l].length, l).toBeLessThanOrEqual(80);
    expect(r.stdout).toMatch(/» .*HashAggregate \[0\.0\.0\] #1/);
    expect(r.stdout).toMatch(/Hash Right Join \[0\.0\.0\.0\]/);
    expect(r.stdout).toMatch(/1\. WARNING {2}HashAggregate folds/);
  });

  it('reads a psql-framed plan from stdin and renders markdown', async () => {
    const text = readFileSync(plan('seq-scan-filter', 'txt'), 'utf8');
    const r = await runCli(['explain', '-', '--format', 'markdown'], { stdin: psqlBordered(text, true) });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/## Plan \(exclusive time per node\)/);
    expect(r.stdout).toMatch(/Seq Scan on orders \[0\] #1/);
    expect(r.stdout).toMatch(/plan-seq-scan-filter|Seq Scan on orders reads/);
  });

  it('--compare shows what changed between two plans', async () => {
    const r = await runCli(['explain', '--compare', plan('sort-limit'), plan('limit-by-index'), '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as PlanReportJson;
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.comparison?.speedup ?? 0).toBeGreaterThan(10);
    expect(report.comparison?.removedNodes).toContain('Seq Scan on orders');
    expect(report.comparison?.addedNodes.some((n) => n.startsWith('Index Scan Backward using orders_pkey'))).toBe(true);
    const section = report.sections.find((s) => s.id === 'comparison');
    expect(section?.lines[0]).toMatch(/^execution .*× faster/);
    const usage = await runCli(['explain', '--compare', plan('sort-limit')]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--compare needs two plan files/);
  });

  it('exits 1 with --fail-on warning when a tip is at least a warning', async () => {
    const r = await runCli(['explain', plan('disk-sort'), '--fail-on', 'warning', '--format', 'json']);
    expect(r.code).toBe(1);
    const clean = await runCli(['explain', plan('point-lookup'), '--fail-on', 'info', '--format', 'json']);
    expect(clean.code).toBe(0);
    expect((JSON.parse(clean.stdout) as PlanReportJson).findings).toEqual([]);
  });

  it('reads a plan pasted from a psql session with tabs in it, and says which tab width it assumed', async () => {
    const text = readFileSync(plan('initplan', 'txt'), 'utf8').trimEnd().split('\n');
    const tabbed = text.map((l) => ` ${l.replace(/^((?: {4})+)/, (m) => '\t'.repeat(m.length / 4))}`);
    const session = ['shop=# EXPLAIN (ANALYZE, BUFFERS)', 'shop-# SELECT 1;', '  QUERY PLAN', '-------------', ...tabbed, `(${text.length} lignes)`, '', 'Time: 31.002 ms'].join('\n');
    const r = await runCli(['explain', '-', '--format', 'json'], { stdin: session });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as PlanReportJson & { plan: { parseWarnings: string[] } };
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.plan.parseWarnings.join(' ')).toMatch(/a tab was read as reaching the next multiple of 4 columns/);
    const original = JSON.parse((await runCli(['explain', plan('initplan'), '--format', 'json'])).stdout) as PlanReportJson;
    expect(report.plan.nodes.map((n) => `${n.path} ${n.nodeType}`)).toEqual(original.plan.nodes.map((n) => `${n.path} ${n.nodeType}`));
    const terminal = await runCli(['explain', '-'], { stdin: session });
    expect(terminal.stdout).toMatch(/! read with an assumption: the indentation mixes tabs and spaces/);
  });
});
