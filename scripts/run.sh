#!/usr/bin/env bash
# `make run`: starts a head-office server on loopback with its own data folder, makes the
# working pair there (scripts/demo-pair.sh: the demo platform, its advisor's account, the demo
# dossiers the first time, this laptop registered and synced down), prints the login and
# password, and opens the app on that laptop store, with the head office's address offered.
set -euo pipefail
cd "$(dirname "$0")/.."

target="${CARGO_TARGET_DIR:-$PWD/target}/debug"
data_home="${XDG_DATA_HOME:-$HOME/.local/share}"
app_data="${PERMANENCE_DATA_DIR:-$data_home/fr.initiative-france.permanence}"
head_office_data="$data_home/permanence-head-office-dev"
listen="${PERMANENCE_HEAD_OFFICE_LISTEN:-127.0.0.1:8750}"
health="http://$listen/v1/health"

mkdir -p "$app_data" "$head_office_data"
laptop_db="$app_data/permanence.sqlite3"
head_office_db="$head_office_data/head-office.sqlite3"

# A laptop store belongs to its head office: when the head office starts afresh, a store
# registered with the one before is set aside (its sequence and cursor point into a history
# the new head office does not have).
if [ ! -f "$head_office_db" ] && [ -f "$laptop_db" ]; then
  aside="$laptop_db.avant-siege-$(date +%Y%m%d-%H%M%S)"
  for suffix in "" -wal -shm -key.json; do
    [ -f "$laptop_db$suffix" ] && mv "$laptop_db$suffix" "$aside$suffix"
  done
  echo "run: new head office; the laptop store of the previous one is set aside in $aside"
fi

if curl -fsS "$health" >/dev/null 2>&1; then
  echo "run: a head office already answers on $listen; using it"
else
  "$target/permanence-head-office" serve --db "$head_office_db" --listen "$listen" \
    >"$head_office_data/server.log" 2>&1 &
  server=$!
  trap 'kill -TERM $server 2>/dev/null || true' EXIT
  for _ in $(seq 50); do
    curl -fsS "$health" >/dev/null 2>&1 && break
    kill -0 $server 2>/dev/null || { cat "$head_office_data/server.log"; exit 1; }
    sleep 0.1
  done
  echo "run: head office on http://$listen (log: $head_office_data/server.log)"
fi

# The token is printed only where no keyring keeps it; the app then takes it from here.
token=$(PERMANENCE_BIN_DIR="$target" scripts/demo-pair.sh "$head_office_db" "http://$listen" "$laptop_db")
if [ -n "$token" ]; then export PERMANENCE_TOKEN="$token"; fi

export PERMANENCE_DATA_DIR="$app_data"
export PERMANENCE_HEAD_OFFICE_URL="http://$listen"
echo "run: head office http://$listen, platform ${PERMANENCE_DEMO_PLATFORM:-TA7V}"
echo "run: login ${PERMANENCE_DEMO_LOGIN:-claire}, password ${PERMANENCE_DEMO_PASSWORD:-permanence-demo}"
echo "run: opening Permanence on $app_data"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  "$target/permanence-app"
else
  echo "run: no display; running under Xvfb (screen :99-like, 1280x800)"
  xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" "$target/permanence-app"
fi
