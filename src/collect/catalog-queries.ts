/** Catalog SQL, written once for PostgreSQL 14–18; version-dependent columns are read through to_jsonb(). */

const USER_RELATIONS = `
  n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_toast' AND n.nspname !~ '^pg_temp_'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')`;

export const SERVER_SQL = `
SELECT version() AS version,
       current_setting('server_version_num')::int AS version_num,
       current_database() AS database,
       current_user AS "user",
       inet_server_addr()::text AS host,
       pg_postmaster_start_time() AS started_at,
       extract(epoch FROM now() - pg_postmaster_start_time())::float8 AS uptime_seconds,
       (SELECT stats_reset FROM pg_stat_database WHERE datname = current_database()) AS stats_reset,
       -- counters survive clean restarts: they were last discarded when the cluster statistics were (initdb, crash)
       (SELECT min(r) FROM (SELECT stats_reset FROM pg_stat_archiver UNION ALL SELECT stats_reset FROM pg_stat_bgwriter
                            UNION ALL SELECT stats_reset FROM pg_stat_wal) v(r)) AS stats_discarded_at,
       -- function privileges are checked when the statement starts, not when a CASE branch runs: ask first
       has_function_privilege('pg_catalog.pg_stat_file(text, boolean)', 'EXECUTE') AS can_stat_file,
       pg_is_in_recovery() AS is_replica,
       current_setting('block_size')::int AS block_size,
       now() AS now`;

/** When this database was created: its PG_VERSION file is written by CREATE DATABASE (needs pg_stat_file). */
export const DATABASE_CREATED_SQL = `
SELECT (pg_stat_file('base/' || d.oid || '/PG_VERSION', true)).modification AS created_at
FROM pg_database d WHERE d.datname = current_database()`;

export const EXTENSIONS_SQL = `
SELECT name, installed_version, default_version FROM pg_available_extensions
UNION
SELECT e.extname, e.extversion, NULL FROM pg_extension e
WHERE NOT EXISTS (SELECT 1 FROM pg_available_extensions a WHERE a.name = e.extname)
ORDER BY 1`;

export const PRIVILEGES_SQL = `
SELECT current_user AS role, r.rolsuper AS superuser,
       pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') AS read_all_stats,
       pg_has_role(current_user, 'pg_monitor', 'USAGE') AS monitor
FROM pg_roles r WHERE r.rolname = current_user`;

export const SETTINGS_SQL = `
SELECT name, setting, unit, source, context, vartype, boot_val, reset_val, pending_restart
FROM pg_settings ORDER BY name`;

export const TABLES_SQL = `
SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name, format('%I.%I', n.nspname, c.relname) AS qname,
       c.relkind::text AS relkind, c.relispartition AS is_partition,
       (SELECT format('%I.%I', pn.nspname, pc.relname) FROM pg_inherits i
          JOIN pg_class pc ON pc.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = pc.relnamespace
         WHERE i.inhrelid = c.oid LIMIT 1) AS parent,
       c.relpersistence::text AS persistence,
       -- index sizes come from the indexes query (summed per table in collect-snapshot): measuring them here
       -- too would open every index a second time (pg_indexes_size, pg_total_relation_size)
       pg_table_size(c.oid)::int8 AS table_bytes,
       CASE WHEN c.reltoastrelid = 0 THEN 0 ELSE pg_total_relation_size(c.reltoastrelid) END::int8 AS toast_bytes,
       c.reltuples::float8 AS reltuples, c.relpages::int8 AS relpages, c.relreplident::text AS replident,
       coalesce(c.reloptions, '{}') AS reloptions,
       CASE WHEN c.relkind IN ('r', 'm') THEN age(c.relfrozenxid) ELSE 0 END::int8 AS frozen_age,
       to_jsonb(s) AS activity, to_jsonb(io) AS io
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid
LEFT JOIN pg_statio_all_tables io ON io.relid = c.oid
WHERE c.relkind IN ('r', 'p', 'm', 'f') AND ${USER_RELATIONS}
ORDER BY n.nspname, c.relname`;

export const COLUMNS_SQL = `
SELECT a.attrelid::int8 AS oid, a.attname AS name, a.attnum::int AS num,
       format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
       pg_get_expr(d.adbin, d.adrelid) AS "default", a.attidentity::text AS identity, a.attgenerated::text AS generated
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'm', 'f') AND ${USER_RELATIONS}
ORDER BY a.attrelid, a.attnum`;

