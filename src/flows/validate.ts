import type { Report } from '../model/index.ts';
import { DEFAULT_CLIENTS, DEFAULT_DURATION_SECONDS, DEFAULT_MAX_STATEMENTS, validate as validateOnCopy } from '../validate/validate.ts';
import { defineFlow, runLibraryFlow } from './flow.ts';
import type { FlowInput, LibraryContext, LibraryOptions } from './flow.ts';
import { flag, numberOption, option } from './flow-input.ts';

export const VALIDATE_OPTIONS = {
  workload: { type: 'string', valueName: 'FILE.sql', description: 'replay the statements of a SQL file (-- calls: N before a statement gives its weight)' },
  log: { type: 'string', valueName: 'FILE', description: 'replay the statements of a PostgreSQL log (log_statement = all), with their values' },
  clients: { type: 'string', valueName: 'N', description: `concurrent sessions of the replay (default ${DEFAULT_CLIENTS})` },
  duration: { type: 'string', valueName: 'SECONDS', description: `seconds of replay before, and again after (default ${DEFAULT_DURATION_SECONDS})` },
  'max-statements': { type: 'string', valueName: 'N', description: `replay at most N statements, by total time (default ${DEFAULT_MAX_STATEMENTS})` },
  'min-calls': { type: 'string', valueName: 'N', description: 'ignore pg_stat_statements entries with fewer calls' },
  'max-copy-gb': { type: 'string', valueName: 'GB', description: "largest database validate copies (default 20; the copy shares the source's disk)" },
} as const;

/** Copies the database, applies the advice on the copy, replays the workload before and after (also `full --validate`). */
export async function runValidate(input: FlowInput): Promise<Report> {
  const clients = numberOption(input, 'clients', { min: 1, max: 64, integer: true });
  const durationSeconds = numberOption(input, 'duration', { min: 0.1, max: 3600 });
  const maxStatements = numberOption(input, 'max-statements', { min: 1, integer: true });
  const minCalls = numberOption(input, 'min-calls', { min: 0 });
  const maxCopyGb = numberOption(input, 'max-copy-gb', { min: 0 });
  const statementTimeoutMs = numberOption(input, 'statement-timeout', { min: 1 });
  const width = numberOption(input, 'width', { min: 40, integer: true });
  const url = option(input, 'db');
  const workloadFile = option(input, 'workload');
  const logFile = option(input, 'log');
  return validateOnCopy({
    env: input.env,
    logger: input.logger,
    showLiterals: flag(input, 'show-literals'),
    ...(url === undefined ? {} : { url }),
    ...(workloadFile === undefined ? {} : { workloadFile }),
    ...(logFile === undefined ? {} : { logFile }),
    ...(clients === undefined ? {} : { clients }),
    ...(durationSeconds === undefined ? {} : { durationSeconds }),
    ...(maxStatements === undefined ? {} : { maxStatements }),
    ...(minCalls === undefined ? {} : { minCalls }),
    ...(maxCopyGb === undefined ? {} : { maxCopyBytes: maxCopyGb * 1024 ** 3 }),
    ...(statementTimeoutMs === undefined ? {} : { statementTimeoutMs }),
    ...(width === undefined ? {} : { width }),
  });
}

export const validateFlow = defineFlow({ name: 'validate', common: ['connection', 'report'], options: VALIDATE_OPTIONS, run: runValidate });

export type ValidateFlowOptions = LibraryOptions<typeof VALIDATE_OPTIONS>;

export function validate(options: ValidateFlowOptions = {}, context?: LibraryContext): Promise<Report> {
  return runLibraryFlow(validateFlow, options, context);
}
