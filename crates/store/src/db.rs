//! Opening a SQLite file and bringing its schema up to date, shared by the laptop store and
//! the head-office store.
//!
//! Invariants: a file that is not a database, another program's database (told by SQLite's
//! `application_id`, or by tables in a file of version 0), or a schema newer than the
//! binary's, is refused before anything is written to it (read before WAL is turned on);
//! each migration runs in one transaction with its version bump (`rusqlite_migration`); on
//! Unix the database and its WAL and shared-memory files are readable by their owner only
//! (0600), and a folder made for them too (0700).
//!
//! A file opened with a key (`open_keyed`) is SQLCipher's: every page, of the file and of its
//! WAL, is encrypted, and the wrong key is told apart from a file that is not a database. A
//! plain store given a key is converted first (`encrypt_in_place`), so that at every instant
//! one whole copy of the data is the store: the plain file until the encrypted one, exported
//! beside it and checked, is renamed over it.

use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};

use crate::cipher::StoreKey;
use permanence_domain::error::{Error, Result};

/// A numbered list of embedded SQL migrations; version N is the N-th file. Its
/// `application_id` marks the files it makes as its own.
pub struct Schema {
    application_id: i32,
    migrations: &'static [&'static str],
}

impl Schema {
    pub const fn new(application_id: i32, migrations: &'static [&'static str]) -> Self {
        Self {
            application_id,
            migrations,
        }
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
    open_keyed(path, schema, None)
}

/// Opens (or creates) the database at `path`, encrypted with `key` when one is given, and
/// migrates it. A key that does not open the file is `Error::WrongKey`; a plain file given a
/// key is unreadable too: convert it first (`encrypt_in_place`).
pub fn open_keyed(path: &Path, schema: &Schema, key: Option<&StoreKey>) -> Result<Connection> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        private_folder(dir)
            .map_err(|e| Error::Internal(format!("cannot create folder {}: {e}", dir.display())))?;
    }
    private_file(path)
        .map_err(|e| Error::Internal(format!("cannot create {}: {e}", path.display())))?;
    let unreadable = |source| Error::DatabaseUnreadable {
        path: path.to_owned(),
        source,
    };
    let conn = Connection::open(path).map_err(unreadable)?;
    if let Some(key) = key {
        key.apply(&conn)?;
    }
    // Reading is the first access to the file: a non-database fails here, and another
    // program's database or a newer schema is refused, before WAL or a migration changes a
    // byte.
    let (found, application_id, objects): (i64, i32, i64) = conn
        .query_row(
            "SELECT (SELECT user_version FROM pragma_user_version),
                    (SELECT application_id FROM pragma_application_id),
                    (SELECT count(*) FROM sqlite_master)",
            [],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .map_err(|source| match key {
            // With a key, SQLCipher cannot tell a wrong key from a file that is not its own
            // database: a file whose header is plain SQLite's is named for what it is.
            Some(_) if is_not_a_database(&source) && plain_header(path) != Some(true) => {
                Error::WrongKey {
                    path: path.to_owned(),
                }
            }
            _ => unreadable(source),
        })?;
    // Files made before the mark have a version; a new file is empty.
    let ours = application_id == schema.application_id
        || (application_id == 0 && (found > 0 || objects == 0));
    if !ours {
        return Err(Error::NotPermanence {
            path: path.to_owned(),
        });
    }
    if found > schema.latest() {
        return Err(Error::DatabaseTooNew {
            path: path.to_owned(),
            found,
            supported: schema.latest(),
        });
    }
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(unreadable)?;
    if application_id == 0 {
        conn.pragma_update(None, "application_id", schema.application_id)?;
    }
    configure(&conn)?;
    let conn = migrate(conn, schema)?;
    if key.is_some() && file_len(path) == 0 {
        // A new encrypted store is all in its WAL: its header goes into the file now, so that
        // the file alone says it is encrypted (`needs_encrypting`).
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    }
    restrict_to_owner(path);
    Ok(conn)
}

fn is_not_a_database(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::NotADatabase)
}

