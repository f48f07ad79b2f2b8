#!/usr/bin/env bash
# Installs what building and testing Permanence needs on Debian 12, and only what is missing:
# system packages (apt-get), tauri-driver (cargo install), and the UI's npm packages (npm ci).
# Safe to run again: each step checks first.
set -euo pipefail
cd "$(dirname "$0")/.."

# libssl-dev: SQLCipher (the laptop store's encryption) uses the system's OpenSSL libcrypto;
# libdbus-1-dev: the keyring's Secret Service client; dbus, gnome-keyring: a real Secret
# Service for the credentials tests (and `make run` on a machine without a desktop session);
# sqlite3: the tests show the plain shell cannot read an encrypted store.
packages=(
  build-essential pkg-config libssl-dev libdbus-1-dev
  libwebkit2gtk-4.1-dev librsvg2-dev
  xvfb xauth webkit2gtk-driver imagemagick
  poppler-utils qpdf curl faketime python3-venv
  dbus gnome-keyring sqlite3
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: apt-get install ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v tauri-driver >/dev/null 2>&1; then
  echo "install-deps: cargo install tauri-driver"
  cargo install tauri-driver --version 2.1.0 --locked --quiet
fi

# Schemathesis (the head office's API against its OpenAPI document) in a virtual environment
# of its own, at a pinned version.
venv="${PERMANENCE_VENV:-$HOME/.cache/permanence/venv}"
schemathesis_version=4.32.5
if ! "$venv/bin/st" --version 2>/dev/null | grep -q "$schemathesis_version"; then
  echo "install-deps: schemathesis $schemathesis_version (venv $venv)"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$schemathesis_version"
fi

# npm ci only when the lock file changed since the last install.
if [ ! -f ui/node_modules/.package-lock.json ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "install-deps: npm ci (ui)"
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
fi
