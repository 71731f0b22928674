import type { RawPlanObject } from './normalize-plan.ts';
import { planParseError } from './plan-parse-error.ts';
import { parseTextNodeName } from './text-node-name.ts';

/** A line of input with its 1-based line number in the original text (for errors). */
export interface SourceLine {
  readonly text: string;
  readonly line: number;
}

const HEADER = /^(.*?)(?:\s+\(cost=(\d+(?:\.\d+)?)\.\.(\d+(?:\.\d+)?) rows=(\d+) width=(\d+)\))?(?:\s+\((actual [^)]*|never executed)\))?\s*$/;
const ACTUAL = /^actual(?: time=(\d+(?:\.\d+)?)\.\.(\d+(?:\.\d+)?))? rows=(\d+(?:\.\d+)?) loops=(\d+)$/;

export const SUBPLAN_LABEL = /^(?:(?:InitPlan|SubPlan)(?: \d+)?(?: \(returns .*\))?|CTE .+)$/;
/** per-partition target lines a ModifyTable prints before its input ("Update on public.ta1 ta_1") */
const MODIFY_TARGET = /^(?:Insert|Update|Delete|Merge|Foreign Insert|Foreign Update|Foreign Delete) on \S+(?: \S+)?$/;

/** What the text parser noticed while reading: lines left after the plan and indentation it could not line up. */
export interface TextPlanStats {
  /** lines whose indentation is not where EXPLAIN would put them */
  misaligned: number;
  /** first line after the plan that is not part of it, and how many such lines follow */
  trailing: { line: number; count: number; looksLikePlan: boolean } | null;
}

interface Frame {
  readonly node: RawPlanObject;
  /** column where the node name starts */
  readonly column: number;
  readonly children: RawPlanObject[];
  pendingLabel: { name: string; column: number } | null;
  /** properties of a "Worker N:" block are skipped until the indentation returns */
  workerColumn: number | null;
  unlabeled: number;
}

function indentOf(s: string): number {
  const m = /^ */.exec(s);
  return m === null ? 0 : m[0].length;
}

function toNumber(s: string, where: SourceLine): number {
  const n = Number(s);
  if (!Number.isFinite(n)) throw planParseError(`"${s}" is not a number`, { line: where.line });
  return n;
}

/** Splits "a, f(b, c), d" at top-level commas (keys and outputs in text plans). */
export function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quote !== null) {
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(s.slice(start).trim());
  return out.filter((x) => x !== '');
}

function parseHeader(text: string, where: SourceLine, isRoot: boolean): RawPlanObject | null {
  const m = HEADER.exec(text.trim());
  if (m === null) return null;
  const [, name = '', sc, tc, rows, width, actual] = m;
  if (isRoot && sc === undefined && actual === undefined) {
    // without costs a root line is only accepted when it names a known node
    if (parseTextNodeName(name) === null) return null;
  }
  const node = parseTextNodeName(name);
  if (node === null) return null;
  if (sc !== undefined && tc !== undefined && rows !== undefined && width !== undefined) {
    node['Startup Cost'] = toNumber(sc, where);
    node['Total Cost'] = toNumber(tc, where);
    node['Plan Rows'] = toNumber(rows, where);
    node['Plan Width'] = toNumber(width, where);
  }
  if (actual === 'never executed') {
    Object.assign(node, { 'Actual Startup Time': 0, 'Actual Total Time': 0, 'Actual Rows': 0, 'Actual Loops': 0 });
  } else if (actual !== undefined) {
    const a = ACTUAL.exec(actual);
    if (a === null) throw planParseError(`cannot read "(${actual})"`, { line: where.line });
    if (a[1] !== undefined && a[2] !== undefined) {
      node['Actual Startup Time'] = toNumber(a[1], where);
      node['Actual Total Time'] = toNumber(a[2], where);
    }
    node['Actual Rows'] = toNumber(a[3] ?? '0', where);
    node['Actual Loops'] = toNumber(a[4] ?? '0', where);
  }
  return node;
}

