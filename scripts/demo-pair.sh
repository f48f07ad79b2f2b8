#!/usr/bin/env bash
# The working pair behind `make run`: on a running head office, the demo platform and its
# advisor's account; the demo dossiers, the first time, typed on a seeding laptop store that
# registers and syncs them up as any laptop would (then is revoked and removed); and the
# laptop store given, registered under that account and synced down, so that it starts with
# the platform's dossiers and nothing pending.
#
#   scripts/demo-pair.sh HEAD_OFFICE_DB URL LAPTOP_DB
#
# Run again, it adds nothing: the platform, the account and the dossiers are kept; the laptop
# store is registered again (a fresh token: the last one may have lived in memory only) and
# synced. An unregistered laptop store that already holds dossiers (made by `make run` before
# the head office held the demo data) is set aside beside itself, never pushed: its dossiers
# would be the demo's twice. Prints the laptop's token on standard output when this machine
# has no keyring (give it to the app as PERMANENCE_TOKEN); everything else on standard error.
set -euo pipefail

[ $# -eq 3 ] || { echo "usage: $0 HEAD_OFFICE_DB URL LAPTOP_DB" >&2; exit 2; }
head_office_db=$1
url=$2
laptop_db=$3
bin="${PERMANENCE_BIN_DIR:-${CARGO_TARGET_DIR:-$(cd "$(dirname "$0")/.." && pwd)/target}/debug}"
platform="${PERMANENCE_DEMO_PLATFORM:-TA7V}"
login="${PERMANENCE_DEMO_LOGIN:-claire}"
password="${PERMANENCE_DEMO_PASSWORD:-permanence-demo}"
dossiers="${PERMANENCE_DEMO_DOSSIERS:-150}"

office() { "$bin/permanence-head-office" --db "$head_office_db" "$@"; }
laptop() { "$bin/permanence" "$@"; }
# A JSON string member of `status`'s output (one member per line).
member() { sed -n "s/^ *\"$1\": \"\\(.*\\)\",\\{0,1\\}\$/\\1/p"; }

# Registers a store under the demo account; prints its token when there is no keyring.
register() {
  PERMANENCE_PASSWORD="$password" laptop --db "$1" register --server "$url" --login "$login"
}
# Syncs a store, with the token `register` printed, if any.
sync_store() {
  if [ -n "$2" ]; then
    PERMANENCE_TOKEN="$2" laptop --db "$1" sync >/dev/null
  else
    laptop --db "$1" sync >/dev/null
  fi
}

office platform add --if-missing "$platform" "Initiative Ternois-Artois-7 Vallées"
PERMANENCE_PASSWORD="$password" office user add --if-missing "$login" \
  --name "Claire Dumont" --platform "$platform"

# Read whole before looking (a reader that stops early breaks the writer's pipe).
holds_dossiers() { case "$1" in *'"id"'*) return 0 ;; *) return 1 ;; esac; }

if ! holds_dossiers "$(office dossier list --platform "$platform")"; then
  seeding=$(mktemp -d)
  trap 'rm -rf "$seeding"' EXIT
  echo "demo: $dossiers dossiers d'exemple saisis sur un portable de démonstration, envoyés au siège…" >&2
  laptop --db "$seeding/demo.sqlite3" demo-data --dossiers "$dossiers" --since 2019 >/dev/null
  token=$(register "$seeding/demo.sqlite3")
  sync_store "$seeding/demo.sqlite3" "$token"
  device=$(laptop --db "$seeding/demo.sqlite3" status | member device_id)
  # Its dossiers are the head office's now; the seeding laptop is gone.
  office device revoke "$device"
fi

if [ -f "$laptop_db" ]; then
  server=$(laptop --db "$laptop_db" status | member server_url)
  if [ -z "$server" ] && holds_dossiers "$(laptop --db "$laptop_db" dossier list)"; then
    aside="$laptop_db.avant-siege-$(date +%Y%m%d-%H%M%S)"
    for suffix in "" -wal -shm -key.json; do
      [ -f "$laptop_db$suffix" ] && mv "$laptop_db$suffix" "$aside$suffix"
    done
    echo "demo: ce portable n'était pas relié au siège et avait ses propres dossiers : mis de côté dans $aside" >&2
  elif [ -n "$server" ] && [ "$server" != "$url" ]; then
    echo "demo: ce portable est relié à $server ; il reste tel quel" >&2
    exit 0
  fi
fi
token=$(register "$laptop_db")
sync_store "$laptop_db" "$token"
echo "$token"
