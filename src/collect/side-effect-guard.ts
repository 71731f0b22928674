import type { RoutineFact } from './routine-volatility.ts';
import { routineVolatility } from './routine-volatility.ts';
import type { HiddenCode } from './hidden-routines.ts';
import { hiddenCode } from './hidden-routines.ts';
import type { Queryable } from './connection.ts';
import { DbOptimizeError } from '../errors/index.ts';
import { hiddenCodeRefs, routineCalls } from '../sql/function-calls.ts';
import type { RoutineRef } from '../sql/function-calls.ts';
import { quoteIdent, quoteQualified } from '../sql/quote.ts';
import { deniedFunctionReason, isHarmlessVolatile } from '../sql/side-effect-functions.ts';

export interface SideEffect {
  /** how the statement names it: `pg_terminate_backend()`, `operator ===` */
  readonly routine: string;
  readonly reason: string;
  /** where it hides when the statement does not call it itself: `reads view public.v` */
  readonly via?: string;
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

function viaPhrase(code: HiddenCode): string {
  const target = quoteQualified(code.viaSchema, code.viaName);
  const detail = code.viaDetail === null ? '' : quoteIdent(code.viaDetail);
  if (code.via === 'view') return `reads view ${target}`;
  if (code.via === 'policy') return `reads ${target} under row security policy ${detail}`;
  if (code.via === 'domain') return `casts to domain ${target} (constraint ${detail})`;
  return `casts ${code.viaDetail ?? '?'} to ${target}`;
}

/** The calls in a piece of hidden code: a view is a SELECT, a policy or domain check an expression. */
export function hiddenCalls(code: HiddenCode): RoutineRef[] | null {
  if (code.sql === null) return [];
  try {
    return routineCalls(code.via === 'view' ? code.sql : `SELECT (${code.sql})`);
  } catch {
    return null;
  }
}

/**
 * Pure: the side effects of code behind what the statement reads or casts to — views (nested
 * ones included), row security policies, domain CHECK constraints and cast functions — judged as
 * a direct call would be. Code the parser cannot read is refused too: unknown is not safe.
 */
export function hiddenSideEffectsOf(code: readonly HiddenCode[], facts: readonly RoutineFact[]): SideEffect[] {
  const out: SideEffect[] = [];
  for (const c of code) {
    const via = viaPhrase(c);
    if (c.function !== null) {
      const fn = c.function;
      const denied = deniedFunctionReason(fn.name);
      const harmless = fn.schema === 'pg_catalog' && isHarmlessVolatile(fn.name);
      if (denied !== null || !harmless) {
        out.push({ routine: `${quoteQualified(fn.schema, fn.name)}()`, reason: denied ?? 'VOLATILE, not marked STABLE or IMMUTABLE, so it may write or signal', via });
      }
      continue;
    }
    const refs = hiddenCalls(c);
    if (refs === null) {
      out.push({ routine: 'its definition', reason: 'the server returned SQL we could not parse, so its calls could not be checked', via });
      continue;
    }
    for (const e of sideEffectsOf(refs, facts)) out.push({ ...e, via });
  }
  return out;
}

/** The side effects a statement would have if executed (catalog lookups included). */
export async function findSideEffects(db: Queryable, sql: string): Promise<SideEffect[]> {
  const refs = routineCalls(sql);
  const named = hiddenCodeRefs(sql);
  const code = await hiddenCode(db, named.relations, named.castTypes);
  const allRefs = [...refs, ...code.flatMap((c) => hiddenCalls(c) ?? [])];
  if (allRefs.length === 0 && code.length === 0) return [];
  const facts = await routineVolatility(
    db,
    allRefs.filter((r) => r.kind === 'function').map((r) => r.name),
    allRefs.filter((r) => r.kind === 'operator').map((r) => r.name),
  );
  return [...sideEffectsOf(refs, facts), ...hiddenSideEffectsOf(code, facts)];
}

/** One line for the user: what the statement does that would have a side effect, and why. */
export function describeSideEffect(e: SideEffect): string {
  return e.via === undefined ? `calls ${e.routine}: ${e.reason}` : `${e.via}, which calls ${e.routine}: ${e.reason}`;
}

/**
 * Refuses (exit 2) to execute a statement that calls something with side effects: EXPLAIN ANALYZE
 * runs it for real, and a rolled-back read-only transaction does not undo a signal to another
 * backend, an advisory lock, a sequence step or a configuration reload.
 */
export async function assertNoSideEffects(db: Queryable, sql: string): Promise<void> {
  const effects = await findSideEffects(db, sql);
  if (effects.length === 0) return;
  const list = effects.map(describeSideEffect).join('; ');
  throw new DbOptimizeError('E_SIDE_EFFECT', 'usage', `not run: the statement ${list}. EXPLAIN ANALYZE would execute it`, {
    hint: 'pass --allow-writes to run it anyway inside BEGIN … ROLLBACK (effects outside the transaction, such as signals, locks and sequence steps, are not undone)',
    details: { functions: effects.map((e) => e.routine) },
  });
}
