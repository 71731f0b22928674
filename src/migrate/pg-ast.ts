/**
 * Small typed accessors over libpg_query's JSON AST. The AST is untyped JSON here on purpose:
 * the accessors keep strict TypeScript without `any` and tolerate missing fields.
 */
export type AstNode = Readonly<Record<string, unknown>>;

export function isNode(x: unknown): x is AstNode {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Child object under `key`, if it is one. */
export function child(n: unknown, key: string): AstNode | undefined {
  if (!isNode(n)) return undefined;
  const v = n[key];
  return isNode(v) ? v : undefined;
}

export function list(x: unknown): AstNode[] {
  return Array.isArray(x) ? x.filter(isNode) : [];
}

export function text(n: unknown, key: string): string | undefined {
  if (!isNode(n)) return undefined;
  const v = n[key];
  return typeof v === 'string' ? v : undefined;
}

export function num(n: unknown, key: string): number | undefined {
  if (!isNode(n)) return undefined;
  const v = n[key];
  return typeof v === 'number' ? v : undefined;
}

export function bool(n: unknown, key: string): boolean {
  return isNode(n) && n[key] === true;
}

/** The single key of a wrapped node: { "ColumnDef": {...} } → ["ColumnDef", {...}]. */
export function unwrap(n: unknown): [string, AstNode] | undefined {
  if (!isNode(n)) return undefined;
  const keys = Object.keys(n);
  if (keys.length !== 1) return undefined;
  const k = keys[0] as string;
  const v = n[k];
  return isNode(v) ? [k, v] : [k, {}];
}

/** String values of a list of String nodes (names, fk_attrs…). */
export function strings(x: unknown): string[] {
  return list(x)
    .map((s) => text(child(s, 'String'), 'sval'))
    .filter((s): s is string => s !== undefined);
}

/** schema.name of a RangeVar. */
export function rangeVarName(rv: unknown): string {
  const name = text(rv, 'relname') ?? '?';
  const schema = text(rv, 'schemaname');
  return schema === undefined ? name : `${schema}.${name}`;
}

export interface TypeInfo {
  /** last name part, lower case, e.g. int4, varchar, timestamptz, bpchar, serial */
  readonly name: string;
  readonly schema: string | null;
  readonly mods: readonly number[];
  readonly isArray: boolean;
  /** readable spelling for messages */
  readonly display: string;
}

const DISPLAY: Readonly<Record<string, string>> = {
  int4: 'integer',
  int2: 'smallint',
  int8: 'bigint',
  bpchar: 'char',
  float8: 'double precision',
  float4: 'real',
  bool: 'boolean',
  timestamptz: 'timestamptz',
  timestamp: 'timestamp',
};

export function typeInfo(typeName: unknown): TypeInfo {
  const names = strings(isNode(typeName) ? typeName.names : undefined);
  const name = (names[names.length - 1] ?? '?').toLowerCase();
  const schema = names.length > 1 ? (names[0] ?? null) : null;
  const mods = list(isNode(typeName) ? typeName.typmods : undefined)
    .map((m) => num(child(child(m, 'A_Const'), 'ival'), 'ival'))
    .filter((v): v is number => v !== undefined);
  const isArray = list(isNode(typeName) ? typeName.arrayBounds : undefined).length > 0;
  const base = DISPLAY[name] ?? name;
  const display = `${base}${mods.length > 0 ? `(${mods.join(',')})` : ''}${isArray ? '[]' : ''}`;
  return { name, schema, mods, isArray, display };
}

/** Walks every object in a subtree (depth first), calling fn with each wrapper key and node. */
export function walk(n: unknown, fn: (key: string, node: AstNode) => void): void {
  if (Array.isArray(n)) {
    for (const x of n) walk(x, fn);
    return;
  }
  if (!isNode(n)) return;
  for (const [k, v] of Object.entries(n)) {
    if (isNode(v)) {
      fn(k, v);
      walk(v, fn);
    } else if (Array.isArray(v)) walk(v, fn);
  }
}

/** Lower-case function names called anywhere in an expression. */
export function calledFunctions(expr: unknown): string[] {
  const out: string[] = [];
  walk(expr, (k, node) => {
    if (k === 'FuncCall') {
      const names = strings(node.funcname);
      const last = names[names.length - 1];
      if (last !== undefined) out.push(last.toLowerCase());
    }
  });
  return out;
}

/** Functions whose value changes per row: a default that calls them rewrites the table on every version. */
export const VOLATILE_FUNCTIONS: ReadonlySet<string> = new Set([
  'random',
  'clock_timestamp',
  'timeofday',
  'gen_random_uuid',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'uuidv4',
  'uuidv7',
  'nextval',
  'setval',
  'txid_current',
  'pg_current_xact_id',
  'random_normal',
]);

/** Stable or immutable builtins commonly used in defaults: evaluated once by ADD COLUMN on 11+. */
export const NON_VOLATILE_FUNCTIONS: ReadonlySet<string> = new Set([
  'now',
  'current_timestamp',
  'transaction_timestamp',
  'statement_timestamp',
  'current_date',
  'localtimestamp',
  'lower',
  'upper',
  'coalesce',
  'jsonb_build_object',
  'json_build_object',
  'array',
  'to_jsonb',
  'make_interval',
]);

export type DefaultKind = 'none' | 'constant' | 'non-volatile' | 'volatile' | 'unknown-function';

/** How a column default behaves for ADD COLUMN: constants and stable calls are stored once on 11+. */
export function classifyDefault(expr: unknown): DefaultKind {
  if (expr === undefined || expr === null) return 'none';
  const fns = calledFunctions(expr);
  if (fns.some((f) => VOLATILE_FUNCTIONS.has(f))) return 'volatile';
  if (fns.some((f) => !NON_VOLATILE_FUNCTIONS.has(f))) return 'unknown-function';
  return fns.length === 0 ? 'constant' : 'non-volatile';
}
