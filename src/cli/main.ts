import { parseArgs } from 'node:util';
import type { Logger } from '../engine/analyze-database.ts';
import { DbOptimizeError, EXIT, isDbOptimizeError } from '../errors/index.ts';
import { wrap } from '../format/wrap.ts';
import { VERSION } from '../version.ts';
import type { CliOption, Command, CommandContext, CommandIO } from './command.ts';
import { COMMANDS } from './commands/index.ts';
import { ANALYSIS_OPTIONS, CONNECTION_OPTIONS, GLOBAL_OPTIONS, REPORT_OPTIONS } from './common-options.ts';
import { loadConfig } from './context-helpers.ts';
import { connectionLost, statementTimedOut } from '../errors/index.ts';
import { refuseOutputOverInput } from './output-guard.ts';

function defaultIO(): CommandIO {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    isTTY: process.stdout.isTTY === true,
    stdin: process.stdin,
    env: process.env,
  };
}

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name || (c.aliases ?? []).includes(name));
}

export function commandOptions(command: Command): Record<string, CliOption> {
  return {
    ...GLOBAL_OPTIONS,
    ...(command.common.includes('connection') ? CONNECTION_OPTIONS : {}),
    ...(command.common.includes('report') ? REPORT_OPTIONS : {}),
    ...(command.common.includes('analysis') ? ANALYSIS_OPTIONS : {}),
    ...command.options,
  };
}

function optionLines(options: Record<string, CliOption>): string[] {
  return Object.entries(options).map(([name, o]) => {
    const left = `  ${o.short === undefined ? '    ' : `-${o.short}, `}--${name}${o.valueName === undefined ? '' : ` ${o.valueName}`}`;
    return `${left.padEnd(34)} ${o.description}`;
  });
}

export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    `db-optimize ${VERSION} — find what makes PostgreSQL slow, and fixes checked against it`,
    '',
    'Usage: db-optimize <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.flatMap((c) => {
      const [first = '', ...rest] = wrap(c.summary, 80 - width - 3);
      return [`  ${c.name.padEnd(width)} ${first}`, ...rest.map((l) => `${' '.repeat(width + 3)}${l}`)];
    }),
    '',
    'Seed spellings work too: --profile, --full, --fix-n1, --indexes.',
    'Connection: --db URL, else DATABASE_URL, else PGHOST/PGPORT/PGUSER/PGDATABASE/',
    'PGPASSWORD and ~/.pgpass.',
    'Exit codes: 0 clean, 1 findings at/above --fail-on, 2 usage or input error,',
    '3 connection error, 70 internal error.',
    '',
    "Run 'db-optimize <command> --help' for a command's options.",
    '',
  ].join('\n');
}

export function commandHelp(command: Command): string {
  return [
    `Usage: db-optimize ${command.usage}`,
    '',
    command.summary,
    ...(command.help === undefined ? [] : ['', command.help]),
    '',
    'Options:',
    ...optionLines(commandOptions(command)),
    '',
  ].join('\n');
}

function makeLogger(io: CommandIO, quiet: boolean, debug: boolean): Logger {
  const progress = !quiet && (process.stderr.isTTY === true || debug || io.env.DB_OPTIMIZE_PROGRESS === '1');
  return {
    info: (m) => {
      if (progress) io.stderr(`· ${m}\n`);
    },
    warn: (m) => {
      if (!quiet) io.stderr(`warning: ${m}\n`);
    },
    debug: (m) => {
      if (debug) io.stderr(`debug: ${m}\n`);
    },
  };
}

function printError(io: CommandIO, error: unknown, debug: boolean): number {
  // a server that died or froze mid-run is a connection failure (exit 3), not an internal error
  error = connectionLost(error) ?? statementTimedOut(error) ?? error;
  if (isDbOptimizeError(error)) {
    io.stderr(`db-optimize: ${error.message}\n`);
    if (error.hint !== undefined) io.stderr(`  ${error.hint}\n`);
    if (debug && error.cause !== undefined) io.stderr(`${String((error.cause as Error).stack ?? error.cause)}\n`);
    return error.exitCode;
  }
  const e = error as Error;
  io.stderr(`db-optimize: internal error: ${e?.message ?? String(error)}\n`);
  io.stderr(debug ? `${e?.stack ?? ''}\n` : '  run again with --debug for the stack trace, and please report it\n');
  return EXIT.internal;
}

/** The CLI: argv (without node and script) → exit code. Only this layer writes to stdout. */
export async function main(argv: readonly string[], io: CommandIO = defaultIO()): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    const [first, ...rest] = argv;
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      const topic = first === 'help' ? rest[0] : undefined;
      const command = topic === undefined ? undefined : findCommand(topic);
      io.stdout(command === undefined ? mainHelp() : commandHelp(command));
      return first === undefined ? EXIT.usage : EXIT.ok;
    }
    if (first === '--version' || first === '-V' || first === 'version') {
      io.stdout(`${VERSION}\n`);
      return EXIT.ok;
    }
    const command = findCommand(first);
    if (command === undefined) {
      throw new DbOptimizeError('E_UNKNOWN_COMMAND', 'usage', `unknown command "${first}"`, { hint: "run 'db-optimize --help' for the list of commands" });
    }
    const options = commandOptions(command);
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({
        args: [...rest],
        options: Object.fromEntries(
          Object.entries(options).map(([name, o]) => [
            name,
            { type: o.type, ...(o.short === undefined ? {} : { short: o.short }), ...(o.multiple === true ? { multiple: true } : {}) },
          ]),
        ),
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw new DbOptimizeError('E_USAGE', 'usage', (error as Error).message.split('\n')[0] ?? 'bad arguments', {
        hint: `run 'db-optimize ${command.name} --help' for its options`,
      });
    }
    if (parsed.values.help === true) {
      io.stdout(commandHelp(command));
      return EXIT.ok;
    }
    refuseOutputOverInput(parsed.values, parsed.positionals);
    const config = loadConfig(typeof parsed.values.config === 'string' ? parsed.values.config : undefined);
    const logger = makeLogger(io, parsed.values.quiet === true, debug);
    return await command.run({ values: parsed.values as CommandContext["values"], positionals: parsed.positionals, io, logger, config });
  } catch (error) {
    return printError(io, error, debug);
  }
}
