//! Follow-up checkpoints (issue 12) sync like every other record: what two laptops record
//! offline, and a checkpoint removed as typed in error, reach every laptop of the platform and
//! the head office's own state, whole; a checkpoint for another platform's dossier, or with
//! content the rules refuse, is refused alone.

use chrono::{Months, NaiveDate};
use permanence::checkpoint::CheckpointDraft;
use permanence::codes::{BusinessState, DossierStatus};
use permanence::dates::format_date;
use permanence::dossier::Dossier;
use permanence::field::Entity;
use permanence::sync::protocol::Outcome;
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{platform_view, Forged, HeadOfficeServer, Laptop};

fn with_status(laptop: &Laptop, status: DossierStatus) -> Dossier {
    laptop
        .dossiers()
        .into_iter()
        .find(|d| d.status == status)
        .expect("the demo has the status")
}

fn months_before(day: NaiveDate, months: u32) -> NaiveDate {
    day.checked_sub_months(Months::new(months)).unwrap()
}

fn draft(month: i64, held_on: NaiveDate, headcount: i64) -> CheckpointDraft {
    CheckpointDraft {
        month,
        held_on,
        state: BusinessState::Active,
        state_since: None,
        headcount,
        turnover_cents: Some(150_000_00),
        note: String::new(),
    }
}

/// Claire's laptop with the demo's 30 dossiers, shared with Nadia's, and two financed
/// dossiers whose businesses started 12 and 25 months ago.
fn two_financed(office: &HeadOfficeServer) -> (Laptop, Laptop, Dossier, Dossier) {
    let mut claire = office.laptop("claire");
    let mut nadia = office.laptop("nadia");
    let today = claire.store.clock().today();
    permanence::demo::fill(&mut claire.store, 30, 7, today).unwrap();
    let repaying = with_status(&claire, DossierStatus::EnRemboursement);
    let granted = with_status(&claire, DossierStatus::Accorde);
    claire
        .store
        .move_status(granted.id, DossierStatus::Decaisse)
        .unwrap();
    let start = |months| json!(format_date(months_before(today, months)));
    let a = claire.set(Entity::Business, repaying.id, "start_on", start(12));
    let b = claire.set(Entity::Business, granted.id, "start_on", start(25));
    claire.sync().unwrap();
    nadia.sync().unwrap();
    (claire, nadia, a, b)
}

#[test]
fn checkpoints_recorded_on_two_laptops_offline_reach_both_and_the_head_office() {
    let office = HeadOfficeServer::start();
    let (mut claire, mut nadia, a, b) = two_financed(&office);
    let today = claire.store.clock().today();
    // The two dossiers' checkpoints due this month (the demo's own may have some too).
    let due = |laptop: &Laptop| -> Vec<(Uuid, i64, bool)> {
        laptop
            .store
            .checkpoints_due(today)
            .unwrap()
            .iter()
            .filter(|c| c.dossier_id == a.id || c.dossier_id == b.id)
            .map(|c| (c.dossier_id, c.month, c.overdue))
            .collect()
    };
    let before = vec![(b.id, 12, true), (b.id, 24, true), (a.id, 12, false)];
    assert_eq!(due(&claire), before);
    assert_eq!(due(&nadia), before);

    // Offline, Claire makes the first dossier's checkpoint and types one of the second's in
    // error, then removes it; Nadia makes the second's two.
    claire
        .store
        .add_checkpoint(a.id, &draft(12, today, 2))
        .unwrap();
    let wrong = claire
        .store
        .add_checkpoint(b.id, &draft(24, today, 40))
        .unwrap()
        .checkpoints[0]
        .id;
    claire.store.remove_checkpoint(wrong).unwrap();
    let mut sold = draft(24, today, 0);
    sold.state = BusinessState::Sold;
    sold.state_since = Some(today);
    sold.turnover_cents = None;
    sold.note = "Fonds cédé à un repreneur du bourg.".into();
    nadia
        .store
        .add_checkpoint(b.id, &draft(12, months_before(today, 1), 3))
        .unwrap();
    nadia.store.add_checkpoint(b.id, &sold).unwrap();

    for _ in 0..2 {
        claire.sync().unwrap();
        nadia.sync().unwrap();
    }
    assert_eq!(claire.store.sync_status().unwrap().refused_changes, 0);
    assert_eq!(nadia.store.sync_status().unwrap().refused_changes, 0);

    let mine = claire.store.get_dossier(b.id).unwrap();
    assert_eq!(mine, nadia.store.get_dossier(b.id).unwrap());
    let kept: Vec<(i64, BusinessState, i64)> = mine
        .checkpoints
        .iter()
        .map(|c| (c.month, c.state, c.headcount))
        .collect();
    assert_eq!(
        kept,
        [(12, BusinessState::Active, 3), (24, BusinessState::Sold, 0)]
    );
    assert_eq!(nadia.store.get_dossier(a.id).unwrap().checkpoints.len(), 1);
    // Nothing left to do for either, on either laptop.
    assert_eq!(due(&claire), []);
    assert_eq!(due(&nadia), []);

    // Both hold what the head office itself holds, every record, nothing left out.
    let truth = office.office.platform_state("TA7V", platform_view).unwrap();
    assert_eq!(truth, platform_view(&claire.store));
    assert_eq!(truth, platform_view(&nadia.store));
}

