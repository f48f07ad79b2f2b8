//! A new laptop's first sync takes its platform's state whole from the head office, then
//! follows the log from there; it holds what the head office holds, nothing of another
//! platform, and a laptop that already holds something pulls the log as before.

use permanence::field::Entity;
use serde_json::json;

use crate::helpers::{platform_view, HeadOfficeServer};

#[test]
fn a_new_laptop_takes_the_platform_state_whole_then_follows_the_log_both_ways() {
    let office = HeadOfficeServer::start();
    let mut claire = office.laptop("claire");
    let today = claire.store.clock().today();
    permanence::demo::fill(&mut claire.store, 30, 5, today).unwrap();
    claire.sync().unwrap();

    let mut nadia = office.laptop("nadia");
    let first = nadia.sync().unwrap();
    assert_eq!(first.counts.from_snapshot, 30);
    assert_eq!(first.counts.pulled, 0, "nothing came after the state");
    let truth = office.office.platform_state("TA7V", platform_view).unwrap();
    assert_eq!(platform_view(&nadia.store), truth);
    assert_eq!(platform_view(&claire.store), truth);

    // From the snapshot's cursor on, edits flow both ways.
    let shared = nadia.dossiers()[3].id;
    claire.set(
        Entity::Dossier,
        shared,
        "idea",
        json!("Boulangerie à Fruges"),
    );
    claire.sync().unwrap();
    let next = nadia.sync().unwrap();
    assert_eq!(next.counts.from_snapshot, 0);
    assert_eq!(
        nadia.store.get_dossier(shared).unwrap().idea,
        "Boulangerie à Fruges"
    );
    nadia.set(
        Entity::Dossier,
        shared,
        "heard_of_us",
        json!("Salon de Hesdin"),
    );
    nadia.sync().unwrap();
    claire.sync().unwrap();
    assert_eq!(
        claire.store.get_dossier(shared).unwrap().heard_of_us,
        "Salon de Hesdin"
    );
    let truth = office.office.platform_state("TA7V", platform_view).unwrap();
    assert_eq!(platform_view(&nadia.store), truth);
    assert_eq!(platform_view(&claire.store), truth);
}

#[test]
fn a_laptop_gets_only_its_own_platform_and_one_holding_something_pulls_the_log() {
    let office = HeadOfficeServer::start();
    let mut claire = office.laptop("claire");
    let today = claire.store.clock().today();
    permanence::demo::fill(&mut claire.store, 12, 5, today).unwrap();
    claire.sync().unwrap();

    // Another platform's advisor receives an empty state: none of TA7V's dossiers.
    let mut paul = office.laptop("paul");
    let report = paul.sync().unwrap();
    assert_eq!(report.counts.from_snapshot, 0);
    assert!(paul.dossiers().is_empty());
    assert!(paul.store.list_committees().unwrap().is_empty());
    assert!(paul.store.list_sessions().unwrap().is_empty());

    // A laptop that captured a dossier before its first sync pushes it, then pulls the log.
    let mut nadia = office.laptop("nadia");
    nadia.create("Quennehen");
    let report = nadia.sync().unwrap();
    assert_eq!(report.counts.from_snapshot, 0);
    assert!(report.counts.pulled > 0);
    claire.sync().unwrap();
    let truth = office.office.platform_state("TA7V", platform_view).unwrap();
    assert_eq!(truth["dossiers"].as_array().unwrap().len(), 13);
    assert_eq!(platform_view(&nadia.store), truth);
    assert_eq!(platform_view(&claire.store), truth);
}
