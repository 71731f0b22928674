/**
 * db-optimize/capture — records what node-postgres runs (and so Knex, Sequelize, TypeORM,
 * MikroORM, Drizzle and Prisma's pg adapter), per request, with the application call site.
 *
 *   import pg from 'pg';
 *   import { startCapture, expressCapture } from 'db-optimize/capture';
 *   startCapture({ pg, file: 'queries.ndjson' });
 *   app.use(expressCapture());
 *   // later: npx db-optimize n1 --capture queries.ndjson
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { applicationCallSite } from './call-site.ts';
import { CaptureWriter } from './capture-writer.ts';
import { loadDevJudge } from './dev-judge.ts';
import type { DevJudge } from './dev-judge.ts';
import { hashValue } from './hash-value.ts';
import { bindEmitter, newRequestContext, requestStorage } from './request-context.ts';
import type { RequestContext } from './request-context.ts';

export type { RequestContext } from './request-context.ts';

export const CAPTURE_FORMAT_VERSION = 1;

/** The part of the pg module the capture patches. */
export interface PgModuleLike {
  readonly Client: { prototype: { query: (...args: unknown[]) => unknown } };
  readonly Pool?: { prototype: { query: (...args: unknown[]) => unknown } };
}

export interface CaptureOptions {
  /** NDJSON file the CLI reads (`db-optimize n1 --capture FILE`); omit for the dev report only */
  readonly file?: string;
  /** the application's pg module; default: the `pg` resolvable from the working directory */
  readonly pg?: PgModuleLike;
  /** print a line to stderr at the end of each request that repeats a statement (development) */
  readonly devReport?: boolean | { readonly minRepeats?: number; readonly write?: (line: string) => void };
  /** record the application call site (a stack capture per query); default true */
  readonly callSites?: boolean;
  /**
   * share of requests to record, 0 < r ≤ 1 (default 1: every request). Below 1, every
   * round(1/r)-th request is recorded, queries outside recorded requests are not, and the
   * request context (AsyncLocalStorage, whose promise hooks cost every promise of the process
   * on Node 20) is switched off while no recorded request is in flight. An N+1 repeats on
   * every request to its route, so a sample finds it too.
   */
  readonly sampleRate?: number;
}

export interface CaptureHandle {
  /** queries recorded so far */
  readonly queries: () => number;
  /** resolves once the development report's detector is loaded (immediately without it) */
  readonly ready: Promise<void>;
  /** restores pg and closes the file */
  stop(): void;
}

interface CaptureState {
  writer: CaptureWriter | null;
  callSites: boolean;
  dev: { minRepeats: number; write: (line: string) => void; judge: DevJudge | null } | null;
  queries: number;
  /** record every n-th request (1: all) */
  every: number;
  seen: number;
  /** recorded requests in flight, to switch the request context off between them */
  active: number;
}

let state: CaptureState | null = null;
let restore: (() => void) | null = null;
const connectionIds = new WeakMap<object, number>();
let nextConnection = 0;

const now = (): number => performance.timeOrigin + performance.now();

function maskKey(sql: string): string {
  // only for the fallback report while the detector loads
  return sql.replace(/'(?:[^']|'')*'/g, '?').replace(/(?<![\w$])\d+(\.\d+)?/g, '?').replace(/\s+/g, ' ').trim();
}

const escaped = new Map<string, string>();
function jsonString(text: string): string {
  let out = escaped.get(text);
  if (out === undefined) {
    out = JSON.stringify(text);
    if (escaped.size > 10_000) escaped.clear();
    escaped.set(text, out);
  }
  return out;
}

