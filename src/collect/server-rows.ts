import type { Backend, Checkpoints, Connections, DatabaseStats, ReplicationSender, ReplicationSlot } from '../model/index.ts';
import { redactSql } from '../sql/index.ts';
import { iso, num, numOrNull, str, strOrNull } from './row-values.ts';
import type { Row } from './row-values.ts';

// Server-wide parts of the Snapshot: database statistics, connections, replication, checkpoints.

export function toDatabaseStats(r: Row): DatabaseStats {
  const s = (r.stats as Row | null) ?? {};
  return {
    name: str(r.name),
    sizeBytes: num(r.size_bytes),
    blksHit: num(s.blks_hit),
    blksRead: num(s.blks_read),
    xactCommit: num(s.xact_commit),
    xactRollback: num(s.xact_rollback),
    deadlocks: num(s.deadlocks),
    tempFiles: num(s.temp_files),
    tempBytes: num(s.temp_bytes),
    conflicts: num(s.conflicts),
    statsReset: iso(s.stats_reset),
  };
}

export function toConnections(rows: Row[], limits: Row, showLiterals: boolean): Connections {
  const backends: Backend[] = rows.map((r) => {
    const query = strOrNull(r.query);
    return {
      pid: num(r.pid),
      user: strOrNull(r.user),
      applicationName: str(r.application_name),
      clientAddr: strOrNull(r.client_addr),
      database: strOrNull(r.database),
      backendType: str(r.backend_type),
      state: strOrNull(r.state),
      waitEventType: strOrNull(r.wait_event_type),
      waitEvent: strOrNull(r.wait_event),
      backendStart: iso(r.backend_start),
      xactStart: iso(r.xact_start),
      queryStart: iso(r.query_start),
      stateChange: iso(r.state_change),
      xactAgeSeconds: numOrNull(r.xact_age),
      queryAgeSeconds: numOrNull(r.query_age),
      stateAgeSeconds: numOrNull(r.state_age),
      query: query === null || query === '' || showLiterals ? query : redactSql(query),
      blockedBy: ((r.blocked_by as unknown[] | null) ?? []).map((p) => num(p)),
    };
  });
  const clients = backends.filter((b) => b.backendType === 'client backend');
  const byState: Record<string, number> = {};
  for (const b of clients) byState[b.state ?? 'unknown'] = (byState[b.state ?? 'unknown'] ?? 0) + 1;
  return {
    maxConnections: num(limits.max_connections, 100),
    superuserReserved: num(limits.superuser_reserved, 3),
    reserved: num(limits.reserved),
    // our own session is excluded from the activity query; count it back in
    total: clients.length + 1,
    byState,
    backends,
  };
}

export function toSender(r: Row): ReplicationSender {
  return {
    pid: num(r.pid),
    applicationName: str(r.application_name),
    clientAddr: strOrNull(r.client_addr),
    state: str(r.state),
    syncState: str(r.sync_state),
    lagBytes: numOrNull(r.lag_bytes),
    writeLagSeconds: numOrNull(r.write_lag),
    flushLagSeconds: numOrNull(r.flush_lag),
    replayLagSeconds: numOrNull(r.replay_lag),
  };
}

export function toSlot(r: Row): ReplicationSlot {
  return {
    name: str(r.name),
    slotType: str(r.slot_type),
    active: r.active === true,
    database: strOrNull(r.database),
    retainedBytes: numOrNull(r.retained_bytes),
    walStatus: strOrNull(r.wal_status),
  };
}

export function toCheckpoints(r: Row): Checkpoints {
  return { timed: num(r.timed), requested: num(r.requested), buffersWritten: num(r.buffers), statsReset: iso(r.stats_reset) };
}
