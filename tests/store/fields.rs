//! Field-level edits: validated, normalised, one transaction with one outbox row each.

use permanence::codes::FinancingCategory;
use permanence::field::Entity;
use permanence::settings::PlatformSettings;
use permanence::ErrorCode;
use serde_json::json;

use crate::helpers::{edit, TestStore, BAPAUME, FRUGES, HESDIN_LA_FORET};

#[test]
fn a_field_edit_is_normalised_and_queued_once() {
    let mut t = TestStore::new();
    let d = t.create("Caron", FRUGES);
    let holder = d.holders[0].id;
    let after = t.set(Entity::Holder, holder, "phone", json!("+33 6 12 34 56 78"));
    assert_eq!(after.holders[0].phone.as_deref(), Some("+33612345678"));
    assert_eq!(
        t.store.pending_changes().unwrap(),
        1,
        "the dossier's create, which carries the edit"
    );

    // The same value again changes nothing and queues nothing.
    t.set(Entity::Holder, holder, "phone", json!("06 12 34 56 78"));
    assert_eq!(t.store.pending_changes().unwrap(), 1);
    let batch = t.store.outbox_batch(100).unwrap();
    let folded = &batch[0].value.as_ref().unwrap()["folded"];
    assert_eq!(folded.as_array().unwrap().len(), 1);
    assert_eq!(folded[0]["entity"], "holder");
    assert_eq!(folded[0]["id"], holder.to_string());
    assert_eq!(folded[0]["field"], "phone");
    assert_eq!(folded[0]["value"], "+33612345678");
}

#[test]
fn a_record_created_and_edited_before_its_first_sync_goes_up_once_with_its_final_values() {
    let mut t = TestStore::new();
    let d = t.create("Caron", FRUGES);
    let first = d.holders[0].id;
    for version in 1..=3 {
        t.set(
            Entity::Dossier,
            d.id,
            "idea",
            json!(format!("Fournil, version {version}")),
        );
    }
    t.set(Entity::Business, d.id, "name", json!("Le Fournil"));
    t.set(Entity::Forecast, d.id, "2.turnover_cents", json!("120000"));
    t.set(Entity::Holder, first, "email", json!("caron@exemple.fr"));
    let with_second = t
        .store
        .add_holder(
            d.id,
            &permanence::dossier::HolderDraft {
                civility: Some(permanence::dossier::Civility::Monsieur),
                last_name: "Caron".into(),
                first_name: "Paul".into(),
                phone: String::new(),
                commune_insee: FRUGES.into(),
            },
        )
        .unwrap();
    let second = with_second.holders[1].id;
    t.set(Entity::Holder, second, "email", json!("paul@exemple.fr"));
    let with_line = t
        .store
        .add_financing_line(d.id, FinancingCategory::TangibleAssets)
        .unwrap();
    let line = with_line.financing[0].id;
    t.set(Entity::FinancingLine, line, "amount_cents", json!("12000"));
    // A dossier, a holder and a line: three creates, each with its final values.
    assert_eq!(t.store.pending_changes().unwrap(), 3);
    let batch = t.store.outbox_batch(100).unwrap();
    let folded = |n: usize| -> Vec<(String, String, serde_json::Value)> {
        let list = batch[n].value.as_ref().unwrap()["folded"]
            .as_array()
            .unwrap()
            .clone();
        list.iter()
            .map(|e| {
                let id = e["id"].as_str().unwrap().to_owned();
                (
                    e["entity"].as_str().unwrap().to_owned() + "." + e["field"].as_str().unwrap(),
                    id,
                    e["value"].clone(),
                )
            })
            .collect()
    };
    let dossier = folded(0);
    let idea = dossier.iter().find(|(f, ..)| f == "dossier.idea").unwrap();
    assert_eq!(idea.2, json!("Fournil, version 3"), "the last value, once");
    assert_eq!(
        dossier.iter().filter(|(f, ..)| f == "dossier.idea").count(),
        1
    );
    for field in ["business.name", "forecast.2.turnover_cents", "holder.email"] {
        assert!(
            dossier.iter().any(|(f, ..)| f == field),
            "{field} folded: {dossier:?}"
        );
    }
    assert_eq!(
        folded(1),
        vec![(
            "holder.email".into(),
            second.to_string(),
            json!("paul@exemple.fr")
        )]
    );
    assert_eq!(
        folded(2),
        vec![(
            "financing_line.amount_cents".into(),
            line.to_string(),
            json!(1_200_000)
        )]
    );

    // Taken into a push, the create takes no more: the next edit is a change of its own.
    t.set(Entity::Dossier, d.id, "idea", json!("Fournil, version 4"));
    assert_eq!(t.store.pending_changes().unwrap(), 4);
}

