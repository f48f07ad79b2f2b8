//! Permanence's core: the dossier model and its validation, the laptop store, demo data, and
//! (as the product grows) the sync client, the committee summary and the indicators.
//!
//! No Tauri and no HTTP server in here: the desktop shell, the head-office server and the
//! command line are thin layers over this crate, so `cargo test` covers the behaviour.

#[cfg(all(feature = "summary", feature = "client"))]
pub mod bindings;
pub mod catalogue;
pub mod clock;
pub mod codes;
pub mod dates;
pub mod db;
pub mod demo;
pub mod dossier;
pub mod email;
pub mod error;
pub mod field;
pub mod financing;
pub mod money;
pub mod naf;
pub mod phone;
pub mod pipeline;
pub mod postal;
pub mod reference;
pub mod settings;
pub mod siren;
pub mod store;
#[cfg(feature = "summary")]
pub mod summary;
pub mod sync;

pub use error::{ApiError, Error, ErrorCode, FieldErrors, Result};
