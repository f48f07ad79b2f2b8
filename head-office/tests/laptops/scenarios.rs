//! The sync brief's scenarios that fit a test of a few seconds.

use permanence::codes::FinancingCategory;
use permanence::dossier::ProjectType;
use permanence::field::Entity;
use permanence::store::{DossierQuery, DossierSort, Settle};
use permanence::sync::client::SyncError;
use permanence_head_office::office::HeadOffice;
use rusqlite::Connection;
use serde_json::json;

use crate::helpers::{comparable, sharing_a_dossier, sync_with_binary, HeadOfficeServer, Laptop};

#[test]
fn a_dossier_made_offline_reaches_the_other_laptop_with_its_definitive_number() {
    let office = HeadOfficeServer::start();
    let mut claire = office.laptop("claire");
    let mut nadia = office.laptop("nadia");
    let d = claire.create("Lefèvre");
    claire.set(Entity::Business, d.id, "name", json!("Épicerie Lefèvre"));
    let d2 = claire
        .store
        .add_financing_line(d.id, FinancingCategory::Stock)
        .unwrap();
    claire.set(
        Entity::FinancingLine,
        d2.financing[0].id,
        "amount_cents",
        json!("4 500"),
    );
    claire
        .store
        .add_note(d.id, "Premier rendez-vous à Fruges.", None)
        .unwrap();

    let report = claire.sync().unwrap();
    assert_eq!(report.pending, 0, "the outbox is empty after a sync");
    assert_eq!(report.counts.refused, 0);
    nadia.sync().unwrap();
    claire.sync().unwrap();

    let number = &claire.store.get_dossier(d.id).unwrap().number;
    assert!(
        number.starts_with("TA7V-"),
        "definitive number pulled back: {number}"
    );
    assert_eq!(
        comparable(&claire.dossiers()),
        comparable(&nadia.dossiers()),
        "both laptops agree"
    );
    let on_nadia = nadia.store.get_dossier(d.id).unwrap();
    assert_eq!(on_nadia.business.name, "Épicerie Lefèvre");
    assert_eq!(on_nadia.analysis.needs_cents, 450_000);
    assert_eq!(on_nadia.notes[0].body, "Premier rendez-vous à Fruges.");
}

#[test]
fn the_same_field_on_two_laptops_keeps_both_values_and_the_same_winner_everywhere() {
    let (office, mut claire, mut nadia, d) = sharing_a_dossier();

    // Nadia edits first (earlier HLC) but syncs last; Claire's later edit must win.
    nadia.set(Entity::Dossier, d.id, "idea", json!("Boulangerie bio"));
    std::thread::sleep(std::time::Duration::from_millis(5));
    claire.set(
        Entity::Dossier,
        d.id,
        "idea",
        json!("Boulangerie-pâtisserie"),
    );
    claire.sync().unwrap();
    let report = nadia.sync().unwrap();
    assert_eq!(report.counts.conflicts, 1);
    claire.sync().unwrap();

    for laptop in [&claire, &nadia] {
        assert_eq!(
            laptop.store.get_dossier(d.id).unwrap().idea,
            "Boulangerie-pâtisserie"
        );
        let conflicts = laptop.store.list_conflicts().unwrap();
        assert_eq!(conflicts.len(), 1, "the conflict is shown on both laptops");
        assert_eq!(conflicts[0].loser_value, Some(json!("Boulangerie bio")));
        assert_eq!(conflicts[0].winner_author, "Conseiller claire");
    }

    // Nadia takes her value back: a new edit that syncs and wins.
    let id = nadia.store.list_conflicts().unwrap()[0].id;
    nadia.store.settle_conflict(id, Settle::TakeLoser).unwrap();
    nadia.sync().unwrap();
    claire.sync().unwrap();
    assert_eq!(
        claire.store.get_dossier(d.id).unwrap().idea,
        "Boulangerie bio"
    );
    assert!(nadia.store.list_conflicts().unwrap().is_empty());
    assert!(
        claire.store.list_conflicts().unwrap().is_empty(),
        "the choice synced: claire no longer has it to review"
    );
    // A laptop registered afterwards pulls the conflict already settled.
    let mut third = office.laptop("claire");
    third.sync().unwrap();
    assert!(third.store.list_conflicts().unwrap().is_empty());
    assert_eq!(
        third.store.get_dossier(d.id).unwrap().idea,
        "Boulangerie bio"
    );
}

