//! Opening a SQLite file and bringing its schema up to date, shared by the laptop store and
//! the head-office store.
//!
//! Invariants: a file that is not a database, or whose schema is newer than the binary's, is
//! refused before anything is written to it (the version is read before WAL is turned on);
//! each migration runs in one transaction with its version bump (`rusqlite_migration`).

use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};

use crate::error::{Error, Result};

/// A numbered list of embedded SQL migrations; version N is the N-th file.
pub struct Schema {
    migrations: &'static [&'static str],
}

impl Schema {
    pub const fn new(migrations: &'static [&'static str]) -> Self {
        Self { migrations }
    }

    /// The schema version this binary writes.
    pub fn latest(&self) -> i64 {
        self.migrations.len() as i64
    }

    fn to_migrations(&self) -> Migrations<'static> {
        Migrations::new(self.migrations.iter().map(|sql| M::up(sql)).collect())
    }
}

/// Opens (or creates) the database at `path` and migrates it to the latest schema.
pub fn open(path: &Path, schema: &Schema) -> Result<Connection> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::Internal(format!("cannot create folder {}: {e}", dir.display())))?;
    }
    let unreadable = |source| Error::DatabaseUnreadable {
        path: path.to_owned(),
        source,
    };
    let conn = Connection::open(path).map_err(unreadable)?;
    // Reading the version is the first access to the file: a non-database fails here,
    // and a newer schema is refused, before WAL or a migration changes a byte.
    let found: i64 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(unreadable)?;
    if found > schema.latest() {
        return Err(Error::DatabaseTooNew {
            path: path.to_owned(),
            found,
            supported: schema.latest(),
        });
    }
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(unreadable)?;
    configure(&conn)?;
    migrate(conn, schema)
}

/// Another connection to a database already opened (and migrated) with `open`, with the
/// same settings: read-only to read beside the writer (WAL lets it), or read-write for a
/// background task such as checkpointing.
pub fn open_again(path: &Path, read_only: bool) -> Result<Connection> {
    use rusqlite::OpenFlags;
    let access = if read_only {
        OpenFlags::SQLITE_OPEN_READ_ONLY
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE
    };
    let conn = Connection::open_with_flags(path, access | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|source| Error::DatabaseUnreadable {
            path: path.to_owned(),
            source,
        })?;
    configure(&conn)?;
    Ok(conn)
}

/// An in-memory database with the same settings and schema, for tests and tools.
pub fn open_in_memory(schema: &Schema) -> Result<Connection> {
    let conn = Connection::open_in_memory()?;
    configure(&conn)?;
    migrate(conn, schema)
}

fn configure(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // A store of tens of thousands of dossiers is read through memory mapping and a larger
    // page cache (32 MiB) rather than a read call per page.
    conn.pragma_update(None, "mmap_size", 256 * 1024 * 1024)?;
    conn.pragma_update(None, "cache_size", -32_000)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    Ok(())
}

fn migrate(mut conn: Connection, schema: &Schema) -> Result<Connection> {
    schema
        .to_migrations()
        .to_latest(&mut conn)
        .map_err(|e| Error::Internal(format!("migration failed: {e}")))?;
    Ok(conn)
}

/// The schema version recorded in a database.
pub fn user_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |row| row.get(0))?)
}
