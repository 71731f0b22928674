import { createHash } from 'node:crypto';
import { truncateIdentifier } from '../sql/quote.ts';
import { JOB_PREFIX } from './maintenance-job.ts';
import type { JobKind } from './maintenance-job.ts';

const MAX_NAME_BYTES = 63;
const MAX_DATABASE_BYTES = 24;

const hash8 = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 8);

/** `dbopt:<database>:`, the database cut (with a hash) when long: every job of one database starts with it. */
export function jobPrefix(database: string): string {
  const db = Buffer.byteLength(database, 'utf8') <= MAX_DATABASE_BYTES ? database : `${truncateIdentifier(database, MAX_DATABASE_BYTES - 9)}~${hash8(database)}`;
  return `${JOB_PREFIX}:${db}:`;
}

/**
 * pg_cron job names are unique per user across databases and limited to 63 bytes (type name), so
 * the database is part of the name and a long target is cut, with a hash of the whole kept at the end.
 */
export function jobName(database: string, kind: JobKind, target: string): string {
  const head = `${jobPrefix(database)}${kind}:`;
  const full = `${head}${target}`;
  if (Buffer.byteLength(full, 'utf8') <= MAX_NAME_BYTES) return full;
  return `${head}${truncateIdentifier(target, Math.max(0, MAX_NAME_BYTES - 9 - Buffer.byteLength(head, 'utf8')))}~${hash8(full)}`;
}
