//! Follow-up checkpoints at 12, 24 and 36 months, in the laptop store: which are due in a
//! month for every financed dossier (counted from the business's start of activity, else
//! from the first disbursement), what may be recorded, with French reasons at the field for
//! what may not; each write one transaction with its outbox row, a refused one changing
//! nothing.

use chrono::{Duration, Months, NaiveDate};
use permanence::checkpoint::{CheckpointDraft, CheckpointDue};
use permanence::codes::{BusinessState, DossierStatus, MovementKind};
use permanence::dates::format_date;
use permanence::dossier::Dossier;
use permanence::field::Entity;
use permanence::ledger::{LoanAgreement, MovementDraft};
use permanence::Error;
use serde_json::json;

use crate::helpers::{demo, with_status, TestStore};

fn months_before(day: NaiveDate, months: u32) -> NaiveDate {
    day.checked_sub_months(Months::new(months)).unwrap()
}

/// Sets the business's start of activity as the form does.
fn started_on(t: &mut TestStore, d: &Dossier, start: NaiveDate) -> Dossier {
    t.set(
        Entity::Business,
        d.id,
        "start_on",
        json!(format_date(start)),
    )
}

fn draft(month: i64, held_on: NaiveDate) -> CheckpointDraft {
    CheckpointDraft {
        month,
        held_on,
        state: BusinessState::Active,
        state_since: None,
        headcount: 3,
        turnover_cents: Some(96_500_00),
        note: "Clientèle fidélisée ; un apprenti embauché en septembre.".into(),
    }
}

fn due_entry(d: &Dossier, month: i64, due_on: NaiveDate, overdue: bool) -> CheckpointDue {
    let main = &d.holders[0];
    CheckpointDue {
        dossier_id: d.id,
        number: d.number.clone(),
        holder_name: format!("{} {}", main.first_name, main.last_name.to_uppercase()),
        month,
        due_on,
        overdue,
    }
}

/// The field a refusal names, and its message.
fn refused(result: permanence::Result<Dossier>) -> (String, String) {
    match result {
        Err(Error::Invalid(fields)) => fields.into_iter().next().unwrap(),
        other => panic!("expected a refusal by field, got {other:?}"),
    }
}

/// What the store lists for `dossiers` in `month` (the demo's own financed dossiers may have
/// checkpoints due too).
fn listed(t: &TestStore, month: NaiveDate, dossiers: &[uuid::Uuid]) -> Vec<CheckpointDue> {
    t.store
        .checkpoints_due(month)
        .unwrap()
        .into_iter()
        .filter(|c| dossiers.contains(&c.dossier_id))
        .collect()
}

/// What the store lists agrees with each dossier's own reading of its checkpoints.
fn agrees_with_each_dossier(t: &TestStore, month: NaiveDate) {
    let all = t.store.checkpoints_due(month).unwrap();
    for summary in t.all() {
        let d = t.store.get_dossier(summary.id).unwrap();
        let mine: Vec<(i64, NaiveDate, bool)> = all
            .iter()
            .filter(|c| c.dossier_id == d.id)
            .map(|c| (c.month, c.due_on, c.overdue))
            .collect();
        let own: Vec<(i64, NaiveDate, bool)> = d
            .checkpoints_due(month)
            .iter()
            .map(|c| (c.month, c.due_on, c.overdue))
            .collect();
        assert_eq!(mine, own, "dossier {}", d.number);
    }
}

