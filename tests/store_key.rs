//! The store's key from the command line, run as a real process on a machine with no
//! credential store (no D-Bus session): the passphrase chosen at first start, asked at each
//! start, and a plain store converted without losing anything when the process dies at any
//! step of the conversion (a debug build aborts where `PERMANENCE_CRASH_AT` says).
//! The Secret Service side is `head-office/tests/laptops/credentials.rs`.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use permanence::db::ENCRYPTION_STEPS;
use permanence::store::{DossierQuery, Store};

const PASSPHRASE: &str = "le beffroi de Hesdin";

/// `permanence --db DB ARGS…` with no credential store: the session bus points nowhere.
fn permanence(db: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_permanence"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("PERMANENCE_UNENCRYPTED_STORE")
        .env_remove("PERMANENCE_PASSPHRASE")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("permanence runs")
}

fn listed(out: &Output) -> Vec<String> {
    assert!(out.status.success(), "{out:?}");
    let list: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let mut ids: Vec<String> = list
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

fn with_suffix(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn plain_header(path: &Path) -> bool {
    std::fs::read(path).is_ok_and(|b| b.starts_with(b"SQLite format 3\0"))
}

/// The main holders' last names of a store's dossiers ("Prénom NOM").
fn last_names(db: &Path) -> Vec<String> {
    let store = Store::open(db).unwrap();
    store
        .list_dossiers(&DossierQuery::default())
        .unwrap()
        .items
        .iter()
        .filter_map(|d| d.holder_name.split_whitespace().last().map(str::to_owned))
        .collect()
}

/// Whether `name` appears in the file's bytes, as `strings` would show it (any case).
fn readable_in(file: &Path, name: &str) -> bool {
    let bytes = std::fs::read(file).unwrap_or_default();
    let lower = name.to_lowercase();
    [name.to_owned(), lower]
        .iter()
        .any(|n| bytes.windows(n.len()).any(|w| w == n.as_bytes()))
}

/// A plain store, as made before encryption, with demo dossiers; their ids.
fn plain_store(db: &Path) -> Vec<String> {
    let mut store = Store::open(db).unwrap();
    let today = store.clock().today();
    permanence::demo::fill(&mut store, 15, 9, today).unwrap();
    let mut ids: Vec<String> = store
        .list_dossiers(&DossierQuery::default())
        .unwrap()
        .items
        .iter()
        .map(|d| d.id.to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn without_a_credential_store_the_first_start_asks_for_a_passphrase_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("laptop.sqlite3");
    let out = permanence(&db, &["dossier", "list"], &[]);
    assert!(!out.status.success(), "{out:?}");
    let message = stderr(&out);
    assert!(message.contains("PERMANENCE_PASSPHRASE"), "{message}");
    assert!(message.contains("phrase de passe"), "{message}");
    assert!(!db.exists(), "no store made");
    assert!(
        !permanence::credentials::key_file(&db).exists(),
        "no key file"
    );

    let short = permanence(
        &db,
        &["dossier", "list"],
        &[("PERMANENCE_PASSPHRASE", "court")],
    );
    assert!(!short.status.success());
    assert!(
        stderr(&short).contains("au moins 8 caractères"),
        "{short:?}"
    );
    assert!(!db.exists());
}

#[test]
fn the_passphrase_opens_the_store_at_each_start_and_a_wrong_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("laptop.sqlite3");
    let with = [("PERMANENCE_PASSPHRASE", PASSPHRASE)];
    let made = permanence(&db, &["demo-data", "--dossiers", "4"], &with);
    assert!(made.status.success(), "{made:?}");
    assert!(!plain_header(&db), "the new store is encrypted");
    let key_file = std::fs::read_to_string(permanence::credentials::key_file(&db)).unwrap();
    assert!(key_file.contains("passphrase"), "{key_file}");
    assert!(
        !key_file.contains("beffroi"),
        "the passphrase is never written"
    );

    assert_eq!(
        listed(&permanence(&db, &["dossier", "list"], &with)).len(),
        4
    );
    let wrong = permanence(
        &db,
        &["dossier", "list"],
        &[("PERMANENCE_PASSPHRASE", "le beffroi de Fruges")],
    );
    assert!(!wrong.status.success(), "{wrong:?}");
    assert!(
        stderr(&wrong).contains("phrase de passe incorrecte"),
        "{wrong:?}"
    );
    let none = permanence(&db, &["dossier", "list"], &[]);
    assert!(!none.status.success());
    assert!(stderr(&none).contains("PERMANENCE_PASSPHRASE"), "{none:?}");
}

#[test]
fn a_plain_store_loses_nothing_when_the_process_dies_at_any_step_of_its_encryption() {
    let with = ("PERMANENCE_PASSPHRASE", PASSPHRASE);
    for step in ENCRYPTION_STEPS {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("laptop.sqlite3");
        let ids = plain_store(&db);
        let names = last_names(&db);
        assert!(
            names.iter().any(|n| readable_in(&db, n)),
            "{step}: the plain store shows its holders' names"
        );

        let crashed = permanence(
            &db,
            &["dossier", "list"],
            &[with, ("PERMANENCE_CRASH_AT", step)],
        );
        assert!(
            !crashed.status.success() && crashed.stdout.is_empty(),
            "{step}: the process died before answering: {crashed:?}"
        );
        assert!(
            stderr(&crashed).contains(&format!("PERMANENCE_CRASH_AT={step}")),
            "{step}: it died at that step: {}",
            stderr(&crashed)
        );

        let next = permanence(&db, &["dossier", "list"], &[with]);
        assert_eq!(
            listed(&next),
            ids,
            "{step}: every dossier after the next start"
        );
        assert!(!plain_header(&db), "{step}: the store is encrypted now");
        for name in &names {
            for file in [db.clone(), with_suffix(&db, "-wal")] {
                assert!(
                    !readable_in(&file, name),
                    "{step}: {name} readable in {}",
                    file.display()
                );
            }
        }
        let mut leftover = db.as_os_str().to_owned();
        leftover.push(".encrypting");
        assert!(
            !Path::new(&leftover).exists(),
            "{step}: nothing left beside it"
        );
    }
}

#[test]
fn a_mistyped_passphrase_after_a_crash_never_encrypts_the_plain_store_with_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("laptop.sqlite3");
    let ids = plain_store(&db);
    // The passphrase is chosen, then the process dies before the store is encrypted.
    let crashed = permanence(
        &db,
        &["dossier", "list"],
        &[
            ("PERMANENCE_PASSPHRASE", PASSPHRASE),
            ("PERMANENCE_CRASH_AT", "checkpointed"),
        ],
    );
    assert!(!crashed.status.success(), "{crashed:?}");
    assert!(plain_header(&db), "still plain");

    let mistyped = permanence(
        &db,
        &["dossier", "list"],
        &[("PERMANENCE_PASSPHRASE", "le befroi de Hesdin")],
    );
    assert!(!mistyped.status.success(), "{mistyped:?}");
    assert!(
        stderr(&mistyped).contains("phrase de passe incorrecte"),
        "{mistyped:?}"
    );
    assert!(
        plain_header(&db),
        "left as it was, not encrypted with a mistyped key"
    );

    let next = permanence(
        &db,
        &["dossier", "list"],
        &[("PERMANENCE_PASSPHRASE", PASSPHRASE)],
    );
    assert_eq!(listed(&next), ids);
    assert!(!plain_header(&db));
}
