const MB = 1024 ** 2;
const GB = 1024 ** 3;

/**
 * The one max_wal_size we recommend when checkpoints are forced by WAL volume: twice the current
 * value, at least 2 GB, at most 64 GB. profile (checkpoint-frequency), the settings audit and
 * `config` all use it, so the commands never disagree.
 */
export function maxWalTargetBytes(currentBytes: number): number {
  return Math.min(64 * GB, Math.max(2 * GB, currentBytes * 2));
}

/** A size as postgresql.conf and ALTER SYSTEM take it: whole GB when it is one, else MB. */
export function walSizeText(bytes: number): string {
  return bytes % GB === 0 ? `${bytes / GB}GB` : `${Math.round(bytes / MB)}MB`;
}
