import type { QueryEvent } from '../n1/query-event.ts';

/** A statement kept for the development report. */
export interface DevStatement {
  readonly sql: string;
  readonly params: readonly string[] | null;
  readonly startMs: number;
  readonly durationMs: number;
  readonly callSite: string | null;
  readonly failed: boolean;
}

export type DevJudge = (label: string, statements: readonly DevStatement[]) => string[];

/**
 * The development report judges a request with the same detector as `db-optimize n1` (same
 * defaults, same traps), loaded lazily: libpg_query is only paid for when the report is on.
 */
export async function loadDevJudge(minRepeats: number): Promise<DevJudge> {
  const [{ analyzeUnit, DEFAULT_THRESHOLDS, applicationCostMs }, { StatementCache }, { initSqlParser }] = await Promise.all([
    import('../n1/detect/analyze-unit.ts'),
    import('../n1/statement-cache.ts'),
    import('../sql/index.ts'),
  ]);
  await initSqlParser();
  const cache = new StatementCache(5_000);
  const thresholds = { ...DEFAULT_THRESHOLDS, minRepeats };
  return (label, statements) => {
    const events: QueryEvent[] = statements.map((s) => ({ ...s, rows: null, connection: null }));
    const { patterns } = analyzeUnit({ kind: 'request', id: label, label, source: 'capture', events }, cache, thresholds);
    return patterns.map((p) => {
      const cost = applicationCostMs(p.count, p.timeMs, thresholds.roundTripMs);
      const what = p.members.map((m) => m.shape.normalized.replace(/\s+/g, ' ').slice(0, 100)).join(' / ');
      return (
        `[db-optimize] ${label}: ${statements.length} queries; ${p.rule}: ${p.count} × ${what}${p.callSite === null ? '' : ` at ${p.callSite}`}` +
        ` (~${Math.round(cost * 10) / 10} ms at ${thresholds.roundTripMs} ms per round trip)`
      );
    });
  };
}