#[test]
fn a_conflict_dismissed_on_one_laptop_leaves_the_other_laptops_review() {
    let (_office, mut claire, mut nadia, d) = sharing_a_dossier();
    nadia.set(Entity::Business, d.id, "name", json!("Fournil du bourg"));
    claire.set(Entity::Business, d.id, "name", json!("Au pain doré"));
    nadia.sync().unwrap();
    claire.sync().unwrap();
    nadia.sync().unwrap();
    assert_eq!(nadia.store.list_conflicts().unwrap().len(), 1);
    let winner = claire.store.get_dossier(d.id).unwrap().business.name;

    let id = claire.store.list_conflicts().unwrap()[0].id;
    claire.store.settle_conflict(id, Settle::Dismiss).unwrap();
    claire.sync().unwrap();
    nadia.sync().unwrap();
    assert!(
        nadia.store.list_conflicts().unwrap().is_empty(),
        "dismissed once, for everyone"
    );
    assert_eq!(nadia.store.get_dossier(d.id).unwrap().business.name, winner);
}

#[test]
fn different_fields_edited_on_two_laptops_merge_without_conflict() {
    let (_office, mut claire, mut nadia, d) = sharing_a_dossier();
    claire.set(Entity::Dossier, d.id, "idea", json!("Garage"));
    nadia.set(Entity::Business, d.id, "name", json!("Garage Caron"));
    claire.sync().unwrap();
    nadia.sync().unwrap();
    claire.sync().unwrap();
    for laptop in [&claire, &nadia] {
        let d = laptop.store.get_dossier(d.id).unwrap();
        assert_eq!(
            (d.idea.as_str(), d.business.name.as_str()),
            ("Garage", "Garage Caron")
        );
        assert!(laptop.store.list_conflicts().unwrap().is_empty());
    }
}

#[test]
fn one_laptop_editing_a_field_several_times_before_syncing_makes_no_conflict() {
    let office = HeadOfficeServer::start();
    let mut claire = office.laptop("claire");
    let d = claire.create("Caron");
    claire.sync().unwrap();
    // Offline all day: the same field three times, on a dossier already at the head office
    // and on one made today.
    let today = claire.create("Lefèvre");
    for (i, version) in ["Garage", "Garage et dépannage", "Garage Caron"]
        .iter()
        .enumerate()
    {
        claire.set(Entity::Dossier, d.id, "idea", json!(version));
        claire.set(
            Entity::Dossier,
            today.id,
            "idea",
            json!(format!("Épicerie {i}")),
        );
    }
    let report = claire.sync().unwrap();
    assert_eq!(
        report.open_conflicts, 0,
        "a laptop never conflicts with itself"
    );
    let mut nadia = office.laptop("nadia");
    nadia.sync().unwrap();
    assert_eq!(nadia.store.get_dossier(d.id).unwrap().idea, "Garage Caron");
    assert_eq!(
        nadia.store.get_dossier(today.id).unwrap().idea,
        "Épicerie 2"
    );
    assert!(nadia.store.list_conflicts().unwrap().is_empty());
}

/// Whether a laptop lists the dossier.
fn listed(laptop: &Laptop, id: uuid::Uuid) -> bool {
    laptop.dossiers().iter().any(|d| d.id == id)
}

