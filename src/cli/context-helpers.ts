import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { DbOptimizeError, EXIT } from '../errors/index.ts';
import type { Flow, FlowInput } from '../flows/flow.ts';
import { validateConfig } from '../flows/flow.ts';
import { widthOption } from '../flows/flow-input.ts';
import { flag as inputFlag, option as inputOption } from '../flows/flow-input.ts';
import type { Report, Severity } from '../model/index.ts';
import { SEVERITY_RANK } from '../model/index.ts';
import { FORMATS, render } from '../render/index.ts';
import { allRules } from '../rules/rule-reference.ts';
import type { Format } from '../render/index.ts';
import type { CommandContext } from './command.ts';
import { incompleteCollection } from '../engine/collection-skips.ts';

/** The flow's view of the command line: flags, arguments, the --config file (checked against the flow's keys). */
export function flowInput(ctx: CommandContext, flow: Flow): FlowInput {
  validateConfig(flow, ctx.config, 'config file');
  return { values: ctx.values, positionals: ctx.positionals, config: ctx.config, env: ctx.io.env, logger: ctx.logger, stdin: ctx.io.stdin, confirm: (q) => confirm(ctx, q), notify: (m) => ctx.io.stderr(`${m}\n`) };
}

/** Parses argv through the flow, renders its report: the whole job of a command. */
export async function runFlowCommand(ctx: CommandContext, flow: Flow, input: FlowInput = flowInput(ctx, flow)): Promise<number> {
  // the report flags are checked before any work starts
  formatOption(input);
  failOnOption(input);
  widthOption(input);
  return emitReport(ctx, await flow.run(input));
}

export function formatOption(input: FlowInput): Format {
  const f = inputOption(input, 'format') ?? 'terminal';
  if (!(FORMATS as readonly string[]).includes(f)) {
    throw new DbOptimizeError('E_BAD_FLAG', 'usage', `unknown --format "${f}" (use ${FORMATS.join(', ')})`);
  }
  return f as Format;
}

export function failOnOption(input: FlowInput): Severity | undefined {
  const v = inputOption(input, 'fail-on');
  if (v === undefined) return undefined;
  if (v !== 'critical' && v !== 'warning' && v !== 'info') {
    throw new DbOptimizeError('E_BAD_FLAG', 'usage', `--fail-on must be critical, warning or info, got "${v}"`);
  }
  return v;
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

/** Writes text to --out, or stdout. */
export async function writeOutput(ctx: CommandContext, input: FlowInput, text: string): Promise<void> {
  const out = inputOption(input, 'out');
  if (out === undefined) {
    ctx.io.stdout(text);
    return;
  }
  try {
    await writeFile(out, text);
  } catch (error) {
    throw new DbOptimizeError('E_WRITE', 'usage', `cannot write ${out}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  ctx.logger.info(`report written to ${out}`);
}

/** Renders the report to stdout or --out and returns the exit code --fail-on asks for. */
export async function emitReport(ctx: CommandContext, report: Report, input: FlowInput = cliInput(ctx)): Promise<number> {
  const format = formatOption(input);
  const failOn = failOnOption(input);
  const width = widthOption(input);
  const color = inputOption(input, 'out') === undefined && format === 'terminal' && ctx.io.isTTY && !inputFlag(input, 'no-color') && ctx.io.env.NO_COLOR === undefined;
  // SARIF: descriptors from every rule registry; file URIs relative to where the command runs (the repository root in CI)
  const sarif = format === 'sarif' ? { rules: allRules(), baseDir: process.cwd() } : {};
  await writeOutput(ctx, input, render(report, format, { color, width, verbose: inputFlag(input, 'verbose'), ...sarif }));
  // a report built without the tables or indexes (or a --create that failed) is not a clean result
  const incomplete = incompleteCollection(report.skipped ?? []);
  if (incomplete.length > 0) {
    for (const s of incomplete) ctx.logger.warn(`${s.reason}: the report is incomplete`);
    return EXIT.connection;
  }
  if (failOn === undefined) return EXIT.ok;
  const threshold = SEVERITY_RANK[failOn];
  return report.findings.some((f) => SEVERITY_RANK[f.severity] >= threshold) ? EXIT.findings : EXIT.ok;
}

/** Flags and config without a flow's key check (for the report flags every command shares). */
export function cliInput(ctx: CommandContext): FlowInput {
  return { values: ctx.values, positionals: ctx.positionals, config: ctx.config, env: ctx.io.env, logger: ctx.logger };
}

/** Asks on stderr, reads one line from stdin: only "y" or "yes" confirms. */
export async function confirm(ctx: CommandContext, question: string): Promise<boolean> {
  ctx.io.stderr(`${question} [y/N] `);
  const answer = await new Promise<string>((resolve) => {
    let buf = '';
    const stream = ctx.io.stdin;
    const done = (): void => {
      stream.off('data', onData);
      stream.off('end', done);
      resolve(buf);
    };
    const onData = (chunk: Buffer | string): void => {
      buf += chunk.toString();
      if (buf.includes('\n')) done();
    };
    stream.on('data', onData);
    stream.on('end', done);
  });
  return /^\s*y(es)?\s*$/i.test(answer.split('\n')[0] ?? '');
}


