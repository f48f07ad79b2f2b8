//! Permanence's domain, shared by the laptop and the head office: the data catalogue (record
//! kinds and fields), the code lists, the parsers (phone numbers, SIRET, postal codes, NAF),
//! money and dates, the dossier model and its validation, the pipeline's rules, the platform's
//! settings, the bank statement read and matched to loans, the one error shape, and the one
//! clock every "now" comes from.
//!
//! No storage, no network, no typesetting in here: the store, the sync protocol and the
//! summary are crates above it, so the head office builds only what it uses.

pub mod breakdown;
pub mod catalogue;
pub mod checkpoint;
pub mod clock;
pub mod codes;
pub mod dates;
pub mod dossier;
pub mod email;
pub mod error;
pub mod field;
pub mod financing;
pub mod indicators;
pub mod json;
pub mod ledger;
pub mod loan;
pub mod mentoring;
pub mod money;
pub mod naf;
pub mod phone;
pub mod pipeline;
pub mod postal;
pub mod reference;
pub mod settings;
pub mod siren;
pub mod statement;
pub mod text;
pub mod workshop;

pub use error::{ApiError, Error, ErrorCode, FieldErrors, Result};
