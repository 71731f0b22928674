import { readFile } from 'node:fs/promises';
import { DbOptimizeError } from '../errors/index.ts';
import type { Workload, WorkloadStatement } from '../model/index.ts';
import { fingerprintSql, initSqlParser, normalizeSql, splitStatements, tryParseSql } from '../sql/index.ts';

/**
 * Statements separated by `;`. A comment line `-- calls: N` right before a statement gives its
 * weight (default 1); `-- calls: 1000/s`, `/min`, `/hour` are converted to calls per day.
 * Statements that do not parse are kept with their error so callers can list them.
 */
export function workloadFromSql(script: string, origin = 'SQL'): Workload {
  const issues: string[] = [];
  const statements: WorkloadStatement[] = splitStatements(script).map((chunk) => {
    const where = `${origin}:${chunk.line}`;
    if (Number.isNaN(chunk.calls)) {
      const comment = [...chunk.comments].reverse().find((c) => /^calls\s*:/i.test(c)) ?? '';
      throw new DbOptimizeError('E_BAD_CALLS', 'input', `${where}: "-- ${comment}" is not a call count`, {
        hint: 'write a positive number, optionally per unit: -- calls: 1000, -- calls: 50/s, -- calls: 3/min',
      });
    }
    const parsed = tryParseSql(chunk.text);
    if (!parsed.ok) {
      const line = parsed.error.line === null ? chunk.line : chunk.line + parsed.error.line - 1;
      issues.push(`${origin}:${line}: statement does not parse: ${parsed.error.message}`);
    }
    const normalized = parsed.ok ? normalizeSql(chunk.text) : null;
    const fingerprint = parsed.ok ? fingerprintSql(chunk.text) : null;
    return {
      fingerprint,
      text: normalized ?? chunk.text,
      sample: chunk.text,
      calls: chunk.calls,
      totalTimeMs: 0,
      meanTimeMs: 0,
      stddevTimeMs: null,
      rows: 0,
      sharedBlksHit: 0,
      sharedBlksRead: 0,
      tempBlksRead: 0,
      tempBlksWritten: 0,
      planTimeMs: null,
      source: 'sql-file' as const,
      origin: where,
      ...(parsed.ok ? {} : { parseError: parsed.error.message }),
    };
  });
  return { source: 'sql-file', statements, windowSeconds: null, totalTimeMs: 0, issues };
}

export async function workloadFromSqlFile(path: string): Promise<Workload> {
  await initSqlParser();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new DbOptimizeError('E_READ_FILE', 'input', `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      hint: 'check the path given to --workload.',
      cause: error,
    });
  }
  if (text.includes('\u0000')) {
    throw new DbOptimizeError('E_NOT_SQL', 'input', `${path} is not a text SQL file (it contains NUL bytes)`);
  }
  const workload = workloadFromSql(text, path);
  if (workload.statements.length === 0) {
    throw new DbOptimizeError('E_EMPTY_WORKLOAD', 'input', `${path} contains no SQL statements`);
  }
  return workload;
}
