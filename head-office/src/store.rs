//! The head office's own SQLite store (WAL), migrated at start from the embedded
//! `migrations/head-office/` files. Sync will put it behind a trait so that a PostgreSQL store
//! can be added without touching the handlers.

use std::path::Path;
use std::sync::{Arc, Mutex};

use permanence::db::{self, Schema};
use permanence::{Error, Result};
use rusqlite::Connection;

pub static HEAD_OFFICE_SCHEMA: Schema =
    Schema::new(&[include_str!("../../migrations/head-office/0001_init.sql")]);

#[derive(Clone)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
}

impl Store {
    pub fn open(path: &Path) -> Result<Store> {
        Ok(Store::from_conn(db::open(path, &HEAD_OFFICE_SCHEMA)?))
    }

    pub fn open_in_memory() -> Result<Store> {
        Ok(Store::from_conn(db::open_in_memory(&HEAD_OFFICE_SCHEMA)?))
    }

    fn from_conn(conn: Connection) -> Store {
        Store {
            conn: Arc::new(Mutex::new(conn)),
        }
    }

    /// Runs `f` with the connection. SQLite calls are short; handlers call this from
    /// `spawn_blocking` once they do real work.
    pub fn with<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = self
            .conn
            .lock()
            .map_err(|_| Error::Internal("head-office store lock poisoned".into()))?;
        f(&conn)
    }

    pub fn schema_version(&self) -> Result<i64> {
        self.with(db::user_version)
    }
}
