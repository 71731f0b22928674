import { collectSnapshot } from '../collect/collect-snapshot.ts';
import { measureRoundTripMs } from '../collect/measure-round-trip.ts';
import { DbOptimizeError } from '../errors/index.ts';
import type { Report, Snapshot } from '../model/index.ts';
import { parseOrm } from '../n1/fix/orm.ts';
import type { LogFormat } from '../n1/log/read-postgres-log.ts';
import { startOtlpReceiver } from '../n1/otlp/otlp-receiver.ts';
import type { OtlpSpanCollector } from '../n1/otlp/otlp-spans.ts';
import { DEFAULT_GAP_MS, runN1 } from '../n1/run-n1.ts';
import type { N1Result } from '../n1/run-n1.ts';
import { buildReport, databaseInfo } from '../render/index.ts';
import { defineFlow, runLibraryFlow } from './flow.ts';
import type { FlowInput, LibraryContext, LibraryOptions } from './flow.ts';
import { connect, listOption, numberOption, option } from './flow-input.ts';

export const N1_OPTIONS = {
    log: { type: 'string', multiple: true, valueName: 'FILE', description: 'PostgreSQL log file (repeatable; - reads stdin)' },
    'log-format': { type: 'string', valueName: 'FORMAT', description: 'auto | stderr | csvlog | jsonlog (default auto)' },
    'log-line-prefix': { type: 'string', valueName: 'PREFIX', description: "the server's log_line_prefix (default: inferred from the log)" },
    capture: { type: 'string', multiple: true, valueName: 'FILE', description: "capture file written by 'db-optimize/capture' (repeatable)" },
    otlp: { type: 'string', multiple: true, valueName: 'FILE', description: 'OTLP JSON trace file (repeatable)' },
    'otlp-port': { type: 'string', valueName: 'N', description: 'receive OTLP/HTTP JSON traces on 127.0.0.1:N (POST /v1/traces)' },
    duration: { type: 'string', valueName: 'SECONDS', description: 'with --otlp-port: stop after SECONDS (else on Ctrl-C)' },
    orm: { type: 'string', valueName: 'ORM', description: 'ORM for the code fix (default: detected from the call site or the SQL)' },
    'min-repeats': { type: 'string', valueName: 'N', description: 'repetitions in one request/transaction to flag (default 5)' },
    'min-time': { type: 'string', valueName: 'MS', description: 'estimated cost of those repetitions (time + round trips) to flag (default 0)' },
    'round-trip': {
      type: 'string',
      valueName: 'MS',
      description: 'cost of one round trip for the application (default: measured with SELECT 1 over --db, else 1)',
    },
    gap: { type: 'string', valueName: 'MS', description: `outside transactions, a pause longer than MS starts a new unit (default ${DEFAULT_GAP_MS})` },
  } as const;

function notify(input: FlowInput, message: string): void {
  if (input.notify === undefined) input.logger.info(message);
  else input.notify(message);
}

async function receive(input: FlowInput, port: number, seconds: number | undefined): Promise<OtlpSpanCollector> {
  const receiver = await startOtlpReceiver(port, (m) => input.logger.warn(m));
  notify(input, `listening for OTLP/HTTP JSON traces on http://127.0.0.1:${receiver.port}/v1/traces${seconds === undefined ? ' (Ctrl-C to stop and report)' : ` for ${seconds} s`}`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      clearTimeout(timer);
      process.removeListener('SIGINT', stop);
      resolve();
    };
    const timer = seconds === undefined ? undefined : setTimeout(stop, seconds * 1000);
    process.once('SIGINT', stop);
  });
  await receiver.close();
  notify(input, `received ${receiver.collector.spanCount} spans in ${receiver.collector.exports} export(s)${receiver.rejected() > 0 ? `, rejected ${receiver.rejected()} request(s)` : ''}`);
  return receiver.collector;
}

