# Permanence: the two commands are `make run` and `make test`; the rest are their steps.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export CARGO_TARGET_DIR ?= $(CURDIR)/target
export CARGO_TERM_COLOR ?= never

.PHONY: help deps ui build run test bindings fmt bench soak reference

help:
	@echo "make run    build everything, start a local head office with the demo platform and account, open the app synced with it"
	@echo "make test   every check: fmt, clippy, Rust tests, bindings, svelte-check, vitest, end-to-end"
	@echo "make bindings   regenerate ui/src/lib/bindings from the Rust types"
	@echo "make reference  regenerate data/reference (communes, EPCI, NAF) from the npm packages"
	@echo "make bench      the store, sync and summary benchmarks (release build, prints figures)"
	@echo "make soak       the long randomised sync runs (200 seeds)"

deps:
	@scripts/install-deps.sh

ui: deps
	@cd ui && npm run --silent build

# Built one package set at a time, as `make test` does, so both share compiled crates
# (building them together would unify features differently and rebuild).
build: ui
	cargo build -p permanence-app
	cargo build --bins

# The laptop keeps its store's key and token in the desktop's Secret Service; without a
# desktop session, in a development GNOME Keyring (scripts/keyring-session.sh).
run: build
	@scripts/keyring-session.sh scripts/run.sh

test: deps
	@scripts/test.sh

# Benchmarks print their figures (release build); the first run makes the 50,000-dossier store.
bench:
	cargo bench --bench store
	cargo bench -p permanence-head-office --bench sync
	cargo bench --bench summary
	cargo bench --bench dashboard

# The long randomised sync runs: the convergence property test over 200 seeds (make test runs
# 6), then the network-fault and kill-at-each-phase scenarios again.
soak:
	cargo build --bin permanence
	PERMANENCE_SOAK_SEEDS=$${PERMANENCE_SOAK_SEEDS:-200} cargo test -p permanence-head-office --test laptops -- convergence faults kill

bindings:
	UPDATE_BINDINGS=1 cargo test --test bindings

fmt:
	cargo fmt --all

reference:
	cd tools/reference && npm ci && node generate.mjs
