//! Honour loans after the accord and their movements (issue 12) sync like every other record:
//! what two laptops record of the same loan offline, both kept, reaches every laptop of the
//! platform and the head office's own state, whole; a loan or a movement that names another
//! dossier's holder or loan, or carries what the rules refuse, is refused alone.

use chrono::Duration;
use permanence::codes::{DossierStatus, LoanStatus, MovementKind};
use permanence::dossier::Dossier;
use permanence::ledger::{LoanAgreement, MovementDraft};
use permanence::sync::protocol::Outcome;
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{platform_view, Forged, HeadOfficeServer, Laptop};

/// A demo dossier granted its loan, as `laptop` holds it.
fn granted(laptop: &Laptop) -> Dossier {
    laptop
        .dossiers()
        .into_iter()
        .find(|d| d.status == DossierStatus::Accorde && d.loans.is_empty())
        .expect("the demo grants loans")
}

fn movement(loan: Uuid, kind: MovementKind, on: chrono::NaiveDate, cents: i64) -> MovementDraft {
    MovementDraft {
        loan_id: loan,
        kind,
        on,
        amount_cents: cents,
        months: None,
        deferral_months: None,
        note: String::new(),
    }
}

#[test]
fn loans_and_movements_recorded_on_two_laptops_offline_reach_both_and_the_head_office() {
    let office = HeadOfficeServer::start();
    let mut claire = office.laptop("claire");
    let mut nadia = office.laptop("nadia");
    let today = claire.store.clock().today();
    permanence::demo::fill(&mut claire.store, 30, 7, today).unwrap();
    claire.sync().unwrap();
    nadia.sync().unwrap();

    // Claire records the agreement and the disbursement, and syncs.
    let d = granted(&claire);
    let signed = today - Duration::days(200);
    let d = claire
        .store
        .add_loan(
            d.id,
            &LoanAgreement {
                holder_id: d.holders[0].id,
                amount_cents: 6_000_00,
                months: 60,
                deferral_months: 0,
                signed_on: signed,
                reference: "PH-TEST-0001".into(),
            },
        )
        .unwrap();
    let loan = d.loans[0].id;
    claire
        .store
        .add_loan_movement(&movement(
            loan,
            MovementKind::Disbursement,
            signed + Duration::days(5),
            6_000_00,
        ))
        .unwrap();
    claire.sync().unwrap();
    nadia.sync().unwrap();
    assert_eq!(nadia.store.get_dossier(d.id).unwrap().loans.len(), 1);

    // Offline, each records repayments of the same loan; Claire also types one in error and
    // removes it.
    let first_due = signed + Duration::days(5) + Duration::days(31);
    claire
        .store
        .add_loan_movement(&movement(loan, MovementKind::Repayment, first_due, 100_00))
        .unwrap();
    nadia
        .store
        .add_loan_movement(&movement(
            loan,
            MovementKind::Repayment,
            first_due + Duration::days(30),
            100_00,
        ))
        .unwrap();
    let wrong = claire
        .store
        .add_loan_movement(&movement(
            loan,
            MovementKind::Repayment,
            first_due + Duration::days(2),
            999_00,
        ))
        .unwrap();
    let wrong = wrong.loans[0]
        .movements
        .iter()
        .find(|m| m.amount_cents == 999_00)
        .unwrap()
        .id;
    claire.store.remove_loan_movement(wrong).unwrap();

    for _ in 0..2 {
        claire.sync().unwrap();
        nadia.sync().unwrap();
    }
    assert_eq!(claire.store.sync_status().unwrap().refused_changes, 0);
    assert_eq!(nadia.store.sync_status().unwrap().refused_changes, 0);

    let mine = claire.store.get_dossier(d.id).unwrap();
    let theirs = nadia.store.get_dossier(d.id).unwrap();
    assert_eq!(mine, theirs);
    let l = &mine.loans[0];
    let kinds: Vec<(MovementKind, i64)> = l
        .movements
        .iter()
        .map(|m| (m.kind, m.amount_cents))
        .collect();
    assert_eq!(
        kinds,
        [
            (MovementKind::Disbursement, 6_000_00),
            (MovementKind::Repayment, 100_00),
            (MovementKind::Repayment, 100_00)
        ]
    );
    let state = l.state(first_due + Duration::days(31), 15);
    assert_eq!(state.repaid_cents, 200_00);
    assert_eq!(state.status, LoanStatus::Repaying);

    // Both hold what the head office itself holds, every record, nothing left out.
    let truth = office.office.platform_state("TA7V", platform_view).unwrap();
    assert_eq!(truth, platform_view(&claire.store));
    assert_eq!(truth, platform_view(&nadia.store));
}

