//! Permanence on the laptop: the sync client, the command line, the TypeScript bindings, over
//! the crates that make the core (see the README's layout):
//!
//! - `permanence-domain`: catalogue, codes, parsers, money, dates, the dossier model, settings,
//!   errors, the clock;
//! - `permanence-sync`: the sync protocol, the hybrid logical clock, the rule book;
//! - `permanence-store`: the SQLite store and demo data;
//! - `permanence-summary`: the committee summary and pack (typst).
//!
//! Each is re-exported here under the name the app, the tests and the benches use
//! (`permanence::store::Store`, `permanence::sync::protocol`…). No Tauri and no HTTP server
//! in here: the desktop shell, the head-office server and the command line are thin layers
//! over these crates, so `cargo test` covers the behaviour.

#[cfg(all(feature = "summary", feature = "client"))]
pub mod bindings;
#[cfg(feature = "keyring")]
pub mod credentials;
pub mod sync;

pub use permanence_domain::{
    breakdown, catalogue, checkpoint, clock, codes, dates, dossier, email, error, field, financing,
    indicators, json, ledger, loan, mentoring, money, naf, phone, pipeline, postal, reference,
    settings, siren, statement, workshop,
};
pub use permanence_domain::{ApiError, Error, ErrorCode, FieldErrors, Result};
pub use permanence_store::{cipher, db, demo, store};
#[cfg(feature = "summary")]
pub use permanence_summary as summary;
