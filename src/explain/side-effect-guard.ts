import type { RoutineFact } from '../collect/routine-volatility.ts';
import { routineVolatility } from '../collect/routine-volatility.ts';
import type { Queryable } from '../collect/connection.ts';
import { DbOptimizeError } from '../errors/index.ts';
import { routineCalls } from '../sql/function-calls.ts';
import type { RoutineRef } from '../sql/function-calls.ts';
import { deniedFunctionReason, isHarmlessVolatile } from '../sql/side-effect-functions.ts';

export interface SideEffect {
  /** how the statement names it: `pg_terminate_backend()`, `operator ===` */
  readonly routine: string;
  readonly reason: string;
}

function matches(ref: RoutineRef, fact: RoutineFact): boolean {
  return fact.kind === ref.kind && fact.name === ref.name && (ref.schema === null ? fact.visible : fact.schema === ref.schema);
}

/**
 * Pure: the calls that are not known to be free of side effects — the deny list by name, then
 * any overload the call may resolve to that is VOLATILE (except built-ins known only to read).
 */
export function sideEffectsOf(refs: readonly RoutineRef[], facts: readonly RoutineFact[]): SideEffect[] {
  const out: SideEffect[] = [];
  for (const ref of refs) {
    const label = ref.kind === 'function' ? `${ref.schema === null ? '' : `${ref.schema}.`}${ref.name}()` : `operator ${ref.name}`;
    const denied = ref.kind === 'function' ? deniedFunctionReason(ref.name) : null;
    if (denied !== null) {
      out.push({ routine: label, reason: denied });
      continue;
    }
    const volatile = facts.filter((f) => matches(ref, f) && f.volatility === 'v');
    const risky = volatile.filter((f) => !(f.schema === 'pg_catalog' && isHarmlessVolatile(f.functionName)) && deniedFunctionReason(f.functionName) === null);
    const deniedBehind = volatile.map((f) => deniedFunctionReason(f.functionName)).find((r) => r !== null);
    if (deniedBehind !== undefined && deniedBehind !== null) out.push({ routine: label, reason: deniedBehind });
    else if (risky.length > 0) {
      const f = risky[0] as RoutineFact;
      const what = f.schema === 'pg_catalog' ? 'a VOLATILE built-in not known to be free of side effects' : `VOLATILE (${f.schema}.${f.functionName} is not marked STABLE or IMMUTABLE, so it may write or signal)`;
      out.push({ routine: label, reason: ref.kind === 'operator' ? `runs ${f.schema}.${f.functionName}(), ${what}` : what });
    }
  }
  return out;
}

/** The side effects a statement would have if executed (catalog lookup included). */
export async function findSideEffects(db: Queryable, sql: string): Promise<SideEffect[]> {
  const refs = routineCalls(sql);
  if (refs.length === 0) return [];
  const facts = await routineVolatility(
    db,
    refs.filter((r) => r.kind === 'function').map((r) => r.name),
    refs.filter((r) => r.kind === 'operator').map((r) => r.name),
  );
  return sideEffectsOf(refs, facts);
}

/**
 * Refuses (exit 2) to execute a statement that calls something with side effects: EXPLAIN ANALYZE
 * runs it for real, and a rolled-back read-only transaction does not undo a signal to another
 * backend, an advisory lock, a sequence step or a configuration reload.
 */
export async function assertNoSideEffects(db: Queryable, sql: string): Promise<void> {
  const effects = await findSideEffects(db, sql);
  if (effects.length === 0) return;
  const list = effects.map((e) => `${e.routine}: ${e.reason}`).join('; ');
  throw new DbOptimizeError('E_SIDE_EFFECT', 'usage', `not run: the statement calls ${list}. EXPLAIN ANALYZE would execute it`, {
    hint: 'pass --allow-writes to run it anyway inside BEGIN … ROLLBACK (effects outside the transaction, such as signals, locks and sequence steps, are not undone)',
    details: { functions: effects.map((e) => e.routine) },
  });
}
