import type { RawPlanObject } from './normalize-plan.ts';

/** Node types EXPLAIN prints in text after the "Parallel"/"Partial"/join-type decorations are removed. */
export const KNOWN_NODE_TYPES: ReadonlySet<string> = new Set([
  'Result', 'ProjectSet', 'ModifyTable', 'Append', 'Merge Append', 'Recursive Union', 'BitmapAnd', 'BitmapOr',
  'Nested Loop', 'Merge Join', 'Hash Join', 'Seq Scan', 'Sample Scan', 'Gather', 'Gather Merge', 'Index Scan',
  'Index Only Scan', 'Bitmap Index Scan', 'Bitmap Heap Scan', 'Tid Scan', 'Tid Range Scan', 'Subquery Scan',
  'Function Scan', 'Table Function Scan', 'Values Scan', 'CTE Scan', 'Named Tuplestore Scan', 'WorkTable Scan',
  'Foreign Scan', 'Custom Scan', 'Materialize', 'Memoize', 'Sort', 'Incremental Sort', 'Group', 'Aggregate',
  'WindowAgg', 'Unique', 'SetOp', 'LockRows', 'Limit', 'Hash',
]);

const IDENT = String.raw`(?:"(?:[^"]|"")+"|[^\s"]+)`;
// VERBOSE prints schema-qualified names, each part quoted when needed: "My Schema"."User Table"
const QUALIFIED = String.raw`${IDENT}(?:\.${IDENT})?`;

/** Removes the double quotes quote_identifier adds, so text and JSON name relations alike. */
export function unquoteIdent(s: string): string {
  return s.startsWith('"') && s.endsWith('"') && s.length >= 2 ? s.slice(1, -1).replace(/""/g, '"') : s;
}

function splitQualified(s: string): { schema: string | null; name: string } {
  const m = new RegExp(String.raw`^("(?:[^"]|"")+"|[^\s".]+)\.(${IDENT})$`).exec(s);
  if (m !== null) return { schema: unquoteIdent(m[1] ?? ''), name: unquoteIdent(m[2] ?? '') };
  return { schema: null, name: unquoteIdent(s) };
}

const SCAN_ON = new RegExp(
  `^(Seq Scan|Bitmap Heap Scan|Tid Scan|Tid Range Scan|Sample Scan|Foreign Scan|Subquery Scan|Function Scan|Table Function Scan|Values Scan|CTE Scan|Named Tuplestore Scan|WorkTable Scan|Custom Scan \\([^)]*\\)|Foreign Insert|Foreign Update|Foreign Delete)(?: on (${QUALIFIED})(?: (${IDENT}))?)?$`,
);
const INDEX_SCAN = new RegExp(`^(Index Only Scan|Index Scan)( Backward)? using (${IDENT}) on (${QUALIFIED})(?: (${IDENT}))?$`);
const BITMAP_INDEX = new RegExp(`^Bitmap Index Scan on (${IDENT})$`);
const MODIFY = new RegExp(`^(Insert|Update|Delete|Merge) on (${QUALIFIED})(?: (${IDENT}))?$`);
const JOIN = /^(Nested Loop|Hash|Merge)(?: (Left|Right|Full|Semi|Anti|Right Semi|Right Anti))?(?: Join)?$/;
const AGG = /^(Partial |Finalize )?(HashAggregate|GroupAggregate|MixedAggregate|Aggregate)$/;
const SETOP = /^(HashSetOp|SetOp) (Intersect All|Intersect|Except All|Except)$/;

/**
 * The node header of a text plan ("Parallel Index Scan Backward using i on t x") as the
 * fields EXPLAIN (FORMAT JSON) would give; null when the text is no known node.
 */
