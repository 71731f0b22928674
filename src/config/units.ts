import { DbOptimizeError } from '../errors/index.ts';

const KB = 1024;
const MB = KB * 1024;
const GB = MB * 1024;
const TB = GB * 1024;

const SIZE_UNITS: Readonly<Record<string, number>> = {
  b: 1,
  k: KB,
  kb: KB,
  kib: KB,
  m: MB,
  mb: MB,
  mib: MB,
  g: GB,
  gb: GB,
  gib: GB,
  t: TB,
  tb: TB,
  tib: TB,
};

export const BYTES = { KB, MB, GB, TB } as const;

/** "32GB", "32 GiB", "512m", "32" (GiB when no unit: a RAM figure is never given in bytes) → bytes. */
export function parseSizeFlag(raw: string, flagName: string, defaultUnit: 'gb' | 'mb' = 'gb'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(raw);
  const unit = (m?.[2] ?? '').toLowerCase() || defaultUnit;
  const factor = SIZE_UNITS[unit];
  if (m === null || factor === undefined) {
    throw new DbOptimizeError('E_BAD_FLAG', 'usage', `--${flagName} must be a size such as 32GB, 512MB or 64 (GB), got "${raw}"`);
  }
  return Math.round(Number(m[1]) * factor);
}

/** Bytes of a pg_settings value with its unit ("8kB" × setting, "kB", "MB"); null when not a size. */
export function settingBytes(setting: string, unit: string | null): number | null {
  const n = Number(setting);
  if (!Number.isFinite(n) || unit === null) return null;
  const m = /^(\d*)\s*(B|kB|MB|GB|TB)$/.exec(unit);
  if (m === null) return null;
  const mult = m[1] === '' || m[1] === undefined ? 1 : Number(m[1]);
  const f = { B: 1, kB: KB, MB, GB, TB }[m[2] as 'B' | 'kB' | 'MB' | 'GB' | 'TB'];
  return n * mult * f;
}

/** Bytes → the unit PostgreSQL prints and accepts ("8GB", "16MB", "20971kB"), rounded down to whole kB. */
export function pgSize(bytes: number): string {
  const kb = Math.max(0, Math.floor(bytes / KB));
  if (kb >= 1024 * 1024 && kb % (1024 * 1024) === 0) return `${kb / (1024 * 1024)}GB`;
  if (kb >= 1024 && kb % 1024 === 0) return `${kb / 1024}MB`;
  return `${kb}kB`;
}

/** Human-readable size for prose (one decimal). */
export function humanSize(bytes: number): string {
  if (bytes >= TB) return `${trim(bytes / TB)} TB`;
  if (bytes >= GB) return `${trim(bytes / GB)} GB`;
  if (bytes >= MB) return `${trim(bytes / MB)} MB`;
  if (bytes >= KB) return `${trim(bytes / KB)} kB`;
  return `${Math.round(bytes)} B`;
}

function trim(n: number): string {
  return n >= 100 ? String(Math.round(n)) : String(Math.round(n * 10) / 10);
}

/** Rounds a byte count down to a "nice" value: whole MB above 64 MB, whole GB above 8 GB. */
export function niceBytes(bytes: number): number {
  if (bytes >= 8 * GB) return Math.floor(bytes / GB) * GB;
  if (bytes >= 64 * MB) return Math.floor(bytes / MB) * MB;
  return Math.max(64 * KB, Math.floor(bytes / KB) * KB);
}

/** A duration setting (unit ms, s, min) → seconds. */
export function settingSeconds(setting: string, unit: string | null): number | null {
  const n = Number(setting);
  if (!Number.isFinite(n)) return null;
  switch (unit) {
    case 'ms':
      return n / 1000;
    case 's':
      return n;
    case 'min':
      return n * 60;
    default:
      return null;
  }
}
