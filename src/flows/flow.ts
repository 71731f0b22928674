import type { Database } from '../collect/connection.ts';
import type { Logger } from '../engine/analyze-database.ts';
import { silentLogger } from '../engine/analyze-database.ts';
import { DbOptimizeError } from '../errors/index.ts';
import type { Report } from '../model/index.ts';
import { COMMON_GROUPS, GLOBAL_OPTIONS } from './common-options.ts';
import type { ANALYSIS_OPTIONS, CONNECTION_OPTIONS } from './common-options.ts';
import type { CommonGroup } from './common-options.ts';
import { camelCase } from './option-spec.ts';
import type { OptionSpecs, OptionsOf } from './option-spec.ts';

export type OptionValues = Readonly<Record<string, string | boolean | string[] | undefined>>;

/** What a flow reads: flags (kebab-case), then the config (camelCase keys), then its own defaults. */
export interface FlowInput {
  readonly values: OptionValues;
  readonly positionals: readonly string[];
  readonly config: Readonly<Record<string, unknown>>;
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
  /** where "-" reads from (the CLI's stdin) */
  readonly stdin?: NodeJS.ReadableStream;
  /** asks before a write to the database (the CLI prompts); without it nothing is confirmed */
  readonly confirm?: (question: string) => Promise<boolean>;
  /** messages the user must see even without progress output (where a receiver listens); default: logger.info */
  readonly notify?: (message: string) => void;
  /**
   * An open database to run on instead of connecting (a server keeps one pool across calls). The
   * flow closes its handle as usual; a handle from `Database.borrowed()` leaves the pool open.
   */
  readonly database?: Database;
  /** where a server flow speaks its protocol (the CLI's stdout); only the mcp flow uses it */
  readonly stdout?: NodeJS.WritableStream;
}

/** A command as a library pipeline: options in, a Report out. */
export interface Flow<O extends OptionSpecs = OptionSpecs> {
  readonly name: string;
  readonly common: readonly CommonGroup[];
  readonly options: O;
  /** config keys that are not flags: sections ("analyzers") or the library's names for positional arguments */
  readonly configKeys?: readonly string[];
  run(input: FlowInput): Promise<Report>;
}

export function defineFlow<O extends OptionSpecs>(flow: Flow<O>): Flow<O> {
  return flow;
}

/** Every key a flow accepts in its config: its flags and common groups (kebab or camelCase) and its extra keys. */
export function knownConfigKeys(flow: Flow): Set<string> {
  const names = [
    ...Object.keys(GLOBAL_OPTIONS),
    ...flow.common.flatMap((g) => Object.keys(COMMON_GROUPS[g])),
    ...Object.keys(flow.options),
  ];
  return new Set([...names, ...names.map(camelCase), ...(flow.configKeys ?? [])]);
}

/** An unknown key is a mistake (a typo, or an option of another command): say which. */
export function validateConfig(flow: Flow, config: Readonly<Record<string, unknown>>, origin = 'config'): void {
  const known = knownConfigKeys(flow);
  for (const key of Object.keys(config)) {
    if (known.has(key)) continue;
    const keys = [...known].filter((k) => !k.includes('-')).sort();
    throw new DbOptimizeError('E_CONFIG', 'config', `${origin}: unknown key "${key}" for ${flow.name}`, { hint: `known keys: ${keys.join(', ')}` });
  }
}

export interface LibraryContext {
  readonly logger?: Logger;
  /** for DATABASE_URL and the PG* variables (default process.env) */
  readonly env?: NodeJS.ProcessEnv;
  readonly stdin?: NodeJS.ReadableStream;
  readonly confirm?: (question: string) => Promise<boolean>;
}

/** Options every library call may carry (each flow checks which apply to it). */
export type CommonLibraryOptions = OptionsOf<typeof CONNECTION_OPTIONS> &
  OptionsOf<typeof ANALYSIS_OPTIONS> & {
    /** width of the text sections (default 80) */
    width?: number;
    /** analyzer options: { "analyzer-id": { "option": value } } */
    analyzers?: Readonly<Record<string, Readonly<Record<string, string | number | boolean>>>>;
  };

/** Options of a flow as the library takes them: its flags in camelCase plus the common ones and its extra keys. */
export type LibraryOptions<O extends OptionSpecs, Extra = unknown> = OptionsOf<O> & CommonLibraryOptions & Extra;

/** Runs a flow as a library call: the options object is validated like a config file. */
export async function runLibraryFlow(flow: Flow, options: object, context: LibraryContext = {}): Promise<Report> {
  const config = options as Readonly<Record<string, unknown>>;
  validateConfig(flow, config, 'options');
  return flow.run({
    values: {},
    positionals: [],
    config,
    env: context.env ?? process.env,
    logger: context.logger ?? silentLogger,
    ...(context.stdin === undefined ? {} : { stdin: context.stdin }),
    ...(context.confirm === undefined ? {} : { confirm: context.confirm }),
  });
}