function record(client: object, text: string, values: unknown, start: number, callSite: string | null, ctx: RequestContext | undefined, rows: number | null, failed: boolean): void {
  const s = state;
  if (s === null) return;
  s.queries++;
  let conn = connectionIds.get(client);
  if (conn === undefined) connectionIds.set(client, (conn = ++nextConnection));
  if (ctx !== undefined) {
    ctx.queries++;
    ctx.statements?.push({ sql: text, params: Array.isArray(values) ? values.map(hashValue) : null, startMs: start, durationMs: now() - start, callSite, failed });
  }
  if (s.writer === null) return;
  // hand-built line: the statement text and call site are JSON-escaped once and cached
  const p = Array.isArray(values) ? `[${values.map((v) => `"${hashValue(v)}"`).join(',')}]` : 'null';
  s.writer.writeLine(
    `{"t":"q","sql":${jsonString(text)},"p":${p},"s":${Math.round(start * 1000) / 1000},"d":${Math.round((now() - start) * 1000) / 1000},"r":${ctx === undefined ? 'null' : jsonString(ctx.id)},"cs":${callSite === null ? 'null' : jsonString(callSite)},"n":${rows ?? 'null'},"c":${conn}${failed ? ',"e":1' : ''}}\n`,
  );
}

const looseSites = new Map<string, { site: string | null; uses: number }>();

/**
 * A stack capture costs ~40 µs, a simple query ~200 µs: capture it once per statement text
 * in a request (an N+1 repeats one text from one place), and outside requests refresh it
 * every 64 uses.
 */
function callSiteFor(text: string, ctx: RequestContext | undefined, skip: (...args: never[]) => unknown): string | null {
  if (ctx !== undefined) {
    let site = ctx.sites.get(text);
    if (site === undefined) {
      site = applicationCallSite(skip);
      ctx.sites.set(text, site);
    }
    return site;
  }
  const cached = looseSites.get(text);
  if (cached !== undefined && cached.uses++ % 64 !== 0) return cached.site;
  const site = applicationCallSite(skip);
  if (looseSites.size > 5_000) looseSites.clear();
  looseSites.set(text, { site, uses: 1 });
  return site;
}

/** Patches `Client.prototype.query` of the given pg module; returns the undo function. */
export function instrumentPg(pg: PgModuleLike): () => void {
  const proto = pg.Client.prototype;
  const original = proto.query;
  const patched = function query(this: object, config: unknown, values?: unknown, callback?: unknown): unknown {
    const s = state;
    const text = typeof config === 'string' ? config : typeof config === 'object' && config !== null ? (config as { text?: unknown }).text : undefined;
    if (s === null || typeof text !== 'string' || (typeof config === 'object' && config !== null && typeof (config as { submit?: unknown }).submit === 'function')) {
      return original.call(this, config, values, callback);
    }
    const params = Array.isArray(values) ? values : typeof config === 'object' && config !== null ? (config as { values?: unknown }).values : undefined;
    const ctx = requestStorage.getStore();
    // sampling: a query outside a recorded request costs one lookup and nothing else
    if (ctx === undefined && s.every > 1) return original.call(this, config, values, callback);
    const site = s.callSites ? callSiteFor(text, ctx, patched) : null;
    const start = now();
    let done = false;
    const finish = (error: unknown, result: unknown): void => {
      if (done) return;
      done = true;
      const rows = typeof (result as { rowCount?: unknown } | null)?.rowCount === 'number' ? (result as { rowCount: number }).rowCount : null;
      record(this, text, params, start, site, ctx, rows, error !== null && error !== undefined);
    };
    if (typeof values === 'function') {
      const cb = values as (e: unknown, r: unknown) => void;
      return original.call(this, config, (e: unknown, r: unknown) => {
        finish(e, r);
        cb(e, r);
      });
    }
    if (typeof callback === 'function') {
      const cb = callback as (e: unknown, r: unknown) => void;
      return original.call(this, config, values, (e: unknown, r: unknown) => {
        finish(e, r);
        cb(e, r);
      });
    }
    // pass our own callback rather than chaining on pg's promise: one promise per query, as pg does
    return new Promise((resolve, reject) => {
      original.call(this, config, values, (e: unknown, r: unknown) => {
        finish(e, r);
        if (e !== null && e !== undefined) reject(e as Error);
        else resolve(r);
      });
    });
  };
  proto.query = patched;
  // pool.query reaches client.query from a connect callback, after the caller's frames are
  // gone: take the call site at pool.query and let client.query find it in the cache
  const poolProto = pg.Pool?.prototype;
  const poolOriginal = poolProto?.query;
  const poolOwn = poolProto !== undefined && Object.prototype.hasOwnProperty.call(poolProto, 'query');
  const poolPatched = function query(this: object, ...args: unknown[]): unknown {
    const s = state;
    const first = args[0];
    const text = typeof first === 'string' ? first : typeof first === 'object' && first !== null ? (first as { text?: unknown }).text : undefined;
    if (s !== null && s.callSites && typeof text === 'string') callSiteFor(text, requestStorage.getStore(), poolPatched);
    return (poolOriginal as (...a: unknown[]) => unknown).apply(this, args);
  };
  if (poolProto !== undefined && poolOriginal !== undefined) poolProto.query = poolPatched;
  return () => {
    if (proto.query === patched) proto.query = original;
    if (poolProto !== undefined && poolProto.query === poolPatched) {
      if (poolOwn && poolOriginal !== undefined) poolProto.query = poolOriginal;
      else delete (poolProto as { query?: unknown }).query;
    }
  };
}

