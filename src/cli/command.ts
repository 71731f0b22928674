import type { Logger } from '../engine/analyze-database.ts';

export type { OptionSpec as CliOption } from '../flows/option-spec.ts';
import type { OptionSpec as CliOption } from '../flows/option-spec.ts';

export interface CommandIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly isTTY: boolean;
  readonly stdin: NodeJS.ReadableStream;
  readonly env: NodeJS.ProcessEnv;
}

import type { OptionValues } from '../flows/flow.ts';

export interface CommandContext {
  readonly values: OptionValues;
  readonly positionals: readonly string[];
  readonly io: CommandIO;
  readonly logger: Logger;
  /** merged --config file content (flags win over it) */
  readonly config: Readonly<Record<string, unknown>>;
}

export interface Command {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly summary: string;
  /** usage line(s) after "db-optimize " */
  readonly usage: string;
  /** longer help text: what it does, examples */
  readonly help?: string;
  readonly options: Readonly<Record<string, CliOption>>;
  /** which common option groups apply (connection, report) */
  readonly common: readonly ('connection' | 'report' | 'analysis')[];
  run(context: CommandContext): Promise<number>;
}