function summaryLines(r: N1Result): string[] {
  const lines = r.sources.map(
    (s) => `${s.kind} ${s.name}${s.format === undefined ? '' : ` (${s.format}${s.logLinePrefix === null || s.logLinePrefix === undefined ? '' : `, log_line_prefix '${s.logLinePrefix}'`})`}: ${s.queries} queries in ${s.units} units`,
  );
  lines.push(
    `thresholds: ≥ ${r.thresholds.minRepeats} repetitions per unit of work${r.thresholds.minTimeMs > 0 ? ` costing ≥ ${r.thresholds.minTimeMs} ms` : ''}; ` +
      `cost = time + ${r.thresholds.roundTripMs} ms per round trip (${r.thresholds.roundTripSource})`,
  );
  for (const u of r.unitBasis) lines.push(`units of work: ${u}`);
  for (const i of r.ignored) lines.push(`not flagged (${i.reason}): ${i.statement.replace(/\s+/g, ' ').slice(0, 90)} — ${i.queries} queries in ${i.units} units`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return lines;
}

/** N+1 detection over logs, capture files and traces, with the batched SQL and ORM code that fixes each. */
async function runN1Flow(input: FlowInput): Promise<Report> {
    const logs = listOption(input, 'log');
    const captures = listOption(input, 'capture');
    const otlpFiles = listOption(input, 'otlp');
    const port = numberOption(input, 'otlp-port', { min: 0, max: 65535, integer: true });
    const seconds = numberOption(input, 'duration', { min: 0 });
    if (logs.length + captures.length + otlpFiles.length === 0 && port === undefined) {
      throw new DbOptimizeError('E_USAGE', 'usage', 'n1 needs a source: --log FILE, --capture FILE, --otlp FILE or --otlp-port N', {
        hint: "run 'db-optimize n1 --help' for how to produce each one",
      });
    }
    const minRepeats = numberOption(input, 'min-repeats', { min: 2, integer: true });
    const minTimeMs = numberOption(input, 'min-time', { min: 0 });
    const gapMs = numberOption(input, 'gap', { min: 1 });
    const roundTripOption = numberOption(input, 'round-trip', { min: 0 });
    let roundTrip: { ms: number; source: 'option' | 'measured' } | undefined = roundTripOption === undefined ? undefined : { ms: roundTripOption, source: 'option' };
    const ormText = option(input, 'orm');
    const orm = ormText === undefined ? null : parseOrm(ormText);
    const format = option(input, 'log-format');
    if (format !== undefined && !['auto', 'stderr', 'csvlog', 'jsonlog'].includes(format)) {
      throw new DbOptimizeError('E_BAD_FLAG', 'usage', `unknown --log-format "${format}" (use auto, stderr, csvlog or jsonlog)`);
    }
    const prefix = option(input, 'log-line-prefix');
    let snapshot: Snapshot | null = null;
    let display: string | undefined;
    if (option(input, 'db') !== undefined) {
      const db = await connect(input);
      try {
        input.logger.info(`connected to ${db.display} (read-only session): reading foreign keys`);
        snapshot = await collectSnapshot(db);
        display = db.display;
        roundTrip ??= { ms: await measureRoundTripMs(db), source: 'measured' };
      } finally {
        await db.close();
      }
    }
    const collector = port === undefined ? undefined : await receive(input, port, seconds);
    const result = await runN1(
      { logs, captures, otlpFiles, ...(collector === undefined ? {} : { otlpCollector: collector }) },
      {
        orm,
        snapshot,
        stdin: (input.stdin ?? process.stdin),
        ...(minRepeats === undefined ? {} : { minRepeats }),
        ...(minTimeMs === undefined ? {} : { minTimeMs }),
        ...(gapMs === undefined ? {} : { gapMs }),
        ...(roundTrip === undefined ? {} : { roundTripMs: roundTrip.ms, roundTripSource: roundTrip.source }),
        ...(format === undefined ? {} : { logFormat: format as LogFormat | 'auto' }),
        ...(prefix === undefined ? {} : { logLinePrefix: prefix }),
      },
    );
    for (const w of result.warnings) input.logger.warn(w);
    const report = buildReport({
      command: 'n1',
      generatedAt: new Date().toISOString(),
      ...(snapshot === null ? { database: { source: result.sources.map((s) => s.kind).join('+') } } : { database: databaseInfo(snapshot, display) }),
      findings: result.findings,
      sections: [{ id: 'n1-sources', title: 'N+1 detection', lines: summaryLines(result) }],
      extra: {
        n1: {
          sources: result.sources,
          units: result.units,
          queries: result.queries,
          unparsable: result.unparsable,
          thresholds: result.thresholds,
          unitBasis: result.unitBasis,
          ignored: result.ignored,
          warnings: result.warnings,
        },
      },
    });
    return report;
}

export const n1Flow = defineFlow({ name: 'n1', common: ['connection', 'report'], options: N1_OPTIONS, run: runN1Flow });

export type N1FlowOptions = LibraryOptions<typeof N1_OPTIONS>;

export function n1(options: N1FlowOptions = {}, context?: LibraryContext): Promise<Report> {
  return runLibraryFlow(n1Flow, options, context);
}