#[test]
fn a_status_move_keeps_later_edits_out_of_the_create() {
    let mut t = TestStore::new();
    let d = t.create("Caron", FRUGES);
    t.set(Entity::Dossier, d.id, "idea", json!("Fournil"));
    assert_eq!(t.store.pending_changes().unwrap(), 1);
    t.store
        .move_status(d.id, permanence::codes::DossierStatus::Instruction)
        .unwrap();
    // Its conditions were read on the dossier as it was: what follows stays after it.
    t.set(Entity::Dossier, d.id, "heard_of_us", json!("Salon"));
    assert_eq!(t.store.pending_changes().unwrap(), 3);
}

#[test]
fn a_refused_edit_leaves_the_dossier_and_the_outbox_unchanged() {
    let mut t = TestStore::new();
    let d = t.create("Caron", FRUGES);
    let err = t
        .store
        .set_field(&edit(
            Entity::Business,
            d.id,
            "siret",
            json!("73282932000079"),
        ))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    let fields = err.to_api().fields.unwrap();
    assert!(fields["siret"].contains("SIRET"), "{:?}", fields);
    assert_eq!(t.store.get_dossier(d.id).unwrap(), d);
    assert_eq!(t.store.pending_changes().unwrap(), 1);
}

#[test]
fn business_values_are_stored_normalised() {
    let mut t = TestStore::new();
    let d = t.create("Caron", FRUGES);
    t.set(Entity::Business, d.id, "siret", json!("732 829 320 00074"));
    t.set(Entity::Business, d.id, "naf_code", json!("4711d"));
    let after = t.set(
        Entity::Business,
        d.id,
        "commune_insee",
        json!(HESDIN_LA_FORET),
    );
    let b = &after.business;
    assert_eq!(b.siret.as_deref(), Some("73282932000074"));
    assert_eq!(b.naf_code.as_deref(), Some("47.11D"));
    assert_eq!(
        b.naf_version.as_deref(),
        Some(permanence::reference::NAF_VERSION)
    );
    assert_eq!(b.naf_label.as_deref(), Some("Supermarchés"));
    assert_eq!(b.commune, "Hesdin-la-Forêt");
}

#[test]
fn the_business_must_lie_in_the_platform_territory() {
    let mut t = TestStore::new();
    let settings = PlatformSettings {
        territory: vec![FRUGES.into(), HESDIN_LA_FORET.into()],
        ..Default::default()
    };
    t.store.save_settings(settings).unwrap();
    let d = t.create("Caron", FRUGES);
    let err = t
        .store
        .set_field(&edit(
            Entity::Business,
            d.id,
            "commune_insee",
            json!(BAPAUME),
        ))
        .unwrap_err();
    assert!(err.to_api().fields.unwrap()["commune_insee"].contains("territoire"));
    t.set(Entity::Business, d.id, "commune_insee", json!(FRUGES));
}

#[test]
fn capital_shares_may_not_exceed_one_hundred_percent() {
    let mut t = TestStore::new();
    let d = t.create("Caron", FRUGES);
    let second = t
        .store
        .add_holder(d.id, &crate::helpers::draft("Dubois", FRUGES).holders[0])
        .unwrap()
        .holders[1]
        .id;
    t.set(
        Entity::Holder,
        d.holders[0].id,
        "capital_share_bp",
        json!("60"),
    );
    let err = t
        .store
        .set_field(&edit(
            Entity::Holder,
            second,
            "capital_share_bp",
            json!("45"),
        ))
        .unwrap_err();
    assert!(err.to_api().fields.unwrap()["capital_share_bp"].contains("100"));
    let after = t.set(Entity::Holder, second, "capital_share_bp", json!("40"));
    assert_eq!(after.holders[1].capital_share_bp, Some(4000));
}

