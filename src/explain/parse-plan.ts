import { detectForeignPlan } from './detect-foreign-plan.ts';
import { normalizePlan } from './normalize-plan.ts';
import type { RawPlanObject } from './normalize-plan.ts';
import type { Plan } from './plan-model.ts';
import { lineColumnAt, planParseError } from './plan-parse-error.ts';
import { parseTextPlan } from './parse-text-plan.ts';
import type { SourceLine, TextPlanStats } from './parse-text-plan.ts';
import { dropLinesBeforePlan, expandIndentTabs, hasIndentTabs, joinWrappedLines, stripLineQuotes, stripTrailingPipes, TAB_WIDTHS, unquoteCsv } from './pasted-plan-text.ts';
import { unframePlanText } from './unframe-plan-text.ts';

export interface ParsePlanOptions {
  /** file name for error messages */
  readonly source?: string;
}

function checkBinary(bytes: Uint8Array | null, text: string, source: string | undefined): void {
  let bad = -1;
  if (bytes !== null) {
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i] as number;
      if (b === 0 || (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12)) {
        bad = i;
        break;
      }
    }
    if (bad < 0) {
      const decoded = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
      const replacement = decoded.indexOf('\uFFFD');
      if (replacement >= 0) bad = replacement;
    }
  } else {
    // eslint-disable-next-line no-control-regex
    const m = /[\u0000-\u0008\u000B\u000E-\u001F\uFFFD]/.exec(text);
    if (m !== null) bad = m.index;
  }
  if (bad >= 0) {
    const at = lineColumnAt(text, Math.min(bad, text.length));
    throw planParseError(`the input is binary data, not a text or JSON plan (byte ${bad})`, { ...at, ...(source === undefined ? {} : { source }) });
  }
}

/**
 * Pulls a plan out of auto_explain log lines ("LOG:  duration: 12.3 ms  plan:" then tab-indented
 * lines). A log usually holds many: the slowest one is taken, and the count is kept for the report.
 */
function fromAutoExplain(lines: readonly SourceLine[]): { lines: SourceLine[]; durationMs: number; entries: number } | null {
  const starts: number[] = [];
  lines.forEach((l, i) => {
    if (/duration: \d+(?:\.\d+)? ms\s+plan:\s*$/.test(l.text)) starts.push(i);
  });
  if (starts.length === 0) return null;
  let best: { lines: SourceLine[]; durationMs: number } | null = null;
  for (const start of starts) {
    const head = lines[start] as SourceLine;
    const durationMs = Number(/duration: (\d+(?:\.\d+)?) ms/.exec(head.text)?.[1] ?? 0);
    const out: SourceLine[] = [];
    for (let i = start + 1; i < lines.length; i++) {
      const l = lines[i] as SourceLine;
      if (l.text !== '' && !/^[\t ]/.test(l.text)) break;
      out.push({ text: l.text.replace(/^\t/, '').replace(/\t/g, '    '), line: l.line });
    }
    if (best === null || durationMs > best.durationMs) best = { lines: out, durationMs };
  }
  return best === null ? null : { ...best, entries: starts.length };
}

/** Where JSON.parse gave up: "at position N", or V8's quoted context ("...de Type": Limit,...") located in the text. */
function jsonErrorOffset(message: string, text: string): number {
  const pos = /position (\d+)/.exec(message);
  if (pos !== null) return Number(pos[1]);
  const ctx = /Unexpected token '(.)', (?:\.\.\.)?"([\s\S]*?)"(?:\.\.\.)? is not valid JSON/.exec(message);
  if (ctx !== null) {
    const snippet = ctx[2] ?? '';
    const found = text.indexOf(snippet);
    if (found >= 0) return found + Math.max(0, snippet.indexOf(ctx[1] ?? ''));
  }
  return text.length;
}

