import { execFile } from 'node:child_process';
import { DbOptimizeError } from '../errors/index.ts';

export interface PgbouncerVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly text: string;
  readonly source: 'flag' | 'installed' | 'assumed';
}

export function parsePgbouncerVersion(raw: string, source: PgbouncerVersion['source']): PgbouncerVersion {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(raw);
  if (m === null) {
    throw new DbOptimizeError('E_BAD_FLAG', 'usage', `--pgbouncer-version must look like 1.21 or 1.18.0, got "${raw}"`);
  }
  const v = { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0) };
  if (v.major !== 1 || v.minor < 7) {
    throw new DbOptimizeError('E_BAD_FLAG', 'usage', `PgBouncer ${raw} is not supported: the generated configuration needs PgBouncer 1.7 or newer`);
  }
  return { ...v, text: `${v.major}.${v.minor}.${v.patch}`, source };
}

export function atLeast(v: PgbouncerVersion, major: number, minor: number): boolean {
  return v.major > major || (v.major === major && v.minor >= minor);
}

/** `pgbouncer --version` of the binary on PATH (or Debian's /usr/sbin), null when none is installed. */
export async function installedPgbouncerVersion(): Promise<PgbouncerVersion | null> {
  for (const bin of ['pgbouncer', '/usr/sbin/pgbouncer']) {
    const out = await new Promise<string | null>((resolve) => {
      execFile(bin, ['--version'], { timeout: 5000 }, (error, stdout) => resolve(error === null ? stdout : null));
    });
    if (out !== null && /PgBouncer\s+\d/.test(out)) return parsePgbouncerVersion(out, 'installed');
  }
  return null;
}
