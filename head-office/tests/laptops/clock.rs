//! Clock skew: a laptop whose clock is two hours ahead, a year behind, or jumps backwards.
//! Pass criterion: the laptop's hybrid logical clock stays monotonic (each queued change is
//! stamped after the one before), its own edits keep their order, and every edit made on two
//! laptops ends at the head office as the field's value or as a recorded conflict with both
//! values, the same on both laptops: none lost.

use chrono::Duration;
use permanence::clock::Clock;
use permanence::field::Entity;
use permanence::sync::hlc::Hlc;
use serde_json::json;

use crate::helpers::{HeadOfficeServer, Laptop};

/// The clock stamps of the laptop's queued changes, in queue order: each row's, then those of
/// the field edits folded into it (a record created and edited before it was sent).
fn queued_stamps(laptop: &Laptop) -> Vec<Hlc> {
    let conn = rusqlite::Connection::open(laptop.store_path()).unwrap();
    let mut stmt = conn
        .prepare("SELECT hlc, value FROM outbox ORDER BY device_seq")
        .unwrap();
    let rows: Vec<(String, Option<String>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut stamps = Vec::new();
    for (hlc, value) in rows {
        stamps.push(hlc.parse().unwrap());
        let value: serde_json::Value =
            serde_json::from_str(value.as_deref().unwrap_or("null")).unwrap();
        for edit in value["folded"].as_array().into_iter().flatten() {
            stamps.push(edit["hlc"].as_str().unwrap().parse().unwrap());
        }
    }
    stamps
}

#[test]
fn a_clock_ahead_behind_or_jumping_back_keeps_edits_in_order_and_loses_none() {
    let office = HeadOfficeServer::start();
    let mut claire = office.laptop("claire");
    let mut nadia = office.laptop("nadia");

    // Claire's clock two hours ahead, then a year behind, then back a few days more.
    claire
        .store
        .set_clock(Clock::system().skewed(Duration::hours(2)));
    let d = claire.create("Caron");
    claire.set(Entity::Dossier, d.id, "idea", json!("Garage"));
    claire
        .store
        .set_clock(Clock::system().skewed(Duration::days(-365)));
    claire.set(
        Entity::Dossier,
        d.id,
        "strengths",
        json!("Garage et dépannage"),
    );
    claire.set(Entity::Business, d.id, "name", json!("Garage Caron"));
    claire
        .store
        .set_clock(Clock::system().skewed(Duration::days(-368)));
    // Saved again before it was sent: one change, stamped by this last save.
    claire.set(
        Entity::Dossier,
        d.id,
        "idea",
        json!("Garage Caron, dépannage 24 h"),
    );
    claire.set(Entity::Dossier, d.id, "cautions", json!("Concurrence"));
    let stamps = queued_stamps(&claire);
    assert_eq!(
        stamps.len(),
        5,
        "a create and four field edits queued (folded into it)"
    );
    let mut sorted = stamps.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        sorted.len(),
        5,
        "claire's clock going back: every stamp distinct"
    );
    assert_eq!(
        stamps.iter().max(),
        stamps.last(),
        "the last save is stamped last"
    );

    // Her last edit is the one that stays, though her clock said it was made a year ago.
    let report = claire.sync().unwrap();
    assert_eq!((report.pending, report.open_conflicts), (0, 0));
    nadia.sync().unwrap();
    let seen = nadia.store.get_dossier(d.id).unwrap();
    assert_eq!(seen.idea, "Garage Caron, dépannage 24 h");
    assert_eq!(seen.business.name, "Garage Caron");

    // Both edit the same field offline; claire's clock still a year behind. Her clock was
    // moved past the head office's at her sync, so her later edit is not stamped a year ago.
    nadia.set(Entity::Dossier, d.id, "idea", json!("Garage solidaire"));
    claire.set(Entity::Dossier, d.id, "idea", json!("Garage associatif"));
    let after_sync = queued_stamps(&claire);
    assert!(
        after_sync[0] > *stamps.last().unwrap(),
        "claire's clock never goes back across a sync"
    );
    let now = permanence::clock::now().timestamp_millis();
    assert!(
        after_sync[0].millis > now - 60_000,
        "after a sync, a clock a year behind stamps edits at the head office's time"
    );
    nadia.sync().unwrap();
    claire.sync().unwrap();
    nadia.sync().unwrap();

    // One conflict, both values kept, the same winner on both laptops.
    let (a, b) = (
        claire.store.get_dossier(d.id).unwrap(),
        nadia.store.get_dossier(d.id).unwrap(),
    );
    assert_eq!(a.idea, b.idea, "the same winner everywhere");
    for laptop in [&claire, &nadia] {
        let conflicts = laptop.store.list_conflicts().unwrap();
        assert_eq!(conflicts.len(), 1, "one conflict on each laptop");
        let mut values = [
            conflicts[0].winner_value.clone().unwrap(),
            conflicts[0].loser_value.clone().unwrap(),
        ];
        values.sort_by_key(|v| v.to_string());
        assert_eq!(
            values,
            [json!("Garage associatif"), json!("Garage solidaire")],
            "both values kept"
        );
        assert_eq!(conflicts[0].winner_value, Some(json!(a.idea)));
    }
}

#[test]
fn a_laptop_whose_clock_is_days_ahead_is_told_then_stamps_within_the_head_offices_margin() {
    let office = HeadOfficeServer::start();
    let mut claire = office.laptop("claire");
    let mut nadia = office.laptop("nadia");

    // Before her first sync her clock is three days ahead: her edit is refused, and why.
    claire
        .store
        .set_clock(Clock::system().skewed(Duration::days(3)));
    let early = claire.create("Caron");
    let report = claire.sync().unwrap();
    assert_eq!(report.refused_changes, 1);
    let refused = claire.store.list_refused().unwrap();
    assert!(
        refused[0].reason.contains("vérifiez la date et l'heure"),
        "{}",
        refused[0].reason
    );

    // Her clock still wrong, she now knows the head office's time: her next edits are
    // stamped within its margin, taken, and reach the others.
    let later = claire.create("Lenoir");
    let report = claire.sync().unwrap();
    assert_eq!((report.pending, report.refused_changes), (0, 1));
    nadia.sync().unwrap();
    assert!(nadia.store.get_dossier(later.id).is_ok());
    assert!(nadia.store.get_dossier(early.id).is_err());
}
