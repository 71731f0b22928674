import { AsyncLocalStorage } from 'node:async_hooks';
import type { DevStatement } from './dev-judge.ts';

/** The request a query belongs to, carried through awaits by AsyncLocalStorage. */
export interface RequestContext {
  readonly id: string;
  readonly label: string;
  readonly startMs: number;
  queries: number;
  /** per-request statements kept only for the development report */
  readonly statements: DevStatement[] | null;
  /** call site per statement text: the stack is captured once per text and request */
  readonly sites: Map<string, string | null>;
}

export const requestStorage = new AsyncLocalStorage<RequestContext>();

let nextId = 0;

export function newRequestContext(label: string, keepStatements: boolean): RequestContext {
  nextId++;
  return { id: `r${process.pid}-${nextId}`, label, startMs: performance.timeOrigin + performance.now(), queries: 0, statements: keepStatements ? [] : null, sites: new Map() };
}

interface Emitter {
  emit(event: string | symbol, ...args: unknown[]): boolean;
}

/**
 * Runs every listener of the request's or response's events in the request context.
 * node:http emits 'data'/'end' of a request body from the socket's async context, so a
 * listener added inside `requestStorage.run` (a body parser, a POST handler) would otherwise
 * run, and issue its queries, outside the request. Wrapping `emit` on the instance covers
 * on/once/prepend/pipe alike and costs one `run` per event, nothing per query. Returns the
 * undo, called when the request ends so late events ('close') do not re-enable the storage
 * that sampling switched off.
 */
export function bindEmitter(emitter: Emitter, ctx: RequestContext): () => void {
  const own = Object.prototype.hasOwnProperty.call(emitter, 'emit');
  const original = emitter.emit;
  const bound = function emit(this: Emitter, event: string | symbol, ...args: unknown[]): boolean {
    return requestStorage.run(ctx, () => original.call(this, event, ...args));
  };
  emitter.emit = bound;
  return () => {
    if (emitter.emit !== bound) return;
    if (own) emitter.emit = original;
    else delete (emitter as { emit?: unknown }).emit;
  };
}
