//! Committees, their agendas and the decisions recorded after them reach every laptop of the
//! platform, in the same order, and every dossier reads the same on each.

use permanence::store::Committee;
use serde_json::Value;

use crate::helpers::{platform_view, HeadOfficeServer, Laptop};

fn committees(laptop: &Laptop) -> Value {
    serde_json::to_value(laptop.store.list_committees().unwrap()).unwrap()
}

/// Every dossier of the laptop, whole, by id.
fn dossiers(laptop: &Laptop) -> Vec<Value> {
    let mut all: Vec<Value> = laptop
        .dossiers()
        .iter()
        .map(|d| serde_json::to_value(d).unwrap())
        .collect();
    all.sort_by_key(|d| d["id"].as_str().unwrap_or_default().to_owned());
    all
}

fn agenda_entries(list: &[Committee]) -> usize {
    list.iter().map(|c| c.agenda.len()).sum()
}

#[test]
fn a_new_laptop_gets_the_committees_their_agendas_and_every_dossier_as_they_are() {
    let office = HeadOfficeServer::start();
    let mut claire = office.laptop("claire");
    let mut nadia = office.laptop("nadia");
    let today = claire.store.clock().today();
    permanence::demo::fill(&mut claire.store, 30, 7, today).unwrap();
    claire.sync().unwrap();
    nadia.sync().unwrap();
    // Every demo dossier met its moves' conditions: the head office, reading them against
    // its own state, refused none.
    assert_eq!(claire.store.sync_status().unwrap().refused_changes, 0);

    let made = claire.store.list_committees().unwrap();
    assert!(made.len() >= 3, "the demo plans committees: {}", made.len());
    assert!(agenda_entries(&made) >= 3);
    assert_eq!(committees(&nadia), committees(&claire));
    let (a, b) = (dossiers(&claire), dossiers(&nadia));
    assert_eq!(a.len(), 30);
    for (mine, theirs) in a.iter().zip(&b) {
        assert_eq!(mine, theirs, "dossier {}", mine["number"]);
    }
    // And both hold what the head office itself holds, nothing left out.
    let truth = office.office.platform_state("TA7V", platform_view).unwrap();
    assert_eq!(truth, platform_view(&claire.store));
    assert_eq!(truth, platform_view(&nadia.store));
}
