import type { Setting } from '../model/index.ts';

export type ApplyMode = 'reload' | 'restart';

/**
 * pg_settings.context of the settings the tuner writes, for when there is no live server to ask.
 * postmaster = restart; everything else takes effect on reload (pg_reload_conf()).
 */
const POSTMASTER_SETTINGS = new Set(['shared_buffers', 'max_connections', 'wal_buffers', 'max_worker_processes', 'huge_pages', 'io_method', 'autovacuum_worker_slots']);

export function applyMode(name: string, pgMajor: number, live: Setting | undefined): ApplyMode {
  if (live !== undefined) return live.context === 'postmaster' ? 'restart' : 'reload';
  // autovacuum_max_workers became reloadable in 18 (bounded by autovacuum_worker_slots)
  if (name === 'autovacuum_max_workers') return pgMajor >= 18 ? 'reload' : 'restart';
  return POSTMASTER_SETTINGS.has(name) ? 'restart' : 'reload';
}
