//! The status pipeline: allowed moves only, and "prêt pour comité" refused with its reasons
//! until the plan balances, the documents are in and the loan meets the platform's rules.

use permanence::codes::{DocumentKind, DossierStatus, FinancingCategory};
use permanence::dossier::Dossier;
use permanence::field::Entity;
use permanence::ErrorCode;
use serde_json::json;

use crate::helpers::{TestStore, FRUGES};

fn in_instruction(t: &mut TestStore) -> Dossier {
    let d = t.create("Caron", FRUGES);
    t.store
        .move_status(d.id, DossierStatus::Instruction)
        .unwrap()
}

/// Completes the dossier: balanced plan, documents received, a loan within the rules.
fn complete(t: &mut TestStore, d: &Dossier) -> Dossier {
    let d = t
        .store
        .add_financing_line(d.id, FinancingCategory::TangibleAssets)
        .unwrap();
    let need = d.financing[0].id;
    let d = t
        .store
        .add_financing_line(d.id, FinancingCategory::BankLoan)
        .unwrap();
    let bank = d.financing[1].id;
    t.set(Entity::FinancingLine, need, "amount_cents", json!("40 000"));
    t.set(Entity::FinancingLine, bank, "amount_cents", json!("32 000"));
    let holder = d.holders[0].id;
    t.set(
        Entity::Holder,
        holder,
        "loan_requested_cents",
        json!("8 000"),
    );
    t.set(Entity::Holder, holder, "loan_months", json!("60"));
    for kind in DocumentKind::ALL
        .iter()
        .filter(|k| k.required_before_committee())
    {
        t.set(
            Entity::Document,
            d.id,
            &format!("{}.status", kind.as_str()),
            json!("recu"),
        );
    }
    t.store.get_dossier(d.id).unwrap()
}

#[test]
fn only_the_allowed_moves_are_offered_and_accepted() {
    let mut t = TestStore::new();
    let d = t.create("Caron", FRUGES);
    let offered: Vec<_> = d.moves.iter().map(|m| m.to).collect();
    assert_eq!(
        offered,
        vec![DossierStatus::Instruction, DossierStatus::Abandonne]
    );
    let err = t
        .store
        .move_status(d.id, DossierStatus::Accorde)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotAllowed);
    assert!(err.to_string().contains("ne peut pas passer"), "{err}");
}

#[test]
fn ready_for_committee_is_refused_with_every_reason_in_french() {
    let mut t = TestStore::new();
    let d = in_instruction(&mut t);
    let err = t
        .store
        .move_status(d.id, DossierStatus::PretPourComite)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotAllowed);
    let reasons = err.reasons().join("\n");
    assert!(
        reasons.contains("plan de financement est vide"),
        "{reasons}"
    );
    assert!(
        reasons.contains("Pièce manquante : Pièce d'identité"),
        "{reasons}"
    );
    assert!(
        reasons.contains("Aucun porteur ne demande de prêt d'honneur"),
        "{reasons}"
    );
    assert_eq!(
        t.store.get_dossier(d.id).unwrap().status,
        DossierStatus::Instruction
    );
    let shown = d
        .moves
        .iter()
        .find(|m| m.to == DossierStatus::PretPourComite)
        .unwrap();
    assert!(
        !shown.blockers.is_empty(),
        "the dossier screen shows the same blockers"
    );
}

#[test]
fn an_unbalanced_plan_blocks_the_committee() {
    let mut t = TestStore::new();
    let d = in_instruction(&mut t);
    let d = complete(&mut t, &d);
    let line = d.financing[0].id;
    t.set(
        Entity::FinancingLine,
        line,
        "amount_cents",
        json!("40 000,01"),
    );
    let err = t
        .store
        .move_status(d.id, DossierStatus::PretPourComite)
        .unwrap_err();
    let reasons = err.reasons().join("\n");
    assert!(reasons.contains("n'est pas équilibré"), "{reasons}");
    assert!(reasons.contains("0,01"), "the gap is shown: {reasons}");
}

#[test]
fn a_loan_outside_the_platform_rules_blocks_the_committee() {
    let mut t = TestStore::new();
    let d = in_instruction(&mut t);
    let d = complete(&mut t, &d);
    let holder = d.holders[0].id;
    // 12 000 € exceeds the default 10 000 € maximum; rebalance with a smaller bank loan,
    // which breaks the minimum leverage of 2 too.
    t.set(
        Entity::Holder,
        holder,
        "loan_requested_cents",
        json!("12 000"),
    );
    t.set(
        Entity::FinancingLine,
        d.financing[1].id,
        "amount_cents",
        json!("28 000"),
    );
    t.set(Entity::Holder, holder, "loan_deferral_months", json!("12"));
    let err = t
        .store
        .move_status(d.id, DossierStatus::PretPourComite)
        .unwrap_err();
    let reasons = err.reasons().join("\n");
    assert!(reasons.contains("sort des bornes"), "{reasons}");
    assert!(reasons.contains("différé"), "{reasons}");
    assert!(
        !reasons.contains("équilibré"),
        "the plan balances: {reasons}"
    );
}

#[test]
fn a_complete_dossier_moves_to_ready_for_committee() {
    let mut t = TestStore::new();
    let d = in_instruction(&mut t);
    let d = complete(&mut t, &d);
    assert!(d.analysis.balanced);
    let ready = t
        .store
        .move_status(d.id, DossierStatus::PretPourComite)
        .unwrap();
    assert_eq!(ready.status, DossierStatus::PretPourComite);
    // Going to committee needs its date.
    let err = t
        .store
        .move_status(d.id, DossierStatus::PasseEnComite)
        .unwrap_err();
    assert!(err.reasons()[0].contains("date du comité"));
}
