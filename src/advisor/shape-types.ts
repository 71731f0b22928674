import type { Table } from '../model/index.ts';
import type { CteDef } from './derived-relations.ts';

/** One use of a $n parameter: which column it is compared with and how. */
export interface ParamUse {
  readonly table: string;
  readonly column: string;
  readonly op: 'eq' | 'lt' | 'gt' | 'between-lo' | 'between-hi' | 'limit' | 'offset' | 'like';
}

export interface ExprUse {
  /** the expression with table aliases removed, as an index key */
  readonly expr: string;
  readonly columns: readonly string[];
}

/** What one statement asks of one table: the raw material of candidate generation. */
export interface TableAccess {
  readonly table: Table;
  readonly eq: string[];
  readonly range: string[];
  readonly orderBy: { column: string; desc: boolean }[];
  readonly groupBy: string[];
  /** column = constant; `literal`: written as a constant in the text (not a bare boolean column) */
  readonly literalEq: { column: string; value: string; literal?: true }[];
  readonly nullTests: { column: string; isNull: boolean }[];
  readonly exprEq: ExprUse[];
  readonly prefixLike: string[];
  readonly gin: { column: string; kind: 'jsonb' | 'array' | 'tsvector' }[];
  readonly trigram: string[];
  readonly fts: (ExprUse & { rewrite: boolean })[];
  /** columns the statement reads from this table; null: all (SELECT *) */
  referenced: Set<string> | null;
}

export interface StatementShape {
  kind: 'select' | 'update' | 'delete' | 'insert' | 'other';
  readonly accesses: TableAccess[];
  readonly params: Map<number, ParamUse>;
  paramCount: number;
  /** columns written by UPDATE, per table */
  readonly updated: Map<string, Set<string>>;
  readonly tables: Set<string>;
  readonly unknownTables: string[];
}

export interface Resolved {
  readonly access: TableAccess;
  readonly column: string;
}

/** An output column of a subquery, view or CTE: the base column it passes through, or the columns its expression reads. */
export interface DerivedColumn {
  readonly direct: Resolved | undefined;
  readonly uses: readonly Resolved[];
}

/** A FROM item that is a query (subquery, view, CTE); `members`: its tables when the planner flattens it into ours. */
export interface Derived {
  readonly columns: Map<string, DerivedColumn>;
  readonly members: readonly TableAccess[];
}

export interface Scope {
  readonly byAlias: Map<string, TableAccess>;
  readonly derived: Map<string, Derived>;
  /** tables named in this FROM list */
  readonly accesses: TableAccess[];
  /** those and the tables of subqueries, views and CTEs flattened into this level */
  readonly members: TableAccess[];
  readonly ctes: ReadonlyMap<string, CteDef>;
  readonly parent: Scope | null;
}

