import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { Database } from '../collect/connection.ts';
import type { AnalyzerOptionOverrides } from '../engine/run-analyzers.ts';
import { DbOptimizeError, EXIT } from '../errors/index.ts';
import type { Report, Severity } from '../model/index.ts';
import { SEVERITY_RANK } from '../model/index.ts';
import { FORMATS, render } from '../render/index.ts';
import type { Format } from '../render/index.ts';
import type { CommandContext } from './command.ts';
import { incompleteCollection } from '../engine/collection-skips.ts';

/** A flag value, else the config file's value under the same (camelCase) key. */
export function option(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.values[name];
  if (typeof v === 'string') return v;
  const camel = name.replace(/-([a-z])/g, (_, ch: string) => ch.toUpperCase());
  const c = ctx.config[camel] ?? ctx.config[name];
  return c === undefined || c === null ? undefined : String(c);
}

export function flag(ctx: CommandContext, name: string): boolean {
  const v = ctx.values[name];
  if (typeof v === 'boolean') return v;
  const camel = name.replace(/-([a-z])/g, (_, ch: string) => ch.toUpperCase());
  return ctx.config[camel] === true;
}

export function numberOption(ctx: CommandContext, name: string, bounds: { min?: number; max?: number; integer?: boolean } = {}): number | undefined {
  const raw = option(ctx, name);
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

export function formatOption(ctx: CommandContext): Format {
  const f = option(ctx, 'format') ?? 'terminal';
  if (!(FORMATS as readonly string[]).includes(f)) {
    throw new DbOptimizeError('E_BAD_FLAG', 'usage', `unknown --format "${f}" (use ${FORMATS.join(', ')})`);
  }
  return f as Format;
}

export function depthOption(ctx: CommandContext, fallback: number): number {
  return numberOption(ctx, 'depth', { min: 1, max: 5, integer: true }) ?? fallback;
}

/** --set id.option=value (repeatable) merged over the config file's "analyzers" object. */
export function analyzerOverrides(ctx: CommandContext): AnalyzerOptionOverrides {
  const out: Record<string, Record<string, string | number | boolean>> = {};
  const fromConfig = ctx.config.analyzers;
  if (fromConfig !== undefined) {
    if (typeof fromConfig !== 'object' || fromConfig === null) {
      throw new DbOptimizeError('E_CONFIG', 'config', 'config "analyzers" must be an object of { "analyzer-id": { "option": value } }');
    }
    for (const [id, opts] of Object.entries(fromConfig as Record<string, unknown>)) {
      out[id] = { ...(opts as Record<string, string | number | boolean>) };
    }
  }
  const sets = ctx.values.set;
  for (const s of Array.isArray(sets) ? sets : typeof sets === 'string' ? [sets] : []) {
    const m = /^([\w-]+)\.(\w+)=(.*)$/.exec(s);
    if (m === null) throw new DbOptimizeError('E_BAD_FLAG', 'usage', `--set expects ANALYZER.OPTION=VALUE, got "${s}"`);
    const [, id = '', key = '', value = ''] = m;
    (out[id] ??= {})[key] = value;
  }
  return out;
}

export function loadConfig(path: string | undefined): Record<string, unknown> {
  if (path === undefined) return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new DbOptimizeError('E_CONFIG', 'config', `cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('the top level must be an object');
    return parsed as Record<string, unknown>;
  } catch (error) {
    throw new DbOptimizeError('E_CONFIG', 'config', `config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

export async function connect(ctx: CommandContext): Promise<Database> {
  // PostgreSQL's timeouts are int milliseconds: a larger value is a usage error, not a connection failure
  const statementTimeoutMs = numberOption(ctx, 'statement-timeout', { min: 1, max: 2_147_483_647, integer: true });
  const lockTimeoutMs = numberOption(ctx, 'lock-timeout', { min: 1, max: 2_147_483_647, integer: true });
  return Database.connect({
    url: option(ctx, 'db'),
    env: ctx.io.env,
    ...(statementTimeoutMs === undefined ? {} : { statementTimeoutMs }),
    ...(lockTimeoutMs === undefined ? {} : { lockTimeoutMs }),
  });
}

export function failOnOption(ctx: CommandContext): Severity | undefined {
  const v = option(ctx, 'fail-on');
  if (v === undefined) return undefined;
  if (v !== 'critical' && v !== 'warning' && v !== 'info') {
    throw new DbOptimizeError('E_BAD_FLAG', 'usage', `--fail-on must be critical, warning or info, got "${v}"`);
  }
  return v;
}

/** Renders the report to stdout or --out and returns the exit code --fail-on asks for. */
export async function emitReport(ctx: CommandContext, report: Report): Promise<number> {
  const format = formatOption(ctx);
  const failOn = failOnOption(ctx);
  const out = option(ctx, 'out');
  const width = numberOption(ctx, 'width', { min: 40, integer: true }) ?? 80;
  const color = out === undefined && format === 'terminal' && ctx.io.isTTY && !flag(ctx, 'no-color') && ctx.io.env.NO_COLOR === undefined;
  const text = render(report, format, { color, width });
  if (out === undefined) ctx.io.stdout(text);
  else {
    try {
      await writeFile(out, text);
    } catch (error) {
      throw new DbOptimizeError('E_WRITE', 'usage', `cannot write ${out}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    ctx.logger.info(`report written to ${out}`);
  }
  // a report built without the tables or indexes is not a clean result
  const incomplete = incompleteCollection(report.skipped ?? []);
  if (incomplete.length > 0) {
    for (const s of incomplete) ctx.logger.warn(`${s.reason}: the report is incomplete`);
    return EXIT.connection;
  }
  if (failOn === undefined) return EXIT.ok;
  const threshold = SEVERITY_RANK[failOn];
  return report.findings.some((f) => SEVERITY_RANK[f.severity] >= threshold) ? EXIT.findings : EXIT.ok;
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
