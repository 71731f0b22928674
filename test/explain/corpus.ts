import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { SCENARIOS } from '../plan-corpus/scenarios.ts';
import type { PlanScenario } from '../plan-corpus/scenarios.ts';

export const CORPUS_DIR = new URL('../fixtures/plans/', import.meta.url).pathname;

export interface CorpusPlan {
  readonly version: string;
  readonly scenario: PlanScenario;
  readonly json: string;
  readonly text: string;
  readonly id: string;
}

/** Every captured plan: one JSON and one text file per scenario and server version. */
export function corpusPlans(): CorpusPlan[] {
  const out: CorpusPlan[] = [];
  for (const version of readdirSync(CORPUS_DIR).filter((d) => /^pg\d+$/.test(d)).sort()) {
    for (const scenario of SCENARIOS) {
      const base = `${CORPUS_DIR}${version}/${scenario.name}`;
      if (!existsSync(`${base}.json`)) continue;
      out.push({ version, scenario, id: `${version}/${scenario.name}`, json: readFileSync(`${base}.json`, 'utf8'), text: readFileSync(`${base}.txt`, 'utf8') });
    }
  }
  return out;
}

/** psql's default aligned output of a text plan: header, rule, one space before each row, row count. */
export function psqlAligned(text: string): string {
  const rows = text.replace(/\n$/, '').split('\n');
  const width = Math.max(10, ...rows.map((r) => r.length));
  return [`${' '.repeat(Math.floor((width - 8) / 2))} QUERY PLAN`, '-'.repeat(width + 2), ...rows.map((r) => ` ${r}`), `(${rows.length} rows)`, ''].join('\n');
}

/** psql with \pset border 2 (ascii or unicode linestyle). */
export function psqlBordered(text: string, unicode: boolean): string {
  const rows = text.replace(/\n$/, '').split('\n');
  const width = Math.max(10, ...rows.map((r) => r.length));
  const [v, h, tl, tr, ml, mr, bl, br] = unicode ? ['│', '─', '┌', '┐', '├', '┤', '└', '┘'] : ['|', '-', '+', '+', '+', '+', '+', '+'];
  const line = (l: string, r: string): string => `${l}${h.repeat(width + 2)}${r}`;
  const title = 'QUERY PLAN';
  const left = Math.floor((width - title.length) / 2);
  return [
    line(tl, tr),
    `${v} ${' '.repeat(left)}${title}${' '.repeat(width - left - title.length)} ${v}`,
    line(ml, mr),
    ...rows.map((r) => `${v} ${r.padEnd(width)} ${v}`),
    line(bl, br),
    `(${rows.length} rows)`,
    '',
  ].join('\n');
}

/** psql aligned output of a one-row JSON plan: newlines inside the value become "+" at the end of each line. */
export function psqlJson(json: string): string {
  const rows = json.replace(/\n$/, '').split('\n');
  const width = Math.max(10, ...rows.map((r) => r.length));
  return [
    `${' '.repeat(Math.floor((width - 8) / 2))} QUERY PLAN`,
    '-'.repeat(width + 2),
    ...rows.map((r, i) => ` ${r.padEnd(width)}${i < rows.length - 1 ? '+' : ''}`),
    '(1 row)',
    '',
  ].join('\n');
}

/** psql \x expanded output. */
export function psqlExpanded(text: string): string {
  const rows = text.replace(/\n$/, '').split('\n');
  return rows.map((r, i) => `-[ RECORD ${i + 1} ]-----------\nQUERY PLAN | ${r}`).join('\n') + '\n';
}

/** auto_explain's stderr log entry: a LOG line with the duration, then the plan indented by a tab. */
export function autoExplainLog(plan: string, sql: string): string {
  return [
    '2026-11-21 10:00:00.123 UTC [4242] LOG:  connection authorized: user=app database=shop',
    '2026-11-21 10:00:01.456 UTC [4242] LOG:  duration: 1234.567 ms  plan:',
    `\tQuery Text: ${sql}`,
    ...plan.replace(/\n$/, '').split('\n').map((l) => `\t${l}`),
    '2026-11-21 10:00:01.500 UTC [4242] LOG:  disconnection: session time: 0:00:01.377',
    '',
  ].join('\n');
}

/** auto_explain with auto_explain.log_format = json: the statement object (with "Query Text") indented by a tab. */
export function autoExplainJsonLog(json: string, sql: string): string {
  const statement = (JSON.parse(json) as Record<string, unknown>[])[0] ?? {};
  const body = JSON.stringify({ 'Query Text': sql, ...statement }, null, 2);
  return [
    '2026-11-21 10:00:01.456 UTC [4242] LOG:  duration: 99.500 ms  plan:',
    ...body.split('\n').map((l) => `\t${l}`),
    '2026-11-21 10:00:01.500 UTC [4242] LOG:  statement: SELECT 1',
    '',
  ].join('\n');
}