fn file_len(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// Whether the file starts as a plain SQLite database does (`None`: no header to read).
fn plain_header(path: &Path) -> Option<bool> {
    use std::io::Read;
    let mut header = [0u8; 16];
    let mut file = std::fs::File::open(path).ok()?;
    file.read_exact(&mut header).ok()?;
    Some(&header == b"SQLite format 3\0")
}

fn with_suffix(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

/// Whether the store at `path` holds plain SQLite data that a key would not open: a plain
/// header, or an empty file whose WAL a plain connection reads (a store that never
/// checkpointed). A missing or empty store needs nothing: it is created encrypted.
pub fn needs_encrypting(path: &Path) -> bool {
    match plain_header(path) {
        Some(plain) => plain,
        None => {
            let wal = with_suffix(path, "-wal");
            if file_len(&wal) == 0 {
                return false;
            }
            // Read-only and unkeyed: an encrypted WAL fails here, a plain one answers.
            Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                .and_then(|c| {
                    c.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
                        r.get::<_, i64>(0)
                    })
                })
                .is_ok_and(|objects| objects > 0)
        }
    }
}

/// The steps of `encrypt_in_place`, where a debug build can be made to stop dead
/// (`PERMANENCE_CRASH_AT=<step>` aborts the process there) to test that nothing is lost.
pub const ENCRYPTION_STEPS: &[&str] = &["checkpointed", "exported", "checked", "swapped"];

fn crash_point(step: &str) {
    #[cfg(debug_assertions)]
    if std::env::var("PERMANENCE_CRASH_AT").is_ok_and(|at| at == step) {
        eprintln!("PERMANENCE_CRASH_AT={step}: arrêt brutal pour l'essai");
        std::process::abort();
    }
    #[cfg(not(debug_assertions))]
    let _ = step;
}

/// Converts the plain store at `path` into a store encrypted with `key`, in place:
/// 1. the plain store is opened as usual (refused if it is not ours or too new; migrated),
///    and its WAL copied back into it and removed (`journal_mode=DELETE`): the file alone
///    holds everything;
/// 2. `sqlcipher_export` copies it into `<path>.encrypting`, a new file beside it, with its
///    schema version and mark;
/// 3. that file is opened with the key and checked (integrity, and every table's row count
///    against the plain store's), then written to disk (fsync);
/// 4. it is renamed over the store (atomic), and the folder written to disk.
///
/// A crash before 4 leaves the plain store whole (a leftover `.encrypting` is removed by the
/// next conversion); after it, the encrypted one. Either way the next start finds a whole
/// store.
pub fn encrypt_in_place(path: &Path, schema: &Schema, key: &StoreKey) -> Result<()> {
    let temp = with_suffix(path, ".encrypting");
    for leftover in [temp.clone(), with_suffix(&temp, "-journal")] {
        match std::fs::remove_file(&leftover) {
            Ok(()) => {
                tracing::warn!(file = %leftover.display(), "an unfinished encryption was removed")
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(Error::Internal(format!(
                    "cannot remove {}: {e}",
                    leftover.display()
                )))
            }
        }
    }
    let plain = open(path, schema)?;
    plain.pragma_update(None, "journal_mode", "DELETE")?;
    crash_point("checkpointed");

    private_file(&temp)
        .map_err(|e| Error::Internal(format!("cannot create {}: {e}", temp.display())))?;
    let target = temp
        .to_str()
        .ok_or_else(|| Error::Internal("store path is not UTF-8".into()))?;
    plain.execute(
        &format!("ATTACH DATABASE ?1 AS encrypted KEY {}", key.literal()),
        [target],
    )?;
    let exported = (|| -> Result<()> {
        plain.query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))?;
        let version = user_version(&plain)?;
        plain.execute_batch(&format!(
            "PRAGMA encrypted.user_version = {version}; PRAGMA encrypted.application_id = {};",
            schema.application_id
        ))?;
        Ok(())
    })();
    plain.execute_batch("DETACH DATABASE encrypted")?;
    exported?;
    crash_point("exported");

    check_copy(&plain, &temp, key)?;
    std::fs::File::open(&temp)
        .and_then(|f| f.sync_all())
        .map_err(|e| Error::Internal(format!("cannot sync {}: {e}", temp.display())))?;
    crash_point("checked");

    drop(plain);
    // A plain shared-memory index must not sit beside the encrypted file.
    let _ = std::fs::remove_file(with_suffix(path, "-shm"));
    std::fs::rename(&temp, path)
        .map_err(|e| Error::Internal(format!("cannot replace {}: {e}", path.display())))?;
    sync_folder(path);
    crash_point("swapped");
    Ok(())
}

