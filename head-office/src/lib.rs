//! Permanence's head office: the HTTP API that field laptops sync with, over its own store.
//!
//! `router(state)` builds the whole API so that tests drive it in-process or on port 0; the
//! binary only parses its arguments and serves (`Server`: plain HTTP on loopback, HTTPS with
//! rustls anywhere). Every refusal is a JSON body `{ code, message }`, whichever layer
//! produced it.

pub mod api;
pub mod office;
pub mod replica;
pub mod server;
pub mod store;
pub mod throttle;

pub use api::{router, AppState};
pub use server::{ServeError, Server, Tls};
