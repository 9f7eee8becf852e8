#!/usr/bin/env bash
# The main job end to end on the bundled sample: seed the legacy MySQL shop, migrate it into a fresh
# Postgres database, print the report.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/services.sh
[ -f dist/cli/index.js ] || npm run build --silent

SOURCE_DB=${DEMO_SOURCE_DB:-markethub_legacy}
TARGET_DB=${DEMO_TARGET_DB:-markethub_demo}

node dist/scripts/seed-mysql.js --url mysql://root@127.0.0.1:3306 --database "$SOURCE_DB"
psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS \"$TARGET_DB\" WITH (FORCE)" -c "CREATE DATABASE \"$TARGET_DB\""
echo "migrating mysql://127.0.0.1:3306/$SOURCE_DB -> postgres://127.0.0.1:5432/$TARGET_DB"
node dist/cli/index.js migrate db \
  --source "mysql://root@127.0.0.1:3306/$SOURCE_DB" \
  --target "postgres://postgres@127.0.0.1:5432/$TARGET_DB"
echo
echo "verifying the copy row by row ..."
node dist/cli/index.js migrate verify \
  --source "mysql://root@127.0.0.1:3306/$SOURCE_DB" \
  --target "postgres://postgres@127.0.0.1:5432/$TARGET_DB"