#[test]
fn checkpoints_fall_due_in_their_month_stay_overdue_and_leave_the_list_once_recorded() {
    let (mut t, today) = demo();
    agrees_with_each_dossier(&t, today);

    // The demo grants one loan and has one repaying: the granted one is paid out now.
    let paid_out = with_status(&t, DossierStatus::Accorde);
    let paid_out = t
        .store
        .move_status(paid_out.id, DossierStatus::Decaisse)
        .unwrap();
    let paid_out = started_on(&mut t, &paid_out, months_before(today, 12));
    let repaying = with_status(&t, DossierStatus::EnRemboursement);
    let repaying = started_on(&mut t, &repaying, months_before(today, 13));
    // Not financed: a start of activity alone makes nothing due.
    let early = with_status(&t, DossierStatus::Instruction);
    started_on(&mut t, &early, months_before(today, 12));

    let twelve = months_before(today, 12).checked_add_months(Months::new(12));
    let thirteen = months_before(today, 13).checked_add_months(Months::new(12));
    let mut expected = vec![
        due_entry(&repaying, 12, thirteen.unwrap(), true),
        due_entry(&paid_out, 12, twelve.unwrap(), false),
    ];
    let ours = [paid_out.id, repaying.id, early.id];
    assert_eq!(listed(&t, today, &ours), expected);
    agrees_with_each_dossier(&t, today);
    // The month before, the first was due and the second not yet.
    let last_month = months_before(today, 1);
    assert_eq!(
        listed(&t, last_month, &ours),
        [due_entry(&repaying, 12, thirteen.unwrap(), false)]
    );

    let before = t.store.pending_changes().unwrap();
    let d = t
        .store
        .add_checkpoint(repaying.id, &draft(12, today))
        .unwrap();
    assert_eq!(t.store.pending_changes().unwrap(), before + 1);
    assert_eq!(d.checkpoints.len(), 1);
    expected.remove(0);
    assert_eq!(listed(&t, today, &ours), expected);

    // Kept as typed, across a restart; the next one falls due a year later.
    let t = t.reopen();
    let kept = &t.store.get_dossier(repaying.id).unwrap().checkpoints[0];
    let typed = draft(12, today);
    assert_eq!(
        (
            kept.month,
            kept.held_on,
            kept.state,
            kept.headcount,
            kept.turnover_cents,
            kept.note.as_str()
        ),
        (
            12,
            today,
            BusinessState::Active,
            3,
            Some(96_500_00),
            typed.note.as_str()
        )
    );
    let next_year = today.checked_add_months(Months::new(11)).unwrap();
    let next: Vec<(uuid::Uuid, i64, bool)> = listed(&t, next_year, &ours)
        .iter()
        .map(|c| (c.dossier_id, c.month, c.overdue))
        .collect();
    assert_eq!(
        next,
        [(paid_out.id, 12, true), (repaying.id, 24, false)],
        "the 12-month checkpoint of the first, never made, is overdue"
    );
    agrees_with_each_dossier(&t, next_year);
}

#[test]
fn without_a_start_of_activity_follow_up_counts_from_the_first_disbursement() {
    let (mut t, today) = demo();
    let d = with_status(&t, DossierStatus::Accorde);
    let disbursed = months_before(today, 12);
    assert_eq!(
        refused(t.store.add_checkpoint(d.id, &draft(12, today))),
        (
            "month".into(),
            "Le suivi de l'entreprise commence une fois le prêt d'honneur décaissé.".into()
        )
    );
    let loan = t
        .store
        .add_loan(
            d.id,
            &LoanAgreement {
                holder_id: d.holders[0].id,
                amount_cents: 6_000_00,
                months: 60,
                deferral_months: 0,
                signed_on: disbursed - Duration::days(10),
                reference: "PH-SUIVI-0001".into(),
            },
        )
        .unwrap()
        .loans[0]
        .id;
    // Signed but not paid out: still not followed.
    assert_eq!(listed(&t, today, &[d.id]), []);
    let d = t
        .store
        .add_loan_movement(&MovementDraft {
            loan_id: loan,
            kind: MovementKind::Disbursement,
            on: disbursed,
            amount_cents: 6_000_00,
            months: None,
            deferral_months: None,
            note: String::new(),
        })
        .unwrap();
    assert_eq!(d.status, DossierStatus::Accorde);
    assert_eq!(d.activity_start(), Some(disbursed));
    let due_on = disbursed.checked_add_months(Months::new(12)).unwrap();
    assert_eq!(
        listed(&t, today, &[d.id]),
        [due_entry(&d, 12, due_on, false)]
    );
    agrees_with_each_dossier(&t, today);
    // The business's own start, once typed, is what counts.
    let d = started_on(&mut t, &d, months_before(today, 2));
    assert_eq!(listed(&t, today, &[d.id]), []);
    // A checkpoint may now be recorded, the business liquidated: nothing more is due.
    let mut gone = draft(12, today);
    gone.state = BusinessState::Liquidated;
    gone.state_since = Some(today - Duration::days(3));
    gone.headcount = 0;
    t.store.add_checkpoint(d.id, &gone).unwrap();
    let in_three_years = today.checked_add_months(Months::new(36)).unwrap();
    assert_eq!(listed(&t, in_three_years, &[d.id]), []);
}