/// The encrypted copy holds what the plain store holds: it opens with the key, passes
/// SQLite's integrity check, and every table has as many rows.
fn check_copy(plain: &Connection, copy: &Path, key: &StoreKey) -> Result<()> {
    let encrypted = Connection::open(copy)?;
    key.apply(&encrypted)?;
    let integrity: String = encrypted.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    let counts = |conn: &Connection| -> Result<Vec<(String, i64)>> {
        let names: Vec<String> = conn
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND rootpage > 0 \
                 ORDER BY name",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        names
            .into_iter()
            .map(|name| {
                let n = conn.query_row(&format!("SELECT count(*) FROM \"{name}\""), [], |r| {
                    r.get(0)
                })?;
                Ok((name, n))
            })
            .collect()
    };
    let (ours, theirs) = (counts(plain)?, counts(&encrypted)?);
    if integrity != "ok" || ours != theirs || user_version(plain)? != user_version(&encrypted)? {
        return Err(Error::Internal(format!(
            "the encrypted copy of the store differs (integrity: {integrity}); the plain store is kept"
        )));
    }
    Ok(())
}

/// Writes a folder's entries to disk (a rename in it survives a power cut). Unix only: on
/// Windows a rename is made durable by the file system itself.
fn sync_folder(path: &Path) {
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Err(e) = std::fs::File::open(dir).and_then(|d| d.sync_all()) {
            tracing::warn!(error = %e, "the store's folder was not synced");
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Creates `dir` and its missing parents, those it creates readable by their owner only.
fn private_folder(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Creates the database file, empty and readable by its owner only, when it does not exist:
/// SQLite then gives its WAL and shared-memory files the same permissions.
fn private_file(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Makes a database made by an earlier version, and its WAL and shared-memory files,
/// readable by their owner only, as new ones are.
fn restrict_to_owner(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        let mut shm = path.as_os_str().to_owned();
        shm.push("-shm");
        for file in [path.as_os_str().to_owned(), wal, shm] {
            let file = Path::new(&file);
            if let Ok(meta) = std::fs::metadata(file) {
                if meta.permissions().mode() & 0o077 != 0 {
                    let _ = std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600));
                }
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Copies the database `conn` reads, as one consistent snapshot, into a new file `to`
/// readable by its owner only (an existing file is never overwritten): a backup that opens
/// like the original.
pub fn backup_into(conn: &Connection, to: &Path) -> Result<()> {
    let unwritable = |source| permanence_domain::Error::Unwritable {
        path: to.to_path_buf(),
        source,
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(to).map_err(unwritable)?;
    let target = to.to_str().ok_or_else(|| {
        unwritable(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not UTF-8",
        ))
    })?;
    if let Err(e) = conn.execute("VACUUM INTO ?1", [target]) {
        let _ = std::fs::remove_file(to);
        return Err(e.into());
    }
    Ok(())
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

/// The settings a connection actually runs with, as SQLite reports them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pragmas {
    /// `wal` for a file.
    pub journal_mode: String,
    /// 2 is FULL.
    pub synchronous: i64,
    pub foreign_keys: bool,
    pub journal_size_limit: i64,
}

impl Pragmas {
    pub fn of(conn: &Connection) -> Result<Pragmas> {
        let read = |name: &str| -> rusqlite::Result<rusqlite::types::Value> {
            conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
        };
        let int = |v: rusqlite::types::Value| match v {
            rusqlite::types::Value::Integer(n) => n,
            _ => -1,
        };
        Ok(Pragmas {
            journal_mode: match read("journal_mode")? {
                rusqlite::types::Value::Text(t) => t,
                _ => String::new(),
            },
            synchronous: int(read("synchronous")?),
            foreign_keys: int(read("foreign_keys")?) == 1,
            journal_size_limit: int(read("journal_size_limit")?),
        })
    }
}

/// An in-memory database with the same settings and schema, for tests and tools.
pub fn open_in_memory(schema: &Schema) -> Result<Connection> {
    let conn = Connection::open_in_memory()?;
    configure(&conn)?;
    migrate(conn, schema)
}

fn configure(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Durable commits: in WAL mode, FULL syncs the WAL at every commit, so that an edit the
    // screen showed as saved, or a push the head office confirmed, survives a power cut
    // (NORMAL could lose the last commits; measured in the store and sync benchmarks).
    conn.pragma_update(None, "synchronous", "FULL")?;
    // The WAL goes back to at most 16 MiB after each checkpoint that empties it, instead of
    // keeping its largest size for ever.
    conn.pragma_update(None, "journal_size_limit", 16 * 1024 * 1024)?;
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