function parseJsonPlan(lines: readonly SourceLine[], source: string | undefined, already?: unknown): RawPlanObject {
  const text = lines.map((l) => l.text).join('\n');
  let parsed: unknown = already;
  try {
    if (parsed === undefined) parsed = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const offset = jsonErrorOffset(message, text);
    const at = lineColumnAt(text, offset);
    const original = lines[at.line - 1]?.line ?? lines.at(-1)?.line ?? at.line;
    const truncated = /end of (JSON )?input|Unterminated/i.test(message) || offset >= text.trimEnd().length;
    const what = truncated ? 'the JSON ends early (truncated?)' : `invalid JSON (${message.replace(/^JSON\.parse: /, '').replace(/, (?:\.\.\.)?"[\s\S]*" is not valid JSON$/, '').split('\n')[0]})`;
    throw planParseError(what, { line: original, column: at.column, ...(source === undefined ? {} : { source }) });
  }
  let statement: unknown = Array.isArray(parsed) ? parsed[0] : parsed;
  if (typeof statement === 'object' && statement !== null && 'QUERY PLAN' in statement) {
    const inner = (statement as Record<string, unknown>)['QUERY PLAN'];
    statement = Array.isArray(inner) ? inner[0] : inner;
  }
  if (typeof statement !== 'object' || statement === null || Array.isArray(statement)) {
    throw planParseError('the JSON holds no EXPLAIN statement object', { line: lines[0]?.line ?? 1, ...(source === undefined ? {} : { source }) });
  }
  const obj = statement as RawPlanObject;
  if (obj.Plan === undefined && typeof obj['Node Type'] === 'string') return { Plan: obj };
  if (obj.Plan === undefined) {
    const foreign = detectForeignPlan(text);
    throw planParseError(
      foreign === null ? 'the JSON has no "Plan" key: it is not EXPLAIN (FORMAT JSON) output' : `this looks like ${foreign}, not a PostgreSQL plan`,
      { line: lines[0]?.line ?? 1, column: 1, ...(source === undefined ? {} : { source }) },
    );
  }
  return obj;
}

/** CSV/pgAdmin quoting, DBeaver pipes, psql framing and auto_explain log lines removed. */
function unpaste(text: string): { lines: SourceLine[]; logged: ReturnType<typeof fromAutoExplain> } {
  const split = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const raw = stripLineQuotes(split) ?? split;
  const csv = unquoteCsv(raw);
  const joinedCsv = csv === null ? raw.join('\n') : csv.map((l) => l.text).join('\n');
  const unframed = unframePlanText(joinedCsv).lines.map((l) => (csv === null ? l : { text: l.text, line: csv[l.line - 1]?.line ?? l.line }));
  const lines = stripTrailingPipes(unframed) ?? unframed;
  return { lines, logged: fromAutoExplain(lines) };
}

