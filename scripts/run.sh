#!/usr/bin/env bash
# The main job: installs what is missing, builds the server and the app, seeds a demo database
# (once), starts the server in the background and the Qt Quick app signed in as the demo rep.
# Closing the app stops the server.
#   scripts/run.sh                 # server + app as rep1      (app data: .outpost-data/app-rep1)
#   scripts/run.sh --kiosk         # server + showroom kiosk   (kiosk1, .outpost-data/app-kiosk1; PIN 2468)
#   scripts/run.sh --server-only   # only the server, in the foreground (Ctrl+C stops it)
#   OUTPOST_SIZE=large OUTPOST_PORT=9000 scripts/run.sh
# With no display ($DISPLAY and $WAYLAND_DISPLAY unset) the app cannot open a window: the script
# then takes the screenshot tour instead (one PNG per screen, rendered under xvfb-run, into
# .outpost-data/tour/) and keeps the server running in the foreground.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=rep
case "${1:-}" in
  "") ;;
  --kiosk) mode=kiosk ;;
  --server-only) mode=server ;;
  -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
  *) echo "run.sh: unknown option $1 (try --kiosk, --server-only, --help)" >&2; exit 2 ;;
esac

size="${OUTPOST_SIZE:-small}"
port="${OUTPOST_PORT:-8080}"
data="${OUTPOST_DATA:-$PWD/.outpost-data}"
url="http://127.0.0.1:$port"

bash scripts/install-deps.sh
if [ "$mode" = server ]; then
  bash scripts/build.sh default outpost-server
else
  bash scripts/build.sh default outpost-server outpost
fi

server=build/server/outpost-server
app=build/app/outpost
mkdir -p "$data"
db="$data/demo-$size.db"
if [ ! -f "$db" ]; then
  echo "Seeding demo data ($size) into $db ..."
  "$server" seed --db "$db" --size "$size" --stock-as-of now   # stock counted "just now", not months ago
fi

signins='Demo sign-ins (tenant "demo", password "demo"): rep1, rep2, ... (reps), manager1, kiosk1, admin.'

if [ "$mode" = server ]; then
  cat <<MSG

$signins
Try:
  curl -s -X POST $url/v1/auth/login -H 'Content-Type: application/json' \\
       -d '{"tenant":"demo","user":"rep1","password":"demo","deviceId":"curl"}'
  curl -s $url/v1/accounts -H "Authorization: Bearer \$TOKEN"
API description: $url/v1/openapi.json      (Ctrl+C stops the server)

MSG
  exec "$server" serve --db "$db" --listen "127.0.0.1:$port"
fi

# The server in the background, stopped when this script ends (the app closed, Ctrl+C, an error).
log="$data/server.log"
"$server" serve --db "$db" --listen "127.0.0.1:$port" >"$log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do
  if grep -q "outpost-server listening on" "$log" 2>/dev/null; then break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "run.sh: the server did not start (is port $port taken? OUTPOST_PORT=... picks another):" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.2
done
grep -q "outpost-server listening on" "$log" || { echo "run.sh: the server did not report listening" >&2; exit 1; }
echo "Server: $url (log: $log)"
echo "$signins"

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  tour="$data/tour"
  echo
  echo "No display (\$DISPLAY and \$WAYLAND_DISPLAY are unset): the app cannot open a window here."
  echo "Taking the screenshot tour instead (offscreen, as rep1 and kiosk1) into $tour ..."
  mkdir -p "$tour"
  # Under Xvfb the screens render through OpenGL (Mesa) exactly as on a desktop; the offscreen
  # fallback uses Qt's software renderer, which leaves out Material's shadows and raised buttons.
  if command -v xvfb-run >/dev/null; then
    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1280x800x24" \
      "$app" --screenshot-tour "$tour" --server "$url" --user rep1 --password demo || echo "run.sh: the tour failed" >&2
  else
    "$app" --screenshot-tour "$tour" --server "$url" --user rep1 --password demo || echo "run.sh: the tour failed" >&2
  fi
  echo
  echo "Look at the screens: $tour/*.png. On a machine with a display, scripts/run.sh opens the app."
  echo "The server keeps running for curl and outpost-sync (Ctrl+C stops it)."
  wait "$server_pid"
  exit 0
fi

if [ "$mode" = kiosk ]; then
  echo "Starting the showroom kiosk (kiosk1; admin PIN 2468 leaves it; closing the terminal or Ctrl+C ends it)"
  "$app" --data "$data/app-kiosk1" --server "$url" --user kiosk1 --password demo --kiosk-pin "${OUTPOST_KIOSK_PIN:-2468}"
else
  echo "Starting the app signed in as rep1 (data: $data/app-rep1). Closing it stops the server."
  # The demo has no GPS: a short replayed route in London gives photos a position.
  "$app" --data "$data/app-rep1" --server "$url" --user rep1 --password demo --nmea resources/demo-route.nmea
fi
