import { readFile } from 'node:fs/promises';
import { DbOptimizeError } from '../errors/index.ts';
import type { Workload } from '../model/index.ts';
import { parseParameters } from '../n1/log/log-record.ts';
import { fingerprintSql } from '../sql/index.ts';
import { workloadFromSql } from '../workload/from-sql-file.ts';

/** Parameter values seen in the log for one statement fingerprint: each entry is one call's $1..$n. */
export type LogValueSets = ReadonlyMap<string, readonly (readonly (string | null)[])[]>;

export interface LogWorkload {
  readonly workload: Workload;
  readonly valueSets: LogValueSets;
}

/** Keep at most this many value sets per statement: enough variety, bounded memory on a big log. */
const MAX_SETS = 500;

interface Entry {
  text: string;
  line: number;
  params: (string | null)[] | null;
}

/**
 * Statements of a PostgreSQL log (log_statement = all, or log_min_duration_statement = 0), whatever
 * the log_line_prefix: "statement: …" with its literals, and "execute <name>: … $1" paired with its
 * "DETAIL:  parameters: $1 = '…'" line, so the replay runs the values the application really sent.
 */
export function parseLogStatements(text: string): Entry[] {
  const entries: Entry[] = [];
  let current: Entry | null = null;
  text.split('\n').forEach((line, i) => {
    const m = /\b(?:statement|execute [^:\s]*|STATEMENT):\s+(.*)$/.exec(line);
    if (m !== null && !/\bDETAIL:/.test(line)) {
      current = { text: m[1] ?? '', line: i + 1, params: null };
      entries.push(current);
    } else if (current !== null && line.startsWith('\t')) {
      current.text += `\n${line.slice(1)}`;
    } else if (current !== null && /\bDETAIL:\s+parameters: /.test(line)) {
      current.params = (parseParameters(line) ?? []).map((v) => (v === '\u0000NULL' ? null : v));
      current = null;
    } else current = null;
  });
  return entries.filter((e) => e.text.trim() !== '');
}

export async function workloadFromLog(path: string): Promise<LogWorkload> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new DbOptimizeError('E_READ', 'input', `cannot read log file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const entries = parseLogStatements(text);
  if (entries.length === 0) {
    throw new DbOptimizeError('E_LOG_EMPTY', 'input', `no statements found in ${path}`, {
      hint: 'the log needs log_statement = all (or log_min_duration_statement = 0) lines such as "LOG:  statement: SELECT …"',
    });
  }
  const byText = new Map<string, { calls: number; line: number }>();
  const valueSets = new Map<string, (string | null)[][]>();
  for (const e of entries) {
    const t = e.text.trim().replace(/;\s*$/, '');
    const seen = byText.get(t);
    if (seen === undefined) byText.set(t, { calls: 1, line: e.line });
    else seen.calls++;
    if (e.params === null || e.params.length === 0) continue;
    const fp = fingerprintSql(t);
    if (fp === null) continue;
    const sets = valueSets.get(fp) ?? [];
    if (sets.length < MAX_SETS) sets.push(e.params);
    valueSets.set(fp, sets);
  }
  const script = [...byText.entries()].map(([t, c]) => `-- calls: ${c.calls}\n${t}`).join(';\n');
  const w = workloadFromSql(script, path);
  return { workload: { ...w, source: 'log', statements: w.statements.map((s) => ({ ...s, source: 'log' as const })) }, valueSets };
}
