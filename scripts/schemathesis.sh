#!/usr/bin/env bash
# Schemathesis against a fresh head office on a free loopback port: the OpenAPI document's
# every operation, every check, with a device's valid token, a fixed seed and a bounded number
# of examples. Any failure fails `make test`. The head office binary comes from the Rust tests'
# build; schemathesis from the virtual environment `scripts/install-deps.sh` makes.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${PERMANENCE_VENV:-$HOME/.cache/permanence/venv}"
office="${CARGO_TARGET_DIR:-target}/debug/permanence-head-office"
dir=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT

db="$dir/office.sqlite3"
password="un mot de passe pour schemathesis"
"$office" --db "$db" platform add TA7V "Initiative Ternois-Artois-7 Vallées" >/dev/null 2>&1
echo "$password" | "$office" --db "$db" user add claire --name "Claire Dumont" \
  --role advisor --platform TA7V >/dev/null 2>&1
"$office" --db "$db" serve --listen 127.0.0.1:0 >"$dir/url" 2>"$dir/log" &
pid=$!
for _ in $(seq 100); do [ -s "$dir/url" ] && break; sleep 0.1; done
url=$(head -n 1 "$dir/url")
device=$(python3 -c 'import uuid; print(uuid.uuid4())')
token=$(curl -sf -X POST "$url/v1/devices" -H 'content-type: application/json' \
  -d "{\"login\":\"claire\",\"password\":\"$password\",\"device_id\":\"$device\",\"device_name\":\"schemathesis\"}" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')

"$venv/bin/st" run "$url/v1/openapi.json" \
  --header "Authorization: Bearer $token" \
  --checks all --seed 62 --max-examples 30 --no-color
