import { readFile } from 'node:fs/promises';
import { DbOptimizeError } from '../errors/index.ts';
import type { ScannedStatement } from './scan-transaction-pooling.ts';

/**
 * Statements from a PostgreSQL log (log_statement = all, or log_min_duration_statement):
 * "LOG:  statement: …", "LOG:  duration: 1.2 ms  statement: …", "LOG:  execute <name>: …",
 * with tab-indented continuation lines. Identical texts are counted once with their calls.
 */
export function statementsFromLogText(text: string, origin: string): ScannedStatement[] {
  const counts = new Map<string, { calls: number; line: number }>();
  const lines = text.split('\n');
  let current: { text: string; line: number } | null = null;
  const flush = (): void => {
    if (current === null) return;
    const t = current.text.trim();
    if (t !== '') {
      const c = counts.get(t);
      if (c === undefined) counts.set(t, { calls: 1, line: current.line });
      else c.calls++;
    }
    current = null;
  };
  lines.forEach((line, i) => {
    const m = /\b(?:statement|execute [^:\s]*|STATEMENT):\s+(.*)$/.exec(line);
    if (m !== null) {
      flush();
      current = { text: m[1] ?? '', line: i + 1 };
    } else if (current !== null && /^\t/.test(line)) {
      current.text += `\n${line.slice(1)}`;
    } else {
      flush();
    }
  });
  flush();
  return [...counts.entries()].map(([t, c]) => ({ text: t, calls: c.calls, origin: `${origin}:${c.line}` }));
}

export async function statementsFromLogFile(path: string): Promise<ScannedStatement[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new DbOptimizeError('E_READ', 'input', `cannot read log file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const out = statementsFromLogText(text, path);
  if (out.length === 0) {
    throw new DbOptimizeError('E_LOG_EMPTY', 'input', `no statements found in ${path}`, {
      hint: 'the log needs log_statement = all (or log_min_duration_statement = 0) lines such as "LOG:  statement: SELECT …"',
    });
  }
  return out;
}
