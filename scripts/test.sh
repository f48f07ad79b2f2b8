#!/usr/bin/env bash
# `make test`: every check, in order, stopping at the first failure. Each runner prints its
# own summary lines; a table of the steps and their times closes the run.
set -euo pipefail
cd "$(dirname "$0")/.."

summary=()
step() {
  local name=$1
  shift
  echo
  echo "==> $name"
  local start=$SECONDS
  if "$@"; then
    summary+=("ok    $(printf '%4ds' $((SECONDS - start)))  $name")
  else
    summary+=("FAIL  $(printf '%4ds' $((SECONDS - start)))  $name")
    print_summary
    exit 1
  fi
}
print_summary() {
  echo
  echo "==> make test summary"
  printf '  %s\n' "${summary[@]}"
}

e2e() {
  # One driver at a time: tauri-driver's ports are fixed.
  xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
    cargo test -p permanence-e2e -- --test-threads=1
}

step "cargo fmt --check" cargo fmt --all -- --check
step "ui build (vite)" bash -c "cd ui && npm run --silent build"
step "cargo clippy" cargo clippy --workspace --all-targets -- -D warnings
# The head office takes only the domain, sync protocol and store crates: not the laptop
# package, no typesetting, no keyring, no HTTP client, no webview (README "Layout").
head_office_alone() {
  local found
  found=$(cargo tree -p permanence-head-office -e normal --prefix none --format '{p}' \
    | grep -E '^(permanence|permanence-summary|typst|keyring|reqwest|tauri|wry|webkit2gtk) ' | sort -u || true)
  if [ -n "$found" ]; then
    echo "the head office depends on: $found"
    return 1
  fi
  echo "the head office depends on no laptop package, summary, typst, keyring, reqwest, tauri or webview crate"
}
step "head office's dependencies" head_office_alone
# Among them, head-office/tests/laptops/credentials.rs starts its own D-Bus session bus and
# GNOME Keyring (a real Secret Service, restarted once), a few seconds in all.
step "Rust tests (core, CLI, bindings freshness, head office)" cargo test
# The same tests again with the clock a year and a month ahead (read by permanence::clock in
# debug builds): a test that depends on the day it runs fails here. Doc tests hold no dates.
step "Rust tests, clock 400 days ahead" \
  env PERMANENCE_CLOCK_OFFSET_DAYS=400 cargo test --lib --bins --tests
step "head office against its OpenAPI document (schemathesis)" scripts/schemathesis.sh
step "svelte-check" bash -c "cd ui && npm run --silent check"
step "UI unit tests (vitest)" bash -c "cd ui && npm test --silent"
step "build the app" cargo build -p permanence-app
step "end-to-end (real app under Xvfb)" e2e
print_summary