export function parseTextNodeName(raw: string): RawPlanObject | null {
  let name = raw.trim();
  const out: RawPlanObject = {};
  if (name.startsWith('Async ')) name = name.slice(6);
  if (name.startsWith('Parallel ')) {
    out['Parallel Aware'] = true;
    name = name.slice(9);
  } else out['Parallel Aware'] = false;

  let m = INDEX_SCAN.exec(name);
  if (m !== null) {
    const rel = splitQualified(m[4] ?? '');
    Object.assign(out, {
      'Node Type': m[1],
      'Scan Direction': m[2] === undefined ? 'Forward' : 'Backward',
      'Index Name': unquoteIdent(m[3] ?? ''),
      'Relation Name': rel.name,
      ...(rel.schema === null ? {} : { Schema: rel.schema }),
      Alias: m[5] === undefined ? rel.name : unquoteIdent(m[5]),
    });
    return out;
  }
  m = BITMAP_INDEX.exec(name);
  if (m !== null) return Object.assign(out, { 'Node Type': 'Bitmap Index Scan', 'Index Name': unquoteIdent(m[1] ?? '') });
  m = MODIFY.exec(name);
  if (m !== null) {
    const rel = splitQualified(m[2] ?? '');
    return Object.assign(out, {
      'Node Type': 'ModifyTable',
      Operation: m[1],
      'Relation Name': rel.name,
      ...(rel.schema === null ? {} : { Schema: rel.schema }),
      Alias: m[3] === undefined ? rel.name : unquoteIdent(m[3]),
    });
  }
  m = SCAN_ON.exec(name);
  if (m !== null) {
    const kind = m[1] ?? '';
    const nodeType = kind.startsWith('Custom Scan') ? 'Custom Scan' : kind.startsWith('Foreign ') && kind !== 'Foreign Scan' ? 'Foreign Scan' : kind;
    out['Node Type'] = nodeType;
    const first = m[2];
    const second = m[3];
    if (first === undefined) return out;
    const target = splitQualified(first);
    const alias = second === undefined ? target.name : unquoteIdent(second);
    switch (nodeType) {
      case 'Subquery Scan':
      case 'Values Scan':
      case 'Table Function Scan':
        out.Alias = unquoteIdent(first);
        break;
      case 'Function Scan':
        out['Function Name'] = target.name;
        if (target.schema !== null) out.Schema = target.schema;
        out.Alias = alias;
        break;
      case 'CTE Scan':
      case 'WorkTable Scan':
        out['CTE Name'] = target.name;
        out.Alias = alias;
        break;
      case 'Named Tuplestore Scan':
        out['Tuplestore Name'] = target.name;
        out.Alias = alias;
        break;
      default:
        out['Relation Name'] = target.name;
        if (target.schema !== null) out.Schema = target.schema;
        out.Alias = alias;
    }
    return out;
  }
  // before 8.4 a subquery scan printed its alias without "on"
  m = new RegExp(`^Subquery Scan (${IDENT})$`).exec(name);
  if (m !== null) return Object.assign(out, { 'Node Type': 'Subquery Scan', Alias: unquoteIdent(m[1] ?? '') });
  m = JOIN.exec(name);
  if (m !== null && (m[1] === 'Nested Loop' || name.endsWith(' Join'))) {
    out['Node Type'] = m[1] === 'Nested Loop' ? 'Nested Loop' : `${m[1]} Join`;
    out['Join Type'] = m[2] ?? 'Inner';
    return out;
  }
  m = AGG.exec(name);
  if (m !== null) {
    const strategy = { HashAggregate: 'Hashed', GroupAggregate: 'Sorted', MixedAggregate: 'Mixed', Aggregate: 'Plain' }[m[2] as 'Aggregate'];
    return Object.assign(out, {
      'Node Type': 'Aggregate',
      Strategy: strategy,
      'Partial Mode': m[1] === undefined ? 'Simple' : m[1].trim(),
    });
  }
  m = SETOP.exec(name);
  if (m !== null) return Object.assign(out, { 'Node Type': 'SetOp', Strategy: m[1] === 'HashSetOp' ? 'Hashed' : 'Sorted', Command: m[2] });
  if (name.startsWith('Custom Scan (')) return Object.assign(out, { 'Node Type': 'Custom Scan' });
  if (KNOWN_NODE_TYPES.has(name)) return Object.assign(out, { 'Node Type': name });
  return null;
}
