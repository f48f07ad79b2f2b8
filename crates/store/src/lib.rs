//! The laptop's store: one SQLite database (`db` opens it durably and migrates it) holding
//! the dossiers, committees and sessions, the outbox of changes not yet sent, and what the
//! head office sent back (`store`), encrypted with a key of its own (`cipher`); and realistic demo data (`demo`). The head office keeps
//! each platform's current state in one of these too, applied by the same code.

pub mod cipher;
pub mod db;
pub mod demo;
pub mod store;
