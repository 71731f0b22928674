import { readFile, stat } from 'node:fs/promises';
import { DbOptimizeError } from '../errors/index.ts';
import type { Finding, Snapshot } from '../model/index.ts';
import { initSqlParser } from '../sql/index.ts';
import { readCaptureFile } from './capture/read-capture-file.ts';
import type { DetectionThresholds } from './detect/analyze-unit.ts';
import { N1Detector } from './detect/n1-detector.ts';
import type { Orm } from './fix/orm.ts';
import { LogUnitBuilder } from './log/log-unit-builder.ts';
import type { LogStats } from './log/log-unit-builder.ts';
import type { LogFormat, LogReadResult } from './log/read-postgres-log.ts';
import { RECOMMENDED_PREFIX } from './log/log-line-prefix.ts';
import { readPostgresLog } from './log/read-postgres-log.ts';
import { patternToFinding } from './n1-findings.ts';
import { OtlpSpanCollector, parseOtlpText } from './otlp/otlp-spans.ts';
import type { QueryUnit } from './query-event.ts';
import { noPoolingFinding } from './no-pooling.ts';

export interface N1Sources {
  readonly logs?: readonly string[];
  readonly captures?: readonly string[];
  readonly otlpFiles?: readonly string[];
  /** spans already received (OTLP/HTTP receiver) */
  readonly otlpCollector?: OtlpSpanCollector;
}

export interface N1Options extends Partial<DetectionThresholds> {
  readonly orm?: Orm | null;
  readonly snapshot?: Snapshot | null;
  readonly logFormat?: LogFormat | 'auto';
  readonly logLinePrefix?: string;
  /** statements of one session further apart than this start a new unit (logs, loose capture) */
  readonly gapMs?: number;
  /** where roundTripMs came from (reported beside the estimates) */
  readonly roundTripSource?: 'option' | 'measured';
  readonly stdin?: NodeJS.ReadableStream;
  readonly readFile?: (path: string) => string;
}

export interface N1SourceSummary {
  readonly kind: 'log' | 'capture' | 'otlp' | 'otlp-receiver';
  readonly name: string;
  readonly format?: string;
  readonly logLinePrefix?: string | null;
  readonly lines?: number;
  readonly units: number;
  readonly queries: number;
}

export interface N1Result {
  readonly findings: readonly Finding[];
  readonly sources: readonly N1SourceSummary[];
  readonly units: number;
  readonly queries: number;
  readonly unparsable: number;
  readonly thresholds: DetectionThresholds & { readonly roundTripSource: 'default' | 'option' | 'measured' };
  /** what each source lets us know about units of work (request, transaction, burst) */
  readonly unitBasis: readonly string[];
  readonly ignored: readonly { readonly reason: string; readonly statement: string; readonly units: number; readonly queries: number }[];
  readonly warnings: readonly string[];
}

async function mustExist(path: string, what: string): Promise<void> {
  if (path === '-') return;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new Error('not a file');
  } catch (error) {
    throw new DbOptimizeError('E_INPUT_MISSING', 'input', `cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/**
 * Outside transactions, a pause this long on one connection ends a unit of work. Short: a
 * pooled connection serves request after request, while an N+1 loop's statements follow each
 * other within a few milliseconds.
 */
export const DEFAULT_GAP_MS = 250;

function logUnitBasis(name: string, r: LogReadResult, stats: LogStats, gapMs: number): string {
  const ids = r.sessionIds === 'session' ? 'session id (%c)' : 'process id (%p) but no session id (%c)';
  const tx = r.transactionIds ? ', statements of one transaction (%v)' : '';
  const advice = r.transactionIds ? '' : `; add %v to log_line_prefix (e.g. '${RECOMMENDED_PREFIX}') to group transactions exactly`;
  return (
    `${name}: the prefix has a ${ids}: units are explicit transactions (BEGIN … COMMIT)${tx}, else statements of one connection ` +
    `until a pause over ${gapMs} ms or until the unit's first statement comes again (${stats.restarts} such restart${stats.restarts === 1 ? '' : 's'}). ` +
    'A log has no request ids: requests that follow each other on a pooled connection may still merge, and a parallel fan-out ' +
    `(Promise.all) spreads over pooled connections where no single unit shows it; db-optimize/capture sees requests exactly${advice}`
  );
}

