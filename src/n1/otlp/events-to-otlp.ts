import { createHash } from 'node:crypto';
import type { QueryUnit } from '../query-event.ts';

const id = (text: string, bytes: number): string => createHash('sha256').update(text).digest('hex').slice(0, bytes * 2);
const nanos = (ms: number): string => (BigInt(Math.round(ms * 1000)) * 1000n).toString();

/**
 * Writes units as an OTLP JSON export with the OpenTelemetry semantic conventions: one
 * SERVER span per unit and one CLIENT span per statement (db.system, db.statement and the
 * newer db.system.name / db.query.text, code.filepath / code.lineno). Used to record the
 * test apps' traces.
 */
export function unitsToOtlp(units: readonly QueryUnit[], serviceName: string): object {
  const spans: object[] = [];
  for (const u of units) {
    const traceId = id(`trace ${u.id}`, 16);
    const parentId = id(`parent ${u.id}`, 8);
    // a log's timestamps have millisecond precision: keep one backend's statements sequential
    let previousEnd = -Infinity;
    const events = u.events.map((e) => {
      if (u.source !== 'log' || e.startMs === null) return e;
      const startMs = Math.max(e.startMs, previousEnd);
      previousEnd = startMs + (e.durationMs ?? 0);
      return { ...e, startMs };
    });
    const starts = events.map((e) => e.startMs ?? 0);
    const ends = events.map((e) => (e.startMs ?? 0) + (e.durationMs ?? 0));
    spans.push({
      traceId,
      spanId: parentId,
      name: u.label ?? u.id,
      kind: 2,
      startTimeUnixNano: nanos(Math.min(...starts)),
      endTimeUnixNano: nanos(Math.max(...ends)),
      attributes: [],
    });
    events.forEach((e, i) => {
      const [file, line] = e.callSite === null ? [null, null] : [e.callSite.replace(/:\d+(:\d+)?$/, ''), /:(\d+)(?::\d+)?$/.exec(e.callSite)?.[1] ?? null];
      spans.push({
        traceId,
        spanId: id(`span ${u.id} ${i}`, 8),
        parentSpanId: parentId,
        name: e.sql.split(/\s+/)[0]?.toUpperCase() ?? 'query',
        kind: 3,
        startTimeUnixNano: nanos(e.startMs ?? 0),
        endTimeUnixNano: nanos((e.startMs ?? 0) + (e.durationMs ?? 0)),
        attributes: [
          { key: 'db.system', value: { stringValue: 'postgresql' } },
          { key: 'db.system.name', value: { stringValue: 'postgresql' } },
          { key: 'db.statement', value: { stringValue: e.sql } },
          { key: 'db.query.text', value: { stringValue: e.sql } },
          ...(file === null ? [] : [{ key: 'code.filepath', value: { stringValue: file } }]),
          ...(line === null ? [] : [{ key: 'code.lineno', value: { intValue: line } }]),
        ],
      });
    });
  }
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: serviceName } }] },
        scopeSpans: [{ scope: { name: 'db-optimize-recorder' }, spans }],
      },
    ],
  };
}