export const STATS_SQL = `
SELECT format('%I.%I', schemaname, tablename) AS qname, attname AS name, inherited,
       null_frac::float8 AS null_frac, avg_width::int AS avg_width, n_distinct::float8 AS n_distinct,
       correlation::float8 AS correlation, most_common_vals::text AS mcv, most_common_freqs::float8[] AS mcf,
       histogram_bounds::text AS histogram
FROM pg_stats
WHERE schemaname NOT IN ('pg_catalog', 'information_schema') AND schemaname !~ '^pg_toast'`;

/**
 * Indexes, in `parts` slices by oid so large catalogs are read over several sessions at once
 * (deparsing and sizing 30k indexes is ~10 s in one backend). Sorted by the caller.
 */
export const indexesSql = (part: number, parts: number): string => INDEXES_SQL.replace('/*part*/', `AND i.indexrelid::int8 % ${parts} = ${part}`);

export const INDEXES_SQL = `
SELECT i.indexrelid::int8 AS oid, n.nspname AS schema, ci.relname AS name, format('%I.%I', n.nspname, ci.relname) AS qname,
       i.indrelid::int8 AS table_oid, format('%I.%I', tn.nspname, c.relname) AS table_qname,
       am.amname AS method, pg_get_indexdef(i.indexrelid) AS definition,
       i.indnatts::int AS natts, i.indnkeyatts::int AS nkeyatts,
       i.indisunique AS is_unique, i.indisprimary AS is_primary, i.indisexclusion AS is_exclusion,
       i.indisvalid AS is_valid, i.indisready AS is_ready, i.indisreplident AS is_replident,
       pg_get_expr(i.indpred, i.indrelid, true) AS predicate,
       -- plain columns by name (what pg_get_indexdef prints for them), expressions through pg_get_indexdef: half the deparse calls
       ARRAY(SELECT CASE WHEN i.indkey[k - 1] <> 0
                         THEN (SELECT quote_ident(a.attname) FROM pg_attribute a WHERE a.attrelid = i.indrelid AND a.attnum = i.indkey[k - 1])
                         ELSE pg_get_indexdef(i.indexrelid, k, true) END
             FROM generate_series(1, i.indnatts::int) k ORDER BY k) AS column_defs,
       i.indkey::int2[] AS indkey, i.indoption::int2[] AS indoption,
       -- scalar lookups by oid: a join here was planned as a hash join over all of pg_collation per index (5 s at 18k indexes)
       ARRAY(SELECT coalesce((SELECT opc.opcname FROM pg_opclass opc WHERE opc.oid = u.o), '')
               FROM unnest(i.indclass::oid[]) WITH ORDINALITY u(o, ord) ORDER BY ord) AS opclasses,
       ARRAY(SELECT coalesce((SELECT col.collname FROM pg_collation col WHERE col.oid = u.o AND u.o <> 0), '')
               FROM unnest(i.indcollation::oid[]) WITH ORDINALITY u(o, ord) ORDER BY ord) AS collations,
       con.conname AS constraint_name,
       pg_relation_size(i.indexrelid)::int8 AS size_bytes,
       to_jsonb(s) AS stats, to_jsonb(io) AS io
FROM pg_index i
JOIN pg_class ci ON ci.oid = i.indexrelid
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = ci.relnamespace
JOIN pg_namespace tn ON tn.oid = c.relnamespace
JOIN pg_am am ON am.oid = ci.relam
LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x') AND con.conrelid = i.indrelid
LEFT JOIN pg_stat_all_indexes s ON s.indexrelid = i.indexrelid
LEFT JOIN pg_statio_all_indexes io ON io.indexrelid = i.indexrelid
WHERE c.relkind IN ('r', 'p', 'm') AND ${USER_RELATIONS} /*part*/`;

export const CONSTRAINTS_SQL = `
SELECT con.conname AS name, n.nspname AS schema, format('%I.%I', n.nspname, c.relname) AS table_qname,
       con.contype::text AS contype, con.convalidated AS validated,
       ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
               JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.ord) AS columns,
       pg_get_constraintdef(con.oid, true) AS definition,
       CASE WHEN con.confrelid <> 0 THEN (SELECT format('%I.%I', fn.nspname, fc.relname) FROM pg_class fc
              JOIN pg_namespace fn ON fn.oid = fc.relnamespace WHERE fc.oid = con.confrelid) END AS ref_table,
       ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)
               JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord) AS ref_columns,
       con.confdeltype::text AS on_delete, con.confupdtype::text AS on_update
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE con.contype IN ('p', 'f', 'u', 'c', 'x') AND ${USER_RELATIONS}
ORDER BY 3, 1`;

