import { collectSnapshot } from '../../src/collect/collect-snapshot.ts';
import type { Analyzer, OptionValue } from '../../src/engine/analyzer.ts';
import { runAnalyzers } from '../../src/engine/run-analyzers.ts';
import type { Finding, Workload } from '../../src/model/index.ts';
import { initSqlParser } from '../../src/sql/index.ts';
import type { TestDatabase } from './test-database.ts';

/** Collects a real snapshot of the test database and runs one analyzer on it. */
export async function analyzeFixture(
  t: TestDatabase,
  analyzer: Analyzer,
  input: { workload?: Workload; options?: Record<string, OptionValue> } = {},
): Promise<Finding[]> {
  await initSqlParser();
  await t.flushStats();
  const db = await t.open();
  const snapshot = await collectSnapshot(db, { showLiterals: true });
  const result = await runAnalyzers({
    analyzers: [analyzer],
    depth: 5,
    snapshot,
    workload: input.workload ?? null,
    ...(input.options === undefined ? {} : { options: { [analyzer.id]: input.options } }),
  });
  const errors = result.findings.filter((f) => f.rule === 'analyzer-error');
  if (errors.length > 0) throw new Error(JSON.stringify(errors[0]?.evidence));
  return [...result.findings];
}

/** The first SQL statement of a fix (the direct change, before the zero-downtime comment). */
export function firstStatement(content: string): string {
  return content.split(';')[0] ?? '';
}
