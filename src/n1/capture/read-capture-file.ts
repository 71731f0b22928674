import { DbOptimizeError } from '../../errors/index.ts';
import type { QueryEvent, QueryUnit } from '../query-event.ts';
import { forEachLine } from '../read-lines.ts';

export interface CaptureReadResult {
  readonly queries: number;
  readonly requests: number;
  /** requests whose queries all ran on connections opened during that request (no pooling) */
  readonly requestsOnFreshConnections: number;
  readonly connections: number;
  readonly warnings: readonly string[];
}

interface CaptureQuery {
  t: 'q';
  sql: string;
  p: string[] | null;
  s: number;
  d: number;
  r: string | null;
  cs: string | null;
  n: number | null;
  c: number;
  e?: 1;
}

/**
 * Streams a capture file written by `db-optimize/capture`: queries are grouped by the
 * request that issued them (a request record closes its unit), and queries outside any
 * request by connection and time gap.
 */
export async function readCaptureFile(path: string, gapMs: number, onUnit: (u: QueryUnit) => void): Promise<CaptureReadResult> {
  const open = new Map<string, QueryEvent[]>();
  const loose = new Map<number, { events: QueryEvent[]; last: number }>();
  const warnings: string[] = [];
  let queries = 0;
  let requests = 0;
  let lineNo = 0;
  let bad = 0;
  let sawHeader = false;
  let looseCount = 0;
  // connection ids seen so far, and per open request whether every connection it used was new
  const seen = new Map<number, string | null>();
  const fresh = new Map<string, boolean>();
  let freshRequests = 0;
  const flushLoose = (c: number): void => {
    const l = loose.get(c);
    if (l === undefined || l.events.length === 0) return;
    looseCount++;
    onUnit({ kind: 'session-burst', id: `connection ${c}#${looseCount}`, label: null, source: 'capture', events: l.events });
    loose.delete(c);
  };
  try {
    await forEachLine(path, process.stdin, (line) => {
      lineNo++;
      if (line.trim() === '') return;
      let rec: Record<string, unknown>;
      try {
        rec = JSON.parse(line) as Record<string, unknown>;
      } catch {
        if (lineNo === 1) {
          throw new DbOptimizeError('E_CAPTURE_FORMAT', 'input', `${path} is not a db-optimize capture file (line 1 is not JSON)`, {
            hint: "write one with startCapture({ file }) from 'db-optimize/capture'",
          });
        }
        bad++;
        return;
      }
      if (rec.t === 'capture') {
        sawHeader = true;
        return;
      }
      if (!sawHeader && lineNo === 1) {
        throw new DbOptimizeError('E_CAPTURE_FORMAT', 'input', `${path} is not a db-optimize capture file (no capture header on line 1)`, {
          hint: "write one with startCapture({ file }) from 'db-optimize/capture'",
        });
      }
      if (rec.t === 'q' && typeof rec.sql === 'string') {
        const q = rec as unknown as CaptureQuery;
        queries++;
        if (!seen.has(q.c) && seen.size < 100_000) seen.set(q.c, q.r);
        const event: QueryEvent = { sql: q.sql, params: q.p, startMs: q.s, durationMs: q.d, callSite: q.cs, rows: q.n, connection: String(q.c), ...(q.e === 1 ? { failed: true } : {}) };
        if (q.r !== null) {
          fresh.set(q.r, (fresh.get(q.r) ?? true) && seen.get(q.c) === q.r);
          let list = open.get(q.r);
          if (list === undefined) open.set(q.r, (list = []));
          list.push(event);
        } else {
          const l = loose.get(q.c);
          if (l !== undefined && q.s - l.last > gapMs) flushLoose(q.c);
          const cur = loose.get(q.c) ?? { events: [], last: q.s };
          cur.events.push(event);
          cur.last = q.s + q.d;
          loose.set(q.c, cur);
        }
      } else if (rec.t === 'req' && typeof rec.id === 'string') {
        requests++;
        if (fresh.get(rec.id) === true) freshRequests++;
        fresh.delete(rec.id);
        const events = open.get(rec.id) ?? [];
        open.delete(rec.id);
        // queries finish after their request only when the app did not await them
        events.sort((a, b) => (a.startMs ?? 0) - (b.startMs ?? 0));
        onUnit({ kind: 'request', id: rec.id, label: typeof rec.label === 'string' ? rec.label : null, source: 'capture', events });
      }
    });
  } catch (error) {
    if (error instanceof DbOptimizeError) throw error;
    throw new DbOptimizeError('E_CAPTURE_READ', 'input', `cannot read capture file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  for (const [id, events] of open) {
    onUnit({ kind: 'request', id, label: null, source: 'capture', events });
    requests++;
  }
  for (const c of [...loose.keys()]) flushLoose(c);
  if (bad > 0) warnings.push(`${path}: ${bad} line(s) are not valid JSON (cut off while the app was writing?) and were skipped`);
  return { queries, requests, requestsOnFreshConnections: freshRequests, connections: seen.size, warnings };
}