#[test]
fn a_checkpoint_for_another_platforms_dossier_or_breaking_the_rules_is_refused_alone() {
    let office = HeadOfficeServer::start();
    let (mut claire, nadia, a, _) = two_financed(&office);
    let today = claire.store.clock().today();
    let mut paul = office.laptop("paul");
    let elsewhere = paul.create("Lefebvre");
    paul.sync().unwrap();

    // Nadia's device, of Claire's platform, sends forged changes (nothing pushed before).
    let good = serde_json::to_value(draft(12, today, 2)).unwrap();
    let mut forged = Forged::on(&nadia);
    let mut change =
        |dossier: Uuid, value: serde_json::Value| forged.create("checkpoint", dossier, value);
    let mut eighteen = good.clone();
    eighteen["month"] = json!(18);
    let mut liquidated = good.clone();
    liquidated["state"] = json!("liquidee");
    let mut unknown = good.clone();
    unknown["dossier_id"] = json!(a.id);
    let forged = vec![
        // Another platform's dossier.
        change(elsewhere.id, good.clone()),
        // Content the rules refuse: a month that is no checkpoint's, a liquidation with no
        // date, a field no checkpoint has.
        change(a.id, eighteen),
        change(a.id, liquidated),
        change(a.id, unknown),
        // And one valid checkpoint among them.
        change(a.id, good.clone()),
    ];
    let response = nadia.push_raw(forged).unwrap();
    let outcomes: Vec<Outcome> = response.results.iter().map(|r| r.outcome).collect();
    assert_eq!(
        outcomes,
        [
            Outcome::Rejected,
            Outcome::Rejected,
            Outcome::Rejected,
            Outcome::Rejected,
            Outcome::Applied
        ],
        "{:?}",
        response.results
    );
    let reason = |i: usize| response.results[i].reason.clone().unwrap_or_default();
    assert_eq!(
        reason(0),
        "Le dossier de ce changement est inconnu du siège."
    );
    assert!(reason(1).contains("12, 24 ou 36 mois"), "{}", reason(1));
    assert!(
        reason(2).contains("Indiquez la date de la liquidation."),
        "{}",
        reason(2)
    );

    // Paul's laptop never sees Claire's dossier; a checkpoint of it from another of Paul's
    // devices (nothing pushed before) is refused.
    let forger = office.laptop("paul");
    let response = forger
        .push_raw(vec![Forged::on(&forger).create("checkpoint", a.id, good)])
        .unwrap();
    assert_eq!(response.results[0].outcome, Outcome::Rejected);
    assert_eq!(
        response.results[0].reason.as_deref(),
        Some("Le dossier de ce changement est inconnu du siège.")
    );
    paul.sync().unwrap();
    assert_eq!(paul.dossiers().len(), 1);
    assert!(paul.dossiers()[0].checkpoints.is_empty());

    // Claire's laptop takes the one valid checkpoint and stays whole.
    claire.sync().unwrap();
    let checkpoints = claire.store.get_dossier(a.id).unwrap().checkpoints;
    assert_eq!(checkpoints.len(), 1);
    assert_eq!(checkpoints[0].headcount, 2);
    let truth = office.office.platform_state("TA7V", platform_view).unwrap();
    assert_eq!(truth, platform_view(&claire.store));
}