function sampleEvery(rate: number | undefined): number {
  if (rate === undefined) return 1;
  if (!(rate > 0 && rate <= 1)) throw new RangeError(`sampleRate must be in (0, 1], got ${rate}`);
  return Math.max(1, Math.round(1 / rate));
}

/** A context for a request to record, or null when sampling skips it (or no capture runs). */
function beginRequest(label: string): RequestContext | null {
  const s = state;
  if (s === null) return null;
  if (s.every > 1 && s.seen++ % s.every !== 0) return null;
  s.active++;
  return newRequestContext(label, s.dev !== null);
}

function resolveAppPg(): PgModuleLike {
  const require = createRequire(join(process.cwd(), 'noop.js'));
  return require('pg') as PgModuleLike;
}

/** Starts recording. One capture per process; calling it again replaces the previous one. */
export function startCapture(options: CaptureOptions = {}): CaptureHandle {
  stopCapture();
  const dev = options.devReport === undefined || options.devReport === false ? null : options.devReport === true ? {} : options.devReport;
  const writer = options.file === undefined ? null : new CaptureWriter(options.file);
  writer?.write({ t: 'capture', v: CAPTURE_FORMAT_VERSION, pid: process.pid, started: new Date().toISOString() });
  state = {
    writer,
    callSites: options.callSites !== false,
    dev: dev === null ? null : { minRepeats: dev.minRepeats ?? 5, write: dev.write ?? ((l) => void process.stderr.write(`${l}\n`)), judge: null },
    queries: 0,
    every: sampleEvery(options.sampleRate),
    seen: 0,
    active: 0,
  };
  const devState = state.dev;
  const ready =
    devState === null
      ? Promise.resolve()
      : loadDevJudge(devState.minRepeats).then(
          (judge) => void (devState.judge = judge),
          (error: Error) => devState.write(`[db-optimize] the N+1 detector did not load (${error.message}); counting repeated statements instead`),
        );
  restore = instrumentPg(options.pg ?? resolveAppPg());
  const onExit = (): void => state?.writer?.flush();
  process.once('exit', onExit);
  const mine = state;
  return {
    queries: () => mine.queries,
    ready,
    stop: () => {
      process.removeListener('exit', onExit);
      if (state === mine) stopCapture();
    },
  };
}

export function stopCapture(): void {
  restore?.();
  restore = null;
  state?.writer?.close();
  state = null;
}

