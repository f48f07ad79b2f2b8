//! The rule book at the head office: content a laptop's own checks would never let through is
//! refused change by change, with a French reason, and the rest of the push applies.

use permanence::sync::protocol::{ChangeOp, Outcome};
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
                claire.set(dossier, "status", json!("pret_pour_comite"), None),
                claire.set(dossier, "status", json!("passe_en_comite"), None),
                claire.set(dossier, "status", json!("accorde"), None),
                claire.set(dossier, "status", json!("premier_contact"), None),
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
            Outcome::Applied,
            Outcome::Rejected
        ],
        "{:?}",
        response.results
    );
}
