/**
 * What we know about functions before asking the catalog. EXPLAIN ANALYZE executes the statement,
 * and a read-only transaction that is rolled back does not undo a signal, a lock held by the
 * session, a sequence step, a file read or a configuration reload.
 */

/** Explicitly refused, whatever the catalog says, with the reason shown to the user. */
const DENIED: readonly [RegExp, string][] = [
  [/^pg_(terminate|cancel|signal)_backend$/, 'signals another server process'],
  [/^(pg_reload_conf|pg_rotate_logfile(_old)?|set_config|pg_promote|pg_log_backend_memory_contexts)$/, 'changes server or session configuration'],
  [/^pg_(try_)?advisory_/, 'takes or releases an advisory lock, which outlives the rolled-back transaction'],
  [/^(lo_|loread$|lowrite$)/, 'works on large objects (can read or write server files)'],
  [/^dblink/, 'runs SQL over another connection, outside the rolled-back transaction'],
  [/^(nextval|setval)$/, 'advances a sequence, which ROLLBACK does not undo'],
  [/^pg_sleep/, 'sleeps while holding a session'],
  [/^(pg_switch_wal|pg_create_restore_point|pg_backup_(start|stop)|pg_start_backup|pg_stop_backup|pg_wal_replay_(pause|resume))$/, 'controls WAL or backups'],
  [/^pg_(create|drop|copy)_\w*replication_slot$|^pg_replication_|^pg_logical_/, 'creates, drops or consumes replication state'],
  [/^pg_stat_reset/, 'resets statistics'],
  [/^(pg_read_file|pg_read_binary_file|pg_read_file_old|pg_stat_file|pg_ls_\w+|pg_file_\w+)$/, 'reads or lists server files'],
  [/^(pg_notify)$/, 'sends a notification to other sessions'],
  [/^(query_to_xml|query_to_xmlschema|query_to_xml_and_xmlschema|cursor_to_xml|cursor_to_xmlschema)$/, 'runs a SQL string given as an argument'],
  [/^(pg_import_system_collations|pg_drop_\w+|pg_create_\w+)$/, 'changes the catalog or server state'],
];

/** Volatile built-ins that only read or make up values: safe to execute. */
const HARMLESS_VOLATILE = new Set([
  'random',
  'random_normal',
  'setseed',
  'clock_timestamp',
  'timeofday',
  'gen_random_uuid',
  'uuid_generate_v4',
  'uuid_generate_v1',
  'currval',
  'lastval',
  'pg_relation_size',
  'pg_total_relation_size',
  'pg_table_size',
  'pg_indexes_size',
  'pg_database_size',
  'pg_tablespace_size',
  'pg_current_wal_lsn',
  'pg_current_wal_insert_lsn',
  'pg_current_wal_flush_lsn',
  'pg_is_in_recovery',
  'pg_lock_status',
  'pg_blocking_pids',
  'pg_partition_tree',
  'pg_partition_ancestors',
  'pg_sequence_last_value',
  'pg_xact_status',
  'txid_status',
  'pg_jit_available',
  'pg_notification_queue_usage',
  'pg_stat_statements',
  'pg_stat_statements_info',
  'pg_last_wal_receive_lsn',
  'pg_last_wal_replay_lsn',
  'pg_last_xact_replay_timestamp',
  'pg_is_wal_replay_paused',
  'pg_get_wal_replay_pause_state',
  'pg_xact_commit_timestamp',
  'pg_last_committed_xact',
  'current_query',
]);

/** The reason a function is refused by name alone, or null. */
export function deniedFunctionReason(name: string): string | null {
  const n = name.toLowerCase();
  for (const [re, reason] of DENIED) if (re.test(n)) return reason;
  return null;
}

/** A volatile built-in we know only reads. */
export function isHarmlessVolatile(name: string): boolean {
  return HARMLESS_VOLATILE.has(name.toLowerCase());
}
