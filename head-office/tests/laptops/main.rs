//! Sync end to end: a real head-office server on loopback and real laptop stores as devices,
//! talking through the laptop's own client. Each test states what must hold.

mod checkpoints;
mod clock;
mod committees;
mod convergence;
mod credentials;
mod demo_pair;
mod faults;
mod garbage;
mod helpers;
mod https;
mod kill;
mod loans;
mod mentoring;
mod restore;
mod scenarios;
mod settings;
mod snapshot;
