import { createHash } from 'node:crypto';
import { truncateIdentifier } from '../sql/quote.ts';
import { JOB_PREFIX } from './maintenance-job.ts';
import type { JobKind } from './maintenance-job.ts';

/**
 * pg_cron job names are unique per user across databases and limited to 63 bytes (type name), so
 * the database is part of the name and a long one is cut with a hash of the whole kept at the end.
 */
export function jobName(database: string, kind: JobKind, target: string): string {
  const full = `${JOB_PREFIX}:${database}:${kind}:${target}`;
  if (Buffer.byteLength(full, 'utf8') <= 63) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${truncateIdentifier(full, 63 - 9)}~${hash}`;
}
