#!/usr/bin/env bash
# The main job: installs what is missing, builds, seeds a demo database (once) and runs the server
# on the embedded SQLite default.
#   scripts/run.sh                 # demo data size "small", http://127.0.0.1:8080
#   OUTPOST_SIZE=large OUTPOST_PORT=9000 scripts/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
size="${OUTPOST_SIZE:-small}"
port="${OUTPOST_PORT:-8080}"
data="${OUTPOST_DATA:-$PWD/.outpost-data}"

bash scripts/install-deps.sh
bash scripts/build.sh default outpost-server

server=build/server/outpost-server
mkdir -p "$data"
db="$data/demo-$size.db"
if [ ! -f "$db" ]; then
  echo "Seeding demo data ($size) into $db ..."
  "$server" seed --db "$db" --size "$size"
fi

cat <<MSG

Demo sign-ins (tenant "demo", password "demo"): rep1, rep2, ... (reps), manager1, kiosk1, admin.
Try:
  curl -s -X POST http://127.0.0.1:$port/v1/auth/login -H 'Content-Type: application/json' \\
       -d '{"tenant":"demo","user":"rep1","password":"demo","deviceId":"curl"}'
  curl -s http://127.0.0.1:$port/v1/accounts -H "Authorization: Bearer \$TOKEN"
API description: http://127.0.0.1:$port/v1/openapi.json      (Ctrl+C stops the server)

MSG
exec "$server" serve --db "$db" --listen "127.0.0.1:$port"
