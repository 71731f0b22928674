import type { Logger } from '../engine/analyze-database.ts';

export interface CliOption {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
  readonly description: string;
  /** shown in help: --db URL */
  readonly valueName?: string;
}

export interface CommandIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly isTTY: boolean;
  readonly stdin: NodeJS.ReadableStream;
  readonly env: NodeJS.ProcessEnv;
}

export type OptionValues = Readonly<Record<string, string | boolean | string[] | undefined>>;

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
