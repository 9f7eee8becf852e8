#!/usr/bin/env bash
# The main job end to end on the bundled sample: seed the legacy MySQL shop and its uploads, migrate the
# database into a fresh Postgres, verify it row by row, then move the uploads to a local S3 server and
# rewrite their URLs, and serve the same API from both backends: the legacy server on MySQL and the
# serverless handler on Postgres, with their answers compared.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/services.sh
[ -f dist/cli/index.js ] || npm run build --silent

SOURCE_DB=${DEMO_SOURCE_DB:-markethub_legacy}
TARGET_DB=${DEMO_TARGET_DB:-markethub_demo}
DEMO_DIR=.markethub/demo
S3_PORT=${DEMO_S3_PORT:-4569}

node dist/scripts/seed-mysql.js --url mysql://root@127.0.0.1:3306 --database "$SOURCE_DB" --uploads "$DEMO_DIR/public/Upload"
psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS \"$TARGET_DB\" WITH (FORCE)" -c "CREATE DATABASE \"$TARGET_DB\""
echo "preflight: can every migrate command run here?"
node dist/cli/index.js migrate check \
  --source "mysql://root@127.0.0.1:3306/$SOURCE_DB" \
  --target "postgres://postgres@127.0.0.1:5432/$TARGET_DB" | sed -n '/^Ready\|^Blocked/,$p'
echo
echo "migrating mysql://127.0.0.1:3306/$SOURCE_DB -> postgres://127.0.0.1:5432/$TARGET_DB"
node dist/cli/index.js migrate db \
  --source "mysql://root@127.0.0.1:3306/$SOURCE_DB" \
  --target "postgres://postgres@127.0.0.1:5432/$TARGET_DB"
echo
echo "verifying the copy row by row ..."
node dist/cli/index.js migrate verify \
  --source "mysql://root@127.0.0.1:3306/$SOURCE_DB" \
  --target "postgres://postgres@127.0.0.1:5432/$TARGET_DB"

echo
echo "moving the uploads to a local S3 server (s3rver on 127.0.0.1:$S3_PORT) ..."
rm -rf "$DEMO_DIR/s3"
node dist/cli/index.js s3 serve --dir "$DEMO_DIR/s3" --port "$S3_PORT" --bucket markethub-media >/dev/null &
S3_PID=$!
trap 'kill $S3_PID 2>/dev/null || true' EXIT
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$S3_PORT") 2>/dev/null && break; sleep 0.1; done
# s3rver's fixed credentials; against AWS the usual AWS_* variables or profile apply.
AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER node dist/cli/index.js migrate files \
  --uploads "$DEMO_DIR/public/Upload" --bucket markethub-media \
  --target "postgres://postgres@127.0.0.1:5432/$TARGET_DB" \
  --cdn-base https://cdn.markethub.com --endpoint "http://127.0.0.1:$S3_PORT" \
  --config scripts/sample/markethub-files.json

echo
echo "serving the same routes from the legacy server (MySQL) and the serverless handler (Postgres) ..."
node dist/scripts/demo-shim.js --legacy "mysql://root@127.0.0.1:3306/$SOURCE_DB" \
  --target "postgres://postgres@127.0.0.1:5432/$TARGET_DB" --s3-endpoint "http://127.0.0.1:$S3_PORT" \
  --bucket markethub-media --cdn-base https://cdn.markethub.com
