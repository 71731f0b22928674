import type { Table } from '../model/index.ts';
import type { TableAutovacuum } from './config-plan.ts';

/** Large tables with many updates/deletes: per-table autovacuum thresholds (needs no hardware facts). */
export function hotTables(tables: readonly Table[], largeTableRows = 1_000_000, hotTableChurn = 0.1): TableAutovacuum[] {
  const minRows = largeTableRows;
  const minChurn = hotTableChurn;
  const out: TableAutovacuum[] = [];
  for (const t of tables) {
    const a = t.activity;
    if (a === null || t.kind !== 'table' || a.nLiveTup < minRows) continue;
    const churn = (a.nTupUpd + a.nTupDel) / Math.max(1, a.nLiveTup);
    if (churn < minChurn) continue;
    if (t.options.some((o) => o.startsWith('autovacuum_vacuum_scale_factor='))) continue;
    const waitRows = Math.round(a.nLiveTup * 0.2 + 50);
    out.push({
      table: t.qualifiedName,
      liveRows: a.nLiveTup,
      deadRows: a.nDeadTup,
      churn: Math.round(churn * 1000) / 1000,
      statement: `ALTER TABLE ${t.qualifiedName} SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000, autovacuum_analyze_scale_factor = 0.02);`,
      rollback: `ALTER TABLE ${t.qualifiedName} RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold, autovacuum_analyze_scale_factor);`,
      reason: `with the default scale factor 0.2 autovacuum waits for ~${waitRows.toLocaleString('en-US')} dead rows on this ${a.nLiveTup.toLocaleString('en-US')}-row table, which rewrote ${Math.round(churn * 100)} % of its rows since the stats reset; 1 % keeps bloat and visibility-map gaps small`,
    });
  }
  return out.sort((a, b) => b.liveRows * b.churn - a.liveRows * a.churn);
}
