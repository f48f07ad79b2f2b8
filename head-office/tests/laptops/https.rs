//! The laptop's own sync client over HTTPS: it syncs with a head office whose certificate it
//! trusts, and refuses one it does not trust without losing anything.

use permanence::field::Entity;
use permanence::sync::client::{self, Client, SyncError};
use serde_json::json;

use crate::helpers::{comparable, HeadOfficeServer};

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
        matches!(refused, Err(SyncError::Unreachable(_))),
        "an unknown certificate is refused: {refused:?}"
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
    for pem in [&b"ceci n'est pas un certificat"[..], b""] {
        let refused = Client::with_root_certificates("https://siege.example", None, pem);
        assert!(
            matches!(&refused, Err(SyncError::Local(e)) if e.to_api().fields.is_some_and(|f| f.contains_key("certificate"))),
            "a field error on the certificate: {:?}",
            refused.err()
        );
    }
}
