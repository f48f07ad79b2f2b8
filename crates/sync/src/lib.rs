//! The sync protocol between field laptops and the head office, shared by both sides: the
//! wire types (`protocol`), the hybrid logical clock every change is stamped with (`hlc`),
//! and the rule book every change is read against on arrival (`rules`). A server-
//! authoritative change log: edits go up as field-level changes from the outbox; state comes
//! down by cursor. See `../shared/brief/sync.md` for the design this follows.
//!
//! The HTTP client and the automatic sync are the laptop's (`permanence::sync`); the server
//! is the head office's.

pub mod hlc;
pub mod protocol;
pub mod rules;

pub use hlc::Hlc;
