//! Honour loans after the accord, in the laptop store: what may be recorded, with French
//! reasons at the field for what may not; each write one transaction with its outbox row, a
//! refused one changing nothing; and the loan's state worked out from what is stored.

use chrono::{Duration, NaiveDate};
use permanence::codes::{DossierStatus, LoanStatus, MovementKind};
use permanence::dossier::Dossier;
use permanence::ledger::{LoanAgreement, MovementDraft};
use permanence::Error;
use uuid::Uuid;

use crate::helpers::{demo, with_status, FRUGES};

fn agreement(d: &Dossier, signed_on: NaiveDate) -> LoanAgreement {
    LoanAgreement {
        holder_id: d.holders[0].id,
        amount_cents: 6_000_00,
        months: 60,
        deferral_months: 0,
        signed_on,
        reference: "PH-2026-0042".into(),
    }
}

fn movement(loan: Uuid, kind: MovementKind, on: NaiveDate, cents: i64) -> MovementDraft {
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

/// The field a refusal names, and its message.
fn refused(result: permanence::Result<Dossier>) -> (String, String) {
    match result {
        Err(Error::Invalid(fields)) => fields.into_iter().next().unwrap(),
        other => panic!("expected a refusal by field, got {other:?}"),
    }
}

#[test]
fn a_granted_holders_loan_is_recorded_with_one_outbox_row_and_followed_to_repaid() {
    let (mut t, today) = demo();
    let d = with_status(&t, DossierStatus::Accorde);
    let before = t.store.pending_changes().unwrap();
    let signed = today - Duration::days(500);
    let d = t.store.add_loan(d.id, &agreement(&d, signed)).unwrap();
    assert_eq!(t.store.pending_changes().unwrap(), before + 1);
    assert_eq!(d.loans.len(), 1);
    let loan = d.loans[0].id;
    assert_eq!(d.loans[0].state(today, 15).status, LoanStatus::Signed);

    let paid_out = signed + Duration::days(10);
    t.store
        .add_loan_movement(&movement(
            loan,
            MovementKind::Disbursement,
            paid_out,
            6_000_00,
        ))
        .unwrap();
    // Twelve instalments of 100 € paid on time, then nothing: late.
    let plan = t.store.get_dossier(d.id).unwrap().loans[0]
        .state(today, 15)
        .schedule
        .unwrap();
    for i in &plan.instalments[..12] {
        t.store
            .add_loan_movement(&movement(
                loan,
                MovementKind::Repayment,
                i.instalment.due_on,
                i.instalment.amount_cents,
            ))
            .unwrap();
    }
    assert_eq!(t.store.pending_changes().unwrap(), before + 14);
    let reopened = t.reopen();
    let state = reopened.store.get_dossier(d.id).unwrap().loans[0].state(today, 15);
    assert_eq!(state.repaid_cents, 1_200_00);
    assert_eq!(state.status, LoanStatus::Late);
    assert!(state.overdue_cents > 0);
    let mut t = reopened;
    // The rest paid at once: soldé.
    t.store
        .add_loan_movement(&movement(loan, MovementKind::Repayment, today, 4_800_00))
        .unwrap();
    let state = t.store.get_dossier(d.id).unwrap().loans[0].state(today, 15);
    assert_eq!(
        (state.status, state.outstanding_cents),
        (LoanStatus::Repaid, 0)
    );
}

#[test]
fn what_may_not_be_recorded_is_refused_at_its_field_in_french_and_changes_nothing() {
    let (mut t, today) = demo();
    let early = with_status(&t, DossierStatus::Instruction);
    let before = t.store.pending_changes().unwrap();
    assert_eq!(
        refused(t.store.add_loan(early.id, &agreement(&early, today))),
        (
            "holder_id".into(),
            "Le prêt d'honneur s'enregistre une fois accordé par le comité.".into()
        )
    );
    let d = with_status(&t, DossierStatus::Accorde);
    // Another dossier's holder; more than the platform lends.
    let mut foreign = agreement(&d, today);
    foreign.holder_id = early.holders[0].id;
    assert_eq!(
        refused(t.store.add_loan(d.id, &foreign)).0,
        "holder_id".to_string()
    );
    let mut big = agreement(&d, today);
    big.amount_cents = 50_000_00;
    assert_eq!(
        refused(t.store.add_loan(d.id, &big)).0,
        "amount_cents".to_string()
    );
    assert_eq!(t.store.pending_changes().unwrap(), before);

    let signed = today - Duration::days(30);
    let loan = t
        .store
        .add_loan(d.id, &agreement(&d, signed))
        .unwrap()
        .loans[0]
        .id;
    assert_eq!(
        refused(t.store.add_loan(d.id, &agreement(&d, signed))),
        (
            "holder_id".into(),
            "Ce porteur a déjà son prêt d'honneur : un prêt par personne.".into()
        )
    );
    let after_loan = t.store.pending_changes().unwrap();
    assert_eq!(
        refused(
            t.store
                .add_loan_movement(&movement(loan, MovementKind::Repayment, today, 100_00))
        ),
        ("kind".into(), "Le prêt n'est pas encore décaissé.".into())
    );
    assert_eq!(
        refused(t.store.add_loan_movement(&movement(
            loan,
            MovementKind::Disbursement,
            signed - Duration::days(1),
            100_00
        )))
        .0,
        "on".to_string()
    );
    t.store
        .add_loan_movement(&movement(
            loan,
            MovementKind::Disbursement,
            signed,
            4_000_00,
        ))
        .unwrap();
    let (field, message) = refused(t.store.add_loan_movement(&movement(
        loan,
        MovementKind::Disbursement,
        signed,
        2_500_00,
    )));
    assert_eq!(field, "amount_cents");
    assert!(message.starts_with("Le décaissement dépasserait le prêt accordé"));
    // A loan with movements is not removed; a write-off ends it.
    assert_eq!(refused(t.store.remove_loan(loan)).0, "loan_id".to_string());
    let mut off = movement(loan, MovementKind::WriteOff, today, 0);
    assert_eq!(
        refused(t.store.add_loan_movement(&off)).0,
        "note".to_string()
    );
    off.note = "Liquidation judiciaire".into();
    t.store.add_loan_movement(&off).unwrap();
    assert_eq!(
        refused(
            t.store
                .add_loan_movement(&movement(loan, MovementKind::Repayment, today, 100_00))
        )
        .0,
        "kind".to_string()
    );
    assert_eq!(t.store.pending_changes().unwrap(), after_loan + 2);
    let state = t.store.get_dossier(d.id).unwrap().loans[0].state(today, 15);
    assert_eq!(
        (state.status, state.written_off_cents),
        (LoanStatus::WrittenOff, 4_000_00)
    );
}

#[test]
fn a_movement_typed_in_error_is_removed_and_a_bare_loan_too_each_with_its_outbox_row() {
    let (mut t, today) = demo();
    let d = with_status(&t, DossierStatus::Accorde);
    let loan = t.store.add_loan(d.id, &agreement(&d, today)).unwrap().loans[0].id;
    let d = t
        .store
        .add_loan_movement(&movement(loan, MovementKind::Disbursement, today, 6_000_00))
        .unwrap();
    let before = t.store.pending_changes().unwrap();
    let d = t
        .store
        .remove_loan_movement(d.loans[0].movements[0].id)
        .unwrap();
    assert!(d.loans[0].movements.is_empty());
    let d = t.store.remove_loan(loan).unwrap();
    assert!(d.loans.is_empty());
    assert_eq!(t.store.pending_changes().unwrap(), before + 2);
    assert!(matches!(
        t.store.remove_loan(loan),
        Err(Error::NotFound { .. })
    ));
    // The holder may have a loan again, and a dossier that was never granted none.
    t.store.add_loan(d.id, &agreement(&d, today)).unwrap();
    let fresh = t.create("Caron", FRUGES);
    assert!(t
        .store
        .add_loan(fresh.id, &agreement(&fresh, today))
        .is_err());
}