#[test]
fn the_committee_cannot_precede_the_opening() {
    let mut t = TestStore::new();
    let d = t.create("Caron", FRUGES);
    let err = t
        .store
        .set_field(&edit(
            Entity::Dossier,
            d.id,
            "committee_date",
            json!("01/01/2020"),
        ))
        .unwrap_err();
    assert!(err.to_api().fields.unwrap()["committee_date"].contains("précéder"));
}

#[test]
fn a_minor_is_refused_as_holder() {
    let mut t = TestStore::new();
    let d = t.create("Caron", FRUGES);
    let err = t
        .store
        .set_field(&edit(
            Entity::Holder,
            d.holders[0].id,
            "birth_date",
            json!("01/01/2015"),
        ))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    t.set(
        Entity::Holder,
        d.holders[0].id,
        "birth_date",
        json!("14/07/1990"),
    );
}

#[test]
fn forecast_and_checklist_rows_are_written_on_first_edit() {
    let mut t = TestStore::new();
    let d = t.create("Caron", FRUGES);
    t.set(
        Entity::Forecast,
        d.id,
        "2.gross_margin_cents",
        json!("50 000"),
    );
    let after = t.set(Entity::Document, d.id, "cv.status", json!("recu"));
    assert_eq!(after.forecast[1].gross_margin_cents, Some(5_000_000));
    assert_eq!(after.analysis.forecast[1].ebe_cents, Some(5_000_000));
    let cv = after
        .documents
        .iter()
        .find(|x| x.kind.as_str() == "cv")
        .unwrap();
    assert_eq!(cv.status.as_str(), "recu");
}

#[test]
fn plan_lines_are_added_edited_and_removed_with_live_totals() {
    let mut t = TestStore::new();
    let d = t.create("Caron", FRUGES);
    let d = t
        .store
        .add_financing_line(d.id, FinancingCategory::TangibleAssets)
        .unwrap();
    let need = d.financing[0].id;
    let d = t
        .store
        .add_financing_line(d.id, FinancingCategory::BankLoan)
        .unwrap();
    let bank = d
        .financing
        .iter()
        .find(|l| l.category == FinancingCategory::BankLoan)
        .unwrap()
        .id;
    t.set(Entity::FinancingLine, need, "amount_cents", json!("40 000"));
    t.set(Entity::FinancingLine, bank, "amount_cents", json!("30 000"));
    let after = t.set(
        Entity::Holder,
        d.holders[0].id,
        "loan_requested_cents",
        json!("10 000"),
    );
    assert_eq!(after.analysis.needs_cents, 4_000_000);
    assert_eq!(after.analysis.resources_cents, 4_000_000);
    assert!(after.analysis.balanced);
    assert_eq!(after.analysis.leverage, Some(3.0));

    let after = t.store.remove_financing_line(bank).unwrap();
    assert_eq!(after.financing.len(), 1);
    assert_eq!(after.analysis.difference_cents, -3_000_000);
    let err = t
        .store
        .set_field(&edit(
            Entity::FinancingLine,
            bank,
            "amount_cents",
            json!("1"),
        ))
        .unwrap_err();
    assert_eq!(
        err.code(),
        ErrorCode::NotFound,
        "a removed line cannot be edited"
    );
}

#[test]
fn a_batch_of_edits_applies_entirely_or_not_at_all() {
    let mut t = TestStore::new();
    let d = t.create("Caron", FRUGES);
    let pending = t.store.pending_changes().unwrap();
    let err = t
        .store
        .set_fields(&[
            edit(Entity::Business, d.id, "name", json!("Épicerie Caron")),
            edit(Entity::Business, d.id, "siret", json!("123")),
        ])
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert_eq!(
        t.store.get_dossier(d.id).unwrap().business.name,
        "",
        "first edit rolled back"
    );
    assert_eq!(t.store.pending_changes().unwrap(), pending);
}