/** Reads every source into one detector and returns the findings with their fixes. */
export async function runN1(sources: N1Sources, options: N1Options = {}): Promise<N1Result> {
  await initSqlParser();
  const detector = new N1Detector({
    ...(options.minRepeats === undefined ? {} : { minRepeats: options.minRepeats }),
    ...(options.minTimeMs === undefined ? {} : { minTimeMs: options.minTimeMs }),
    ...(options.roundTripMs === undefined ? {} : { roundTripMs: options.roundTripMs }),
  });
  const gapMs = options.gapMs ?? DEFAULT_GAP_MS;
  const summaries: N1SourceSummary[] = [];
  const warnings: string[] = [];
  const unitBasis: string[] = [];
  let unitNoun = 'request';
  const extraFindings: Finding[] = [];
  const counted = (): { units: number; queries: number; add: (u: QueryUnit) => void } => {
    const c = {
      units: 0,
      queries: 0,
      add: (u: QueryUnit) => {
        c.units++;
        c.queries += u.events.length;
        detector.addUnit(u);
      },
    };
    return c;
  };
  for (const path of sources.captures ?? []) {
    await mustExist(path, 'capture file');
    const c = counted();
    const r = await readCaptureFile(path, gapMs, c.add);
    warnings.push(...r.warnings);
    const pooling = noPoolingFinding(path, r.requests, r.requestsOnFreshConnections, r.connections);
    if (pooling !== null) extraFindings.push(pooling);
    summaries.push({ kind: 'capture', name: path, units: c.units, queries: c.queries });
    unitBasis.push(`${path}: units are the HTTP requests the capture recorded (exact); queries outside a request are grouped per connection and pause`);
  }
  const otlp = new OtlpSpanCollector();
  for (const path of sources.otlpFiles ?? []) {
    await mustExist(path, 'OTLP file');
    const before = otlp.spanCount;
    parseOtlpText(await readFile(path, 'utf8'), path, otlp);
    if (otlp.spanCount === before) warnings.push(`${path}: the OTLP export has no spans`);
  }
  for (const [kind, collector] of [
    ['otlp', otlp],
    ['otlp-receiver', sources.otlpCollector],
  ] as const) {
    if (collector === undefined || collector.exports === 0) continue;
    const c = counted();
    const units = collector.units();
    if (units.length === 0) warnings.push(`${kind === 'otlp' ? 'the OTLP files' : 'the received traces'} hold ${collector.spanCount} spans but none is a PostgreSQL statement (db.statement / db.query.text)`);
    for (const u of units) c.add(u);
    unitBasis.push(`${kind === 'otlp' ? 'OTLP files' : 'received traces'}: units are traces, split by the parent span of the statements`);
    summaries.push({ kind, name: kind === 'otlp' ? (sources.otlpFiles ?? []).join(', ') : 'POST /v1/traces', units: c.units, queries: c.queries });
  }
  for (const path of sources.logs ?? []) {
    await mustExist(path, 'log file');
    unitNoun = (sources.captures?.length ?? 0) > 0 ? 'request' : 'transaction';
    const c = counted();
    const builder = new LogUnitBuilder(c.add, gapMs);
    const r = await readPostgresLog(
      path,
      options.stdin ?? process.stdin,
      {
        name: path === '-' ? 'stdin' : path,
        ...(options.logFormat === undefined ? {} : { format: options.logFormat }),
        ...(options.logLinePrefix === undefined ? {} : { logLinePrefix: options.logLinePrefix }),
      },
      (rec) => builder.add(rec),
    );
    builder.finish();
    warnings.push(...r.warnings);
    unitBasis.push(logUnitBasis(path === '-' ? 'stdin' : path, r, builder.stats, gapMs));
    if (builder.stats.statements === 0) {
      warnings.push(
        `${path === '-' ? 'stdin' : path}: no statements found in the log: set log_statement = 'all' or log_min_duration_statement = 0 while you reproduce the slow page`,
      );
    }
    summaries.push({ kind: 'log', name: path === '-' ? 'stdin' : path, format: r.format, logLinePrefix: r.prefix, lines: r.lines, units: c.units, queries: c.queries });
  }
  const summary = detector.summary();
  if (summary.unparsable > 0) {
    warnings.push(`${summary.unparsable} statement(s) did not parse (lines cut mid-statement, or not PostgreSQL SQL) and were left out`);
  }
  const findings = [...extraFindings, ...summary.patterns.map((p) =>
    patternToFinding(p, {
      snapshot: options.snapshot ?? null,
      orm: options.orm ?? null,
      unitNoun,
      roundTripMs: detector.thresholds.roundTripMs,
      spanMs: summary.firstMs === null || summary.lastMs === null ? null : summary.lastMs - summary.firstMs,
      ...(options.readFile === undefined ? {} : { readFile: options.readFile }),
    }),
  )];
  return {
    findings,
    sources: summaries,
    units: summary.units,
    queries: summary.events,
    unparsable: summary.unparsable,
    thresholds: { ...detector.thresholds, roundTripSource: options.roundTripMs === undefined ? 'default' : (options.roundTripSource ?? 'option') },
    unitBasis,
    ignored: summary.ignored.map((i) => ({ reason: i.reason, statement: i.sql.length > 300 ? `${i.sql.slice(0, 300)}…` : i.sql, units: i.units, queries: i.queries })),
    warnings,
  };
}
