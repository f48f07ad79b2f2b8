//! The laptop's own sync client over HTTPS: it syncs with a head office whose certificate it
//! trusts, and refuses one it does not trust without losing anything.

use permanence::field::Entity;
use permanence::sync::client::{self, Client, SyncError};
use serde_json::json;

use std::process::{Command, Output};

use permanence::store::Store;
use permanence_head_office::office::HeadOffice;

use crate::helpers::{cli, comparable, HeadOfficeServer, PASSWORD};

#[test]
fn two_laptops_converge_through_a_head_office_served_over_https() {
    let office = HeadOfficeServer::start_over_https();
    assert!(office.url().starts_with("https://"), "{}", office.url());
    let mut claire = office.laptop("claire");
    let mut nadia = office.laptop("nadia");
    let d = claire.create("Lefèvre");
    claire.set(Entity::Business, d.id, "name", json!("Épicerie Lefèvre"));

    let report = claire.sync().unwrap();
    assert_eq!(report.pending, 0, "everything went up over HTTPS");
    nadia.sync().unwrap();
    assert_eq!(
        comparable(&claire.dossiers()),
        comparable(&nadia.dossiers()),
        "both laptops agree"
    );
}

#[test]
fn a_laptop_that_does_not_trust_the_certificate_stops_at_the_handshake_and_keeps_its_changes() {
    let office = HeadOfficeServer::start_over_https();
    let mut claire = office.laptop("claire");
    claire.create("Caron");
    let queued = claire.store.sync_status().unwrap().pending_changes;
    assert!(queued > 0);

    // The client as the app builds it: public authorities only.
    let untrusting = Client::new(&claire.url, Some(claire.token.clone())).unwrap();
    let refused = client::sync(&mut claire.store, &untrusting);
    assert!(
        matches!(&refused, Err(SyncError::Unreachable(why)) if why.contains("certificat du siège non reconnu")),
        "an unknown certificate is refused, and said to be: {refused:?}"
    );
    assert_eq!(
        claire.store.sync_status().unwrap().pending_changes,
        queued,
        "nothing left the outbox"
    );
    assert_eq!(
        claire.sync().unwrap().pending,
        0,
        "a trusting client delivers it"
    );
}

#[test]
fn an_unreadable_certificate_authority_is_refused_before_any_request() {
    for pem in ["ceci n'est pas un certificat", ""] {
        let refused = Client::connect(
            "https://siege.example",
            None,
            Some(pem),
            std::time::Duration::from_secs(60),
        );
        assert!(
            matches!(&refused, Err(SyncError::Local(e)) if e.to_api().fields.is_some_and(|f| f.contains_key("certificate"))),
            "a field error on the certificate: {:?}",
            refused.err()
        );
    }
}

/// `permanence --db DB ARGS…` with the advisor's password in its variable.
fn permanence(db: &std::path::Path, args: &[&str], token: Option<&str>) -> Output {
    let mut command = Command::new(cli());
    command
        .arg("--db")
        .arg(db)
        .args(args)
        .env("PERMANENCE_UNENCRYPTED_STORE", "1")
        .env("PERMANENCE_PASSWORD", PASSWORD);
    if let Some(token) = token {
        command.env("PERMANENCE_TOKEN", token);
    }
    command.output().unwrap()
}

/// Pass: `permanence register` against a head office whose certificate comes from the
/// network's own authority fails without `--ca-cert` (and leaves the laptop unregistered),
/// succeeds with it, and a later `permanence sync` (another process) trusts the same
/// authority from the store and delivers every queued change.
#[test]
fn the_command_line_registers_with_the_networks_own_authority_and_syncs_through_it() {
    let office = HeadOfficeServer::start_over_https();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("permanence.sqlite3");
    let authority = dir.path().join("autorite-siege.pem");
    std::fs::write(&authority, office.certificate().unwrap()).unwrap();
    let made = permanence(&db, &["demo-data", "--dossiers", "3"], None);
    assert!(made.status.success(), "{made:?}");
    let url = office.url();

    let untrusting = permanence(
        &db,
        &["register", "--server", &url, "--login", "claire"],
        None,
    );
    assert!(!untrusting.status.success(), "{untrusting:?}");
    assert!(
        !String::from_utf8_lossy(&untrusting.stderr)
            .trim()
            .is_empty(),
        "a message says why"
    );
    assert_eq!(
        Store::open(&db).unwrap().sync_status().unwrap().server_url,
        None
    );

    let registered = permanence(
        &db,
        &[
            "register",
            "--server",
            &url,
            "--login",
            "claire",
            "--ca-cert",
            authority.to_str().unwrap(),
        ],
        None,
    );
    assert!(registered.status.success(), "{registered:?}");
    let status = Store::open(&db).unwrap().sync_status().unwrap();
    assert!(status.private_authority);
    assert!(status.pending_changes > 0);
    // Without a keyring the token is the last line of standard output.
    let printed = String::from_utf8_lossy(&registered.stdout).to_string();
    let token = printed
        .lines()
        .last()
        .map(str::trim)
        .filter(|t| !t.is_empty());

    let synced = permanence(&db, &["sync"], token);
    assert!(synced.status.success(), "{synced:?}");
    assert_eq!(
        Store::open(&db)
            .unwrap()
            .sync_status()
            .unwrap()
            .pending_changes,
        0,
        "every queued change went up"
    );
    assert!(office.office.change_count().unwrap() >= status.pending_changes);
}
