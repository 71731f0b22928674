import { isNodeHeaderLine, isStatementLine, SUBPLAN_LABEL } from './parse-text-plan.ts';
import type { SourceLine } from './parse-text-plan.ts';

/**
 * What people paste around and into a plan, undone before the text parser sees it: CSV/pgAdmin
 * quoting, DBeaver's trailing "|", session lines before and after the plan, tabs in the
 * indentation and lines wrapped by a terminal or a mail client. Each step that had to guess
 * says so in `warnings`.
 */

/** One CSV field starting at raw[i] (a line opening with a quote), possibly spanning lines; null when it is not CSV. */
function readQuotedField(raw: readonly string[], i: number): { value: string; end: number } | null {
  let s = raw[i] as string;
  let pos = s.indexOf('"') + 1;
  let value = '';
  let j = i;
  for (;;) {
    const q = s.indexOf('"', pos);
    if (q < 0) {
      value += `${s.slice(pos)}\n`;
      j++;
      if (j >= raw.length) return null;
      s = raw[j] as string;
      pos = 0;
      continue;
    }
    if (s[q + 1] === '"') {
      value += `${s.slice(pos, q)}"`;
      pos = q + 2;
      continue;
    }
    value += s.slice(pos, q);
    // pgAdmin may append a separator; anything else after the closing quote is not CSV
    if (!/^\s*[,;]?\s*$/.test(s.slice(q + 1))) return null;
    return { value, end: j };
  }
}

/** pgAdmin and CSV exports quote each row ("Seq Scan on t  (cost=…)", a JSON plan as one multi-line field). */
export function unquoteCsv(raw: readonly string[]): SourceLine[] | null {
  const first = raw.findIndex((l) => l.trim() !== '');
  if (first < 0 || !(raw[first] as string).startsWith('"')) return null;
  const out: SourceLine[] = [];
  for (let i = 0; i < raw.length; i++) {
    const l = raw[i] as string;
    if (!l.startsWith('"')) {
      out.push({ text: l, line: i + 1 });
      continue;
    }
    const field = readQuotedField(raw, i);
    if (field === null) return null;
    field.value.split('\n').forEach((text, k) => out.push({ text, line: i + 1 + k }));
    i = field.end;
  }
  return out;
}

/**
 * pgAdmin III copies each row as 'Sort  (cost=…)' (inner quotes not doubled, so not CSV), and some
 * exports leave a quote only at the end of every row. When nearly every line is wrapped so, the
 * quotes are removed line by line.
 */
export function stripLineQuotes(raw: readonly string[]): string[] | null {
  const content = raw.filter((l) => l.trim() !== '');
  if (content.length === 0) return null;
  for (const q of ["'", '"']) {
    const closed = content.filter((l) => l.trimEnd().endsWith(q));
    if (closed.length < content.length * 0.8) continue;
    const opened = content.filter((l) => l.startsWith(q)).length;
    // either every row opens with the quote too, or none does; rows opening with '"' are CSV's to read
    if (opened !== 0 && (q === '"' || opened < closed.length)) continue;
    return raw.map((l) => {
      let t = l.trimEnd();
      if (opened > 0 && t.startsWith(q)) t = t.slice(1);
      return t.endsWith(q) ? t.slice(0, -1) : t;
    });
  }
  return null;
}

/** DBeaver copies a result column with a "|" after every value; psql borders have one on both sides. */
export function stripTrailingPipes(lines: readonly SourceLine[]): SourceLine[] | null {
  const content = lines.filter((l) => l.text.trim() !== '');
  const piped = content.filter((l) => /\|\s*$/.test(l.text) && !/^\s*\|/.test(l.text));
  if (content.length === 0 || piped.length < content.length * 0.8) return null;
  return lines.map((l) => ({ text: l.text.replace(/\s*\|\s*$/, ''), line: l.line }));
}

/**
 * Where the plan starts: the first node line with costs or actuals (or, for COSTS OFF plans, the first
 * known node). A "Query Text:" just above it (auto_explain without its LOG line) is kept.
 */
export function dropLinesBeforePlan(lines: readonly SourceLine[]): { lines: SourceLine[]; dropped: number } {
  let start = lines.findIndex((l) => isNodeHeaderLine(l.text, true));
  if (start < 0) start = lines.findIndex((l) => isNodeHeaderLine(l.text, false));
  if (start <= 0) return { lines: [...lines], dropped: 0 };
  let from = start;
  for (let i = start - 1; i >= 0; i--) {
    if (/^\s*Query Text:/.test((lines[i] as SourceLine).text)) {
      from = i;
      break;
    }
  }
  return { lines: lines.slice(from), dropped: lines.slice(0, from).filter((l) => l.text.trim() !== '').length };
}

