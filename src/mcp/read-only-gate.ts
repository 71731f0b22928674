import type { Queryable } from '../collect/connection.ts';
import { DbOptimizeError } from '../errors/index.ts';
import { describeSideEffect, findSideEffects } from '../collect/side-effect-guard.ts';
import { initSqlParser } from '../sql/index.ts';
import { assertReadOnlyStatement } from '../sql/read-only-statement.ts';

/**
 * A statement from the model, before any command sees it: one read-only SELECT by the real parser
 * (no second statement, no writing CTE, no denied function), then every function and operator it
 * calls checked against the catalog (VOLATILE ones may write or signal). Throws E_NOT_READ_ONLY.
 */
export async function assertModelStatement(db: Queryable, sql: string, what: string): Promise<void> {
  await initSqlParser();
  assertReadOnlyStatement(sql, what);
  const effects = await findSideEffects(db, sql);
  if (effects.length > 0) {
    throw new DbOptimizeError('E_NOT_READ_ONLY', 'usage', `refused ${what}: it ${effects.map(describeSideEffect).join('; ')}`, {
      hint: 'only statements that read are accepted; nothing was run',
    });
  }
}
