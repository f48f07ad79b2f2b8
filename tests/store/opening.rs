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

/// A SQLite file of another program, written whole (no WAL), and its bytes.
fn foreign_database(dir: &std::path::Path, application_id: i32) -> (std::path::PathBuf, Vec<u8>) {
    let path = dir.join("autre-programme.sqlite3");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE contact (nom TEXT); INSERT INTO contact VALUES ('Caron');",
        )
        .unwrap();
        conn.pragma_update(None, "application_id", application_id)
            .unwrap();
    }
    let bytes = fs::read(&path).unwrap();
    (path, bytes)
}

#[test]
fn another_programs_database_is_refused_and_left_untouched_byte_for_byte() {
    // Without a mark (version 0 with tables of its own), and with another program's mark.
    for application_id in [0, 0x4655_4A49] {
        let dir = tempfile::tempdir().unwrap();
        let (path, before) = foreign_database(dir.path(), application_id);
        let err = Store::open(&path)
            .err()
            .expect("another program's database refused");
        assert_eq!(err.code(), ErrorCode::DatabaseUnreadable);
        let message = err.to_string();
        assert!(
            message.contains("n'est pas une base de données Permanence"),
            "{message}"
        );
        assert!(message.contains("rien n'a été modifié"), "{message}");
        assert_eq!(fs::read(&path).unwrap(), before, "unchanged byte for byte");
        let made: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            made.len(),
            1,
            "no WAL nor anything else beside it: {made:?}"
        );
    }
}

#[test]
fn a_new_store_is_marked_as_a_laptop_store() {
    let t = TestStore::new();
    let path = t.path();
    drop(t.store);
    let conn = Connection::open(&path).unwrap();
    let mark: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mark, permanence::store::LAPTOP_APPLICATION_ID);
}

#[cfg(unix)]
#[test]
fn the_store_its_wal_and_its_folder_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("donnees").join("permanence");
    let mut store = Store::open_in_dir(&folder).unwrap();
    store.create_dossier(&draft("Caron", FRUGES)).unwrap();
    let db = folder.join(permanence::store::DATABASE_FILE);
    for suffix in ["", "-wal", "-shm"] {
        let file = std::path::PathBuf::from(format!("{}{suffix}", db.display()));
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
    assert_eq!(mode(&folder), 0o700);
    assert_eq!(mode(&dir.path().join("donnees")), 0o700);
}

#[cfg(unix)]
#[test]
fn a_store_left_readable_by_an_earlier_version_is_restricted_at_open() {
    use std::os::unix::fs::PermissionsExt;
    let t = TestStore::new();
    let path = t.path();
    drop(t.store);
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    let _store = Store::open(&path).unwrap();
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn an_edit_commits_durably_in_a_wal_that_does_not_keep_growing() {
    let t = TestStore::new();
    let pragmas = t.store.pragmas().unwrap();
    assert_eq!(pragmas.journal_mode, "wal");
    assert_eq!(
        pragmas.synchronous, 2,
        "FULL: the WAL is synced at every commit"
    );
    assert!(pragmas.foreign_keys);
    assert_eq!(pragmas.journal_size_limit, 16 * 1024 * 1024);
}

#[test]
fn values_an_earlier_version_let_in_and_this_one_cannot_read_are_set_aside_at_opening() {
    let mut t = TestStore::new();
    let d = t.create("Caron", FRUGES);
    t.store
        .add_financing_line(d.id, permanence::codes::FinancingCategory::BankLoan)
        .unwrap();
    let path = t.path();
    drop(t.store);
    // What a head office before the rule book let through, applied by an earlier version
    // (which had not checked the store's values yet).
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(
        "UPDATE dossier SET status = 'n_importe_quoi', committee_date = 'demain',
                            updated_at = 'hier';
         UPDATE business SET sector = 'nope';
         UPDATE financing_line SET category = 'nope';
         UPDATE holder SET birth_date = '31/02/1990';
         DELETE FROM meta WHERE key = 'values_checked_at_schema';",
    )
    .unwrap();
    drop(conn);

    let store = Store::open(&path).unwrap();
    let shown = store.get_dossier(d.id).expect("the dossier opens");
    assert_eq!(
        shown.status,
        permanence::codes::DossierStatus::PremierContact
    );
    assert_eq!(shown.committee_date, None);
    assert_eq!(store.list_dossiers(&Default::default()).unwrap().total, 1);
    let set_aside = store.list_refused().unwrap();
    let reasons: Vec<&str> = set_aside.iter().map(|r| r.reason.as_str()).collect();
    assert_eq!(set_aside.len(), 6, "{reasons:#?}");
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("« n_importe_quoi » du champ « status »")
                && r.contains("remplacée par « premier_contact »")),
        "{reasons:#?}"
    );
    assert_eq!(store.sync_status().unwrap().refused_changes, 6);
    drop(store);
    // Once per version: opening again sets nothing more aside.
    let store = Store::open(&path).unwrap();
    assert_eq!(store.list_refused().unwrap().len(), 6);
}
