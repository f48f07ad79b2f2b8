//! Integration tests of the laptop store through its public API, on real SQLite files.

mod demo_data;
mod dossiers;
mod helpers;
mod opening;
