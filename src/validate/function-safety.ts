import type { Database } from '../collect/connection.ts';
import { describeSideEffect, findSideEffects } from '../collect/side-effect-guard.ts';
import { SAFE_VOLATILE_FUNCTIONS } from '../rewrite/read-only-check.ts';
import type { NotReplayed, ReplayItem, ReplayPlan } from './replay-plan.ts';

/**
 * A SELECT can still change state through a volatile function (pg_stat_statements_reset(),
 * nextval(), a user function that writes): read-only sessions do not stop all of them, and some
 * act on the whole server, not just the copy. Such statements are not replayed. Volatility is
 * read from pg_proc of the copy; a function it cannot find is treated as unsafe.
 */
export async function withoutUnsafeFunctions(copy: Database, plan: ReplayPlan): Promise<ReplayPlan> {
  const names = [...new Set(plan.items.flatMap((i) => i.functions))];
  const rows = await copy.query<{ name: string; volatile: boolean }>(
    `SELECT f.name, bool_or(p.provolatile = 'v') AS volatile
     FROM unnest($1::text[]) AS f(name)
     JOIN pg_proc p ON p.oid = to_regproc(f.name) OR (p.proname = f.name AND pg_function_is_visible(p.oid))
     GROUP BY f.name`,
    [names],
  );
  const known = new Map(rows.map((r) => [r.name, r.volatile]));
  const items: ReplayItem[] = [];
  const notReplayed: NotReplayed[] = [...plan.notReplayed];
  for (const item of plan.items) {
    const unsafe = item.functions.filter((f) => !SAFE_VOLATILE_FUNCTIONS.has(f.split('.').pop() ?? f) && known.get(f) !== false);
    if (unsafe.length === 0) {
      // what the statement does not spell out: views, policies, domain checks, casts, operators
      const hidden = await findSideEffects(copy, item.sql);
      if (hidden.length === 0) items.push(item);
      else {
        const why = hidden.map(describeSideEffect).join('; ');
        notReplayed.push({ query: item.query, fingerprint: item.fingerprint, reason: `${why}: it could change state (even outside the copy), so it is not replayed` });
      }
    } else {
      notReplayed.push({
        query: item.query,
        fingerprint: item.fingerprint,
        reason:
          `calls ${unsafe.map((f) => `${f}()`).join(', ')}, ` +
          `${unsafe.some((f) => !known.has(f)) ? 'which is not found or not unique in pg_proc' : 'which is VOLATILE'}: ` +
          'it could change state (even outside the copy), so it is not replayed',
      });
    }
  }
  return { items, notReplayed };
}
