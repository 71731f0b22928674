#!/bin/sh
# Runs a real workload on a scratch server whose config logs everything (see setup-server.sh):
# pgbench (simple and prepared protocols), errors, lock waits, a deadlock, temp files, checkpoints.
# usage: workload.sh HOST PORT SECONDS  (tN instead of SECONDS: N transactions per client, for small fixtures)
set -eu
H=${1:-/tmp/pglogs}; P=${2:-5440}; T=${3:-10}
case "$T" in t*) RUN="-t ${T#t}";; *) RUN="-T $T";; esac
PSQL="psql -X -q -h $H -p $P -U postgres"
$PSQL -c 'DROP DATABASE IF EXISTS bench' -c 'CREATE DATABASE bench'
pgbench -q -h "$H" -p "$P" -U postgres -i -s 2 bench >/dev/null 2>&1
$PSQL bench -c 'CREATE TABLE IF NOT EXISTS uniq (id int PRIMARY KEY)' -c 'INSERT INTO uniq VALUES (1)'
# errors: unique violation, division by zero, syntax error, missing relation
$PSQL bench -c 'INSERT INTO uniq VALUES (1)' 2>/dev/null || true
$PSQL bench -c 'SELECT 1/0' 2>/dev/null || true
$PSQL bench -c 'SELEC 1' 2>/dev/null || true
$PSQL bench -c 'SELECT * FROM no_such_table' 2>/dev/null || true
# temp files: sorts bigger than work_mem
$PSQL bench -c "SET work_mem = '64kB'" -c 'SELECT aid, abalance FROM pgbench_accounts ORDER BY abalance, filler LIMIT 5' >/dev/null
# a lock wait longer than deadlock_timeout
$PSQL bench -c 'BEGIN' -c 'UPDATE pgbench_branches SET bbalance = bbalance WHERE bid = 1' -c 'SELECT pg_sleep(0.6)' -c 'COMMIT' &
sleep 0.2
$PSQL bench -c 'UPDATE pgbench_branches SET bbalance = bbalance + 1 WHERE bid = 1'
wait
# a deadlock between two sessions
$PSQL bench -c 'BEGIN' -c 'UPDATE pgbench_tellers SET tbalance = tbalance WHERE tid = 1' -c 'SELECT pg_sleep(0.3)' -c 'UPDATE pgbench_tellers SET tbalance = tbalance WHERE tid = 2' -c 'COMMIT' 2>/dev/null &
$PSQL bench -c 'BEGIN' -c 'UPDATE pgbench_tellers SET tbalance = tbalance WHERE tid = 2' -c 'SELECT pg_sleep(0.3)' -c 'UPDATE pgbench_tellers SET tbalance = tbalance WHERE tid = 1' -c 'COMMIT' 2>/dev/null || true
wait || true
# a slow statement auto_explain logs with its plan
$PSQL bench -c 'SELECT count(*) FROM pgbench_accounts a JOIN pgbench_history h ON h.aid = a.aid WHERE a.abalance > 0' >/dev/null
$PSQL bench -c 'CHECKPOINT'
pgbench -h "$H" -p "$P" -U postgres -c 4 -j 2 $RUN bench >/dev/null 2>&1
pgbench -h "$H" -p "$P" -U postgres -c 2 -j 1 -M prepared $RUN bench >/dev/null 2>&1
pgbench -h "$H" -p "$P" -U postgres -c 8 -j 2 -C -S $RUN bench >/dev/null 2>&1
# rows for autovacuum and autoanalyze to pick up (autovacuum_naptime is 2 s on the scratch server)
$PSQL bench -c 'INSERT INTO uniq SELECT g FROM generate_series(2, 3000) g' -c 'DELETE FROM uniq WHERE id > 1500'
sleep 5
$PSQL bench -c 'VACUUM ANALYZE pgbench_accounts' -c 'CHECKPOINT'