/** Tab stops tried for indentation that mixes tabs and spaces: 8 (terminals, psql), then editors' 4 and 2. */
export const TAB_WIDTHS = [8, 4, 2] as const;

export function expandIndentTabs(lines: readonly SourceLine[], width: number): SourceLine[] {
  return lines.map((l) => {
    const m = /^[ \t]*/.exec(l.text)?.[0] ?? '';
    if (!m.includes('\t')) return l;
    let col = 0;
    for (const ch of m) col = ch === '\t' ? (Math.floor(col / width) + 1) * width : col + 1;
    return { text: ' '.repeat(col) + l.text.slice(m.length), line: l.line };
  });
}

export function hasIndentTabs(lines: readonly SourceLine[]): boolean {
  return lines.some((l) => /^[ \t]*\t/.test(l.text));
}

/** Fields EXPLAIN prints only after another one on the same line ("Buckets: …  Batches: …  Memory Usage: …"). */
const INNER_FIELD = /^(?:Batches|Memory Usage|Disk Usage|Memory|Disk|Hits|Misses|Evictions|Overflows|Average Sort Space Used|Peak Sort Space Used):/;

/** A line that reads as a whole: a node, a "Key: value" with its value, a label or a statement line. */
function isCompleteLine(text: string): boolean {
  const t = text.trim();
  if (/^->\s/.test(t)) return isNodeHeaderLine(t, false);
  if (/^Buckets:/.test(t)) return /Memory Usage: \d+kB$/.test(t);
  return (
    isStatementLine(t) ||
    SUBPLAN_LABEL.test(t) ||
    /^[A-Z][A-Za-z0-9 /()-]*?:\s+\S/.test(t) ||
    /^(?:Planning|JIT):$/.test(t) ||
    isNodeHeaderLine(t, false) ||
    /^(?:Insert|Update|Delete|Merge) on \S+/.test(t)
  );
}

/** A line that starts something in a text plan (a node, a property, a label, a statement line). */
function startsPlanLine(text: string): boolean {
  const t = text.trim();
  if (INNER_FIELD.test(t)) return false;
  return (
    t === '' ||
    /^->\s/.test(t) ||
    SUBPLAN_LABEL.test(t) ||
    /^Worker \d+:/.test(t) ||
    /^[A-Z][A-Za-z0-9 /()-]*?:(?:\s|$)/.test(t) ||
    isStatementLine(t) ||
    isNodeHeaderLine(t, false) ||
    /^(?:Insert|Update|Delete|Merge) on \S+/.test(t)
  );
}

