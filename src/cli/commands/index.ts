import type { Command } from '../command.ts';
import { configCommand } from './config.ts';
import { demoCommand } from './demo.ts';
import { explainCommand } from './explain.ts';
import { fullCommand } from './full.ts';
import { indexesCommand } from './indexes.ts';
import { mcpCommand } from './mcp.ts';
import { logsCommand } from './logs.ts';
import { maintainCommand } from './maintain.ts';
import { migrateCommand } from './migrate.ts';
import { monitorCommand } from './monitor.ts';
import { n1Command } from './n1.ts';
import { pgbouncerCommand } from './pgbouncer.ts';
import { poolCommand } from './pool.ts';
import { profileCommand } from './profile.ts';
import { queryCommand } from './query.ts';
import { rewriteCommand } from './rewrite.ts';
import { schemaCommand } from './schema.ts';
import { validateCommand } from './validate.ts';

/** Every CLI command, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [
  demoCommand,
  profileCommand,
  fullCommand,
  explainCommand,
  queryCommand,
  indexesCommand,
  rewriteCommand,
  n1Command,
  logsCommand,
  schemaCommand,
  migrateCommand,
  configCommand,
  poolCommand,
  pgbouncerCommand,
  validateCommand,
  mcpCommand,
  maintainCommand,
  monitorCommand,
];
