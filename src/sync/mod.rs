//! Sync between field laptops and the head office: the protocol, the clock and the rule book
//! shared with the head office (`permanence-sync`, re-exported here), and the laptop's own
//! parts: the HTTP client, the automatic sync, the keystore of the device's token.

#[cfg(feature = "client")]
pub mod auto;
#[cfg(feature = "client")]
pub mod client;
pub mod keystore;

pub use permanence_sync::{hlc, protocol, rules, Hlc};
