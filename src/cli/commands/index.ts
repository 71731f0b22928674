import type { Command } from '../command.ts';
import { fullCommand } from './full.ts';
import { migrateCommand } from './migrate.ts';
import { profileCommand } from './profile.ts';
import { schemaCommand } from './schema.ts';

/** Every CLI command, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [profileCommand, fullCommand, schemaCommand, migrateCommand];