/** True when the text (after an optional "->") is a plan node header; `costed` also asks for "(cost=" or "(actual". */
export function isNodeHeaderLine(text: string, costed: boolean): boolean {
  const t = text.trim().replace(/^->\s+/, '');
  if (costed && !/\((?:cost=|actual |never executed\))/.test(t)) return false;
  try {
    return parseHeader(t, { text, line: 0 }, true) !== null;
  } catch {
    return false;
  }
}

function parseBuffers(value: string, where: SourceLine, prefix = ''): RawPlanObject {
  const out: RawPlanObject = {};
  for (const group of value.split(/,\s*/)) {
    const g = /^(shared|local|temp)\s+(.*)$/.exec(group.trim());
    if (g === null) throw planParseError(`cannot read buffers "${group}"`, { line: where.line });
    const scope = g[1] === 'shared' ? 'Shared' : g[1] === 'local' ? 'Local' : 'Temp';
    for (const kv of (g[2] ?? '').trim().split(/\s+/)) {
      const m = /^(hit|read|dirtied|written)=(\d+)$/.exec(kv);
      if (m === null) throw planParseError(`cannot read buffers "${kv}"`, { line: where.line });
      const what = { hit: 'Hit', read: 'Read', dirtied: 'Dirtied', written: 'Written' }[m[1] as 'hit'];
      out[`${prefix}${scope} ${what} Blocks`] = toNumber(m[2] ?? '0', where);
    }
  }
  return out;
}

/** "I/O Timings: shared read=1.2 write=0.3, temp read=0.1" (all versions) → total read and write ms. */
function parseIoTimings(value: string): RawPlanObject {
  let read = 0;
  let write = 0;
  for (const m of value.matchAll(/(read|write)=(\d+(?:\.\d+)?)/g)) {
    if (m[1] === 'read') read += Number(m[2]);
    else write += Number(m[2]);
  }
  return { 'I/O Read Time': read, 'I/O Write Time': write };
}

function kb(s: string | undefined): number | null {
  if (s === undefined) return null;
  const m = /^(\d+)kB$/.exec(s);
  return m === null ? null : Number(m[1]);
}

/** Applies one "Key: value" line to a node; unknown keys are kept as text. */
function applyProperty(node: RawPlanObject, key: string, value: string, where: SourceLine): void {
  switch (key) {
    case 'Sort Key':
    case 'Presorted Key':
    case 'Group Key':
    case 'Output':
      node[key] = splitTopLevel(value);
      return;
    case 'Rows Removed by Filter':
    case 'Rows Removed by Join Filter':
    case 'Rows Removed by Index Recheck':
    case 'Heap Fetches':
    case 'Workers Planned':
    case 'Workers Launched':
      node[key] = toNumber(value, where);
      return;
    case 'Heap Blocks': {
      for (const m of value.matchAll(/(exact|lossy)=(\d+)/g)) node[m[1] === 'exact' ? 'Exact Heap Blocks' : 'Lossy Heap Blocks'] = Number(m[2]);
      return;
    }
    case 'Sort Method': {
      const m = /^(.*?)\s+(Memory|Disk): (\d+)kB$/.exec(value);
      if (m === null) node['Sort Method'] = value;
      else Object.assign(node, { 'Sort Method': m[1], 'Sort Space Used': Number(m[3]), 'Sort Space Type': m[2] });
      return;
    }
    case 'Buckets': {
      const m = /^(\d+)(?: \(originally (\d+)\))?\s+Batches: (\d+)(?: \(originally (\d+)\))?\s+Memory Usage: (\d+)kB/.exec(value);
      if (m === null) throw planParseError(`cannot read hash buckets "${value}"`, { line: where.line });
      Object.assign(node, {
        'Hash Buckets': Number(m[1]),
        'Original Hash Buckets': Number(m[2] ?? m[1]),
        'Hash Batches': Number(m[3]),
        'Original Hash Batches': Number(m[4] ?? m[3]),
        'Peak Memory Usage': Number(m[5]),
      });
      return;
    }
    case 'Batches':
    case 'Planned Partitions': {
      // HashAggregate: "Planned Partitions: 4  Batches: 5  Memory Usage: 4145kB  Disk Usage: 2000kB"
      const text = `${key}: ${value}`;
      const batches = /Batches: (\d+)/.exec(text);
      const mem = /Memory Usage: (\d+kB)/.exec(text);
      const disk = /Disk Usage: (\d+kB)/.exec(text);
      const planned = /Planned Partitions: (\d+)/.exec(text);
      if (batches !== null) node['HashAgg Batches'] = Number(batches[1]);
      if (planned !== null) node['Planned Partitions'] = Number(planned[1]);
      if (mem !== null) node['Peak Memory Usage'] = kb(mem[1]);
      if (disk !== null) node['Disk Usage'] = kb(disk[1]);
      return;
    }
    case 'Buffers':
      Object.assign(node, parseBuffers(value, where));
      return;
    case 'I/O Timings':
      Object.assign(node, parseIoTimings(value));
      return;
    default:
      if (node[key] === undefined) node[key] = value;
  }
}