#[test]
fn fields_outside_the_registry_cannot_be_edited() {
    let mut t = TestStore::new();
    let d = t.create("Caron", FRUGES);
    for field in ["status", "number", "id", "deleted_at"] {
        let err = t
            .store
            .set_field(&edit(Entity::Dossier, d.id, field, json!("x")))
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{field}");
    }
}

#[test]
fn the_commune_must_be_served_by_the_postal_code() {
    let mut t = TestStore::new();
    let d = t.create("Caron", FRUGES);
    let holder = d.holders[0].id;
    t.set(Entity::Holder, holder, "postal_code", json!("62140"));
    let err = t
        .store
        .set_field(&edit(
            Entity::Holder,
            holder,
            "commune_insee",
            json!(BAPAUME),
        ))
        .unwrap_err();
    assert!(err.to_api().fields.unwrap()["commune_insee"].contains("62140"));
    let after = t.set(
        Entity::Holder,
        holder,
        "commune_insee",
        json!(HESDIN_LA_FORET),
    );
    assert_eq!(after.holders[0].commune, "Hesdin-la-Forêt");
    assert_eq!(after.holders[0].postal_code.as_deref(), Some("62140"));
}

#[test]
fn a_field_saved_again_before_it_is_sent_goes_up_once_with_its_last_value() {
    let mut t = TestStore::new();
    let d = t.create("Caron", FRUGES);
    // The create goes into a push: saves after it are changes of their own.
    t.store.outbox_batch(100).unwrap();
    let queued = t.store.pending_changes().unwrap();
    let idea = |store: &mut permanence::store::Store, text: &str| {
        store
            .set_field(&permanence::field::FieldEdit {
                entity: Entity::Dossier,
                id: d.id,
                field: "idea".into(),
                value: json!(text),
            })
            .unwrap();
    };
    for version in 1..=10 {
        idea(&mut t.store, &format!("Boulangerie, version {version}"));
    }
    assert_eq!(
        t.store.pending_changes().unwrap(),
        queued + 1,
        "ten saves, one change"
    );
    let batch = t.store.outbox_batch(100).unwrap();
    let sent = batch
        .iter()
        .find(|c| c.field.as_deref() == Some("idea"))
        .unwrap();
    assert_eq!(sent.value, Some(json!("Boulangerie, version 10")));

    // Once taken into a push, a save queues a change of its own.
    idea(&mut t.store, "Boulangerie, version 11");
    assert_eq!(t.store.pending_changes().unwrap(), queued + 2);
    // And a status move between two saves keeps them apart (its conditions read the first).
    t.store
        .move_status(d.id, permanence::codes::DossierStatus::Instruction)
        .unwrap();
    idea(&mut t.store, "Boulangerie, version 12");
    assert_eq!(t.store.pending_changes().unwrap(), queued + 4);
}

#[test]
fn a_holders_driving_licence_is_saved_read_back_and_carried_by_an_export() {
    let mut t = TestStore::new();
    let d = t.create("Caron", FRUGES);
    let holder = d.holders[0].id;
    assert!(!d.holders[0].driving_licence, "unchecked until asked");
    let after = t.set(Entity::Holder, holder, "driving_licence", json!(true));
    assert!(after.holders[0].driving_licence);
    let exported = t.store.export_dossier(d.id).unwrap();
    assert_eq!(exported["holders"][0]["driving_licence"], json!(true));
    let mut other = TestStore::new();
    let imported = other.store.import_dossier(&exported).unwrap();
    assert!(imported.holders[0].driving_licence);
    let refused = t
        .store
        .set_field(&edit(
            Entity::Holder,
            holder,
            "driving_licence",
            json!("oui"),
        ))
        .unwrap_err();
    assert!(refused.to_api().fields.unwrap()["driving_licence"].contains("Cochez"));
}
