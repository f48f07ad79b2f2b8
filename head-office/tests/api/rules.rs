//! The rule book at the head office: content a laptop's own checks would never let through is
//! refused change by change, with a French reason, and the rest of the push applies.

use permanence::settings::PlatformSettings;
use permanence::sync::protocol::{ChangeOp, Outcome};
use permanence_head_office::office::{Caller, HeadOffice, Role};
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{dossier_snapshot, spawn_app};

#[tokio::test]
async fn junk_creations_and_values_are_refused_each_with_its_reason() {
    let app = spawn_app().await;
    let claire = app.device("claire").await;
    let dossier = Uuid::now_v7();
    app.push(&claire, vec![claire.create_dossier(dossier)])
        .await;

    let other = Uuid::now_v7();
    let mut misnamed = dossier_snapshot(Uuid::now_v7(), Uuid::now_v7());
    misnamed["holders"][0]["last_name"] = json!("");
    let create = |entity: &str, id: Uuid, value| {
        claire.change(
            entity,
            id,
            Some(dossier),
            ChangeOp::Create,
            None,
            Some(value),
            None,
        )
    };
    let cases = vec![
        (
            claire.change(
                "dossier",
                other,
                Some(other),
                ChangeOp::Create,
                None,
                Some(json!({"x": 1})),
                None,
            ),
            "pas un dossier lisible",
        ),
        (
            claire.change(
                "dossier",
                other,
                Some(other),
                ChangeOp::Create,
                None,
                Some(dossier_snapshot(Uuid::now_v7(), Uuid::now_v7())),
                None,
            ),
            "ne porte pas l'identifiant",
        ),
        (
            claire.change(
                "dossier",
                other,
                Some(other),
                ChangeOp::Create,
                None,
                Some({
                    let mut v = misnamed.clone();
                    v["id"] = json!(other);
                    v
                }),
                None,
            ),
            "holders.0.last_name",
        ),
        (
            claire.set(dossier, "status", json!("n_importe_quoi"), None),
            "Statut « n_importe_quoi » inconnu",
        ),
        (
            claire.set(dossier, "status", json!("decaisse"), None),
            "Passage du statut « Premier contact » à « Décaissé » non permis",
        ),
        (
            create(
                "financing_line",
                Uuid::now_v7(),
                json!({"category": "nope"}),
            ),
            "catégorie de financement « nope » inconnue",
        ),
        (
            create("virus", Uuid::now_v7(), json!({})),
            "Type d'enregistrement inconnu : « virus »",
        ),
        (
            create(
                "holder",
                Uuid::now_v7(),
                json!({"dossier_id": dossier, "civility": "madame", "last_name": "Petit", "first_name": "Anne", "phone": "pas un numéro", "commune_insee": "62364"}),
            ),
            "phone",
        ),
        (
            claire.change(
                "note",
                Uuid::now_v7(),
                Some(dossier),
                ChangeOp::AddNote,
                None,
                Some(json!({"body": "", "author": "Claire"})),
                None,
            ),
            "une note a de 1 à",
        ),
        (
            claire.change(
                "session",
                Uuid::now_v7(),
                None,
                ChangeOp::Create,
                None,
                Some(json!({"held_on": "hier", "commune_insee": "62447"})),
                None,
            ),
            "held_on : date illisible",
        ),
    ];
    let expected: Vec<&str> = cases.iter().map(|(_, why)| *why).collect();
    let mut changes: Vec<_> = cases.into_iter().map(|(c, _)| c).collect();
    // A valid move among them applies.
    changes.push(claire.set(dossier, "status", json!("instruction"), None));
    let response = app.push(&claire, changes).await;

    for (result, why) in response.results.iter().zip(&expected) {
        assert_eq!(result.outcome, Outcome::Rejected, "{why}");
        let reason = result.reason.as_deref().unwrap_or_default();
        assert!(reason.contains(why), "expected « {why} » in « {reason} »");
    }
    let last = response.results.last().unwrap();
    assert_eq!(last.outcome, Outcome::Applied, "{:?}", last.reason);

    // Nothing of the refused changes reaches the platform's other laptops.
    let nadia = app.device("nadia").await;
    let pulled = app.pull(&nadia, 0).await;
    assert!(
        pulled.changes.iter().all(|c| c.entity_id == dossier),
        "{:?}",
        pulled.changes
    );
    let statuses: Vec<_> = pulled
        .changes
        .iter()
        .filter(|c| c.field.as_deref() == Some("status"))
        .map(|c| c.value.clone().unwrap())
        .collect();
    assert_eq!(statuses, vec![json!("instruction")]);
}

