import type { Database } from '../collect/connection.ts';
import { DbOptimizeError } from '../errors/index.ts';
import type { ConfigPlan } from './recommend-config.ts';
import { changedSettings } from './render-config.ts';

export interface AppliedSetting {
  readonly name: string;
  readonly value: string;
  /** true when the server needs a restart before the value is live */
  readonly pendingRestart: boolean;
  /** the live value after the reload */
  readonly liveValue: string;
}

/**
 * `config --apply`: ALTER SYSTEM for every changed setting on a read-write session the caller
 * opened explicitly, then pg_reload_conf(). Never restarts the server. ALTER SYSTEM cannot run
 * inside a transaction block, so each statement runs on its own; the first failure stops the
 * rest and is reported with what was already written.
 */
export async function applySettings(db: Database, plan: ConfigPlan): Promise<AppliedSetting[]> {
  const rows = changedSettings(plan);
  const done: string[] = [];
  await db.withClient(async (client) => {
    for (const r of rows) {
      try {
        await client.query(`ALTER SYSTEM SET ${r.name} = '${r.recommended.replace(/'/g, "''")}'`);
        done.push(r.name);
      } catch (error) {
        const e = error as { code?: string; message?: string };
        throw new DbOptimizeError(
          e.code === '42501' ? 'E_APPLY_PRIVILEGE' : 'E_APPLY',
          e.code === '42501' ? 'privilege' : 'input',
          `ALTER SYSTEM SET ${r.name} failed: ${e.message ?? String(error)}${done.length > 0 ? ` (already written: ${done.join(', ')})` : ''}`,
          {
            hint:
              e.code === '42501'
                ? 'ALTER SYSTEM needs a superuser, or GRANT ALTER SYSTEM ON PARAMETER … on PostgreSQL 15+'
                : 'nothing after this setting was written; the undo statements above restore what was',
            cause: error,
          },
        );
      }
    }
    await client.query('SELECT pg_reload_conf()');
  });
  if (rows.length === 0) return [];
  // the reload is asynchronous in the postmaster: give it a moment before reading back
  await new Promise((r) => setTimeout(r, 300));
  const live = await db.query<{ name: string; setting: string; unit: string | null; pending_restart: boolean }>(
    'SELECT name, setting, unit, pending_restart FROM pg_settings WHERE name = ANY($1)',
    [rows.map((r) => r.name)],
  );
  const byName = new Map(live.map((l) => [l.name, l]));
  return rows.map((r) => {
    const l = byName.get(r.name);
    return {
      name: r.name,
      value: r.recommended,
      pendingRestart: l?.pending_restart === true || r.apply === 'restart',
      liveValue: l === undefined ? '' : `${l.setting}${l.unit ?? ''}`,
    };
  });
}