function relationshipFor(parent: RawPlanObject, label: string | null, unlabeledIndex: number): string {
  if (label !== null) return label.startsWith('SubPlan') ? 'SubPlan' : 'InitPlan';
  const t = parent['Node Type'];
  if (t === 'Append' || t === 'Merge Append' || t === 'BitmapAnd' || t === 'BitmapOr') return 'Member';
  if (t === 'Subquery Scan') return 'Subquery';
  if (t === 'Custom Scan') return 'Child';
  return unlabeledIndex === 0 ? 'Outer' : 'Inner';
}

function parseStatementLine(statement: RawPlanObject, text: string, where: SourceLine): boolean {
  // "Total runtime" (≤ 9.3) and lowercase "Planning time"/"Execution time" (9.4–12) are the same numbers
  let m = /^Planning [Tt]ime: (\d+(?:\.\d+)?) ms$/.exec(text);
  if (m !== null) return void (statement['Planning Time'] = toNumber(m[1] ?? '', where)), true;
  m = /^(?:Execution [Tt]ime|Total runtime): (\d+(?:\.\d+)?) ms$/.exec(text);
  if (m !== null) return void (statement['Execution Time'] = toNumber(m[1] ?? '', where)), true;
  m = /^Trigger(?: (?!for constraint )(.+?))?(?: for constraint (.+?))?(?: on (\S+))?: (?:time=(\d+(?:\.\d+)?) )?calls=(\d+)$/.exec(text);
  if (m !== null) {
    const triggers = (statement.Triggers ??= []) as RawPlanObject[];
    triggers.push({
      'Trigger Name': m[1] ?? m[2] ?? '?',
      ...(m[2] === undefined ? {} : { 'Constraint Name': m[2] }),
      ...(m[3] === undefined ? {} : { Relation: m[3] }),
      Time: Number(m[4] ?? 0),
      Calls: Number(m[5]),
    });
    return true;
  }
  m = /^Settings: (.*)$/.exec(text);
  if (m !== null) {
    const settings: RawPlanObject = {};
    for (const s of (m[1] ?? '').matchAll(/([\w.]+) = '((?:[^']|'')*)'/g)) settings[s[1] ?? ''] = (s[2] ?? '').replace(/''/g, "'");
    statement.Settings = settings;
    return true;
  }
  return /^(Query Identifier|Serialization|Memory|Planning|JIT|Query Text):/.test(text);
}

/** Lines that belong to the statement, not to a node: true for the ones the text parser reads after the tree. */
export function isStatementLine(text: string): boolean {
  return parseStatementLine({}, text.trim(), { text, line: 0 }) || text.trim() === 'Planning:' || text.trim() === 'JIT:';
}

interface TreeState {
  readonly statement: RawPlanObject;
  readonly stack: Frame[];
  readonly rootColumn: number;
  readonly stats: TextPlanStats;
}