#[test]
fn a_deletion_racing_an_edit_is_a_conflict_and_the_dossier_can_be_restored() {
    let office = HeadOfficeServer::start();
    let mut claire = office.laptop("claire");
    let mut nadia = office.laptop("nadia");
    let first = claire.create("Caron");
    let second = claire.create("Lefèvre");
    claire.sync().unwrap();
    nadia.sync().unwrap();

    // First dossier: claire deletes it and syncs before nadia's offline edits arrive.
    nadia.set(Entity::Dossier, first.id, "idea", json!("Garage solidaire"));
    nadia.set(Entity::Business, first.id, "name", json!("Garage Caron"));
    claire.store.delete_dossier(first.id).unwrap();
    assert!(
        !listed(&claire, first.id),
        "a deleted dossier leaves the list"
    );
    claire.sync().unwrap();
    // Second dossier: nadia's edit reaches the head office first; claire deletes it
    // without having seen the edit.
    nadia.set(
        Entity::Dossier,
        second.id,
        "idea",
        json!("Épicerie solidaire"),
    );
    nadia.sync().unwrap();
    claire.store.delete_dossier(second.id).unwrap();
    claire.sync().unwrap();
    nadia.sync().unwrap();

    for laptop in [&claire, &nadia] {
        assert!(!listed(laptop, first.id) && !listed(laptop, second.id));
        let conflicts = laptop.store.list_conflicts().unwrap();
        let about: Vec<_> = conflicts
            .iter()
            .map(|c| {
                (
                    c.entity_id,
                    c.field.as_str(),
                    c.winner_value.clone(),
                    c.loser_value.clone(),
                )
            })
            .collect();
        for id in [first.id, second.id] {
            assert_eq!(
                about.iter().filter(|a| a.0 == id).count(),
                1,
                "one conflict per dossier, however many edits: {about:?}"
            );
            assert!(
                about.contains(&(id, "deleted", Some(json!(true)), Some(json!(false)))),
                "the deletion against the edit: {about:?}"
            );
        }
    }

    // Nadia keeps her side: the dossier comes back everywhere, with her edits.
    let conflict = nadia
        .store
        .list_conflicts()
        .unwrap()
        .into_iter()
        .find(|c| c.entity_id == first.id)
        .unwrap();
    let restored = nadia
        .store
        .settle_conflict(conflict.id, Settle::TakeLoser)
        .unwrap()
        .expect("the restored dossier");
    assert_eq!(restored.idea, "Garage solidaire");
    nadia.sync().unwrap();
    claire.sync().unwrap();
    let back = claire.store.get_dossier(first.id).unwrap();
    assert_eq!(
        (back.idea.as_str(), back.business.name.as_str()),
        ("Garage solidaire", "Garage Caron"),
        "restored with the edits made meanwhile"
    );
    assert!(!listed(&claire, second.id), "the other deletion stands");
}

#[test]
fn a_dossier_edited_elsewhere_is_modified_at_the_edit_time_on_every_laptop() {
    let office = HeadOfficeServer::start();
    let mut claire = office.laptop("claire");
    let mut nadia = office.laptop("nadia");
    let older = claire.create("Caron");
    std::thread::sleep(std::time::Duration::from_millis(5));
    let newer = claire.create("Lefèvre");
    claire.sync().unwrap();
    nadia.sync().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(5));
    let edited = claire.set(Entity::Dossier, older.id, "idea", json!("Garage solidaire"));
    claire.sync().unwrap();
    nadia.sync().unwrap();

    let seen = nadia.store.get_dossier(older.id).unwrap();
    let gap = (seen.updated_at - edited.updated_at)
        .num_milliseconds()
        .abs();
    assert!(
        gap <= 1,
        "modified at claire's edit time on nadia's laptop ({gap} ms apart)"
    );
    let order: Vec<_> = nadia
        .store
        .list_dossiers(&DossierQuery {
            sort: Some(DossierSort::UpdatedDesc),
            ..Default::default()
        })
        .unwrap()
        .items
        .iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(
        order,
        [older.id, newer.id],
        "the dossier edited last comes first"
    );
}

#[test]
fn a_refused_change_is_listed_and_the_others_still_apply() {
    let office = HeadOfficeServer::start();
    let mut claire = office.laptop("claire");
    let d = claire.create("Caron");
    // The create is taken into a push first: the edit after it is a change of its own.
    claire.store.outbox_batch(100).unwrap();
    claire.set(Entity::Dossier, d.id, "idea", json!("Épicerie"));
    // A poison change slipped into the outbox (as a buggy older version could have).
    {
        let conn = Connection::open(claire.store_path()).unwrap();
        conn.execute(
            "UPDATE outbox SET value = '\"pas une date\"', field = 'committee_date'
             WHERE device_seq = (SELECT max(device_seq) FROM outbox)",
            [],
        )
        .unwrap();
    }
    claire.set(Entity::Business, d.id, "name", json!("Épicerie Caron"));
    let report = claire.sync().unwrap();
    assert_eq!(report.counts.refused, 1);
    assert_eq!(
        report.pending, 0,
        "the queue did not block behind the refusal"
    );
    let refused = claire.store.list_refused().unwrap();
    assert_eq!(refused.len(), 1);
    assert!(
        refused[0].reason.contains("committee_date"),
        "{}",
        refused[0].reason
    );
    let mut nadia = office.laptop("nadia");
    nadia.sync().unwrap();
    assert_eq!(
        nadia.store.get_dossier(d.id).unwrap().business.name,
        "Épicerie Caron"
    );
}