function endRequest(ctx: RequestContext, status: number | null): void {
  const s = state;
  if (s === null) return;
  s.active = Math.max(0, s.active - 1);
  // no recorded request in flight: stop paying the promise hooks until the next one
  if (s.every > 1 && s.active === 0) requestStorage.disable();
  s.writer?.write({ t: 'req', id: ctx.id, label: ctx.label, s: Math.round(ctx.startMs * 1000) / 1000, d: Math.round((now() - ctx.startMs) * 1000) / 1000, q: ctx.queries, status });
  if (s.dev !== null && ctx.statements !== null && s.dev.judge !== null) {
    for (const line of s.dev.judge(ctx.label, ctx.statements)) s.dev.write(line);
  } else if (s.dev !== null && ctx.statements !== null) {
    const counts = new Map<string, { n: number; site: string | null }>();
    for (const st of ctx.statements) {
      const key = maskKey(st.sql);
      const c = counts.get(key) ?? { n: 0, site: st.callSite };
      c.n++;
      counts.set(key, c);
    }
    for (const [key, c] of counts) {
      if (c.n >= s.dev.minRepeats) {
        s.dev.write(`[db-optimize] ${ctx.label}: ${ctx.queries} queries; possible N+1: ${c.n} × ${key.slice(0, 100)}${c.site === null ? '' : ` at ${c.site}`}`);
      }
    }
  }
}

/** Runs `fn` as one request: every query it issues, across awaits, is attributed to it. */
export function runInRequest<T>(label: string, fn: () => T): T {
  const ctx = beginRequest(label);
  if (ctx === null) return fn();
  const result = requestStorage.run(ctx, fn);
  if (result instanceof Promise) {
    return result.finally(() => endRequest(ctx, null)) as T;
  }
  endRequest(ctx, null);
  return result;
}

/**
 * Keeps the request context in the request's and response's event listeners (a body read in
 * req.on('data'/'end'), a parser calling next() from 'end') and ends the request on 'finish',
 * or on 'close' when the client goes away first, so an aborted request does not stay in flight.
 */
function trackRequest(ctx: RequestContext, req: IncomingMessage | null, res: ServerResponse): void {
  const unbindReq = req === null ? null : bindEmitter(req, ctx);
  const unbindRes = bindEmitter(res, ctx);
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    unbindReq?.();
    unbindRes();
    res.removeListener('finish', end);
    res.removeListener('close', end);
    endRequest(ctx, res.statusCode);
  };
  res.once('finish', end);
  res.once('close', end);
}

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Wraps a plain `http` handler: `http.createServer(withRequestCapture((req, res) => …))`. */
export function withRequestCapture(handler: NodeHandler): NodeHandler {
  return (req, res) => {
    const ctx = beginRequest(`${req.method ?? 'GET'} ${(req.url ?? '/').split('?')[0] ?? '/'}`);
    if (ctx === null) {
      handler(req, res);
      return;
    }
    trackRequest(ctx, req, res);
    requestStorage.run(ctx, () => handler(req, res));
  };
}

/** Express middleware: `app.use(expressCapture())`. */
export function expressCapture(): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  return (req, res, next) => {
    const ctx = beginRequest(`${req.method ?? 'GET'} ${(req.url ?? '/').split('?')[0] ?? '/'}`);
    if (ctx === null) {
      next();
      return;
    }
    trackRequest(ctx, req, res);
    requestStorage.run(ctx, next);
  };
}

interface FastifyLike {
  addHook(name: 'onRequest', hook: (req: { method: string; url: string; raw?: IncomingMessage; routeOptions?: { url?: string } }, reply: { raw: ServerResponse }, done: () => void) => void): unknown;
}

/** Fastify: `fastifyCapture(app)` before the routes are registered. */
export function fastifyCapture(fastify: FastifyLike): void {
  fastify.addHook('onRequest', (req, reply, done) => {
    const ctx = beginRequest(`${req.method} ${req.routeOptions?.url ?? req.url.split('?')[0] ?? '/'}`);
    if (ctx === null) {
      done();
      return;
    }
    trackRequest(ctx, req.raw ?? null, reply.raw);
    requestStorage.run(ctx, done);
  });
}
