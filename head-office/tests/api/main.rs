//! Head-office API tests: in-process with `oneshot`, and over a real socket on port 0 (plain
//! HTTP and HTTPS), and the `serve` command itself.

mod accounts;
mod clocks;
mod health;
mod helpers;
mod openapi;
mod refusals;
mod rules;
mod scope;
mod store;
mod sync;
mod tls;
