import { DEFAULT_CLIENTS, DEFAULT_DURATION_SECONDS, DEFAULT_MAX_STATEMENTS, validate } from '../../validate/validate.ts';
import type { Command } from '../command.ts';
import { emitReport, failOnOption, flag, formatOption, numberOption, option } from '../context-helpers.ts';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'apply the advice on a copy of the database, replay the workload, measure before and after',
  usage: 'validate [--db URL] [--workload FILE.sql | --log FILE] [--clients N] [--duration SECONDS]',
  help: [
    'Copies the database with CREATE DATABASE … TEMPLATE (needs CREATEDB, ownership of the source and no other',
    'session connected to it: for a busy production database, run it against a staging copy), applies the index',
    "advisor's indexes and the verified rewrites to the copy, replays the workload (pg_stat_statements by default,",
    'or --workload / --log) with node-postgres workers before and after, and reports p50/p95/p99 and calls/s per',
    'statement and overall, with the seed scorecard (p95 < 100 ms, p99 < 500 ms). The copy is dropped at the end,',
    'on error and on Ctrl-C; copies left by a killed run are dropped by the next one. Nothing runs on the source',
    'but reading its workload: when the copy cannot be made, validate stops with exit code 2.',
  ].join('\n'),
  common: ['connection', 'report'],
  options: {
    workload: { type: 'string', valueName: 'FILE.sql', description: 'replay the statements of a SQL file (-- calls: N before a statement gives its weight)' },
    log: { type: 'string', valueName: 'FILE', description: 'replay the statements of a PostgreSQL log (log_statement = all), with their values' },
    clients: { type: 'string', valueName: 'N', description: `concurrent sessions of the replay (default ${DEFAULT_CLIENTS})` },
    duration: { type: 'string', valueName: 'SECONDS', description: `seconds of replay before, and again after (default ${DEFAULT_DURATION_SECONDS})` },
    'max-statements': { type: 'string', valueName: 'N', description: `replay at most N statements, by total time (default ${DEFAULT_MAX_STATEMENTS})` },
    'min-calls': { type: 'string', valueName: 'N', description: 'ignore pg_stat_statements entries with fewer calls' },
    'max-copy-gb': { type: 'string', valueName: 'GB', description: "largest database validate copies (default 20; the copy shares the source's disk)" },
  },
  async run(ctx) {
    formatOption(ctx);
    failOnOption(ctx);
    const clients = numberOption(ctx, 'clients', { min: 1, max: 64, integer: true });
    const durationSeconds = numberOption(ctx, 'duration', { min: 0.1, max: 3600 });
    const maxStatements = numberOption(ctx, 'max-statements', { min: 1, integer: true });
    const minCalls = numberOption(ctx, 'min-calls', { min: 0 });
    const maxCopyGb = numberOption(ctx, 'max-copy-gb', { min: 0 });
    const statementTimeoutMs = numberOption(ctx, 'statement-timeout', { min: 1 });
    const width = numberOption(ctx, 'width', { min: 40, integer: true });
    const url = option(ctx, 'db');
    const workloadFile = option(ctx, 'workload');
    const logFile = option(ctx, 'log');
    const report = await validate({
      env: ctx.io.env,
      logger: ctx.logger,
      showLiterals: flag(ctx, 'show-literals'),
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
    return emitReport(ctx, report);
  },
};
