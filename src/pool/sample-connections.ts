import type { Database } from '../collect/connection.ts';

export interface ConnectionSamples {
  readonly samples: number;
  readonly seconds: number;
  readonly peakClients: number;
  readonly peakActive: number;
  readonly peakIdle: number;
  readonly peakIdleInTransaction: number;
  /** client backends that appeared between samples (connections opened during the window) */
  readonly newConnections: number;
  readonly newConnectionsPerSecond: number;
}

/**
 * Samples pg_stat_activity once a second for `seconds` (one read-only session): a single
 * snapshot shows one moment, this shows the peak of the window and how fast clients connect.
 */
export async function sampleConnections(db: Database, seconds: number, onSample?: (i: number) => void): Promise<ConnectionSamples> {
  const seen = new Set<string>();
  let first = true;
  let fresh = 0;
  let peakClients = 0;
  let peakActive = 0;
  let peakIdle = 0;
  let peakIit = 0;
  let samples = 0;
  const started = Date.now();
  while (samples === 0 || Date.now() - started < seconds * 1000) {
    const rows = await db.query<{ pid: number; start: string; state: string | null }>(
      "SELECT pid, backend_start::text AS start, state FROM pg_stat_activity WHERE backend_type = 'client backend'",
    );
    samples++;
    peakClients = Math.max(peakClients, rows.length);
    peakActive = Math.max(peakActive, rows.filter((r) => r.state === 'active').length);
    peakIdle = Math.max(peakIdle, rows.filter((r) => r.state === 'idle').length);
    peakIit = Math.max(peakIit, rows.filter((r) => r.state?.startsWith('idle in transaction') === true).length);
    for (const r of rows) {
      const key = `${r.pid}@${r.start}`;
      if (!seen.has(key)) {
        seen.add(key);
        if (!first) fresh++;
      }
    }
    first = false;
    onSample?.(samples);
    const next = started + samples * 1000;
    const wait = next - Date.now();
    if (Date.now() - started >= seconds * 1000) break;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  const elapsed = Math.max(1, (Date.now() - started) / 1000);
  return {
    samples,
    seconds: Math.round(elapsed),
    peakClients,
    peakActive,
    peakIdle,
    peakIdleInTransaction: peakIit,
    newConnections: fresh,
    newConnectionsPerSecond: Math.round((fresh / elapsed) * 10) / 10,
  };
}
