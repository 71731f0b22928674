import type { Queryable } from './connection.ts';

/** The server's major version (15 for 15.4), or null when it cannot be read. */
export async function serverMajor(db: Queryable): Promise<number | null> {
  const [row] = await db.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`);
  return Math.floor(Number(row?.v ?? '0') / 10_000) || null;
}