export const VIEWS_SQL = `
SELECT n.nspname AS schema, c.relname AS name, format('%I.%I', n.nspname, c.relname) AS qname,
       pg_get_viewdef(c.oid) AS definition,
       coalesce('security_barrier=true' = ANY (c.reloptions), false) AS security_barrier
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'v' AND ${USER_RELATIONS}
ORDER BY n.nspname, c.relname`;

export const SEQUENCES_SQL = `
SELECT s.schemaname AS schema, s.sequencename AS name, format('%I.%I', s.schemaname, s.sequencename) AS qname,
       s.data_type::text AS data_type, s.last_value::text AS last_value, s.min_value::text AS min_value,
       s.max_value::text AS max_value, s.increment_by::text AS increment, s.cycle,
       o.tbl AS owned_table, o.col AS owned_column, o.typ AS owned_type
FROM pg_sequences s
LEFT JOIN LATERAL (
  SELECT format('%I.%I', tn.nspname, tc.relname) AS tbl, a.attname::text AS col, format_type(a.atttypid, a.atttypmod) AS typ
  FROM pg_class sc
  JOIN pg_namespace sn ON sn.oid = sc.relnamespace
  JOIN pg_depend d ON d.objid = sc.oid AND d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
  JOIN pg_class tc ON tc.oid = d.refobjid
  JOIN pg_namespace tn ON tn.oid = tc.relnamespace
  JOIN pg_attribute a ON a.attrelid = tc.oid AND a.attnum = d.refobjsubid
  WHERE sn.nspname = s.schemaname AND sc.relname = s.sequencename
  LIMIT 1) o ON true
WHERE s.schemaname NOT IN ('pg_catalog', 'information_schema')
ORDER BY 3`;

export const DATABASE_SQL = `
SELECT d.datname AS name, pg_database_size(d.datname)::int8 AS size_bytes, to_jsonb(s) AS stats
FROM pg_database d LEFT JOIN pg_stat_database s ON s.datid = d.oid
WHERE d.datname = current_database()`;

export const DATABASE_AGES_SQL = `
SELECT datname AS name, age(datfrozenxid)::int8 AS frozen_age, mxid_age(datminmxid)::int8 AS mxid_age
FROM pg_database WHERE datallowconn ORDER BY 1`;

export const ACTIVITY_SQL = `
SELECT a.pid, a.usename AS "user", a.application_name, a.client_addr::text AS client_addr, a.datname AS database,
       a.backend_type, a.state, a.wait_event_type, a.wait_event,
       a.backend_start, a.xact_start, a.query_start, a.state_change,
       extract(epoch FROM now() - a.xact_start)::float8 AS xact_age,
       extract(epoch FROM now() - a.query_start)::float8 AS query_age,
       extract(epoch FROM now() - a.state_change)::float8 AS state_age,
       a.query, pg_blocking_pids(a.pid) AS blocked_by
FROM pg_stat_activity a
WHERE a.pid <> pg_backend_pid()
ORDER BY a.pid`;

export const CONNECTION_LIMITS_SQL = `
SELECT current_setting('max_connections')::int AS max_connections,
       current_setting('superuser_reserved_connections')::int AS superuser_reserved,
       coalesce(current_setting('reserved_connections', true), '0')::int AS reserved`;

export const REPLICATION_SENDERS_SQL = `
SELECT r.pid, r.application_name, r.client_addr::text AS client_addr, r.state, r.sync_state,
       CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_wal_lsn_diff(pg_current_wal_lsn(), r.replay_lsn)::float8 END AS lag_bytes,
       extract(epoch FROM r.write_lag)::float8 AS write_lag, extract(epoch FROM r.flush_lag)::float8 AS flush_lag,
       extract(epoch FROM r.replay_lag)::float8 AS replay_lag
FROM pg_stat_replication r ORDER BY r.pid`;

export const REPLICATION_SLOTS_SQL = `
SELECT slot_name AS name, slot_type, active, database,
       CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::float8 END AS retained_bytes,
       wal_status
FROM pg_replication_slots ORDER BY 1`;

export const CHECKPOINTS_SQL_17 = `
SELECT num_timed::int8 AS timed, num_requested::int8 AS requested, buffers_written::int8 AS buffers, stats_reset
FROM pg_stat_checkpointer`;

export const CHECKPOINTS_SQL_14 = `
SELECT checkpoints_timed::int8 AS timed, checkpoints_req::int8 AS requested, buffers_checkpoint::int8 AS buffers, stats_reset
FROM pg_stat_bgwriter`;
