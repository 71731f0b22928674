#!/usr/bin/env node
// Runs the CLI from its TypeScript source (through tsx) so a fresh clone needs no build step
// and the command can never be out of date with the code.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