#[test]
fn what_may_not_be_recorded_is_refused_at_its_field_in_french_and_changes_nothing() {
    let (mut t, today) = demo();
    let early = with_status(&t, DossierStatus::Instruction);
    let d = with_status(&t, DossierStatus::EnRemboursement);
    let start = months_before(today, 12);
    let d = started_on(&mut t, &d, start);
    let before = t.store.pending_changes().unwrap();

    assert_eq!(
        refused(t.store.add_checkpoint(early.id, &draft(12, today))).0,
        "month".to_string()
    );
    assert_eq!(
        refused(t.store.add_checkpoint(d.id, &draft(18, today))),
        (
            "month".into(),
            "Le point de suivi se fait à 12, 24 ou 36 mois.".into()
        )
    );
    let mut ceased = draft(12, today);
    ceased.state = BusinessState::Ceased;
    assert_eq!(
        refused(t.store.add_checkpoint(d.id, &ceased)),
        (
            "state_since".into(),
            "Indiquez la date de la cessation.".into()
        )
    );
    assert_eq!(
        refused(
            t.store
                .add_checkpoint(d.id, &draft(12, today + Duration::days(1)))
        ),
        (
            "held_on".into(),
            "Le point de suivi ne peut pas être daté après aujourd'hui.".into()
        )
    );
    assert_eq!(
        refused(
            t.store
                .add_checkpoint(d.id, &draft(12, start - Duration::days(1)))
        ),
        (
            "held_on".into(),
            format!(
                "Le point de suivi est antérieur au début d'activité ({}).",
                format_date(start)
            )
        )
    );
    let mut hidden = draft(12, today);
    hidden.note = "Chiffre \u{202e}annoncé".into();
    assert_eq!(
        refused(t.store.add_checkpoint(d.id, &hidden)).0,
        "note".to_string()
    );
    let mut negative = draft(12, today);
    negative.turnover_cents = Some(-1);
    assert_eq!(
        refused(t.store.add_checkpoint(d.id, &negative)).0,
        "turnover_cents".to_string()
    );
    assert!(matches!(
        t.store
            .add_checkpoint(uuid::Uuid::now_v7(), &draft(12, today)),
        Err(Error::NotFound { .. })
    ));
    assert_eq!(t.store.pending_changes().unwrap(), before);
    assert!(t.store.get_dossier(d.id).unwrap().checkpoints.is_empty());

    // One live checkpoint per month.
    t.store.add_checkpoint(d.id, &draft(12, today)).unwrap();
    assert_eq!(
        refused(t.store.add_checkpoint(d.id, &draft(12, today))),
        (
            "month".into(),
            "Le point de suivi à 12 mois est déjà enregistré : retirez-le pour le saisir à nouveau."
                .into()
        )
    );
    assert_eq!(t.store.pending_changes().unwrap(), before + 1);
}

#[test]
fn a_checkpoint_typed_in_error_is_removed_and_typed_again_each_with_its_outbox_row() {
    let (mut t, today) = demo();
    let d = with_status(&t, DossierStatus::EnRemboursement);
    let d = started_on(&mut t, &d, months_before(today, 12));
    let mut wrong = draft(12, today);
    wrong.headcount = 30;
    let d = t.store.add_checkpoint(d.id, &wrong).unwrap();
    assert_eq!(listed(&t, today, &[d.id]), []);

    let before = t.store.pending_changes().unwrap();
    let removed = d.checkpoints[0].id;
    let d = t.store.remove_checkpoint(removed).unwrap();
    assert!(d.checkpoints.is_empty());
    assert_eq!(t.store.pending_changes().unwrap(), before + 1);
    assert_eq!(listed(&t, today, &[d.id]).len(), 1);
    assert!(matches!(
        t.store.remove_checkpoint(removed),
        Err(Error::NotFound { .. })
    ));

    let d = t.store.add_checkpoint(d.id, &draft(12, today)).unwrap();
    assert_eq!(t.store.pending_changes().unwrap(), before + 2);
    assert_eq!(d.checkpoints.len(), 1);
    assert_eq!(d.checkpoints[0].headcount, 3);
    assert_ne!(d.checkpoints[0].id, removed);
}