function finish(frame: Frame): void {
  if (frame.children.length > 0) frame.node.Plans = frame.children;
}

function readArrowLine(state: TreeState, l: SourceLine, arrowColumn: number, body: string): void {
  const { stack } = state;
  while (stack.length > 1 && (stack.at(-1) as Frame).column > arrowColumn) finish(stack.pop() as Frame);
  const parent = stack.at(-1) as Frame;
  const node = parseHeader(body, l, false);
  if (node === null) throw planParseError(`cannot read the plan node "${truncate(body)}"`, { line: l.line, column: arrowColumn + 1 });
  const label = parent.pendingLabel !== null && parent.pendingLabel.column < arrowColumn ? parent.pendingLabel.name : null;
  // EXPLAIN puts a child's arrow two columns right of its parent's name (or of the InitPlan/SubPlan label)
  if (arrowColumn !== (label === null ? parent.column : (parent.pendingLabel?.column ?? parent.column)) + 2) state.stats.misaligned++;
  node['Parent Relationship'] = relationshipFor(parent.node, label, parent.unlabeled);
  if (label === null) parent.unlabeled++;
  else node['Subplan Name'] = label;
  parent.pendingLabel = null;
  parent.workerColumn = null;
  parent.children.push(node);
  stack.push({ node, column: l.text.length - body.length, children: [], pendingLabel: null, workerColumn: null, unlabeled: 0 });
}

/** A property, a subplan label or a worker block of the innermost node whose name starts left of it. */
function readPropertyLine(state: TreeState, l: SourceLine, indent: number, text: string): void {
  const { stack } = state;
  while (stack.length > 1 && (stack.at(-1) as Frame).column >= indent) finish(stack.pop() as Frame);
  const frame = stack.at(-1) as Frame;
  if (SUBPLAN_LABEL.test(text)) {
    if (indent !== frame.column + 2) state.stats.misaligned++;
    frame.pendingLabel = { name: text, column: indent };
    frame.workerColumn = null;
    return;
  }
  if (frame.workerColumn !== null && indent > frame.workerColumn) return;
  frame.workerColumn = null;
  if (indent !== frame.column + 2) state.stats.misaligned++;
  if (frame.node['Node Type'] === 'ModifyTable' && MODIFY_TARGET.test(text)) return;
  const worker = /^Worker (\d+):\s+(.*)$/.exec(text);
  if (worker !== null) {
    frame.workerColumn = indent;
    const a = ACTUAL.exec((worker[2] ?? '').trim());
    if (a !== null) {
      const workers = (frame.node.Workers ??= []) as RawPlanObject[];
      workers.push({
        'Worker Number': Number(worker[1]),
        ...(a[2] === undefined ? {} : { 'Actual Startup Time': Number(a[1]), 'Actual Total Time': Number(a[2]) }),
        'Actual Rows': Number(a[3]),
        'Actual Loops': Number(a[4]),
      });
    }
    return;
  }
  const kv = /^([A-Za-z][A-Za-z /-]*?):\s+(.*)$/.exec(text);
  if (kv === null) {
    throw planParseError(`cannot read "${truncate(text)}" (expected "Key: value" or a "->" node)`, { line: l.line, column: indent + 1 });
  }
  applyProperty(frame.node, kv[1] ?? '', (kv[2] ?? '').trim(), l);
}

function readQueryText(statement: RawPlanObject, content: readonly SourceLine[]): number {
  // auto_explain prefixes the plan with "Query Text: ..." which may span lines
  const first = content[0];
  if (first === undefined || !/^\s*Query Text:/.test(first.text)) return 0;
  const parts = [first.text.replace(/^\s*Query Text:\s?/, '')];
  let i = 1;
  while (i < content.length) {
    const l = content[i] as SourceLine;
    if (parseHeader(l.text, l, true) !== null) break;
    parts.push(l.text);
    i++;
  }
  statement['Query Text'] = parts.join('\n');
  return i;
}

