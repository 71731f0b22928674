import type { Command } from '../command.ts';
import { fullCommand } from './full.ts';
import { profileCommand } from './profile.ts';
import { rewriteCommand } from './rewrite.ts';

/** Every CLI command, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [profileCommand, fullCommand, rewriteCommand];
