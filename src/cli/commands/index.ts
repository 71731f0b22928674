import type { Command } from '../command.ts';
import { fullCommand } from './full.ts';
import { indexesCommand } from './indexes.ts';
import { profileCommand } from './profile.ts';

/** Every CLI command, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [profileCommand, fullCommand, indexesCommand];
