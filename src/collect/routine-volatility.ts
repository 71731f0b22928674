import type { Queryable } from './connection.ts';

/** pg_proc facts about the functions (or the functions behind operators) a statement names. */
export interface RoutineFact {
  readonly kind: 'function' | 'operator';
  readonly schema: string;
  readonly name: string;
  /** the function that runs: the operator's oprcode, or the function itself */
  readonly functionName: string;
  /** pg_proc.provolatile: i immutable, s stable, v volatile */
  readonly volatility: 'i' | 's' | 'v';
  /** on the search_path, so an unqualified call can resolve to it */
  readonly visible: boolean;
}

/** Looks up every overload of the named functions and operators (one round trip each). */
export async function routineVolatility(db: Queryable, functions: readonly string[], operators: readonly string[]): Promise<RoutineFact[]> {
  const out: RoutineFact[] = [];
  if (functions.length > 0) {
    const rows = await db.query<{ schema: string; name: string; volatility: 'i' | 's' | 'v'; visible: boolean }>(
      // an aggregate's own pg_proc row says nothing: its transition and final functions run
      `SELECT n.nspname AS schema, p.proname AS name, pg_function_is_visible(p.oid) AS visible,
              (SELECT max(s.provolatile::text) FROM pg_proc s
                WHERE s.oid = p.oid
                   OR s.oid IN (SELECT unnest(ARRAY[a.aggtransfn, a.aggfinalfn, a.aggcombinefn, a.aggserialfn, a.aggdeserialfn,
                                                    a.aggmtransfn, a.aggminvtransfn, a.aggmfinalfn]::oid[])
                                  FROM pg_aggregate a WHERE a.aggfnoid = p.oid)) AS volatility
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE p.proname = ANY ($1::text[])`,
      [[...new Set(functions)]],
    );
    for (const r of rows) out.push({ kind: 'function', schema: r.schema, name: r.name, functionName: r.name, volatility: r.volatility, visible: r.visible });
  }
  if (operators.length > 0) {
    const rows = await db.query<{ schema: string; name: string; fn: string; volatility: 'i' | 's' | 'v'; visible: boolean }>(
      `SELECT n.nspname AS schema, o.oprname AS name, p.proname AS fn, p.provolatile AS volatility, pg_operator_is_visible(o.oid) AS visible
         FROM pg_operator o JOIN pg_proc p ON p.oid = o.oprcode JOIN pg_namespace n ON n.oid = o.oprnamespace
        WHERE o.oprname = ANY ($1::text[]) AND p.provolatile = 'v'`,
      [[...new Set(operators)]],
    );
    for (const r of rows) out.push({ kind: 'operator', schema: r.schema, name: r.name, functionName: r.fn, volatility: r.volatility, visible: r.visible });
  }
  return out;
}