#[tokio::test]
async fn a_status_moves_along_the_pipeline_from_the_status_the_dossier_was_created_with() {
    let app = spawn_app().await;
    let claire = app.device("claire").await;
    let dossier = Uuid::now_v7();
    app.push(&claire, vec![claire.create_dossier(dossier)])
        .await;
    let response = app
        .push(
            &claire,
            vec![
                claire.set(dossier, "status", json!("instruction"), None),
                claire.set(dossier, "status", json!("abandonne"), None),
                claire.set(dossier, "status", json!("premier_contact"), None),
                claire.set(dossier, "status", json!("accorde"), None),
                claire.set(dossier, "status", json!("instruction"), None),
            ],
        )
        .await;
    let outcomes: Vec<Outcome> = response.results.iter().map(|r| r.outcome).collect();
    assert_eq!(
        outcomes,
        vec![
            Outcome::Applied,
            Outcome::Applied,
            Outcome::Applied,
            Outcome::Rejected,
            Outcome::Applied
        ],
        "{:?}",
        response.results
    );
}

#[tokio::test]
async fn an_eleventh_holder_is_refused_and_unknown_fields_in_a_body_are_refused() {
    let app = spawn_app().await;
    let claire = app.device("claire").await;
    let dossier = Uuid::now_v7();
    let mut changes = vec![claire.create_dossier(dossier)];
    for i in 0..10 {
        changes.push(claire.change(
            "holder",
            Uuid::now_v7(),
            Some(dossier),
            ChangeOp::Create,
            None,
            Some(json!({"dossier_id": dossier, "civility": "madame", "last_name": format!("Associée {i}"), "first_name": "Anne", "phone": null, "commune_insee": "62364"})),
            None,
        ));
    }
    let response = app.push(&claire, changes).await;
    let outcomes: Vec<Outcome> = response.results.iter().map(|r| r.outcome).collect();
    // The dossier came with one holder: nine more make ten, the tenth added is one too many.
    assert_eq!(
        outcomes.iter().filter(|o| **o == Outcome::Applied).count(),
        10
    );
    let last = response.results.last().unwrap();
    assert_eq!(last.outcome, Outcome::Rejected);
    assert_eq!(
        last.reason.as_deref(),
        Some("Un dossier a au plus 10 porteurs de projet.")
    );

    let mut body = serde_json::to_value(permanence::sync::protocol::PushRequest {
        device_id: claire.id,
        schema_version: permanence::store::LAPTOP_SCHEMA.latest(),
        changes: vec![claire.set(dossier, "idea", json!("Garage"), None)],
        acknowledged_seq: None,
    })
    .unwrap();
    body["changes"][0]["surprise"] = json!(true);
    let response = app
        .http
        .post(app.url("/v1/sync/push"))
        .bearer_auth(&claire.token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let error: serde_json::Value = response.json().await.unwrap();
    assert!(error["message"].as_str().is_some(), "{error}");
}

#[tokio::test]
async fn a_move_to_ready_for_committee_is_read_against_the_head_offices_own_state() {
    let app = spawn_app().await;
    let claire = app.device("claire").await;
    let dossier = Uuid::now_v7();
    app.push(&claire, vec![claire.create_dossier(dossier)])
        .await;
    // Allowed by the pipeline's order, but the dossier has no financing plan, no loan asked.
    let response = app
        .push(
            &claire,
            vec![
                claire.set(dossier, "status", json!("instruction"), None),
                claire.set(dossier, "status", json!("pret_pour_comite"), None),
            ],
        )
        .await;
    assert_eq!(response.results[0].outcome, Outcome::Applied);
    assert_eq!(response.results[1].outcome, Outcome::Rejected);
    let reason = response.results[1].reason.as_deref().unwrap_or_default();
    assert!(
        reason.starts_with("Passage à « Prêt pour comité » refusé")
            && reason.contains("Le plan de financement est vide.")
            && reason.contains("Aucun porteur ne demande de prêt d'honneur."),
        "{reason}"
    );
}

/// A dossier create carrying `folded` field edits, stamped by `device`'s clock.
fn folded_create(
    device: &crate::helpers::Device,
    dossier: Uuid,
    holder: Uuid,
    edits: Vec<serde_json::Value>,
) -> permanence::sync::protocol::Change {
    let mut value = dossier_snapshot(dossier, holder);
    value["folded"] = json!(edits);
    device.change(
        "dossier",
        dossier,
        Some(dossier),
        ChangeOp::Create,
        None,
        Some(value),
        None,
    )
}

fn edit(
    entity: &str,
    id: Uuid,
    field: &str,
    value: serde_json::Value,
    hlc: String,
) -> serde_json::Value {
    json!({ "entity": entity, "id": id, "field": field, "value": value, "hlc": hlc })
}

#[tokio::test]
async fn a_create_with_its_final_values_applies_them_at_its_version_and_refuses_what_a_set_field_would(
) {
    let app = spawn_app().await;
    let claire = app.device("claire").await;
    let nadia = app.device("nadia").await;
    let stamp = |device: &crate::helpers::Device| device.clock.get().to_string();
    let (dossier, holder) = (Uuid::now_v7(), Uuid::now_v7());
    let create = folded_create(
        &claire,
        dossier,
        holder,
        vec![
            edit("dossier", dossier, "idea", json!("Fournil"), stamp(&claire)),
            edit(
                "business",
                dossier,
                "name",
                json!("Le Fournil"),
                stamp(&claire),
            ),
            edit(
                "holder",
                holder,
                "email",
                json!("lea@exemple.fr"),
                stamp(&claire),
            ),
        ],
    );
    let answer = app.push(&claire, vec![create]).await;
    assert_eq!(answer.results[0].outcome, Outcome::Applied);
    let version = answer.results[0].server_seq.unwrap();

    // Another laptop edits a folded field on the version it pulled: no conflict.
    let pulled = app.pull(&nadia, 0).await;
    let logged = pulled
        .changes
        .iter()
        .find(|c| c.entity_id == dossier)
        .unwrap();
    let unfolded = logged.unfolded();
    assert_eq!(unfolded.len(), 4, "the create, then its three edits");
    assert_eq!(unfolded[1].field.as_deref(), Some("idea"));
    assert_eq!(unfolded[1].server_seq, version);
    let later = nadia.set(dossier, "idea", json!("Fournil de Fruges"), Some(version));
    let answer = app.push(&nadia, vec![later]).await;
    assert_eq!(answer.results[0].outcome, Outcome::Applied);
    // A folded field keeps no version of its own (the record is new: nothing came before
    // it), so a laptop edits it from none, and that meets none.
    let first = nadia.change(
        "business",
        dossier,
        Some(dossier),
        ChangeOp::SetField,
        Some("name"),
        Some(json!("Fournil Caron")),
        None,
    );
    let answer = app.push(&nadia, vec![first]).await;
    assert_eq!(answer.results[0].outcome, Outcome::Applied);
    // Once another laptop's edit stands, one made without having seen it is a conflict, as
    // for any field.
    let unseen = claire.set(dossier, "idea", json!("Fournil d'Hesdin"), None);
    let answer = app.push(&claire, vec![unseen]).await;
    assert_eq!(answer.results[0].outcome, Outcome::Conflict);

    // What a laptop's own checks would never fold: refused whole, with its reason.
    let elsewhere = Uuid::now_v7();
    let cases = vec![
        (
            edit(
                "holder",
                Uuid::now_v7(),
                "email",
                json!("x@exemple.fr"),
                stamp(&claire),
            ),
            "hors de l'enregistrement créé",
        ),
        (
            edit(
                "dossier",
                elsewhere,
                "idea",
                json!("Ailleurs"),
                stamp(&claire),
            ),
            "hors de l'enregistrement créé",
        ),
        (
            edit(
                "dossier",
                Uuid::nil(),
                "status",
                json!("decaisse"),
                stamp(&claire),
            ),
            "hors de l'enregistrement créé",
        ),
        (
            edit(
                "holder",
                Uuid::nil(),
                "phone",
                json!("pas un numéro"),
                stamp(&claire),
            ),
            "phone",
        ),
        (
            edit(
                "dossier",
                Uuid::nil(),
                "idea",
                json!("Fournil"),
                stamp(&nadia),
            ),
            "autre appareil",
        ),
    ];
    for (mut folded, reason) in cases {
        let (dossier, holder) = (Uuid::now_v7(), Uuid::now_v7());
        // Uuid::nil stands for the record created.
        if folded["id"] == json!(Uuid::nil()) {
            folded["id"] = json!(if folded["entity"] == "holder" {
                holder
            } else {
                dossier
            });
        }
        let create = folded_create(&claire, dossier, holder, vec![folded.clone()]);
        let answer = app.push(&claire, vec![create]).await;
        let result = &answer.results[0];
        assert_eq!(result.outcome, Outcome::Rejected, "{folded}");
        let said = result.reason.as_deref().unwrap_or_default();
        assert!(said.contains(reason), "{folded}: {said}");
    }
}

#[tokio::test]
async fn once_the_head_office_set_the_platforms_loan_bounds_a_move_is_read_against_them() {
    let app = spawn_app().await;
    let claire = app.device("claire").await;
    let (dossier, holder) = (Uuid::now_v7(), Uuid::now_v7());
    let mut create = claire.create_dossier(dossier);
    create.value = Some(dossier_snapshot(dossier, holder));
    let asked = claire.change(
        "holder",
        holder,
        Some(dossier),
        ChangeOp::SetField,
        Some("loan_requested_cents"),
        Some(json!(800_000)),
        None,
    );
    app.push(
        &claire,
        vec![
            create,
            asked,
            claire.set(dossier, "status", json!("instruction"), None),
        ],
    )
    .await;
    let bounds = "sort des bornes de la plateforme";
    // Never set at the head office: the laptops' own settings hold the bounds.
    let reason = ready_for_committee(&app, &claire, dossier).await;
    assert!(!reason.contains(bounds), "{reason}");

    let mut settings = PlatformSettings::default();
    settings.loan_rules.max_cents = 500_000;
    let staff = Caller {
        device_id: Uuid::now_v7(),
        account: "siege".into(),
        role: Role::Staff,
        platform: None,
    };
    app.store
        .set_platform_settings(&staff, "TA7V", &settings)
        .unwrap();
    let reason = ready_for_committee(&app, &claire, dossier).await;
    assert!(
        reason.contains(bounds) && reason.contains("à 5"),
        "the platform's maximum is read: {reason}"
    );
}

/// Tries to move `dossier` to "prêt pour comité", refused: the reason.
async fn ready_for_committee(
    app: &crate::helpers::TestApp,
    device: &crate::helpers::Device,
    dossier: Uuid,
) -> String {
    let change = device.set(dossier, "status", json!("pret_pour_comite"), None);
    let response = app.push(device, vec![change]).await;
    assert_eq!(response.results[0].outcome, Outcome::Rejected);
    response.results[0].reason.clone().unwrap_or_default()
}