/** Lines psql or a shell print after a plan; never the tail of a wrapped line. */
const AFTER_PLAN = /^(?:\(\d+ [^\s\d()]+\)|Time: \d|\S*[=-][#>]|\$ |[A-Z]+$)/;

/**
 * A terminal or a mail client breaks long plan lines; the pieces start nothing a plan line can
 * start with. They are joined back: without a space when the line before filled the widest width
 * (a hard wrap in the middle of a token), with one otherwise (a word wrap ate it).
 */
export function joinWrappedLines(lines: readonly SourceLine[]): { lines: SourceLine[]; joined: number[] } {
  const width = Math.max(0, ...lines.map((l) => l.text.length));
  // a terminal cuts many lines at exactly its width; a word wrap leaves them ragged
  const atWidth = lines.filter((l) => l.text.length === width).length;
  const hardWrapped = atWidth >= 2 && atWidth >= 0.6 * lines.filter((l) => l.text.length >= width - 8).length;
  const out: SourceLine[] = [];
  const pieces: string[][] = [];
  const joined: number[] = [];
  let seenNode = false;
  let margin = 0;
  let afterTree = false;
  const lastArrow = lines.findLastIndex((l) => /^\s*->\s/.test(l.text));
  for (const [index, l] of lines.entries()) {
    const prev = out.at(-1);
    const t = l.text.trim();
    if (seenNode && isStatementLine(t) && !/^Query Text:/.test(t)) afterTree = true;
    // the first piece of a wrapped node line still starts with "->" or a node name and "(cost=": never a tail
    // (below the root every node starts with "->")
    const piece = /^->\s/.test(t) || (!seenNode && /^[A-Z][^(]*\s\((?:cost=|actual )/.test(t));
    if (piece && !seenNode) margin = l.text.length - l.text.trimStart().length;
    if (piece) seenNode = true;
    // after the tree only the lines of a JIT/Planning block or Settings can be long enough to wrap
    const inStatementBlock = prev !== undefined && (prev.text.length - prev.text.trimStart().length > margin || /^Settings:/.test(prev.text.trim()));
    // a wrapped line's tail starts at the left edge, never indented like the plan's own lines
    // (a hard wrap keeps the spaces it cut at)
    const atEdge = l.text.length - l.text.trimStart().length <= margin || prev?.text.length === width || (hardWrapped && cutSpaces(prev, l, width));
    const canJoin =
      prev !== undefined && prev.text.trim() !== '' && prev.text.length >= 40 && atEdge && (!afterTree || inStatementBlock) && !piece && !AFTER_PLAN.test(t);
    // a line cut after "Join" or "->  Seq" is incomplete: what follows is its tail even when it looks like a start
    const wrappedLong = canJoin && (!startsPlanLine(l.text) || (seenNode && !isCompleteLine(prev.text)));
    const valueTail = !piece && valueGoesOn(prev, l, { margin, inTree: seenNode && !afterTree, treeGoesOn: index < lastArrow, group: pieces.at(-1) });
    if (prev !== undefined && (wrappedLong || valueTail)) {
      const group = pieces.at(-1) as string[];
      group.push(l.text);
      out[out.length - 1] = { text: joinPieces(group, hardWrapped ? width : -1), line: prev.line };
      joined.push(l.line);
      continue;
    }
    out.push(l);
    pieces.push([l.text]);
  }
  return { lines: out, joined };
}

/**
 * A short property line whose value goes on at the left edge: EXPLAIN prints a newline inside an
 * expression or a string literal as it is ("Join Filter: (a >" / "b)"), and a mail client wraps
 * short lines too. Taken as the tail only inside the tree: while a parenthesis is open, or when
 * more nodes follow (a tail at the edge cannot end the tree there).
 */
function valueGoesOn(
  prev: SourceLine | undefined,
  l: SourceLine,
  at: { margin: number; inTree: boolean; treeGoesOn: boolean; group: readonly string[] | undefined },
): boolean {
  const t = l.text.trim();
  if (prev === undefined || !at.inTree || t === '' || prev.text.trim() === '' || /^\s*->\s/.test(prev.text)) return false;
  if (l.text.length - l.text.trimStart().length > at.margin || startsPlanLine(l.text) || AFTER_PLAN.test(t)) return false;
  const sofar = (at.group ?? [prev.text]).join('\n');
  const open = (sofar.match(/\(/g)?.length ?? 0) > (sofar.match(/\)/g)?.length ?? 0);
  return open || at.treeGoesOn;
}

/** A hard wrap that cut at spaces: the right-trimmed line before and the tail's indentation hold at most EXPLAIN's two spaces. */
function cutSpaces(prev: SourceLine | undefined, l: SourceLine, width: number): boolean {
  if (prev === undefined || prev.text.length < width - 2) return false;
  return l.text.length - l.text.trimStart().length + (width - prev.text.length) <= 2;
}

/**
 * Pieces of one wrapped line: cut at the width without a space lost (hard wrap) or at a space
 * that was dropped (word wrap). A node line must come out readable, so the other way is tried for it.
 */
function joinPieces(group: readonly string[], width: number): string {
  let greedy = group[0] ?? '';
  for (let i = 1; i < group.length; i++) {
    const before = group[i - 1] ?? '';
    const p = group[i] ?? '';
    // spaces lost at the cut (lines are right-trimmed) come back up to the width
    greedy = width > 0 && before.length >= width - 2 ? `${greedy}${' '.repeat(width - before.length)}${p}` : `${greedy.trimEnd()} ${p.trim()}`;
  }
  if (!/\((?:cost=|actual )/.test(greedy) || isNodeHeaderLine(greedy, false)) return greedy;
  for (const alt of [group.join(''), group.reduce((acc, p) => `${acc.trimEnd()} ${p.trim()}`)]) if (isNodeHeaderLine(alt, false)) return alt;
  return greedy;
}