/** The first line opening a JSON plan, unless a text plan node comes before it. */
function jsonStartIndex(lines: readonly SourceLine[]): number {
  const j = lines.findIndex((l) => /^\s*[[{]/.test(l.text));
  if (j < 0) return -1;
  const textNode = lines.findIndex((l) => /\(cost=|\(actual |^\s*->\s/.test(l.text));
  if (textNode >= 0 && textNode < j) return -1;
  const planKey = lines.slice(j).some((l) => /"(?:Plan|Node Type)"\s*:/.test(l.text));
  // "[2026-12-03] slow again:" above a text plan is prose, not JSON
  if (textNode >= 0 && !planKey) return -1;
  // prose before the JSON (a prompt, the echoed statement) is skipped only when a plan follows
  return j === lines.findIndex((l) => l.text.trim() !== '') || planKey ? j : -1;
}

/** From the opening bracket on, without what psql and shells print after it ("Time:", a prompt, a row count). */
function jsonSlice(lines: readonly SourceLine[], start: number): SourceLine[] {
  let end = lines.length - 1;
  while (end > start && /^\s*$|^(?:Time: \d|\S*[=-][#>]|\(\d+ [^\s\d()]+\)$)/.test((lines[end] as SourceLine).text)) end--;
  return lines.slice(start, end + 1);
}

function treeSignature(statement: RawPlanObject): string {
  const walk = (n: unknown): string => {
    const o = n as RawPlanObject;
    const kids = Array.isArray(o.Plans) ? o.Plans.map(walk).join(',') : '';
    return `${String(o['Node Type'])}(${kids})`;
  };
  return walk(statement.Plan);
}

/**
 * Text plan with whatever surrounds it: wrapped lines joined, lines before the plan dropped, and,
 * when tabs mix with spaces, the tab width that lines the tree up. Every guess lands in `warnings`.
 */
function readTextPlan(input: readonly SourceLine[], warnings: string[]): RawPlanObject {
  const wrapped = joinWrappedLines(input);
  const located = dropLinesBeforePlan(wrapped.lines);
  // lines joined in the prose before the plan (a long echoed statement) change nothing that is read
  const planStart = located.lines[0]?.line ?? 0;
  const joined = wrapped.joined.filter((l) => l > planStart);
  if (joined.length > 0) warnings.push(`${joined.length} line(s) looked wrapped (from line ${joined[0]}) and were joined to the line before`);
  const skipped = wrapped.lines.slice(0, wrapped.lines.length - located.lines.length);
  // a root line cut before its "(cost=" still shows pieces of it
  if (skipped.some((l) => /^\s*->\s|\(cos|\brows=\d|\bloops=\d/.test(l.text))) {
    const from = skipped[0]?.line ?? 1;
    warnings.push(`lines ${from}–${skipped.at(-1)?.line ?? from} look like part of a plan but come before its first readable node: they were not read`);
  }
  const candidates = hasIndentTabs(located.lines)
    ? TAB_WIDTHS.map((w) => ({ width: w, lines: expandIndentTabs(located.lines, w) }))
    : [{ width: 0, lines: located.lines }];
  let best: { width: number; statement: RawPlanObject; stats: TextPlanStats } | null = null;
  let firstError: unknown = null;
  const signatures = new Set<string>();
  for (const c of candidates) {
    const stats: TextPlanStats = { misaligned: 0, trailing: null };
    try {
      const statement = parseTextPlan(c.lines, stats);
      signatures.add(treeSignature(statement));
      if (best === null || stats.misaligned < best.stats.misaligned) best = { width: c.width, statement, stats };
    } catch (error) {
      firstError ??= error;
    }
  }
  if (best === null) throw firstError;
  if (best.width > 0 && signatures.size > 1) {
    warnings.push(
      `the indentation mixes tabs and spaces: a tab was read as reaching the next multiple of ${best.width} columns, the width that lines the tree up`,
    );
  }
  if (best.stats.misaligned > 0) {
    warnings.push(
      `${best.stats.misaligned} line(s) are not indented where EXPLAIN puts them: the tree was read from the relative indentation and may be wrong`,
    );
  }
  if (best.stats.trailing?.looksLikePlan === true) {
    warnings.push(`the input holds more plan lines from line ${best.stats.trailing.line}: only the first plan was read`);
  }
  return best.statement;
}

/**
 * Reads a plan in any form a user pastes: EXPLAIN JSON (object or array), text, psql output
 * (header, "+" continuations, borders) or auto_explain log lines. Throws only E_PLAN_PARSE.
 */
export function parsePlan(input: string | Uint8Array, options: ParsePlanOptions = {}): Plan {
  const bytes = typeof input === 'string' ? null : input;
  const text = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: false }).decode(input);
  const source = options.source;
  const where = source === undefined ? {} : { source };
  if (text.trim() === '') throw planParseError('the input is empty', { line: 1, ...where });
  checkBinary(bytes, text, source);
  try {
    // fast path: plain EXPLAIN JSON needs no unframing (large plans are megabytes)
    if (/^\s*[[{]/.test(text)) {
      let direct: unknown;
      try {
        direct = JSON.parse(text);
      } catch {
        direct = undefined;
      }
      if (direct !== undefined) return normalizePlan(parseJsonPlan([{ text, line: 1 }], source, direct), 'json');
    }
    const warnings: string[] = [];
    const { lines: unframed, logged } = unpaste(text);
    const lines = logged?.lines ?? unframed;
    const jsonStart = jsonStartIndex(lines);
    const first = lines.find((l) => l.text.trim() !== '');
    if (first === undefined) throw planParseError('there is no plan in the input', { line: 1, ...where });
    let statement: RawPlanObject;
    let format: 'json' | 'text';
    if (jsonStart >= 0) {
      statement = parseJsonPlan(jsonSlice(lines, jsonStart), source);
      format = 'json';
    } else {
      const foreign = detectForeignPlan(text);
      if (foreign !== null) throw planParseError(`this looks like ${foreign}, not a PostgreSQL plan`, { line: first.line, column: 1, ...where });
      statement = readTextPlan(lines, warnings);
      format = 'text';
    }
    if (warnings.length > 0) statement['Parse Warnings'] = warnings;
    if (logged !== null) {
      statement['Logged Duration'] = logged.durationMs;
      statement['Logged Entries'] = logged.entries;
    }
    return normalizePlan(statement, format);
  } catch (error) {
    if (error instanceof Error && (error as { code?: string }).code === 'E_PLAN_PARSE') {
      if (source !== undefined && !error.message.startsWith(`${source}:`)) {
        throw planParseError(error.message.replace(/^cannot read the plan ?/, '').replace(/^: /, '').replace(/^at line (\d+)(?:, column (\d+))?: /, ''), {
          ...((error as { details?: { line?: number; column?: number } }).details ?? {}),
          source,
        });
      }
      throw error;
    }
    if (error instanceof RangeError) throw planParseError('the plan is too deeply nested', where);
    throw error;
  }
}
