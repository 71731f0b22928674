import { DbOptimizeError } from '../../errors/index.ts';
import type { QueryEvent, QueryUnit } from '../query-event.ts';

interface OtlpAttribute {
  key: string;
  value?: { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean };
}

interface OtlpSpan {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  startTimeUnixNano?: string | number;
  endTimeUnixNano?: string | number;
  attributes?: OtlpAttribute[];
}

interface OtlpExport {
  resourceSpans?: { scopeSpans?: { spans?: OtlpSpan[] }[]; instrumentationLibrarySpans?: { spans?: OtlpSpan[] }[] }[];
}

function attr(span: OtlpSpan, ...keys: string[]): string | null {
  for (const key of keys) {
    const a = span.attributes?.find((x) => x.key === key);
    const v = a?.value;
    if (v === undefined) continue;
    if (v.stringValue !== undefined) return v.stringValue;
    if (v.intValue !== undefined) return String(v.intValue);
    if (v.doubleValue !== undefined) return String(v.doubleValue);
  }
  return null;
}

const nanosToMs = (v: string | number | undefined): number | null => {
  if (v === undefined) return null;
  const n = typeof v === 'number' ? v : Number(BigInt(v) / 1000n) / 1000;
  return typeof v === 'number' ? n / 1e6 : n;
};

/** Bind values when the instrumentation records them (db.query.parameter.<n>, db.postgresql.values). */
function spanParams(span: OtlpSpan): string[] | null {
  const out: string[] = [];
  for (const a of span.attributes ?? []) {
    const m = /^db\.query\.parameter\.(\d+)$/.exec(a.key);
    if (m !== null) out[Number(m[1])] = String(a.value?.stringValue ?? a.value?.intValue ?? a.value?.doubleValue ?? '');
  }
  if (out.length > 0) return out;
  const values = attr(span, 'db.postgresql.values');
  if (values !== null) {
    try {
      const parsed = JSON.parse(values) as unknown;
      if (Array.isArray(parsed)) return parsed.map((v) => JSON.stringify(v));
    } catch {
      return null;
    }
  }
  return null;
}

/** Collects spans across exports; units are built once all spans are in (a trace may span several). */
export class OtlpSpanCollector {
  private readonly spans: OtlpSpan[] = [];
  exports = 0;

  /** Adds one OTLP JSON export (ExportTraceServiceRequest); throws on anything else. */
  add(doc: unknown, origin: string): void {
    const d = doc as OtlpExport | null;
    if (d === null || typeof d !== 'object' || !Array.isArray(d.resourceSpans)) {
      throw new DbOptimizeError('E_OTLP_FORMAT', 'input', `${origin} is not an OTLP JSON trace export: no "resourceSpans" array at the top level`, {
        hint: 'export traces with the OTLP JSON file exporter (or the collector file exporter with format json); protobuf files are not read',
      });
    }
    this.exports++;
    for (const rs of d.resourceSpans) {
      for (const ss of [...(rs.scopeSpans ?? []), ...(rs.instrumentationLibrarySpans ?? [])]) {
        for (const span of ss.spans ?? []) this.spans.push(span);
      }
    }
  }

  get spanCount(): number {
    return this.spans.length;
  }

  /** Database spans grouped by trace and parent span (Sentry's grouping). */
  units(): QueryUnit[] {
    const names = new Map<string, string>();
    for (const s of this.spans) if (s.spanId !== undefined && s.name !== undefined) names.set(s.spanId, s.name);
    const groups = new Map<string, { events: QueryEvent[]; label: string | null }>();
    for (const s of this.spans) {
      const sql = attr(s, 'db.query.text', 'db.statement');
      if (sql === null) continue;
      const system = attr(s, 'db.system.name', 'db.system');
      if (system !== null && system !== 'postgresql' && system !== 'postgres') continue;
      const start = nanosToMs(s.startTimeUnixNano);
      const end = nanosToMs(s.endTimeUnixNano);
      const file = attr(s, 'code.file.path', 'code.filepath');
      const line = attr(s, 'code.line.number', 'code.lineno');
      const fn = attr(s, 'code.function.name', 'code.function');
      const callSite = file !== null ? `${file}${line === null ? '' : `:${line}`}` : fn;
      const key = `${s.traceId ?? ''}/${s.parentSpanId ?? ''}`;
      let g = groups.get(key);
      if (g === undefined) groups.set(key, (g = { events: [], label: s.parentSpanId === undefined ? null : (names.get(s.parentSpanId) ?? null) }));
      g.events.push({ sql, params: spanParams(s), startMs: start, durationMs: start !== null && end !== null ? end - start : null, callSite, rows: null, connection: null });
    }
    return [...groups.entries()].map(([id, g]) => ({
      kind: 'span-parent' as const,
      id,
      label: g.label,
      source: 'otlp' as const,
      events: g.events.sort((a, b) => (a.startMs ?? 0) - (b.startMs ?? 0)),
    }));
  }
}

/** Parses an OTLP JSON file: one export, or one export per line (collector file exporter). */
export function parseOtlpText(text: string, origin: string, into: OtlpSpanCollector): void {
  const trimmed = text.trim();
  if (trimmed === '') throw new DbOptimizeError('E_OTLP_FORMAT', 'input', `${origin} is empty`);
  try {
    into.add(JSON.parse(trimmed), origin);
    return;
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
  }
  let n = 0;
  for (const line of trimmed.split('\n')) {
    n++;
    if (line.trim() === '') continue;
    let doc: unknown;
    try {
      doc = JSON.parse(line);
    } catch {
      throw new DbOptimizeError('E_OTLP_FORMAT', 'input', `${origin} is not JSON (line ${n} does not parse)`, {
        hint: 'pass an OTLP JSON trace export (protobuf is not read)',
      });
    }
    into.add(doc, `${origin} line ${n}`);
  }
}
