import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzePlan, parsePlan, PLAN_TIPS, renderPlanTree } from '../../src/explain/index.ts';
import { initSqlParser } from '../../src/sql/index.ts';
import { CORPUS_DIR } from './corpus.ts';

beforeAll(async () => {
  await initSqlParser();
});

/** A captured JSON plan (ours, from the servers here) as the statement object, to change one fact in it. */
function captured(name: string, version = 'pg15'): Record<string, unknown> {
  return (JSON.parse(readFileSync(`${CORPUS_DIR}${version}/${name}.json`, 'utf8')) as Record<string, unknown>[])[0] ?? {};
}

function rules(input: string, sql?: string): string[] {
  return analyzePlan(input, sql === undefined ? {} : { sql }).findings.map((f) => f.rule);
}

describe('work_mem advice', () => {
  it('never proposes less than twice the work_mem the spill happened at', () => {
    const plan = captured('disk-sort');
    plan.Settings = { ...(plan.Settings as object), work_mem: '64MB' };
    const f = analyzePlan(JSON.stringify(plan)).findings.find((x) => x.rule === 'plan-disk-spill');
    expect(f?.evidence.workMem).toBe('64MB');
    expect(f?.evidence.suggestedWorkMem).toBe('128MB');
  });

  it('without work_mem in the plan says it assumed the 4MB default and proposes more than that', () => {
    const plan = captured('disk-sort');
    plan.Settings = {};
    const p = plan.Plan as Record<string, unknown>;
    p['Sort Space Used'] = 300;
    const f = analyzePlan(JSON.stringify(plan)).findings.find((x) => x.rule === 'plan-disk-spill');
    expect(String(f?.evidence.workMem)).toMatch(/4MB \(the default\) assumed/);
    expect(f?.evidence.suggestedWorkMem).toBe('8MB');
  });
});

describe('row estimates of a Hash', () => {
  it('are never reported: a Hash counting fewer rows than its input (old servers count the first batch only) is no misestimate', () => {
    const plan = captured('hash-batches');
    const hashes: Record<string, unknown>[] = [];
    const walk = (n: Record<string, unknown>): void => {
      if (n['Node Type'] === 'Hash') hashes.push(n);
      ((n.Plans as Record<string, unknown>[] | undefined) ?? []).forEach(walk);
    };
    walk(plan.Plan as Record<string, unknown>);
    expect(hashes.length).toBeGreaterThan(0);
    for (const h of hashes) h['Actual Rows'] = Math.max(1, Math.floor(Number(h['Plan Rows']) / 75));
    const a = analyzePlan(JSON.stringify(plan));
    const hashPaths = new Set(a.plan.nodes.filter((n) => n.node.nodeType === 'Hash').map((n) => n.path));
    expect(a.findings.filter((f) => f.rule === 'plan-row-misestimate' && hashPaths.has(f.target.nodePath ?? ''))).toEqual([]);
  });
});

describe('JIT with parallel workers', () => {
  it('divides the JIT time summed over the processes by their number', () => {
    const plan = captured('parallel-count');
    const exec = Number(plan['Execution Time']);
    // EXPLAIN sums the leader's and the workers' compilation: 3 processes compiled at the same time
    plan.JIT = { Functions: 12, Timing: { Generation: 1, Inlining: 0, Optimization: exec * 0.5, Emission: exec * 0.4, Total: exec * 0.9 + 1 } };
    const f = analyzePlan(JSON.stringify(plan)).findings.find((x) => x.rule === 'plan-jit');
    expect(f?.evidence.parallelWorkers).toBe(2);
    expect(Number(f?.evidence.jitWallMs)).toBeCloseTo((exec * 0.9 + 1) / 3, 3);
    expect(Number(f?.evidence.estimatedSavingMs)).toBeLessThan(exec * 0.35);
  });
});

describe('misestimate impact', () => {
  it('counts the nested-loop chain planned on an underestimate, not only the parent', () => {
    const a = analyzePlan(readFileSync(`${CORPUS_DIR}pg15/misestimate-join.json`, 'utf8'));
    const f = a.findings.find((x) => x.rule === 'plan-row-misestimate');
    const chainPath = String(f?.evidence.affectedChainPath);
    const chain = a.plan.nodes.find((n) => n.path === chainPath);
    expect(chain?.node.nodeType).toBe('Nested Loop');
    const parent = a.plan.nodes.find((n) => n.path === f?.evidence.affectedNodePath);
    expect(Number(f?.evidence.estimatedSavingMs)).toBeGreaterThan((parent?.exclusiveMs ?? 0) * 0.3);
  });
});

describe('index tips and predicates an index cannot serve', () => {
  const plan = (filter: string): string =>
    [
      'Seq Scan on orders  (cost=0.00..5140.00 rows=100 width=65) (actual time=0.020..40.000 rows=100 loops=1)',
      `  Filter: ${filter}`,
      '  Rows Removed by Filter: 199900',
      'Execution Time: 40.100 ms',
    ].join('\n');

  it('says the index narrows the read when a column is compared with another column', () => {
    const f = analyzePlan(plan("((status = 'pending'::text) AND (shipped_at > created_at))")).findings.find((x) => x.rule === 'plan-seq-scan-filter');
    expect(f?.title).toMatch(/narrows the read/);
    expect(f?.evidence.notServedByIndex).toEqual(['shipped_at vs created_at']);
    const plain = analyzePlan(plan("(status = 'pending'::text)")).findings.find((x) => x.rule === 'plan-seq-scan-filter');
    expect(Number(f?.evidence.estimatedSavingMs)).toBeLessThan(Number(plain?.evidence.estimatedSavingMs));
  });
});