/** After the tree: statement lines (times, triggers, JIT, settings); anything else ends the plan. */
function readAfterTree(state: TreeState, content: readonly SourceLine[], from: number): void {
  let block: 'planning' | 'jit' | null = null;
  const jit: RawPlanObject = {};
  for (let i = from; i < content.length; i++) {
    const l = content[i] as SourceLine;
    const indent = indentOf(l.text);
    const text = l.text.trim();
    if (indent > state.rootColumn && block !== null) {
      const kv = /^([^:]+):\s*(.*)$/.exec(text);
      if (kv === null) continue;
      if (block === 'planning' && kv[1] === 'Buffers') state.statement.Planning = parseBuffers(kv[2] ?? '', l);
      if (block === 'jit') jit[kv[1] ?? ''] = kv[2] ?? '';
      continue;
    }
    block = text === 'Planning:' ? 'planning' : text === 'JIT:' ? 'jit' : null;
    if (block !== null) continue;
    if (!parseStatementLine(state.statement, text, l)) {
      const rest = content.slice(i);
      state.stats.trailing = { line: l.line, count: rest.length, looksLikePlan: rest.some((r) => isNodeHeaderLine(r.text, true)) };
      break;
    }
  }
  if (Object.keys(jit).length > 0) state.statement.JIT = jitFromText(jit);
}

/**
 * Text EXPLAIN output (already unframed from psql or a log) to the JSON-shaped statement object,
 * so both formats share one normalizer and yield the same model. Lines after the plan that are
 * not part of it (psql's "Time:", a prompt, prose) end it; `stats` says where.
 */
export function parseTextPlan(lines: readonly SourceLine[], stats: TextPlanStats = { misaligned: 0, trailing: null }): RawPlanObject {
  const statement: RawPlanObject = {};
  const content = lines.filter((l) => l.text.trim() !== '');
  let i = readQueryText(statement, content);
  const rootLine = content[i];
  if (rootLine === undefined) throw planParseError('there is no plan node in the input', { line: lines.at(-1)?.line ?? 1 });
  const root = parseHeader(rootLine.text.replace(/^\s*->\s+/, ''), rootLine, true);
  if (root === null) {
    throw planParseError(`expected a plan node such as "Seq Scan on t  (cost=...)", found "${truncate(rootLine.text.trim())}"`, {
      line: rootLine.line,
      column: indentOf(rootLine.text) + 1,
    });
  }
  statement.Plan = root;
  const rootColumn = indentOf(rootLine.text);
  const rootName = rootLine.text.length - rootLine.text.replace(/^\s*(?:->\s+)?/, '').length;
  const state: TreeState = {
    statement,
    rootColumn,
    stats,
    stack: [{ node: root, column: rootName, children: [], pendingLabel: null, workerColumn: null, unlabeled: 0 }],
  };
  for (i = i + 1; i < content.length; i++) {
    const l = content[i] as SourceLine;
    const indent = indentOf(l.text);
    const text = l.text.trim();
    if (indent <= rootColumn && !text.startsWith('->')) break;
    const arrow = /^(\s*)->\s+(.*)$/.exec(l.text);
    if (arrow !== null) readArrowLine(state, l, (arrow[1] ?? '').length, arrow[2] ?? '');
    else readPropertyLine(state, l, indent, text);
  }
  while (state.stack.length > 0) finish(state.stack.pop() as Frame);
  readAfterTree(state, content, i);
  return statement;
}

function jitFromText(j: RawPlanObject): RawPlanObject {
  const timing = String(j.Timing ?? '');
  const ms = (name: string): number => {
    const m = new RegExp(`${name} (\\d+(?:\\.\\d+)?) ms`).exec(timing);
    return m === null ? 0 : Number(m[1]);
  };
  return {
    Functions: Number(j.Functions ?? 0),
    Timing: { Generation: ms('Generation'), Inlining: ms('Inlining'), Optimization: ms('Optimization'), Emission: ms('Emission'), Total: ms('Total') },
  };
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