#[test]
fn an_unreachable_head_office_loses_nothing_and_a_later_sync_delivers_it() {
    let office = HeadOfficeServer::start();
    let mut claire = office.laptop("claire");
    let d = claire.create("Caron");
    let real_url = claire.url.clone();
    claire.url = "http://127.0.0.1:9".into(); // nothing listens there
    match claire.sync() {
        Err(SyncError::Unreachable(_)) => {}
        other => panic!("expected an unreachable head office, got {other:?}"),
    }
    assert_eq!(
        claire.store.sync_status().unwrap().pending_changes,
        1,
        "still queued"
    );
    claire.url = real_url;
    assert_eq!(claire.sync().unwrap().pending, 0);
    let mut nadia = office.laptop("nadia");
    nadia.sync().unwrap();
    assert_eq!(nadia.dossiers()[0].id, d.id);
}

#[test]
fn an_answer_lost_on_the_way_back_is_replayed_without_duplicates() {
    let office = HeadOfficeServer::start();
    let mut claire = office.laptop("claire");
    let d = claire.create("Caron");
    claire.set(Entity::Dossier, d.id, "idea", json!("Épicerie"));
    // Push without taking the answer, as if the response had been dropped.
    let batch = claire.store.outbox_batch(100).unwrap();
    let client =
        permanence::sync::client::Client::new(&claire.url, Some(claire.token.clone())).unwrap();
    let request = permanence::sync::protocol::PushRequest {
        device_id: claire.device_id,
        schema_version: claire.store.schema_version().unwrap(),
        changes: batch,
        acknowledged_seq: None,
    };
    client.push(&request).unwrap();
    let report = claire.sync().unwrap();
    assert_eq!(report.pending, 0);
    assert_eq!(report.counts.refused, 0);
    let mut nadia = office.laptop("nadia");
    nadia.sync().unwrap();
    assert_eq!(nadia.dossiers().len(), 1, "one dossier, not two");
    assert_eq!(nadia.dossiers()[0].idea, "Épicerie");
}

#[test]
fn changes_queued_by_the_previous_version_are_not_lost_at_upgrade() {
    let office = HeadOfficeServer::start();
    let mut claire = office.laptop("claire");
    let d = claire.create("Caron");
    // The create is taken into a push first: the edit after it is a change of its own.
    claire.store.outbox_batch(100).unwrap();
    claire.set(Entity::Dossier, d.id, "idea", json!("Épicerie"));
    {
        // Rows written before sync existed carry no HLC and no base version.
        let conn = Connection::open(claire.store_path()).unwrap();
        conn.execute("UPDATE outbox SET hlc = NULL, base_version = NULL", [])
            .unwrap();
    }
    let report = claire.sync().unwrap();
    assert_eq!((report.pending, report.counts.applied), (0, 2));
}