#[test]
fn a_loan_or_movement_naming_another_dossier_or_breaking_the_rules_is_refused_alone() {
    let office = HeadOfficeServer::start();
    let mut claire = office.laptop("claire");
    let nadia = office.laptop("nadia");
    let mut paul = office.laptop("paul");
    let today = claire.store.clock().today();
    permanence::demo::fill(&mut claire.store, 30, 7, today).unwrap();
    claire.sync().unwrap();
    let d = granted(&claire);
    let other = claire
        .dossiers()
        .into_iter()
        .find(|o| o.id != d.id)
        .unwrap();
    let d = claire
        .store
        .add_loan(
            d.id,
            &LoanAgreement {
                holder_id: d.holders[0].id,
                amount_cents: 5_000_00,
                months: 48,
                deferral_months: 3,
                signed_on: today - Duration::days(20),
                reference: "PH-TEST-0002".into(),
            },
        )
        .unwrap();
    claire.sync().unwrap();
    let loan = d.loans[0].id;

    // Nadia's device, of Claire's platform, sends forged changes; Paul is of another platform.
    let agreement = |holder: Uuid| {
        json!({
            "holder_id": holder, "amount_cents": 5_000_00, "months": 48,
            "deferral_months": 0, "signed_on": today.to_string(), "reference": "PH-X"
        })
    };
    let draft = |loan: Uuid, cents: i64| {
        json!({
            "loan_id": loan, "kind": "remboursement", "on": today.to_string(),
            "amount_cents": cents
        })
    };
    let mut forged = Forged::on(&nadia);
    let mut change = |entity: &str, dossier: Uuid, value: serde_json::Value| {
        forged.create(entity, dossier, value)
    };
    let forged = vec![
        // The holder of one dossier, the loan said to be another's.
        change("loan", other.id, agreement(d.holders[0].id)),
        // A movement of a loan of another dossier.
        change("loan_movement", other.id, draft(loan, 100_00)),
        // Content the rules refuse: 200 months, a negative repayment, unknown fields.
        change(
            "loan",
            d.id,
            json!({
                "holder_id": d.holders[0].id, "amount_cents": 5_000_00, "months": 200,
                "deferral_months": 0, "signed_on": today.to_string(), "reference": "PH-Y"
            }),
        ),
        change("loan_movement", d.id, draft(loan, -5)),
        change("loan_movement", d.id, json!({"loan_id": loan, "x": 1})),
        // And one valid repayment among them.
        change("loan_movement", d.id, draft(loan, 100_00)),
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
            Outcome::Rejected,
            Outcome::Applied
        ],
        "{:?}",
        response.results
    );
    assert!(response.results[0]
        .reason
        .as_deref()
        .unwrap()
        .contains("n'appartient pas au dossier"));

    // Paul's platform never sees Claire's loans; a movement of her loan from Paul is refused.
    paul.sync().unwrap();
    assert!(paul.dossiers().is_empty());
    let response = paul
        .push_raw(vec![Forged::on(&paul).create(
            "loan_movement",
            d.id,
            draft(loan, 100_00),
        )])
        .unwrap();
    assert_eq!(response.results[0].outcome, Outcome::Rejected);

    // Claire's laptop takes the one valid repayment and stays whole.
    claire.sync().unwrap();
    let loans = claire.store.get_dossier(d.id).unwrap().loans;
    assert_eq!(loans.len(), 1);
    assert_eq!(loans[0].movements.len(), 1);
}

