import type { OptionSpecs } from './option-spec.ts';

export const CONNECTION_OPTIONS = {
  db: { type: 'string', valueName: 'URL', description: 'connection URL (else DATABASE_URL, else PG* variables and ~/.pgpass)' },
  'statement-timeout': { type: 'string', valueName: 'MS', description: 'statement_timeout for our sessions (default 30000)' },
  'lock-timeout': { type: 'string', valueName: 'MS', description: 'lock_timeout for our sessions (default 1000)' },
  'show-literals': { type: 'boolean', description: 'show literal values in query texts (redacted by default)' },
} as const satisfies OptionSpecs;

export const REPORT_OPTIONS = {
  format: { type: 'string', short: 'f', valueName: 'FORMAT', description: 'terminal | json | markdown | html | sarif (default terminal)' },
  out: { type: 'string', short: 'o', valueName: 'FILE', description: 'write the report to FILE instead of stdout' },
  'fail-on': { type: 'string', valueName: 'SEVERITY', description: 'exit 1 when a finding is at or above critical | warning | info' },
  'no-color': { type: 'boolean', description: 'no colours even on a terminal' },
  width: { type: 'string', valueName: 'N', description: 'terminal report width (default 80)' },
  verbose: { type: 'boolean', short: 'v', description: 'every problem and every finding in full (default: the plan and the top problems)' },
} as const satisfies OptionSpecs;

export const ANALYSIS_OPTIONS = {
  depth: { type: 'string', short: 'd', valueName: '1-5', description: 'how deep to go: 1 quick … 5 comprehensive (seed depth levels)' },
  set: { type: 'string', multiple: true, valueName: 'ID.OPTION=VALUE', description: 'set an analyzer option, e.g. --set unused-indexes.minStatsAgeDays=30' },
  workload: { type: 'string', valueName: 'FILE.sql', description: 'read the workload from a SQL file (-- calls: N before a statement gives its weight)' },
  interval: { type: 'string', valueName: 'SECONDS', description: 'read pg_stat_statements twice, SECONDS apart, and use the difference' },
  'min-calls': { type: 'string', valueName: 'N', description: 'ignore statements with fewer calls' },
  'min-time': { type: 'string', valueName: 'MS', description: 'ignore statements with less total time' },
} as const satisfies OptionSpecs;

export const GLOBAL_OPTIONS = {
  config: { type: 'string', short: 'c', valueName: 'FILE', description: 'JSON config file (flags win over it)' },
  debug: { type: 'boolean', description: 'print stack traces and debug logs' },
  quiet: { type: 'boolean', short: 'q', description: 'no progress messages on stderr' },
  help: { type: 'boolean', short: 'h', description: 'show help' },
} as const satisfies OptionSpecs;

export type CommonGroup = 'connection' | 'report' | 'analysis';

export const COMMON_GROUPS: Readonly<Record<CommonGroup, OptionSpecs>> = {
  connection: CONNECTION_OPTIONS,
  report: REPORT_OPTIONS,
  analysis: ANALYSIS_OPTIONS,
};
