//! A head office restored from a backup older than what laptops last synced: the real
//! `permanence` binary syncs through it without being wedged, the laptops send again what
//! their journal holds, pull again from the start, and end equal; what no laptop holds any
//! more is named as lost on both sides.

use permanence::field::Entity;
use serde_json::json;

use crate::helpers::{comparable, sync_with_binary, HeadOfficeServer, Laptop};

pub fn synced(laptop: &mut Laptop, url: &str) {
    let output = sync_with_binary(laptop, url);
    assert!(
        output.status.success(),
        "permanence sync fails: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn laptops_send_again_and_pull_again_what_a_restored_head_office_lacks() {
    let office = HeadOfficeServer::start();
    let mut claire = office.laptop("claire");
    let mut nadia = office.laptop("nadia");
    let first = claire.create("Caron");
    synced(&mut claire, &office.url());
    synced(&mut nadia, &office.url());

    let backup = tempfile::tempdir().unwrap();
    let copy = backup.path().join("siege.sqlite3");
    office.office.backup(&copy).unwrap();

    // After the backup, both laptops change things the head office confirms.
    let second = claire.create("Dupont");
    claire.set(Entity::Dossier, first.id, "idea", json!("Fromagerie"));
    synced(&mut claire, &office.url());
    synced(&mut nadia, &office.url());
    nadia.set(Entity::Dossier, second.id, "idea", json!("Crêperie"));
    synced(&mut nadia, &office.url());

    // The head office comes back from the copy; claire has one more edit.
    let restored = HeadOfficeServer::restored_from(&copy);
    let third = claire.create("Martin");
    synced(&mut claire, &restored.url());
    synced(&mut nadia, &restored.url());
    synced(&mut claire, &restored.url());

    for laptop in [&claire, &nadia] {
        let dossiers = laptop.dossiers();
        assert_eq!(dossiers.len(), 3);
        let idea = |id| dossiers.iter().find(|d| d.id == id).unwrap().idea.clone();
        assert_eq!(idea(first.id), "Fromagerie");
        assert_eq!(idea(second.id), "Crêperie");
        assert_eq!(idea(third.id), "Épicerie vrac");
        assert_eq!(laptop.store.sync_status().unwrap().refused_changes, 0);
    }
    assert_eq!(
        comparable(&claire.dossiers()),
        comparable(&nadia.dossiers())
    );
    assert!(restored.office.lost_changes().unwrap().is_empty());
}

#[test]
fn what_no_laptop_holds_any_more_is_named_lost_on_both_sides() {
    let office = HeadOfficeServer::start();
    let mut claire = office.laptop("claire");
    claire.create("Caron");
    synced(&mut claire, &office.url());
    let backup = tempfile::tempdir().unwrap();
    let copy = backup.path().join("siege.sqlite3");
    office.office.backup(&copy).unwrap();

    let lost = claire.create("Dupont");
    synced(&mut claire, &office.url());
    // The journal no longer holds it (as after its 60 days).
    let conn = rusqlite::Connection::open(claire.store_path()).unwrap();
    conn.execute("DELETE FROM sent_change", []).unwrap();
    drop(conn);

    let restored = HeadOfficeServer::restored_from(&copy);
    let after = claire.create("Martin");
    let output = sync_with_binary(&mut claire, &restored.url());
    // The sync went through, and asks the advisor to look at the loss.
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("1 modification(s) refusée(s)"),
        "the loss is to review: {stderr}"
    );
    assert_eq!(claire.store.sync_status().unwrap().pending_changes, 0);
    let named = claire.store.list_refused().unwrap();
    assert_eq!(named.len(), 1);
    assert!(
        named[0].reason.contains("perdu"),
        "the laptop names the loss: {}",
        named[0].reason
    );
    let gaps = restored.office.lost_changes().unwrap();
    assert_eq!(gaps.len(), 1, "the head office names the loss: {gaps:?}");
    assert_eq!(gaps[0].0, claire.device_id);
    assert!(gaps[0].1 <= gaps[0].2);

    // A laptop registered later gets what the head office holds: the edit after the restore.
    let mut nadia = restored.laptop("nadia");
    synced(&mut nadia, &restored.url());
    let ids: Vec<_> = nadia.dossiers().iter().map(|d| d.id).collect();
    assert!(ids.contains(&after.id));
    assert!(!ids.contains(&lost.id));
}

#[test]
fn a_backup_is_a_new_private_file_that_opens_as_a_head_office() {
    let office = HeadOfficeServer::start();
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("siege.sqlite3");
    office.office.backup(&copy).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&copy).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Never over an existing file.
    let again = office.office.backup(&copy).unwrap_err().to_string();
    assert!(again.contains("existe déjà"), "{again}");
    permanence_head_office::store::Store::open(&copy).unwrap();
}
