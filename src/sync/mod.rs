//! Sync between field laptops and the head office: a server-authoritative change log. Edits
//! go up as field-level changes from the outbox; state comes down by cursor. See
//! `../shared/brief/sync.md` for the design this follows.

#[cfg(feature = "client")]
pub mod auto;
#[cfg(feature = "client")]
pub mod client;
pub mod hlc;
pub mod keystore;
pub mod protocol;
pub mod rules;

pub use hlc::Hlc;
