#!/usr/bin/env bash
# `make run`: starts a head-office server on loopback with its own data folder, fills the
# laptop store with demo data the first time, and opens the app on that store.
set -euo pipefail
cd "$(dirname "$0")/.."

target="${CARGO_TARGET_DIR:-$PWD/target}/debug"
data_home="${XDG_DATA_HOME:-$HOME/.local/share}"
app_data="${PERMANENCE_DATA_DIR:-$data_home/fr.initiative-france.permanence}"
head_office_data="$data_home/permanence-head-office-dev"
listen="${PERMANENCE_HEAD_OFFICE_LISTEN:-127.0.0.1:8750}"
health="http://$listen/v1/health"

mkdir -p "$app_data" "$head_office_data"

if curl -fsS "$health" >/dev/null 2>&1; then
  echo "run: a head office already answers on $listen; using it"
else
  "$target/permanence-head-office" serve --db "$head_office_data/head-office.sqlite3" --listen "$listen" \
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

"$target/permanence" --db "$app_data/permanence.sqlite3" demo-data --dossiers 150 --since 2019 --if-empty

export PERMANENCE_DATA_DIR="$app_data"
export PERMANENCE_HEAD_OFFICE_URL="http://$listen"
echo "run: opening Permanence on $app_data"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  "$target/permanence-app"
else
  echo "run: no display; running under Xvfb (screen :99-like, 1280x800)"
  xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" "$target/permanence-app"
fi
