import { parseSql } from './parser.ts';

/** A function or operator a statement calls, as written (schema only when qualified). */
export interface RoutineRef {
  readonly kind: 'function' | 'operator';
  readonly schema: string | null;
  readonly name: string;
}

type Node = Record<string, unknown>;

function names(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((n) => ((n as { String?: { sval?: string } }).String?.sval ?? '')).filter((s) => s !== '');
}

function walk(node: unknown, visit: (key: string, value: Node) => void): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, visit);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node as Node)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) visit(key, value as Node);
    walk(value, visit);
  }
}

/**
 * Every function call (FuncCall, including those in FROM) and every operator (A_Expr) in a
 * statement, found with the real parser, so `SELECT pg_terminate_backend(…)` cannot hide in a
 * subquery, a CTE or a join condition. Throws the parser's error for SQL that does not parse.
 */
export function routineCalls(sql: string): RoutineRef[] {
  const out = new Map<string, RoutineRef>();
  const add = (kind: RoutineRef['kind'], parts: string[]): void => {
    const name = parts[parts.length - 1];
    if (name === undefined) return;
    const schema = parts.length > 1 ? (parts[parts.length - 2] ?? null) : null;
    out.set(JSON.stringify([kind, schema, name]), { kind, schema, name });
  };
  walk(parseSql(sql, 'the statement'), (key, value) => {
    if (key === 'FuncCall') add('function', names(value.funcname));
    if (key === 'A_Expr') add('operator', names(value.name));
  });
  return [...out.values()];
}

/** A relation or type a statement names, as written (schema only when qualified). */
export interface ObjectRef {
  readonly schema: string | null;
  readonly name: string;
}

/** What a statement names beside its calls: where code it does not spell out can hide. */
export interface HiddenCodeRefs {
  /** relations in FROM/JOIN/DML targets: a view runs its definition, a table its row security policies */
  readonly relations: readonly ObjectRef[];
  /** target types of casts (`x::t`, `CAST(x AS t)`, `t 'lit'`): a cast function or domain CHECK runs */
  readonly castTypes: readonly ObjectRef[];
}

/**
 * The relations and cast target types a statement names, found with the real parser. Names that
 * turn out to be CTEs simply match nothing (or a same-named table: harmless over-approximation).
 */
export function hiddenCodeRefs(sql: string): HiddenCodeRefs {
  const relations = new Map<string, ObjectRef>();
  const castTypes = new Map<string, ObjectRef>();
  walk(parseSql(sql, 'the statement'), (key, value) => {
    if (key === 'RangeVar' && typeof value.relname === 'string') {
      const schema = typeof value.schemaname === 'string' && value.schemaname !== '' ? value.schemaname : null;
      relations.set(JSON.stringify([schema, value.relname]), { schema, name: value.relname });
    }
    if (key === 'TypeCast') {
      const parts = names((value.typeName as Node | undefined)?.names);
      const name = parts[parts.length - 1];
      if (name === undefined) return;
      const schema = parts.length > 1 ? (parts[parts.length - 2] ?? null) : null;
      castTypes.set(JSON.stringify([schema, name]), { schema, name });
    }
  });
  return { relations: [...relations.values()], castTypes: [...castTypes.values()] };
}
