import { readFileSync } from 'node:fs';
import { Database } from '../collect/connection.ts';
import type { AnalyzerOptionOverrides } from '../engine/run-analyzers.ts';
import { DbOptimizeError } from '../errors/index.ts';
import type { Report } from '../model/index.ts';
import type { FlowInput } from './flow.ts';
import { camelCase } from './option-spec.ts';

/** A flag value, else the config's value under the same (camelCase) key. */
export function option(input: FlowInput, name: string): string | undefined {
  const v = input.values[name];
  if (typeof v === 'string') return v;
  const c = input.config[camelCase(name)] ?? input.config[name];
  return c === undefined || c === null ? undefined : String(c as string | number);
}

export function flag(input: FlowInput, name: string): boolean {
  const v = input.values[name];
  if (typeof v === 'boolean') return v;
  return input.config[camelCase(name)] === true || input.config[name] === true;
}

/** A repeatable flag, else the config's array (or single value) under the same key. */
export function listOption(input: FlowInput, name: string): string[] {
  const v = input.values[name];
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [v];
  const c = input.config[camelCase(name)] ?? input.config[name];
  return Array.isArray(c) ? c.map(String) : c === undefined || c === null ? [] : [String(c as string | number)];
}

/** Positional arguments, or (library, config) the list under `key`. */
export function positionalsOr(input: FlowInput, key: string): string[] {
  if (input.positionals.length > 0) return [...input.positionals];
  const c = input.config[key];
  return Array.isArray(c) ? c.map(String) : typeof c === 'string' ? [c] : [];
}

export interface NumberBounds {
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
}

export function numberOption(input: FlowInput, name: string, bounds: NumberBounds = {}): number | undefined {
  const raw = option(input, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  const bad =
    raw.trim() === '' ||
    !Number.isFinite(n) ||
    (bounds.integer === true && !Number.isInteger(n)) ||
    (bounds.min !== undefined && n < bounds.min) ||
    (bounds.max !== undefined && n > bounds.max);
  if (bad) {
    const range = bounds.min !== undefined && bounds.max !== undefined ? ` between ${bounds.min} and ${bounds.max}` : bounds.min !== undefined ? ` ≥ ${bounds.min}` : '';
    throw new DbOptimizeError('E_BAD_FLAG', 'usage', `--${name} must be a ${bounds.integer === true ? 'whole ' : ''}number${range}, got "${raw}"`);
  }
  return n;
}

export const DEFAULT_WIDTH = 80;
export const MIN_WIDTH = 40;

export function widthOption(input: FlowInput): number {
  return numberOption(input, 'width', { min: MIN_WIDTH, integer: true }) ?? DEFAULT_WIDTH;
}

export function depthOption(input: FlowInput, fallback: number): number {
  return numberOption(input, 'depth', { min: 1, max: 5, integer: true }) ?? fallback;
}

/** --set id.option=value (repeatable) merged over the config's "analyzers" object. */
export function analyzerOverrides(input: FlowInput): AnalyzerOptionOverrides {
  const out: Record<string, Record<string, string | number | boolean>> = {};
  const fromConfig = input.config.analyzers;
  if (fromConfig !== undefined) {
    if (typeof fromConfig !== 'object' || fromConfig === null) {
      throw new DbOptimizeError('E_CONFIG', 'config', 'config "analyzers" must be an object of { "analyzer-id": { "option": value } }');
    }
    for (const [id, opts] of Object.entries(fromConfig as Record<string, unknown>)) {
      out[id] = { ...(opts as Record<string, string | number | boolean>) };
    }
  }
  for (const s of input.values.set === undefined ? [] : listOption(input, 'set')) {
    const m = /^([\w-]+)\.(\w+)=(.*)$/.exec(s);
    if (m === null) throw new DbOptimizeError('E_BAD_FLAG', 'usage', `--set expects ANALYZER.OPTION=VALUE, got "${s}"`);
    const [, id = '', key = '', value = ''] = m;
    (out[id] ??= {})[key] = value;
  }
  return out;
}

/** A live server is used only when one is named (--db or DATABASE_URL): flags alone plan offline. */
export function wantsLiveServer(input: FlowInput): boolean {
  return option(input, 'db') !== undefined || (input.env.DATABASE_URL ?? '') !== '';
}

export async function connect(input: FlowInput): Promise<Database> {
  if (input.database !== undefined) return input.database;
  // PostgreSQL's timeouts are int milliseconds: a larger value is a usage error, not a connection failure
  const statementTimeoutMs = numberOption(input, 'statement-timeout', { min: 1, max: 2_147_483_647, integer: true });
  const lockTimeoutMs = numberOption(input, 'lock-timeout', { min: 1, max: 2_147_483_647, integer: true });
  return Database.connect({
    url: option(input, 'db'),
    env: input.env,
    ...(statementTimeoutMs === undefined ? {} : { statementTimeoutMs }),
    ...(lockTimeoutMs === undefined ? {} : { lockTimeoutMs }),
  });
}

export function readBaseline(path: string | undefined): Report | null {
  if (path === undefined) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new DbOptimizeError('E_BASELINE', 'input', `cannot read baseline report ${path}: ${(error as Error).message}`, {
      hint: 'pass a report written earlier with --format json --out FILE',
    });
  }
  const r = parsed as Partial<Report>;
  if (r.tool?.name !== 'db-optimize' || !Array.isArray(r.findings)) {
    throw new DbOptimizeError('E_BASELINE', 'input', `${path} is not a db-optimize JSON report`);
  }
  return parsed as Report;
}
