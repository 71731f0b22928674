import { DbOptimizeError } from '../errors/index.ts';
import type { FlowInput } from './flow.ts';
import { option } from './flow-input.ts';

/** The newest PostgreSQL major the tuning formulas and rules know. */
export const NEWEST_PG_MAJOR = 18;
/** The oldest major the configuration and pool recommendations cover. */
export const OLDEST_TUNED_PG_MAJOR = 12;
/** Migration and schema rules go back further: they are about lock levels and catalog behaviour. */
export const OLDEST_RULES_PG_MAJOR = 9;
/** Migration plans and DDL reviews accept the next major too (rules of the newest apply). */
export const NEWEST_RULES_PG_MAJOR = NEWEST_PG_MAJOR + 1;
/** What migrations and DDL files are checked against when neither --pg-version nor --db says. */
export const DEFAULT_RULES_PG_MAJOR = 17;

export interface PgVersionRange {
  readonly min: number;
  readonly max: number;
}

export const TUNED_RANGE: PgVersionRange = { min: OLDEST_TUNED_PG_MAJOR, max: NEWEST_PG_MAJOR };
export const RULES_RANGE: PgVersionRange = { min: OLDEST_RULES_PG_MAJOR, max: NEWEST_RULES_PG_MAJOR };

/** Parses "15", "15.4" or 15 into a major version within the range; a usage error otherwise. */
export function parsePgVersion(raw: string, range: PgVersionRange, source = '--pg-version'): number {
  const m = /^(\d+)(?:\.\d+)?$/.exec(raw.trim());
  const major = m === null ? NaN : Number(m[1]);
  if (!Number.isInteger(major) || major < range.min || major > range.max) {
    throw new DbOptimizeError('E_BAD_FLAG', 'usage', `${source} must be a PostgreSQL major version between ${range.min} and ${range.max}, got "${raw}"`);
  }
  return major;
}

/** The one --pg-version option: flag, else config, else null. */
export function pgVersionOption(input: FlowInput, range: PgVersionRange): number | null {
  const raw = option(input, 'pg-version');
  return raw === undefined ? null : parsePgVersion(raw, range);
}
