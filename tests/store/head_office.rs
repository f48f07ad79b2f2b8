//! What the laptop keeps about its head office: the address, the advisor, and the network's
//! certificate authority given at registration.

use crate::helpers::TestStore;

const AUTHORITY: &str = "-----BEGIN CERTIFICATE-----\nMIIB…\n-----END CERTIFICATE-----\n";

/// Pass: the authority given at registration survives closing the store, is shown as such in
/// the sync status, and a registration without one goes back to public authorities only.
#[test]
fn the_head_offices_authority_is_kept_until_a_registration_without_one() {
    let mut t = TestStore::new();
    assert!(!t.store.sync_status().unwrap().private_authority);
    let url = "https://siege.initiative-ternois.fr";
    t.store
        .set_server(url, "Claire Dumont", Some(AUTHORITY))
        .unwrap();

    let mut t = t.reopen();
    assert_eq!(
        t.store.server_authority().unwrap().as_deref(),
        Some(AUTHORITY)
    );
    assert!(t.store.sync_status().unwrap().private_authority);

    t.store.set_server(url, "Claire Dumont", None).unwrap();
    assert_eq!(t.store.server_authority().unwrap(), None);
    assert!(!t.reopen().store.sync_status().unwrap().private_authority);
}
