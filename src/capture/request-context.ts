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
