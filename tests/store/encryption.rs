//! The laptop store encrypted with SQLCipher: it opens with its key only, nothing of a
//! dossier can be read in its file, its WAL or a copy of them, and a plain store made before
//! encryption is converted in place with every dossier kept.

use std::fs;
use std::path::{Path, PathBuf};

use permanence::cipher::StoreKey;
use permanence::store::{DossierQuery, SnapshotInfo, Store, LAPTOP_SCHEMA};
use permanence::ErrorCode;
use rusqlite::Connection;

use crate::helpers::{draft, FRUGES};

/// A holder's name no demo data or schema holds: finding it in bytes means a leak.
const NAME: &str = "Wojciechowska";

fn store_path(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join(permanence::store::DATABASE_FILE)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

fn all(store: &Store) -> Vec<String> {
    let mut names: Vec<String> = store
        .list_dossiers(&DossierQuery {
            limit: Some(10_000),
            ..Default::default()
        })
        .unwrap()
        .items
        .into_iter()
        .map(|d| d.id.to_string())
        .collect();
    names.sort();
    names
}

fn found(store: &Store, text: &str) -> i64 {
    store
        .list_dossiers(&DossierQuery {
            search: Some(text.into()),
            ..Default::default()
        })
        .unwrap()
        .total
}

/// A plain store with demo dossiers, one of them held by `NAME`, closed.
fn plain_store(dir: &tempfile::TempDir) -> (Vec<String>, uuid::Uuid) {
    let mut store = Store::open(&store_path(dir)).unwrap();
    let today = store.clock().today();
    permanence::demo::fill(&mut store, 12, 7, today).unwrap();
    store.create_dossier(&draft(NAME, FRUGES)).unwrap();
    (all(&store), store.device_id().unwrap())
}

#[test]
fn an_encrypted_store_reopens_with_its_key_and_keeps_its_dossiers() {
    let dir = tempfile::tempdir().unwrap();
    let key = StoreKey::generate();
    let mut store = Store::open_encrypted(&store_path(&dir), &key).unwrap();
    assert!(store.is_encrypted());
    store.create_dossier(&draft(NAME, FRUGES)).unwrap();
    let (ids, device) = (all(&store), store.device_id().unwrap());
    drop(store);

    let store = Store::open_encrypted(&store_path(&dir), &key).unwrap();
    assert_eq!(all(&store), ids, "the same dossiers after reopening");
    assert_eq!(store.device_id().unwrap(), device);
    assert_eq!(found(&store, "wojciech"), 1, "the search index works");
    assert_eq!(store.schema_version().unwrap(), LAPTOP_SCHEMA.latest());
}

#[test]
fn another_key_is_refused_and_the_file_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_path(&dir);
    let mut store = Store::open_encrypted(&path, &StoreKey::generate()).unwrap();
    store.create_dossier(&draft(NAME, FRUGES)).unwrap();
    drop(store);
    let before = fs::read(&path).unwrap();

    let err = Store::open_encrypted(&path, &StoreKey::generate())
        .err()
        .expect("another key is refused");
    assert_eq!(err.code(), ErrorCode::WrongKey);
    assert!(err.to_string().contains("rien n'a été modifié"), "{err}");
    assert_eq!(
        fs::read(&path).unwrap(),
        before,
        "file unchanged byte for byte"
    );
    assert!(
        Store::open(&path).is_err(),
        "no key at all does not open it either"
    );
}

#[test]
fn plain_sqlite_cannot_read_an_encrypted_store() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_path(&dir);
    let mut store = Store::open_encrypted(&path, &StoreKey::generate()).unwrap();
    store.create_dossier(&draft(NAME, FRUGES)).unwrap();
    drop(store);

    let conn = Connection::open(&path).unwrap();
    let read = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    });
    assert!(
        read.is_err(),
        "SQLite without the key reads nothing: {read:?}"
    );

    // The sqlite3 shell, as someone who found the laptop would try.
    let shell = std::process::Command::new("sqlite3")
        .arg(&path)
        .arg("SELECT last_name FROM holder;")
        .output()
        .expect("sqlite3 (installed with the system packages) runs");
    assert!(!shell.status.success(), "sqlite3 fails: {shell:?}");
    assert!(
        String::from_utf8_lossy(&shell.stderr).contains("not a database"),
        "{shell:?}"
    );
    assert!(!contains(&shell.stdout, NAME));
}

#[test]
fn no_holder_name_is_in_the_store_its_wal_or_a_copy_of_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_path(&dir);
    let key = StoreKey::generate();
    let mut store = Store::open_encrypted(&path, &key).unwrap();
    store.create_dossier(&draft(NAME, FRUGES)).unwrap();
    // Open: the last writes are in the WAL, not yet copied back into the file.
    let wal = with_suffix(&path, "-wal");
    let wal_bytes = fs::read(&wal).unwrap();
    assert!(!wal_bytes.is_empty(), "the store writes a WAL");
    // A backup of the home folder copies the files as they are.
    let backup = tempfile::tempdir().unwrap();
    let copy = backup.path().join("permanence.sqlite3");
    fs::copy(&path, &copy).unwrap();
    fs::copy(&wal, with_suffix(&copy, "-wal")).unwrap();
    drop(store);

    for file in [&path, &wal, &copy, &with_suffix(&copy, "-wal")] {
        let bytes = fs::read(file).unwrap_or_default();
        assert!(!contains(&bytes, NAME), "{} holds the name", file.display());
        assert!(
            !contains(&bytes, "SQLite format 3"),
            "{} has a plain header",
            file.display()
        );
    }
    assert!(!contains(&wal_bytes, NAME), "the WAL held the name");
    // The copy is the store: it opens with the key.
    let restored = Store::open_encrypted(&copy, &key).unwrap();
    assert_eq!(found(&restored, "wojciech"), 1);
}

