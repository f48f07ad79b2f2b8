use std::fs;

use permanence::store::{Store, LAPTOP_SCHEMA};
use permanence::ErrorCode;
use rusqlite::Connection;

use crate::helpers::{draft, TestStore, FRUGES};

#[test]
fn a_new_store_is_migrated_with_wal_and_foreign_keys() {
    let t = TestStore::new();
    assert_eq!(t.store.schema_version().unwrap(), LAPTOP_SCHEMA.latest());
    let conn = Connection::open(t.path()).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn reopening_keeps_the_device_id() {
    let t = TestStore::new();
    let id = t.store.device_id().unwrap();
    let t = t.reopen();
    assert_eq!(t.store.device_id().unwrap(), id);
}

#[test]
fn a_database_from_a_newer_version_is_refused_and_left_untouched() {
    let t = TestStore::new();
    let path = t.path();
    drop(t.store);
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
        conn.pragma_update(None, "user_version", LAPTOP_SCHEMA.latest() + 1)
            .unwrap();
    }
    let before = fs::read(&path).unwrap();

    let err = Store::open(&path).err().expect("newer database refused");
    assert_eq!(err.code(), ErrorCode::DatabaseTooNew);
    let message = err.to_string();
    assert!(message.contains("version plus récente"), "{message}");
    assert!(message.contains("rien n'a été modifié"), "{message}");
    assert_eq!(
        fs::read(&path).unwrap(),
        before,
        "file unchanged byte for byte"
    );
}

#[test]
fn a_file_that_is_not_a_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.sqlite3");
    let junk = b"Compte rendu de la permanence de Fruges\n".repeat(200);
    fs::write(&path, &junk).unwrap();

    let err = Store::open(&path).err().expect("junk refused");
    assert_eq!(err.code(), ErrorCode::DatabaseUnreadable);
    assert!(err
        .to_string()
        .contains("n'est pas une base de données Permanence"));
    assert_eq!(fs::read(&path).unwrap(), junk, "file unchanged");
}

#[test]
fn foreign_keys_are_enforced() {
    let mut t = TestStore::new();
    t.store.create_dossier(&draft("Caron", FRUGES)).unwrap();
    drop(t.store);
    // A raw connection configured like the store refuses an orphan holder.
    let conn = Connection::open(t.dir.path().join(permanence::store::DATABASE_FILE)).unwrap();
    conn.pragma_update(None, "foreign_keys", "ON").unwrap();
    let orphan = conn.execute(
        "INSERT INTO holder (id, dossier_id, position, civility, last_name, first_name, commune)
         VALUES ('h', 'missing', 0, 'madame', 'A', 'B', 'C')",
        [],
    );
    assert!(orphan.is_err(), "orphan holder refused");
}
