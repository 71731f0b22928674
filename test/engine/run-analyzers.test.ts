import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../src/collect/collect-snapshot.ts';
import { defineAnalyzer } from '../../src/engine/analyzer.ts';
import type { Analyzer } from '../../src/engine/analyzer.ts';
import { runAnalyzers } from '../../src/engine/run-analyzers.ts';
import type { Finding, Snapshot } from '../../src/model/index.ts';
import { initSqlParser } from '../../src/sql/index.ts';
import { workloadFromSql } from '../../src/workload/from-sql-file.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';

let t: TestDatabase;
let snapshot: Snapshot;

const finding = (rule: string, severity: Finding['severity'], score: number): Finding => ({
  rule,
  severity,
  title: `${rule} ${score}`,
  target: { kind: 'database' },
  evidence: { score },
  impact: { score, summary: `${score}` },
});

const makeAnalyzer = (id: string, extra: Partial<Analyzer> = {}): Analyzer =>
  defineAnalyzer({
    id,
    phase: 'profile',
    title: id,
    description: id,
    depth: 1,
    requires: {},
    options: { threshold: { default: 5, description: 'a number' } },
    run: ({ options }) => [finding(id, 'warning', Number(options.threshold))],
    ...extra,
  }) as Analyzer;

beforeAll(async () => {
  await initSqlParser();
  t = await createTestDatabase('engine');
  snapshot = await collectSnapshot(await t.open());
});
afterAll(async () => {
  await t.drop();
});

describe('runAnalyzers', () => {
  it('skips analyzers whose requirements are unmet, with the reason', async () => {
    const r = await runAnalyzers({
      analyzers: [
        makeAnalyzer('needs-ext', { requires: { extensions: ['no_such_extension'] } }),
        makeAnalyzer('needs-future', { requires: { minVersion: 990000 } }),
        makeAnalyzer('needs-workload', { requires: { workload: true } }),
        makeAnalyzer('needs-whatif', { requires: { whatIf: true } }),
        makeAnalyzer('runs'),
      ],
      depth: 5,
      snapshot,
      workload: null,
    });
    expect(r.skipped).toEqual([
      { analyzer: 'needs-ext', reason: 'extension no_such_extension is not installed: CREATE EXTENSION no_such_extension' },
      { analyzer: 'needs-future', reason: `needs PostgreSQL 99 or later (server is ${snapshot.server.major})` },
      { analyzer: 'needs-whatif', reason: 'needs the what-if engine: install HypoPG on the server (CREATE EXTENSION hypopg)' },
      { analyzer: 'needs-workload', reason: 'needs a workload (pg_stat_statements, or --workload FILE.sql)' },
    ]);
    expect(r.findings.map((f) => f.rule)).toEqual(['runs']);
  });

  it('turns a throwing analyzer into an analyzer-error finding and keeps going', async () => {
    const r = await runAnalyzers({
      analyzers: [
        makeAnalyzer('boom', {
          run: () => {
            throw new Error('kaput');
          },
        }),
        makeAnalyzer('fine'),
      ],
      depth: 5,
      snapshot,
      workload: null,
    });
    const error = r.findings.find((f) => f.rule === 'analyzer-error');
    expect(error?.evidence).toEqual({ analyzer: 'boom', error: 'kaput' });
    expect(r.findings.some((f) => f.rule === 'fine')).toBe(true);
  });

  it('filters by depth and phase, and ranks by severity then impact', async () => {
    const r = await runAnalyzers({
      analyzers: [
        makeAnalyzer('deep', { depth: 4 }),
        makeAnalyzer('info', { run: () => [finding('info', 'info', 1000)] }),
        makeAnalyzer('crit', { run: () => [finding('crit', 'critical', 1)] }),
        makeAnalyzer('warn-big', { run: () => [finding('warn-big', 'warning', 50)] }),
        makeAnalyzer('warn-small', { run: () => [finding('warn-small', 'warning', 2)] }),
        makeAnalyzer('later', { phase: 'optimize' }),
      ],
      phases: ['profile'],
      depth: 3,
      snapshot,
      workload: null,
    });
    expect(r.findings.map((f) => f.rule)).toEqual(['crit', 'warn-big', 'warn-small', 'info']);
  });

  it('applies option overrides with type checks and rejects unknown ones', async () => {
    const r = await runAnalyzers({ analyzers: [makeAnalyzer('opt')], depth: 5, snapshot, workload: null, options: { opt: { threshold: '42' } } });
    expect(r.findings[0]?.impact.score).toBe(42);
    await expect(
      runAnalyzers({ analyzers: [makeAnalyzer('opt')], depth: 5, snapshot, workload: null, options: { opt: { nope: 1 } } }),
    ).rejects.toThrow(/analyzer opt has no option "nope" \(options: threshold\)/);
    await expect(
      runAnalyzers({ analyzers: [makeAnalyzer('opt')], depth: 5, snapshot, workload: null, options: { opt: { threshold: 'x' } } }),
    ).rejects.toThrow(/must be a number/);
    await expect(runAnalyzers({ analyzers: [makeAnalyzer('opt')], depth: 5, snapshot, workload: null, options: { ghost: {} } })).rejects.toThrow(
      /unknown analyzer "ghost"/,
    );
  });

  it('runs analyzers of one phase concurrently', async () => {
    const order: string[] = [];
    const slow = (id: string, ms: number): Analyzer =>
      makeAnalyzer(id, {
        run: async () => {
          order.push(`start ${id}`);
          await new Promise((r) => setTimeout(r, ms));
          order.push(`end ${id}`);
          return [];
        },
      });
    await runAnalyzers({ analyzers: [slow('a', 30), slow('b', 1)], depth: 5, snapshot, workload: workloadFromSql('SELECT 1') });
    expect(order).toEqual(['start a', 'start b', 'end b', 'end a']);
  });
});
