import type { Command } from '../command.ts';
import { explainCommand } from './explain.ts';
import { fullCommand } from './full.ts';
import { profileCommand } from './profile.ts';
import { queryCommand } from './query.ts';

/** Every CLI command, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [profileCommand, fullCommand, explainCommand, queryCommand];
