/**
 * Side by side on ~1 ms loopback queries: plain node-postgres, db-optimize/capture, and
 * OpenTelemetry's pg instrumentation (the anchor apps already run: ALS context manager, a
 * parent span per request, spans batched to an in-memory exporter so no network is measured).
 * Rounds rotate the three arms so load from other processes falls on all of them alike;
 * the median per-round ratio to plain and the CPU per query are reported.
 *   node --import tsx bench/n1/capture-vs-otel.ts [DATABASE_URL]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import type PgModule from 'pg';
import { runInRequest, startCapture } from '../../src/capture/index.ts';

const url = process.argv[2] ?? process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const QUERIES = Number(process.env.QUERIES ?? 200);
const ROUNDS = Number(process.env.ROUNDS ?? 15);
const PER_REQUEST = 50;

// OpenTelemetry patches pg when it is required after registration, as in an app's tracing preload
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(provider);
registerInstrumentations({ instrumentations: [new PgInstrumentation()] });
const pg = createRequire(import.meta.url)('pg') as typeof PgModule;
type Query = typeof pg.Client.prototype.query;
const otelQuery = pg.Client.prototype.query;
const plainQuery = (otelQuery as Query & { __original?: Query }).__original;
if (plainQuery === undefined) throw new Error('the OpenTelemetry pg instrumentation did not patch pg.Client.prototype.query');
const tracer = trace.getTracer('bench');
let otelSpans = 0;

const TABLE = `bench_n1_otel_${process.pid}`;
const SQL = `SELECT id, name, price FROM ${TABLE} WHERE category = $1 ORDER BY price DESC LIMIT 20`;
const dir = mkdtempSync(join(tmpdir(), 'dbo-bench-otel-'));
pg.Client.prototype.query = plainQuery;
const client = new pg.Client({ connectionString: url });
await client.connect();
await client.query(
  `CREATE TABLE ${TABLE} AS SELECT g AS id, 'item ' || g AS name, g % 50 AS category, (g * 7919 % 10000) / 100.0 AS price FROM generate_series(1, 3000) g`,
);
await client.query(`ANALYZE ${TABLE}`);

async function requests(wrap: <T>(label: string, fn: () => Promise<T>) => Promise<T>): Promise<void> {
  for (let k = 0; k < QUERIES / PER_REQUEST; k++) {
    await wrap(`GET /bench/${k}`, async () => {
      for (let i = 0; i < PER_REQUEST; i++) await client.query(SQL, [i % 50]);
    });
  }
}

const arms: Record<string, (round: number) => Promise<void>> = {
  plain: () => {
    pg.Client.prototype.query = plainQuery;
    return requests((_label, fn) => fn());
  },
  capture: async (round) => {
    pg.Client.prototype.query = plainQuery;
    const capture = startCapture({ pg, file: join(dir, `capture-${round}.ndjson`) });
    try {
      await requests((label, fn) => runInRequest(label, fn));
    } finally {
      capture.stop();
    }
  },
  otel: async () => {
    pg.Client.prototype.query = otelQuery;
    await requests((label, fn) => tracer.startActiveSpan(label, (span) => fn().finally(() => span.end())));
    await provider.forceFlush();
    otelSpans += exporter.getFinishedSpans().length;
    exporter.reset();
  },
};
const names = Object.keys(arms);
const wall: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
const cpu: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
for (const name of names) await arms[name]?.(-1);
for (let r = 0; r < ROUNDS; r++) {
  // rotate the order so no arm always runs first (or right after another one's garbage)
  for (let j = 0; j < names.length; j++) {
    const name = names[(r + j) % names.length] ?? 'plain';
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await arms[name]?.(r);
    wall[name]?.push(performance.now() - t0);
    const d = process.cpuUsage(c0);
    cpu[name] = (cpu[name] ?? 0) + d.user + d.system;
  }
}
pg.Client.prototype.query = plainQuery;
await client.query(`DROP TABLE ${TABLE}`);
await client.end();
await provider.shutdown();
rmSync(dir, { recursive: true, force: true });

const n = ROUNDS * QUERIES;
// a pg span per query plus one per request (and one for connect), or the OpenTelemetry arm measured nothing
const expectedSpans = (ROUNDS + 1) * (QUERIES + QUERIES / PER_REQUEST);
if (otelSpans < expectedSpans) throw new Error(`OpenTelemetry exported ${otelSpans} spans, expected ${expectedSpans}`);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const plainWall = wall.plain ?? [];
const plainCpu = (cpu.plain ?? 0) / n;
const perQuery = (median(plainWall) * 1000) / QUERIES;
console.log(`Node ${process.version}, pg ${createRequire(import.meta.url)('pg/package.json').version as string}; ${otelSpans} OpenTelemetry spans exported`);
console.log(`${ROUNDS} rotations × ${QUERIES} queries (${PER_REQUEST} per request), ~${perQuery.toFixed(0)} µs/query plain (median)`);
console.log('arm       wall µs/query  median ratio to plain  CPU µs/query  extra CPU / plain round trip');
for (const name of names) {
  const w = wall[name] ?? [];
  const ratios = w.map((x, i) => x / (plainWall[i] ?? x));
  const c = (cpu[name] ?? 0) / n;
  const extra = (((c - plainCpu) / perQuery) * 100).toFixed(1);
  const wq = ((median(w) * 1000) / QUERIES).toFixed(0);
  console.log(`${name.padEnd(9)} ${wq.padStart(13)}  ${median(ratios).toFixed(3).padStart(21)}  ${c.toFixed(1).padStart(12)}  ${extra.padStart(27)} %`);
}
