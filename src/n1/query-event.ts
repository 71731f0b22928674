/** Where a query event came from; every source feeds the same detector. */
export type EventSource = 'log' | 'capture' | 'otlp';

/** One statement executed by the application, as any source saw it. */
export interface QueryEvent {
  readonly sql: string;
  /**
   * Bind parameter values (or short hashes of them) when the source knows them; literals
   * inlined in `sql` are extracted later. null when unknown.
   */
  readonly params: readonly string[] | null;
  /** epoch milliseconds, null when the source has no timestamp */
  readonly startMs: number | null;
  readonly durationMs: number | null;
  /** application file:line that issued it (capture, OTel code.* attributes) */
  readonly callSite: string | null;
  /** rows returned, when known */
  readonly rows: number | null;
  /** the pooled connection / backend that ran it, when known */
  readonly connection: string | null;
  /** the statement failed (a retry loop repeats it) */
  readonly failed?: boolean;
}

/** How events were put together into one unit of work. */
export type UnitKind = 'request' | 'transaction' | 'session-burst' | 'span-parent';

/**
 * A unit of work: the statements of one request, transaction, span parent or burst of a
 * session. N+1 patterns are looked for inside a unit.
 */
export interface QueryUnit {
  readonly kind: UnitKind;
  readonly id: string;
  /** what the request was (GET /users), when known */
  readonly label: string | null;
  readonly source: EventSource;
  readonly events: readonly QueryEvent[];
}
