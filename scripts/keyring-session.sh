#!/usr/bin/env bash
# Runs a command where the laptop's credentials can be kept: as is in a desktop session (its
# Secret Service: GNOME Keyring, KWallet), else in a private D-Bus session with GNOME Keyring
# unlocked by a development password, so that `make run` on a machine with no desktop session
# (a server, a container) keeps the store's key and the device's token as a laptop does.
#
#   scripts/keyring-session.sh COMMAND [ARGS…]
#
# The development keyring lives in ~/.local/share/keyrings, unlocked with
# PERMANENCE_DEV_KEYRING_PASSWORD ("permanence-dev" by default): it is for development only.
# With PERMANENCE_PASSPHRASE set, no keyring is started: the store's passphrase is used.
set -euo pipefail

if [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] || [ -n "${PERMANENCE_PASSPHRASE:-}" ]; then
  exec "$@"
fi
if ! command -v dbus-run-session >/dev/null || ! command -v gnome-keyring-daemon >/dev/null; then
  echo "keyring-session: no D-Bus session and no gnome-keyring (scripts/install-deps.sh installs them)" >&2
  exit 1
fi
export PERMANENCE_DEV_KEYRING_PASSWORD="${PERMANENCE_DEV_KEYRING_PASSWORD:-permanence-dev}"
echo "keyring-session: no desktop session; GNOME Keyring on a private D-Bus session (development keyring)" >&2
exec dbus-run-session -- bash -c '
  printf %s "$PERMANENCE_DEV_KEYRING_PASSWORD" \
    | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec "$@"' keyring-session "$@"