#[test]
fn the_same_dossier_in_a_plain_store_is_readable_in_its_bytes() {
    // The check above can fail: a plain store shows the name.
    let dir = tempfile::tempdir().unwrap();
    let path = store_path(&dir);
    let mut store = Store::open(&path).unwrap();
    store.create_dossier(&draft(NAME, FRUGES)).unwrap();
    drop(store);
    assert!(contains(&fs::read(&path).unwrap(), NAME));
}

#[test]
fn a_plain_store_is_converted_in_place_with_every_dossier() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_path(&dir);
    let (ids, device) = plain_store(&dir);
    assert!(contains(&fs::read(&path).unwrap(), NAME), "plain before");
    let key = StoreKey::generate();

    let store = Store::open_encrypted(&path, &key).unwrap();
    assert_eq!(all(&store), ids, "every dossier is still there");
    assert_eq!(store.device_id().unwrap(), device, "the same device");
    assert_eq!(found(&store, "wojciech"), 1, "the search index came along");
    drop(store);

    assert!(
        !contains(&fs::read(&path).unwrap(), NAME),
        "encrypted after"
    );
    assert!(!with_suffix(&path, ".encrypting").exists(), "no leftover");
    assert!(Connection::open(&path)
        .unwrap()
        .query_row("SELECT count(*) FROM dossier", [], |r| r.get::<_, i64>(0))
        .is_err());
    let again = Store::open_encrypted(&path, &key).unwrap();
    assert_eq!(all(&again), ids, "and it stays so");
}

#[test]
fn a_store_never_checkpointed_is_converted_from_its_wal() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_path(&dir);
    // A store whose writes all sit in its WAL: copied while open, as after a crash.
    let mut store = Store::open(&path).unwrap();
    store.create_dossier(&draft(NAME, FRUGES)).unwrap();
    let ids = all(&store);
    let crashed = tempfile::tempdir().unwrap();
    let copy = store_path(&crashed);
    for suffix in ["", "-wal"] {
        fs::copy(with_suffix(&path, suffix), with_suffix(&copy, suffix)).unwrap();
    }
    drop(store);

    let key = StoreKey::generate();
    let store = Store::open_encrypted(&copy, &key).unwrap();
    assert_eq!(all(&store), ids);
}

#[test]
fn a_leftover_of_an_interrupted_conversion_is_discarded() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_path(&dir);
    let (ids, _) = plain_store(&dir);
    let leftover = with_suffix(&path, ".encrypting");
    fs::write(&leftover, b"half an encrypted file").unwrap();

    let store = Store::open_encrypted(&path, &StoreKey::generate()).unwrap();
    assert_eq!(all(&store), ids);
    assert!(!leftover.exists());
}

#[test]
fn a_token_is_kept_only_in_an_encrypted_store() {
    let dir = tempfile::tempdir().unwrap();
    let plain = Store::open(&dir.path().join("plain.sqlite3")).unwrap();
    assert!(plain.keep_token("secret-du-siege").is_err());
    assert_eq!(plain.kept_token().unwrap(), None);

    let key = StoreKey::generate();
    let path = dir.path().join("chiffre.sqlite3");
    let store = Store::open_encrypted(&path, &key).unwrap();
    store.keep_token("secret-du-siege").unwrap();
    drop(store);
    assert!(!contains(&fs::read(&path).unwrap(), "secret-du-siege"));
    let store = Store::open_encrypted(&path, &key).unwrap();
    assert_eq!(
        store.kept_token().unwrap().as_deref(),
        Some("secret-du-siege")
    );
    store.forget_token().unwrap();
    assert_eq!(store.kept_token().unwrap(), None);
}

#[test]
fn an_encrypted_store_adopts_a_plain_snapshot() {
    // The head office's snapshot is plain SQLite; the laptop reads it beside its own key.
    let dir = tempfile::tempdir().unwrap();
    let mut office = Store::open(&dir.path().join("replica.sqlite3")).unwrap();
    let today = office.clock().today();
    permanence::demo::fill(&mut office, 5, 3, today).unwrap();
    let file = dir.path().join("state.sqlite3");
    let info: SnapshotInfo = office.write_snapshot(&file).unwrap();

    let mut laptop =
        Store::open_encrypted(&dir.path().join("laptop.sqlite3"), &StoreKey::generate()).unwrap();
    let adopted = laptop.adopt_snapshot(&file, &info).unwrap();
    assert_eq!(adopted, 5);
    assert_eq!(all(&laptop), all(&office));
}
