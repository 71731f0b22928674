import { collectSnapshot } from '../../src/collect/collect-snapshot.ts';
import type { Analyzer } from '../../src/engine/analyzer.ts';
import { runAnalyzers } from '../../src/engine/run-analyzers.ts';
import type { Finding, Report, Snapshot, Workload, WorkloadStatement } from '../../src/model/index.ts';
import { fingerprintSql, initSqlParser } from '../../src/sql/index.ts';
import type { TestDatabase } from './test-database.ts';

/** A Snapshot of the test database, collected the way the tool does it (read-only session). */
export async function snapshotOf(t: TestDatabase): Promise<Snapshot> {
  await initSqlParser();
  const db = await t.open();
  try {
    return await collectSnapshot(db);
  } finally {
    await db.close();
  }
}

/**
 * Runs one analyzer through the engine (option validation, requirements) and returns its
 * findings; an unmet requirement or a thrown error fails the test instead of hiding.
 */
export async function runAnalyzer(
  analyzer: Analyzer,
  input: { snapshot: Snapshot | null; workload?: Workload | null; baseline?: Report | null; options?: Record<string, string | number | boolean> },
): Promise<Finding[]> {
  await initSqlParser();
  const result = await runAnalyzers({
    analyzers: [analyzer],
    depth: 5,
    snapshot: input.snapshot,
    workload: input.workload ?? null,
    baseline: input.baseline ?? null,
    options: input.options === undefined ? {} : { [analyzer.id]: input.options },
  });
  const skipped = result.skipped[0];
  if (skipped !== undefined) throw new Error(`${analyzer.id} was skipped: ${skipped.reason}`);
  const error = result.findings.find((f) => f.rule === 'analyzer-error');
  if (error !== undefined) throw new Error(`${analyzer.id} failed: ${JSON.stringify(error.evidence)}`);
  return [...result.findings];
}

/** A pg_stat_statements-shaped statement built from its counters (for scenario tests). */
export function statement(
  text: string,
  calls: number,
  meanTimeMs: number,
  extra: Partial<Omit<WorkloadStatement, 'text' | 'calls' | 'meanTimeMs'>> = {},
): WorkloadStatement {
  return {
    fingerprint: fingerprintSql(text),
    text,
    calls,
    meanTimeMs,
    totalTimeMs: calls * meanTimeMs,
    stddevTimeMs: meanTimeMs / 2,
    rows: calls,
    sharedBlksHit: 0,
    sharedBlksRead: 0,
    tempBlksRead: 0,
    tempBlksWritten: 0,
    planTimeMs: null,
    source: 'pg_stat_statements',
    ...extra,
  };
}

export function workloadOf(statements: readonly WorkloadStatement[], windowSeconds: number | null = 86_400): Workload {
  return {
    source: 'pg_stat_statements',
    statements,
    windowSeconds,
    totalTimeMs: statements.reduce((sum, s) => sum + s.totalTimeMs, 0),
    issues: [],
  };
}

/** Polls until the predicate holds (server-side state such as a lock wait takes a moment). */
export async function waitFor(predicate: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!(await predicate())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