describe('tip thresholds are named options with defaults', () => {
  it('every threshold has a default and a description, and an override changes the outcome', () => {
    const withThresholds = PLAN_TIPS.filter((t) => t.thresholds !== undefined);
    expect(withThresholds.map((t) => t.id)).toEqual(expect.arrayContaining(['plan-function-rescan', 'plan-join-filter-any-array', 'plan-function-per-row']));
    for (const t of withThresholds) {
      for (const [name, th] of Object.entries(t.thresholds ?? {})) {
        expect(Number.isFinite(th.default), `${t.id}.${name}`).toBe(true);
        expect(th.description.length, `${t.id}.${name}`).toBeGreaterThan(10);
      }
    }
    const text = readFileSync(`${CORPUS_DIR}pg15/function-scan-rescan.txt`, 'utf8');
    expect(rules(text)).toContain('plan-function-rescan');
    expect(analyzePlan(text, { thresholds: { 'plan-function-rescan.minLoops': 1_000_000 } }).findings.map((f) => f.rule)).not.toContain('plan-function-rescan');
    expect(withThresholds.map((t) => t.id)).toEqual(expect.arrayContaining(['plan-row-misestimate', 'plan-seq-scan-filter', 'plan-jit']));
    const corr = readFileSync(`${CORPUS_DIR}pg15/misestimate-correlated.txt`, 'utf8');
    expect(rules(corr)).toContain('plan-row-misestimate');
    expect(analyzePlan(corr, { thresholds: { 'plan-row-misestimate.factor': 1000 } }).findings.map((f) => f.rule)).not.toContain('plan-row-misestimate');
  });
});

describe('per-row function cost', () => {
  it('names the user functions of an INSERT whose scan spends microseconds per row, only when the statement is known', () => {
    const text = readFileSync(`${CORPUS_DIR}pg15/plpgsql-per-row.txt`, 'utf8');
    const sql = `INSERT INTO audit_log (row_id, note) SELECT id, price_with_tax(total)::text FROM orders WHERE id <= 60000`;
    const f = analyzePlan(text, { sql }).findings.find((x) => x.rule === 'plan-function-per-row');
    expect(f?.evidence.functions).toEqual(['price_with_tax']);
    expect(rules(text)).not.toContain('plan-function-per-row');
    // built-ins only: no per-row function to blame
    expect(rules(text, 'INSERT INTO audit_log (row_id, note) SELECT id, round(total, 1)::text FROM orders WHERE id <= 60000')).not.toContain('plan-function-per-row');
  });
});

describe('missing tips', () => {
  it('random heap reads dominating an index scan: covering index or CLUSTER, only when I/O is the time', () => {
    const plan = captured('index-filter');
    const scan = plan.Plan as Record<string, unknown>;
    expect(scan['Node Type']).toBe('Index Scan');
    const own = Number(scan['Actual Total Time']);
    // the same plan as if the heap pages had come from disk
    Object.assign(scan, { 'Shared Read Blocks': 4000, 'I/O Read Time': own * 0.8 });
    const f = analyzePlan(JSON.stringify(plan)).findings.find((x) => x.rule === 'plan-index-heap-io');
    expect(f?.evidence.sharedReadBlocks).toBe(4000);
    expect(f?.nextSteps?.join(' ')).toMatch(/INCLUDE .* CLUSTER orders USING orders_user_id_idx/s);
    Object.assign(scan, { 'I/O Read Time': own * 0.1 });
    expect(analyzePlan(JSON.stringify(plan)).findings.map((x) => x.rule)).not.toContain('plan-index-heap-io');
  });

  it('a sort of a whole table is not sent to an index', () => {
    const text = readFileSync(`${CORPUS_DIR}pg15/disk-sort.txt`, 'utf8');
    expect(rules(text)).not.toContain('plan-sort-by-index');
  });
});

describe('parse warnings: a guess is said, never a silent wrong tree', () => {
  const base = readFileSync(`${CORPUS_DIR}pg15/initplan.txt`, 'utf8').trimEnd().split('\n');

  it('tabs whose width changes the tree: says which width lined it up', () => {
    const tabbed = base.map((l) => l.replace(/^((?: {4})+)/, (m) => '\t'.repeat(m.length / 4))).join('\n');
    const plan = parsePlan(tabbed);
    expect(plan.parseWarnings.join('\n')).toMatch(/tabs and spaces: a tab was read as reaching the next multiple of 4 columns/);
    expect(plan.root.children.map((c) => c.nodeType)).toEqual(parsePlan(base.join('\n')).root.children.map((c) => c.nodeType));
  });

  it('indentation EXPLAIN never prints: warns that the tree may be wrong', () => {
    const broken = base.map((l, i) => (i === 3 ? l.replace(/^ {4}/, '   ') : l)).join('\n');
    expect(parsePlan(broken).parseWarnings.join('\n')).toMatch(/not indented where EXPLAIN puts them/);
  });

  it('a second plan after the first: reads the first and says so', () => {
    const two = `${base.join('\n')}\n\n${base.join('\n')}\n`;
    const plan = parsePlan(two);
    expect(plan.parseWarnings.join('\n')).toMatch(/only the first plan was read/);
    const tree = renderPlanTree(analyzePlan(two).plan);
    expect(tree.some((l) => l.startsWith('! read with an assumption: '))).toBe(true);
  });

  it('a bracketed line of prose above a text plan is not taken for JSON', () => {
    const plan = parsePlan(`[2026-12-03 10:00] slow again on prod:\n${base.join('\n')}`);
    expect(plan.format).toBe('text');
    expect(plan.root.nodeType).toBe('Limit');
  });

  it('a clean paste carries no warning', () => {
    expect(parsePlan(base.join('\n')).parseWarnings).toEqual([]);
  });
});
