import type { Setting, Snapshot, Table } from '../../model/index.ts';

const settingsCache = new WeakMap<Snapshot, Map<string, Setting>>();

export function setting(snapshot: Snapshot, name: string): Setting | undefined {
  let map = settingsCache.get(snapshot);
  if (map === undefined) settingsCache.set(snapshot, (map = new Map(snapshot.settings.map((s) => [s.name, s]))));
  return map.get(name);
}

export function settingNumber(snapshot: Snapshot, name: string, fallback: number): number {
  const s = setting(snapshot, name);
  const n = s === undefined ? Number.NaN : Number(s.setting);
  return Number.isFinite(n) ? n : fallback;
}

export function settingText(snapshot: Snapshot, name: string): string | undefined {
  return setting(snapshot, name)?.setting;
}

/** A table's reloption (e.g. autovacuum_vacuum_scale_factor) as text, if set. */
export function tableOption(table: Table, name: string): string | undefined {
  for (const o of table.options) {
    const eq = o.indexOf('=');
    if (eq > 0 && o.slice(0, eq) === name) return o.slice(eq + 1);
  }
  return undefined;
}

function optionNumber(table: Table, name: string): number | undefined {
  const v = tableOption(table, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

export interface AutovacuumPolicy {
  /** autovacuum will process this table: on for the server and not disabled for the table */
  readonly enabled: boolean;
  readonly serverEnabled: boolean;
  readonly tableEnabled: boolean;
  readonly vacuumThreshold: number;
  readonly vacuumScaleFactor: number;
  readonly analyzeThreshold: number;
  readonly analyzeScaleFactor: number;
  /** which values come from the table's own reloptions */
  readonly perTable: readonly string[];
}

/** The autovacuum thresholds that apply to a table: its reloptions, else the server settings. */
export function autovacuumPolicy(snapshot: Snapshot, table: Table): AutovacuumPolicy {
  const perTable: string[] = [];
  const pick = (name: string, fallback: number): number => {
    const own = optionNumber(table, name);
    if (own !== undefined) perTable.push(name);
    return own ?? settingNumber(snapshot, name, fallback);
  };
  const ownEnabled = tableOption(table, 'autovacuum_enabled');
  if (ownEnabled !== undefined) perTable.push('autovacuum_enabled');
  const serverOn = settingText(snapshot, 'autovacuum') !== 'off';
  const tableOn = ownEnabled === undefined ? true : !/^(false|off|0|no)$/i.test(ownEnabled);
  return {
    enabled: serverOn && tableOn,
    serverEnabled: serverOn,
    tableEnabled: tableOn,
    vacuumThreshold: pick('autovacuum_vacuum_threshold', 50),
    vacuumScaleFactor: pick('autovacuum_vacuum_scale_factor', 0.2),
    analyzeThreshold: pick('autovacuum_analyze_threshold', 50),
    analyzeScaleFactor: pick('autovacuum_analyze_scale_factor', 0.1),
    perTable,
  };
}

/** Live rows of a table: the statistics counter when present, else the planner estimate. */
export function liveRows(table: Table): number {
  return Math.max(table.activity?.nLiveTup ?? 0, table.rowEstimate, 0);
}