#[test]
fn a_revoked_laptop_is_refused_at_once_and_keeps_its_changes() {
    let office = HeadOfficeServer::start();
    let mut claire = office.laptop("claire");
    claire.sync().unwrap();
    office.office.revoke_device(claire.device_id).unwrap();
    claire.create("Caron");
    match claire.sync() {
        Err(SyncError::Refused(api)) => assert_eq!(api.code, permanence::ErrorCode::Unauthorized),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(claire.store.sync_status().unwrap().pending_changes, 1);
}

#[test]
fn an_advisor_of_another_platform_sees_nothing_of_this_one() {
    let office = HeadOfficeServer::start();
    let mut claire = office.laptop("claire");
    let mut paul = office.laptop("paul");
    claire.create("Caron");
    claire.sync().unwrap();
    paul.sync().unwrap();
    assert!(paul.dossiers().is_empty());
}

#[test]
fn a_hundred_long_notes_go_up_in_pushes_under_the_head_offices_limit() {
    let office = HeadOfficeServer::start();
    let mut claire = office.laptop("claire");
    let mut nadia = office.laptop("nadia");
    let d = claire.create("Caron");
    // 108 notes of 4,900 four-byte characters: about 2 MB, twice the limit of one push.
    let body = "🥖".repeat(4_900);
    for _ in 0..108 {
        claire.store.add_note(d.id, &body, None).unwrap();
    }
    // The real command line, as an end-of-day script runs it.
    let output = sync_with_binary(&mut claire, &office.url());
    assert!(
        output.status.success(),
        "the sync goes through: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let status = claire.store.sync_status().unwrap();
    assert_eq!((status.pending_changes, status.refused_changes), (0, 0));
    nadia.sync().unwrap();
    assert_eq!(nadia.store.get_dossier(d.id).unwrap().notes.len(), 108);
}

#[test]
fn a_change_too_large_for_any_push_is_kept_back_named_and_the_rest_goes_on() {
    let office = HeadOfficeServer::start();
    let mut claire = office.laptop("claire");
    let mut nadia = office.laptop("nadia");
    let d = claire.create("Caron");
    // The create is taken into a push first: the edit after it is a change of its own.
    claire.store.outbox_batch(100).unwrap();
    claire.set(Entity::Dossier, d.id, "idea", json!("Fromagerie"));
    // No screen lets a field grow past its limit: a store of an earlier version, or a
    // broken import, could still hold one. Its queued edit becomes 2 MB.
    let conn = Connection::open(claire.store_path()).unwrap();
    let huge = "🧀".repeat(500_000);
    conn.execute(
        "UPDATE outbox SET value = json_quote(?1) WHERE field = 'idea'",
        [&huge],
    )
    .unwrap();
    drop(conn);
    claire.set(Entity::Dossier, d.id, "project_type", json!("reprise"));

    let output = sync_with_binary(&mut claire, &office.url());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("1 modification(s) refusée(s)"), "{stderr}");
    assert_eq!(claire.store.sync_status().unwrap().pending_changes, 0);
    let refused = claire.store.list_refused().unwrap();
    assert_eq!(refused.len(), 1);
    assert!(
        refused[0].reason.contains("le champ « idea »") && refused[0].reason.contains("Ko"),
        "{}",
        refused[0].reason
    );
    // The change queued after it reached the other laptop.
    nadia.sync().unwrap();
    let theirs = nadia.store.get_dossier(d.id).unwrap();
    assert_eq!(theirs.project_type, ProjectType::Reprise);
}

#[test]
fn the_head_office_answers_a_push_only_once_its_commit_is_durable() {
    let office = HeadOfficeServer::start();
    let pragmas = office.office.pragmas().unwrap();
    assert_eq!(pragmas.journal_mode, "wal");
    assert_eq!(
        pragmas.synchronous, 2,
        "FULL: the WAL is synced at every commit"
    );
    assert_eq!(pragmas.journal_size_limit, 16 * 1024 * 1024);
}

#[test]
fn once_the_head_office_is_idle_its_wal_file_is_emptied() {
    let office = HeadOfficeServer::start();
    let mut claire = office.laptop("claire");
    for i in 0..30 {
        claire.create(&format!("Caron{i}"));
    }
    claire.sync().unwrap();
    let wal = std::path::PathBuf::from(format!("{}-wal", office.db_path().display()));
    let size = || std::fs::metadata(&wal).map_or(0, |m| m.len());
    // Every page is in the database after a few idle checkpoints (every 500 ms); the WAL
    // then holds nothing. Polled, with a generous deadline: this is no measure of speed.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while size() > 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert_eq!(size(), 0, "the WAL was truncated once idle");
    // And the head office still answers, with everything.
    let mut nadia = office.laptop("nadia");
    nadia.sync().unwrap();
    assert_eq!(nadia.dossiers().len(), 30);
}
