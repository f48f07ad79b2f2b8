//! Committees in the store: creating and listing them, their agendas, the decision recorded
//! after the meeting, the demo's committees, and the upgrade of a store made before them.

use chrono::{Datelike, NaiveDate};
use permanence::codes::{CommitteeKind, Decision, DossierStatus};
use permanence::store::{CommitteeDraft, DecisionInput, Store};
use permanence::summary::Printing as _;
use permanence::Error;
use rusqlite::Connection;

use crate::helpers::{committee_day, draft, TestStore, COMMITTEE_DAY, FRUGES};

fn field_errors(result: Result<impl std::fmt::Debug, Error>) -> Vec<String> {
    match result {
        Err(Error::Invalid(fields)) => fields.into_keys().collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

#[test]
fn a_committee_is_created_listed_and_only_one_a_day() {
    let mut t = TestStore::new();
    let before = t.store.pending_changes().unwrap();
    let c = t
        .store
        .create_committee(&CommitteeDraft {
            held_on: "08/12/2026".into(),
            kind: Some(CommitteeKind::Technique),
            place: "  Mairie   de Fruges ".into(),
        })
        .unwrap();
    assert_eq!(c.held_on, committee_day());
    assert_eq!(c.kind, CommitteeKind::Technique);
    assert_eq!(c.place, "Mairie de Fruges");
    assert!(c.agenda.is_empty());
    assert_eq!(
        t.store.pending_changes().unwrap(),
        before + 1,
        "queued for sync"
    );
    assert_eq!(t.store.list_committees().unwrap(), vec![c.clone()]);
    assert_eq!(t.store.committee_on(committee_day()).unwrap(), c);

    let again = t.store.create_committee(&CommitteeDraft {
        held_on: COMMITTEE_DAY.into(),
        ..Default::default()
    });
    match again {
        Err(Error::Invalid(fields)) => {
            assert_eq!(fields["held_on"], "Un comité est déjà prévu le 08/12/2026.")
        }
        other => panic!("a second committee that day: {other:?}"),
    }
    assert_eq!(
        field_errors(t.store.create_committee(&CommitteeDraft::default())),
        vec!["held_on"]
    );
    assert_eq!(
        field_errors(t.store.create_committee(&CommitteeDraft {
            held_on: "31/02/2027".into(),
            ..Default::default()
        })),
        vec!["held_on"]
    );
}

#[test]
fn the_agenda_keeps_its_order_and_gives_dossiers_their_committee() {
    let mut t = TestStore::new();
    let committee = t.committee();
    let a = t
        .store
        .create_dossier(&draft("Caron", "Julien", FRUGES))
        .unwrap();
    let b = t
        .store
        .create_dossier(&draft("Poulain", "Léa", FRUGES))
        .unwrap();
    let before = t.store.pending_changes().unwrap();
    t.store.add_to_agenda(committee, b.id).unwrap();
    let c = t.store.add_to_agenda(committee, a.id).unwrap();
    let again = t.store.add_to_agenda(committee, b.id).unwrap();
    assert_eq!(
        again, c,
        "a dossier already on the agenda stays where it is"
    );
    let order: Vec<_> = c
        .agenda
        .iter()
        .map(|i| (i.position, i.dossier.id))
        .collect();
    assert_eq!(order, vec![(1, b.id), (2, a.id)]);

    let b = t.store.get_dossier(b.id).unwrap();
    assert_eq!(b.committee_date, Some(committee_day()));
    assert_eq!(b.committee_kind, Some(CommitteeKind::Agrement));
    // Per dossier: the agenda row; its committee date and kind ride in the dossier's create,
    // not sent yet.
    assert_eq!(t.store.pending_changes().unwrap(), before + 2);
    let batch = t.store.outbox_batch(100).unwrap();
    let created_b = batch
        .iter()
        .find(|c| c.entity == "dossier" && c.entity_id == b.id)
        .unwrap();
    let folded: Vec<&str> = created_b.value.as_ref().unwrap()["folded"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(folded, ["committee_date", "committee_kind"]);

    let c = t.store.remove_from_agenda(committee, b.id).unwrap();
    assert_eq!(c.agenda.len(), 1);
    assert_eq!(c.agenda[0].dossier.id, a.id);
}

#[test]
fn an_abandoned_or_unknown_dossier_cannot_go_on_an_agenda() {
    let mut t = TestStore::new();
    let committee = t.committee();
    let d = t
        .store
        .create_dossier(&draft("Caron", "Julien", FRUGES))
        .unwrap();
    t.store.move_status(d.id, DossierStatus::Abandonne).unwrap();
    match t.store.add_to_agenda(committee, d.id) {
        Err(e @ Error::Refused { .. }) => assert!(e.reasons()[0].contains("abandonné")),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        t.store.add_to_agenda(committee, uuid::Uuid::now_v7()),
        Err(Error::NotFound { .. })
    ));
    assert!(t.store.get_committee(committee).unwrap().agenda.is_empty());
}

#[test]
fn an_accord_moves_a_ready_dossier_through_passe_en_comite_to_accorde() {
    let mut t = TestStore::new();
    let d = t.full_dossier();
    t.ready(d.id);
    let before = t.store.pending_changes().unwrap();
    let d = t
        .store
        .record_decision(
            d.id,
            &DecisionInput {
                decision: Some(Decision::Accord),
                amount: "10 000".into(),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(d.status, DossierStatus::Accorde);
    assert_eq!(d.decision, Some(Decision::Accord));
    assert_eq!(d.decision_amount_cents, Some(10_000_00));
    assert_eq!(
        d.holders[0].loan_granted_cents,
        Some(10_000_00),
        "the loan is the holder's"
    );
    // Status twice (through "passé en comité"), four decision fields, the holder's grant.
    assert_eq!(t.store.pending_changes().unwrap(), before + 7);
}

#[test]
fn an_accord_outside_the_platform_rules_is_refused_and_changes_nothing() {
    let mut t = TestStore::new();
    let d = t.full_dossier();
    t.ready(d.id);
    let before = t.store.pending_changes().unwrap();
    for amount in ["50 000", "500", "", "douze"] {
        let result = t.store.record_decision(
            d.id,
            &DecisionInput {
                decision: Some(Decision::Accord),
                amount: amount.into(),
                ..Default::default()
            },
        );
        match result {
            Err(Error::Invalid(fields)) => assert!(fields.contains_key("amount"), "{amount}"),
            other => panic!("{amount}: {other:?}"),
        }
    }
    assert_eq!(t.store.pending_changes().unwrap(), before);
    assert_eq!(
        t.store.get_dossier(d.id).unwrap().status,
        DossierStatus::PretPourComite
    );
}

#[test]
fn conditions_reasons_and_amounts_go_with_their_decision() {
    let mut t = TestStore::new();
    let d = t.full_dossier();
    t.ready(d.id);
    let input = |decision, amount: &str, conditions: &str, reason: &str| DecisionInput {
        decision: Some(decision),
        amount: amount.into(),
        conditions: conditions.into(),
        reason: reason.into(),
    };
    let refused = |r| field_errors(r);
    assert_eq!(
        refused(t.store.record_decision(
            d.id,
            &input(Decision::AccordSousConditions, "8 000", "", "")
        )),
        vec!["conditions"]
    );
    assert_eq!(
        refused(
            t.store
                .record_decision(d.id, &input(Decision::Ajournement, "8 000", "", ""))
        ),
        vec!["amount", "reason"]
    );
    assert_eq!(
        field_errors(t.store.record_decision(d.id, &DecisionInput::default())),
        vec!["decision"]
    );

    let d = t
        .store
        .record_decision(
            d.id,
            &input(
                Decision::Ajournement,
                "",
                "",
                "Attendre l'accord bancaire écrit.",
            ),
        )
        .unwrap();
    assert_eq!(d.status, DossierStatus::Ajourne);
    assert_eq!(d.decision_amount_cents, None);
    assert_eq!(d.decision_reason, "Attendre l'accord bancaire écrit.");
}

#[test]
fn an_accord_under_conditions_and_a_refusal_set_their_status() {
    let mut t = TestStore::new();
    let d = t.full_dossier();
    t.ready(d.id);
    t.store
        .move_status(d.id, DossierStatus::PasseEnComite)
        .unwrap();
    let d = t
        .store
        .record_decision(
            d.id,
            &DecisionInput {
                decision: Some(Decision::AccordSousConditions),
                amount: "8 000 €".into(),
                conditions: "Accord bancaire écrit avant décaissement.".into(),
                reason: String::new(),
            },
        )
        .unwrap();
    assert_eq!(d.status, DossierStatus::Accorde);
    assert_eq!(d.holders[0].loan_granted_cents, Some(8_000_00));

    let other = t.full_second();
    let other = t
        .store
        .record_decision(
            other,
            &DecisionInput {
                decision: Some(Decision::Refus),
                reason: "Marché trop étroit.".into(),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(other.status, DossierStatus::Refuse);
}

#[test]
fn a_decision_needs_a_dossier_ready_for_or_past_its_committee() {
    let mut t = TestStore::new();
    let d = t.full_dossier();
    let result = t.store.record_decision(
        d.id,
        &DecisionInput {
            decision: Some(Decision::Accord),
            amount: "10 000".into(),
            ..Default::default()
        },
    );
    match result {
        Err(e @ Error::Refused { .. }) => {
            assert!(e.reasons()[0].contains("prêt pour comité ou passé en comité"))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn demo_data_plans_past_and_upcoming_committees_with_their_agendas() {
    let t = TestStore::demo(40, 62);
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let committees = t.store.list_committees().unwrap();
    assert!(committees
        .iter()
        .any(|c| c.held_on < today && !c.agenda.is_empty()));
    assert!(
        committees
            .iter()
            .any(|c| c.held_on > today && !c.agenda.is_empty()),
        "an upcoming committee has its agenda"
    );
    for c in &committees {
        assert_eq!(c.held_on.weekday(), chrono::Weekday::Tue, "second Tuesdays");
        for item in &c.agenda {
            assert_eq!(item.dossier.committee_date, Some(c.held_on));
            if c.held_on > today {
                assert_eq!(item.dossier.status, DossierStatus::PretPourComite);
            }
        }
    }
}

#[test]
fn a_store_made_before_committees_is_upgraded_with_its_dossiers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("permanence.sqlite3");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(include_str!("../../migrations/laptop/0001_init.sql"))
            .unwrap();
        conn.execute_batch(include_str!("../../migrations/laptop/0002_capture.sql"))
            .unwrap();
        conn.execute_batch(
            "INSERT INTO dossier (id, number, project_type, status, idea, created_at, updated_at,
                                  opened_on, committee_date, committee_kind)
             VALUES ('0193a000-0000-7000-8000-000000000001', 'TA7V-2026-0042', 'creation',
                     'pret_pour_comite', 'Épicerie vrac', '2026-09-02T09:00:00.000000Z',
                     '2026-09-05T10:00:00.000000Z', '2026-09-02', '2026-12-08', 'agrement');
             INSERT INTO holder (id, dossier_id, position, civility, last_name, first_name,
                                 commune, commune_insee)
             VALUES ('0193a000-0000-7000-8000-000000000002',
                     '0193a000-0000-7000-8000-000000000001', 0, 'madame', 'Crépin', 'Chloé',
                     'Fruges', '62364');
             INSERT INTO business (dossier_id) VALUES ('0193a000-0000-7000-8000-000000000001');
             PRAGMA user_version = 2;",
        )
        .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        permanence::store::LAPTOP_SCHEMA.latest()
    );
    assert!(store.list_committees().unwrap().is_empty());
    let id = uuid::Uuid::parse_str("0193a000-0000-7000-8000-000000000001").unwrap();
    let committee = store
        .create_committee(&CommitteeDraft {
            held_on: COMMITTEE_DAY.into(),
            ..Default::default()
        })
        .unwrap();
    let committee = store.add_to_agenda(committee.id, id).unwrap();
    assert_eq!(committee.agenda[0].dossier.number, "TA7V-2026-0042");
    let pack = store.committee_pack(committee_day()).unwrap();
    assert!(crate::helpers::flat_text(&pack.pdf).contains("Chloé CRÉPIN"));
}
