-- The catalog queries a PgHero overview page runs (index usage, unused/duplicate/invalid
-- indexes, missing indexes, space, caching, sequences, wraparound, vacuum, connections),
-- written here in the same shape so the bench compares like with like. Duplicate detection
-- in PgHero groups this index list in Ruby; that grouping is not timed here.
\timing off
\pset pager off
\o /dev/null
SELECT sum(idx_blks_hit) / nullif(sum(idx_blks_hit + idx_blks_read), 0) AS rate FROM pg_statio_user_indexes;
SELECT sum(heap_blks_hit) / nullif(sum(heap_blks_hit) + sum(heap_blks_read), 0) AS rate FROM pg_statio_user_tables;
SELECT indexrelname, relname, CASE WHEN idx_blks_hit + idx_blks_read = 0 THEN 0 ELSE round(1.0 * idx_blks_hit / (idx_blks_hit + idx_blks_read), 2) END
FROM pg_statio_user_indexes ORDER BY 3 DESC, 1;
SELECT schemaname, relname, CASE idx_scan WHEN 0 THEN 'Insufficient data' ELSE (100 * idx_scan / (seq_scan + idx_scan))::text END, n_live_tup
FROM pg_stat_user_tables ORDER BY n_live_tup DESC, relname;
SELECT schemaname, relname, n_live_tup FROM pg_stat_user_tables
WHERE idx_scan > 0 AND (100 * idx_scan / (seq_scan + idx_scan)) < 95 AND n_live_tup >= 10000;
SELECT ui.schemaname, ui.relname, ui.indexrelname, pg_relation_size(i.indexrelid), ui.idx_scan
FROM pg_stat_user_indexes ui JOIN pg_index i ON ui.indexrelid = i.indexrelid
WHERE NOT i.indisunique AND ui.idx_scan <= 50 ORDER BY pg_relation_size(i.indexrelid) DESC, ui.relname;
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_index i ON i.indexrelid = c.oid
WHERE NOT i.indisvalid AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast');
SELECT ui.schemaname, t.relname, ix.relname, pg_get_indexdef(i.indexrelid), i.indisunique, i.indisprimary, i.indisvalid, i.indexprs::text, i.indpred::text
FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class ix ON ix.oid = i.indexrelid
LEFT JOIN pg_stat_user_indexes ui ON ui.indexrelid = i.indexrelid WHERE ui.schemaname IS NOT NULL ORDER BY 1, 2;
SELECT n.nspname, c.relname, c.relkind, pg_table_size(c.oid), pg_indexes_size(c.oid)
FROM pg_class c LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast' AND c.relkind IN ('r', 'm', 'i')
ORDER BY pg_relation_size(c.oid) DESC;
SELECT schemaname, sequencename, data_type, last_value, max_value FROM pg_sequences;
SELECT c.oid::regclass, age(c.relfrozenxid), mxid_age(c.relminmxid) FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema');
SELECT schemaname, relname, last_vacuum, last_autovacuum, last_analyze, last_autoanalyze, n_dead_tup, n_live_tup FROM pg_stat_user_tables;
SELECT conname, conrelid::regclass FROM pg_constraint WHERE NOT convalidated;
SELECT pid, state, query_start, query FROM pg_stat_activity WHERE state <> 'idle';
SELECT count(*) FROM pg_stat_activity;
