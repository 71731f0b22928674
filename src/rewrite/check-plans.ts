import type { Database } from '../collect/connection.ts';
import { planCost } from './run-statements.ts';

/** relation, column, function or schema unknown here: the statement is not for this database */
const NOT_HERE = new Set(['42P01', '42703', '42883', '3F000', '42704']);

/**
 * Why the statement cannot be planned on this database (a misspelt table, a column from another
 * schema), or null. Parameterized statements are left to the verifier, which draws values for them.
 */
export async function planProblem(db: Database, sql: string): Promise<string | null> {
  if (/\$\d/.test(sql)) return null;
  return db.inRolledBackTransaction(async (client) => {
    try {
      await planCost(client, sql, []);
      return null;
    } catch (error) {
      const e = error as { code?: string; message?: string };
      return e.code !== undefined && NOT_HERE.has(e.code) ? (e.message ?? String(error)) : null;
    }
  });
}
