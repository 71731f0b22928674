import { Readable } from 'node:stream';
import { main } from '../../src/cli/main.ts';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process with captured output (no TTY). */
export async function runCli(argv: readonly string[], options: { env?: NodeJS.ProcessEnv; stdin?: string } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    isTTY: false,
    stdin: Readable.from([options.stdin ?? '']),
    env: { ...process.env, DATABASE_URL: undefined, ...options.env },
  });
  return { code, stdout, stderr };
}
