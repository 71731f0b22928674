#!/bin/sh
# A scratch PostgreSQL 15 cluster (never the machine's main server) that logs everything the
# logs report reads, in the three formats at once. usage: setup-server.sh DIR PORT
set -eu
D=${1:-/tmp/pglogs}; P=${2:-5440}
BIN=/usr/lib/postgresql/15/bin
mkdir -p "$D" && chown postgres "$D"
su postgres -c "$BIN/initdb -D $D/data -U postgres" >/dev/null
cat >> "$D/data/postgresql.conf" <<CONF
port = $P
listen_addresses = '127.0.0.1'
unix_socket_directories = '$D'
logging_collector = on
log_destination = 'stderr,csvlog,jsonlog'
log_directory = '$D/log'
log_filename = 'pg.log'
log_rotation_size = 0
log_rotation_age = 0
log_line_prefix = '%m [%p] %q%u@%d '
log_min_duration_statement = 0
log_checkpoints = on
log_connections = on
log_disconnections = on
log_lock_waits = on
log_temp_files = 0
log_autovacuum_min_duration = 0
deadlock_timeout = 200ms
autovacuum_naptime = 2s
shared_preload_libraries = 'auto_explain'
auto_explain.log_min_duration = '20ms'
auto_explain.log_analyze = on
auto_explain.log_buffers = on
checkpoint_timeout = 30s
max_wal_size = 64MB
CONF
su postgres -c "$BIN/pg_ctl -D $D/data -l $D/server.log start -w" >/dev/null
