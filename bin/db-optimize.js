#!/usr/bin/env node
// Runs the CLI from its TypeScript source (through tsx) so a fresh clone needs no build step
// and the command can never be out of date with the code.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
// exit explicitly once both streams are flushed: a library's exit hook must not change our exit code
let pending = 2;
const done = () => {
  if (--pending === 0) process.exit(code);
};
process.stdout.write('', done);
process.stderr.write('', done);