#[test]
fn the_head_office_gives_the_platforms_figures_as_a_synced_laptop_computes_them() {
    let office = HeadOfficeServer::start();
    let mut claire = office.laptop("claire");
    let today = claire.store.clock().today();
    permanence::demo::fill(&mut claire.store, 40, 62, today).unwrap();
    claire.sync().unwrap();
    // A year the demo's dossiers were opened in, whatever today's date.
    let year = chrono::Datelike::year(&(today - Duration::days(200)));
    let mine = serde_json::to_value(claire.store.indicators(year, None).unwrap()).unwrap();
    assert!(mine["current"]["welcomed"]["count"].as_i64().unwrap() > 0);
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_permanence-head-office"))
        .arg("--db")
        .arg(office.db_path())
        .args(["indicators", "--platform", "ta7v", "--json", "--year"])
        .arg(year.to_string())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let theirs: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(theirs, mine);
    // And the French report names the figures.
    let report = std::process::Command::new(env!("CARGO_BIN_EXE_permanence-head-office"))
        .arg("--db")
        .arg(office.db_path())
        .args(["indicators", "--platform", "TA7V", "--year"])
        .arg(year.to_string())
        .output()
        .unwrap();
    let text = String::from_utf8(report.stdout).unwrap();
    assert!(text.contains("Prêts d'honneur accordés"), "{text}");
    assert!(text.contains("Effet levier"), "{text}");
}

#[test]
fn the_same_bank_statement_imported_on_two_laptops_is_one_set_of_repayments() {
    let office = HeadOfficeServer::start();
    let mut claire = office.laptop("claire");
    let mut nadia = office.laptop("nadia");
    let today = claire.store.clock().today();
    permanence::demo::fill(&mut claire.store, 30, 7, today).unwrap();
    let d = granted(&claire);
    let signed = today - Duration::days(120);
    let d = claire
        .store
        .add_loan(
            d.id,
            &LoanAgreement {
                holder_id: d.holders[0].id,
                amount_cents: 6_000_00,
                months: 60,
                deferral_months: 0,
                signed_on: signed,
                reference: "PH-TEST-0042".into(),
            },
        )
        .unwrap();
    let loan = d.loans[0].id;
    claire
        .store
        .add_loan_movement(&movement(
            loan,
            MovementKind::Disbursement,
            signed + Duration::days(3),
            6_000_00,
        ))
        .unwrap();
    claire.sync().unwrap();
    nadia.sync().unwrap();

    // Both import the platform's statement offline, then sync, one after the other.
    let day = |d: chrono::NaiveDate| d.format("%d/%m/%Y").to_string();
    let file = format!(
        "Date;Libellé;Montant\n{};VIR PH-TEST-0042 ECHEANCE;100,00\n{};VIR PH-TEST-0042 ECHEANCE;100,00\n",
        day(signed + Duration::days(35)),
        day(signed + Duration::days(65)),
    );
    let first = claire
        .store
        .import_statement(file.as_bytes(), None)
        .unwrap();
    let second = nadia.store.import_statement(file.as_bytes(), None).unwrap();
    assert_eq!(first, second, "both laptops read the statement alike");
    for _ in 0..2 {
        claire.sync().unwrap();
        nadia.sync().unwrap();
    }
    assert_eq!(claire.store.sync_status().unwrap().refused_changes, 0);
    assert_eq!(
        nadia.store.sync_status().unwrap().refused_changes,
        0,
        "the second import is the same repayments, not a refused duplicate"
    );
    let repayments = |laptop: &Laptop| {
        laptop.store.get_dossier(d.id).unwrap().loans[0]
            .movements
            .iter()
            .filter(|m| m.kind == MovementKind::Repayment)
            .count()
    };
    assert_eq!((repayments(&claire), repayments(&nadia)), (2, 2));
    let truth = office.office.platform_state("TA7V", platform_view).unwrap();
    assert_eq!(truth, platform_view(&claire.store));
    assert_eq!(truth, platform_view(&nadia.store));

    // A movement with that id but other content is still refused.
    let mut forged = movement(loan, MovementKind::Repayment, today, 999_00);
    forged.note = "autre contenu".into();
    let stored = claire.store.get_dossier(d.id).unwrap().loans[0]
        .movements
        .iter()
        .find(|m| m.kind == MovementKind::Repayment)
        .unwrap()
        .id;
    let forger = office.laptop("claire");
    let mut change = Forged::on(&forger).create("loan_movement", d.id, json!(forged));
    change.entity_id = stored;
    let response = forger.push_raw(vec![change]).unwrap();
    assert_eq!(
        response.results[0].outcome,
        Outcome::Rejected,
        "{:?}",
        response.results
    );
}
