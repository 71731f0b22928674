import type { Report, Workload } from '../../model/index.ts';
import { fingerprintSql } from '../../sql/index.ts';

/**
 * The per-statement numbers a profile report carries at its top level (`statements`), so a
 * later run can compare against it with --baseline.
 */
export interface ReportStatement {
  readonly fingerprint: string | null;
  readonly queryId: string | null;
  readonly query: string;
  readonly calls: number;
  readonly totalTimeMs: number;
  readonly meanTimeMs: number;
}

const r3 = (n: number): number => Math.round(n * 1000) / 1000;

/** The top statements of a workload by total time, in the report's `statements` shape. */
export function reportStatements(workload: Workload | null, limit = 200): ReportStatement[] {
  return [...(workload?.statements ?? [])]
    .sort((a, b) => b.totalTimeMs - a.totalTimeMs)
    .slice(0, limit)
    .map((s) => ({
      fingerprint: s.fingerprint,
      queryId: s.queryId ?? null,
      query: s.text,
      calls: s.calls,
      totalTimeMs: r3(s.totalTimeMs),
      meanTimeMs: r3(s.meanTimeMs),
    }));
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const numberOr = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

/**
 * Statements of an earlier report: its `statements` field, else (older reports, other commands)
 * the evidence of its top-statements and slow-statements findings. Needs initSqlParser() to
 * fingerprint texts that came without one.
 */
export function baselineStatements(report: Report): ReportStatement[] {
  const out = new Map<string, ReportStatement>();
  const add = (s: ReportStatement): void => {
    const key = statementKey(s);
    if (!out.has(key)) out.set(key, s);
  };
  const fromField = report.statements;
  if (Array.isArray(fromField)) {
    for (const s of fromField) {
      if (!isObject(s) || typeof s.query !== 'string') continue;
      add({
        fingerprint: typeof s.fingerprint === 'string' ? s.fingerprint : fingerprintSql(s.query),
        queryId: typeof s.queryId === 'string' ? s.queryId : null,
        query: s.query,
        calls: numberOr(s.calls, 0),
        totalTimeMs: numberOr(s.totalTimeMs, 0),
        meanTimeMs: numberOr(s.meanTimeMs, 0),
      });
    }
  }
  for (const f of report.findings ?? []) {
    if (f.rule !== 'top-statements' && f.rule !== 'slow-statements') continue;
    const e = f.evidence as Record<string, unknown>;
    if (typeof e.query !== 'string') continue;
    add({
      fingerprint: f.target.fingerprint ?? fingerprintSql(e.query),
      queryId: f.target.queryId ?? null,
      query: e.query,
      calls: numberOr(e.calls, 0),
      totalTimeMs: numberOr(e.totalTimeMs, 0),
      meanTimeMs: numberOr(e.meanTimeMs, 0),
    });
  }
  return [...out.values()];
}

/** Identity of a statement across runs: libpg_query fingerprint, else queryid, else its text. */
export function statementKey(s: { readonly fingerprint: string | null; readonly queryId?: string | null; readonly query?: string; readonly text?: string }): string {
  if (s.fingerprint !== null) return `f:${s.fingerprint}`;
  if (s.queryId !== null && s.queryId !== undefined) return `q:${s.queryId}`;
  return `t:${(s.query ?? s.text ?? '').replace(/\s+/g, ' ').trim()}`;
}

/** Seconds the baseline's counters covered, when it says. */
export function baselineWindowSeconds(report: Report): number | null {
  const w = report.workload;
  if (w === undefined || !isObject(w)) return null;
  const v = w.windowSeconds;
  return typeof v === 'number' && v > 0 ? v : null;
}
