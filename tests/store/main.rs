//! Integration tests of the laptop store through its public API, on real SQLite files.

mod architecture;
mod catalogue;
mod checkpoints;
mod demo_data;
mod dossiers;
mod encryption;
mod fields;
mod head_office;
mod helpers;
mod indicators;
mod loans;
mod mentoring;
mod migration;
mod notes;
mod opening;
mod pipeline;
mod search;
mod sessions;
mod set_aside;
mod settings;
mod snapshot;
mod statements;
