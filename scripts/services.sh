#!/usr/bin/env bash
# Start the local MariaDB and PostgreSQL the tests and the demo talk to, when they are not already up.
# Idempotent: safe to run any number of times.
set -euo pipefail

wait_for() { # name, probe command...
  local name=$1; shift
  for _ in $(seq 1 60); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "services: $name did not come up within 30s" >&2
  return 1
}

if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
fi
wait_for PostgreSQL pg_isready -h 127.0.0.1 -p 5432 -q

if ! mysqladmin -h 127.0.0.1 -uroot ping >/dev/null 2>&1; then
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
fi
wait_for MariaDB mysqladmin -h 127.0.0.1 -uroot ping

# Redis for the cache tests: in memory only, nothing on disk.
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no >/dev/null
fi
wait_for Redis redis-cli -h 127.0.0.1 -p 6379 ping
