import type { Queryable } from './connection.ts';
import { markOwn } from './connection.ts';

/**
 * Median time of a few `SELECT 1` from here to the database: what one round trip costs
 * (network + protocol + driver), for judging N+1 loops whose server time is near zero.
 */
export async function measureRoundTripMs(db: Queryable, samples = 7): Promise<number> {
  await db.query(markOwn('SELECT 1'));
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = performance.now();
    await db.query(markOwn('SELECT 1'));
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return Math.round((times[Math.floor(times.length / 2)] ?? 0) * 1000) / 1000;
}
