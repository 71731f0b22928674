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
  let m = /^Planning Time: (\d+(?:\.\d+)?) ms$/.exec(text);
  if (m !== null) return void (statement['Planning Time'] = toNumber(m[1] ?? '', where)), true;
  m = /^Execution Time: (\d+(?:\.\d+)?) ms$/.exec(text);
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

/**
 * Text EXPLAIN output (already unframed from psql or a log) to the JSON-shaped statement object,
 * so both formats share one normalizer and yield the same model.
 */
export function parseTextPlan(lines: readonly SourceLine[]): RawPlanObject {
  const statement: RawPlanObject = {};
  const content = lines.filter((l) => l.text.trim() !== '');
  let i = 0;
  // auto_explain prefixes the plan with "Query Text: ..." which may span lines
  const first = content[0];
  if (first !== undefined && /^\s*Query Text:/.test(first.text)) {
    const parts = [first.text.replace(/^\s*Query Text:\s?/, '')];
    i = 1;
    while (i < content.length) {
      const l = content[i] as SourceLine;
      if (parseHeader(l.text, l, true) !== null) break;
      parts.push(l.text);
      i++;
    }
    statement['Query Text'] = parts.join('\n');
  }
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
  const stack: Frame[] = [{ node: root, column: rootColumn, children: [], pendingLabel: null, workerColumn: null, unlabeled: 0 }];
  const finish = (frame: Frame): void => {
    if (frame.children.length > 0) frame.node.Plans = frame.children;
  };
  let inTree = true;
  let statementBlock: 'planning' | 'jit' | null = null;
  const jit: RawPlanObject = {};
  for (i = i + 1; i < content.length; i++) {
    const l = content[i] as SourceLine;
    const indent = indentOf(l.text);
    const text = l.text.trim();
    if (inTree && indent <= rootColumn && !text.startsWith('->')) {
      inTree = false;
      while (stack.length > 0) finish(stack.pop() as Frame);
    }
    if (!inTree) {
      if (indent > rootColumn && statementBlock !== null) {
        const kv = /^([^:]+):\s*(.*)$/.exec(text);
        if (kv === null) continue;
        if (statementBlock === 'planning' && kv[1] === 'Buffers') statement.Planning = parseBuffers(kv[2] ?? '', l);
        if (statementBlock === 'jit') jit[kv[1] ?? ''] = kv[2] ?? '';
        continue;
      }
      statementBlock = text === 'Planning:' ? 'planning' : text === 'JIT:' ? 'jit' : null;
      if (statementBlock !== null) continue;
      if (!parseStatementLine(statement, text, l)) {
        throw planParseError(`unexpected line after the plan tree: "${truncate(text)}"`, { line: l.line, column: indent + 1 });
      }
      continue;
    }
    const arrow = /^(\s*)->\s+(.*)$/.exec(l.text);
    if (arrow !== null) {
      const arrowColumn = (arrow[1] ?? '').length;
      while (stack.length > 1 && (stack.at(-1) as Frame).column > arrowColumn) finish(stack.pop() as Frame);
      const parent = stack.at(-1) as Frame;
      const node = parseHeader(arrow[2] ?? '', l, false);
      if (node === null) throw planParseError(`cannot read the plan node "${truncate(arrow[2] ?? '')}"`, { line: l.line, column: arrowColumn + 1 });
      const label = parent.pendingLabel !== null && parent.pendingLabel.column < arrowColumn ? parent.pendingLabel.name : null;
      node['Parent Relationship'] = relationshipFor(parent.node, label, parent.unlabeled);
      if (label === null) parent.unlabeled++;
      else node['Subplan Name'] = label;
      parent.pendingLabel = null;
      parent.workerColumn = null;
      parent.children.push(node);
      stack.push({ node, column: l.text.length - (arrow[2] ?? '').length, children: [], pendingLabel: null, workerColumn: null, unlabeled: 0 });
      continue;
    }
    // a property, a subplan label or a worker block of the innermost node whose name starts left of it
    while (stack.length > 1 && (stack.at(-1) as Frame).column >= indent) finish(stack.pop() as Frame);
    const frame = stack.at(-1) as Frame;
    if (/^(InitPlan \d+|SubPlan \d+|CTE .+)$/.test(text) || /^InitPlan \d+ \(returns .*\)$/.test(text)) {
      frame.pendingLabel = { name: text, column: indent };
      frame.workerColumn = null;
      continue;
    }
    if (frame.workerColumn !== null && indent > frame.workerColumn) continue;
    frame.workerColumn = null;
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
      continue;
    }
    const kv = /^([A-Za-z][A-Za-z /-]*?):\s+(.*)$/.exec(text);
    if (kv === null) {
      throw planParseError(`cannot read "${truncate(text)}" (expected "Key: value" or a "->" node)`, { line: l.line, column: indent + 1 });
    }
    const key = kv[1] ?? '';
    applyProperty(frame.node, key, (kv[2] ?? '').trim(), l);
  }
  while (stack.length > 0) finish(stack.pop() as Frame);
  if (Object.keys(jit).length > 0) statement.JIT = jitFromText(jit);
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
