//! Scope: an advisor reads and writes only their platform's records, and a change is scoped
//! by its record's own dossier as the head office knows it, never by the dossier it names.

use permanence::sync::protocol::{Change, ChangeOp, Outcome, PushResponse};
use rusqlite::params;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{dossier_snapshot, spawn_app, Device, TestApp};

/// A dossier created with one holder, as a laptop's creation carries them; its holder's id.
fn dossier_with_holder(device: &Device, dossier: Uuid) -> (Change, Uuid) {
    let holder = Uuid::now_v7();
    let change = device.change(
        "dossier",
        dossier,
        Some(dossier),
        ChangeOp::Create,
        None,
        Some(dossier_snapshot(dossier, holder)),
        None,
    );
    (change, holder)
}

fn set(
    device: &Device,
    entity: &str,
    id: Uuid,
    dossier: Uuid,
    field: &str,
    value: Value,
) -> Change {
    device.change(
        entity,
        id,
        Some(dossier),
        ChangeOp::SetField,
        Some(field),
        Some(value),
        None,
    )
}

/// Every value any of the platform's laptops pulls.
async fn pulled_values(app: &TestApp, device: &Device) -> Vec<String> {
    app.pull(device, 0)
        .await
        .changes
        .into_iter()
        .filter_map(|c| c.value.map(|v| v.to_string()))
        .collect()
}

fn outcomes(response: &PushResponse) -> Vec<(Outcome, Option<String>)> {
    response
        .results
        .iter()
        .map(|r| (r.outcome, r.reason.clone()))
        .collect()
}

#[tokio::test]
async fn a_record_of_another_platform_cannot_be_changed_through_ones_own_dossier() {
    let app = spawn_app().await;
    let claire = app.device("claire").await;
    let paul = app.device("paul").await;
    let (mine, theirs) = (Uuid::now_v7(), Uuid::now_v7());
    let (create_mine, _) = dossier_with_holder(&claire, mine);
    app.push(&claire, vec![create_mine]).await;
    let (create_theirs, their_holder) = dossier_with_holder(&paul, theirs);
    let added_holder = Uuid::now_v7();
    let add = paul.change(
        "holder",
        added_holder,
        Some(theirs),
        ChangeOp::Create,
        None,
        Some(
            json!({ "dossier_id": theirs, "civility": "monsieur", "last_name": "Petit",
                     "first_name": "Marc", "phone": null, "commune_insee": "62364" }),
        ),
        None,
    );
    app.push(&paul, vec![create_theirs, add]).await;

    // Claire names her own dossier, but the records are paul's platform's.
    let forged = vec![
        set(
            &claire,
            "holder",
            their_holder,
            mine,
            "last_name",
            json!("Pirate"),
        ),
        set(
            &claire,
            "holder",
            added_holder,
            mine,
            "last_name",
            json!("Pirate"),
        ),
        set(
            &claire,
            "business",
            theirs,
            mine,
            "name",
            json!("Pirate SARL"),
        ),
        set(
            &claire,
            "document",
            theirs,
            mine,
            "cv.status",
            json!("recu"),
        ),
        claire.change(
            "dossier",
            theirs,
            Some(mine),
            ChangeOp::Delete,
            None,
            None,
            None,
        ),
    ];
    let response = app.push(&claire, forged).await;
    for (outcome, reason) in outcomes(&response) {
        assert_eq!(outcome, Outcome::Rejected, "{reason:?}");
        assert!(reason.is_some_and(|r| r.contains("dossier")));
    }

    for device in [&paul, &claire] {
        let values = pulled_values(&app, device).await;
        assert!(
            !values.iter().any(|v| v.contains("Pirate")),
            "no forged value reaches any laptop: {values:?}"
        );
    }
    let seen_by_claire = app.pull(&claire, 0).await;
    assert!(
        seen_by_claire
            .changes
            .iter()
            .all(|c| c.dossier_id == Some(mine) || c.entity_id == mine),
        "claire reads nothing of paul's dossier"
    );
    assert!(seen_by_claire.conflicts.is_empty());
}

#[tokio::test]
async fn a_record_moved_to_another_dossier_of_the_same_platform_is_refused() {
    let app = spawn_app().await;
    let claire = app.device("claire").await;
    let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
    let (create_a, holder_of_a) = dossier_with_holder(&claire, a);
    let (create_b, _) = dossier_with_holder(&claire, b);
    app.push(&claire, vec![create_a, create_b]).await;
    let response = app
        .push(
            &claire,
            vec![
                set(
                    &claire,
                    "holder",
                    holder_of_a,
                    b,
                    "last_name",
                    json!("Lenoir"),
                ),
                set(
                    &claire,
                    "holder",
                    holder_of_a,
                    a,
                    "last_name",
                    json!("Leblanc"),
                ),
            ],
        )
        .await;
    let outcomes = outcomes(&response);
    assert_eq!(outcomes[0].0, Outcome::Rejected);
    assert!(outcomes[0]
        .1
        .as_deref()
        .is_some_and(|r| r.contains("n'appartient pas au dossier")));
    assert_eq!(
        outcomes[1].0,
        Outcome::Applied,
        "the same edit, rightly named"
    );
}

#[tokio::test]
async fn a_change_to_another_platforms_dossier_is_refused_alone_and_the_rest_applies() {
    let app = spawn_app().await;
    let claire = app.device("claire").await;
    let paul = app.device("paul").await;
    let (hers, his) = (Uuid::now_v7(), Uuid::now_v7());
    app.push(&claire, vec![claire.create_dossier(hers)]).await;
    app.push(&paul, vec![paul.create_dossier(his)]).await;
    let response = app
        .push(
            &paul,
            vec![
                paul.set(hers, "idea", json!("détournement"), None),
                paul.set(his, "idea", json!("Boulangerie"), None),
            ],
        )
        .await;
    let outcomes = outcomes(&response);
    assert_eq!(outcomes[0].0, Outcome::Rejected);
    assert_eq!(
        outcomes[0].1.as_deref(),
        Some("Le dossier de ce changement est inconnu du siège."),
        "the same words as for a dossier that does not exist"
    );
    assert_eq!(outcomes[1].0, Outcome::Applied);
    assert_eq!(
        response.last_device_seq,
        paul.seq.get(),
        "nothing left to resend"
    );
}

#[test]
fn holders_created_with_their_dossier_before_the_upgrade_become_records_of_it() {
    // A head-office database at schema 2, with a dossier created with two holders.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("head-office.sqlite3");
    // Files made before the application id have none (0).
    let previous = permanence::db::Schema::new(
        0,
        &[
            include_str!("../../../migrations/head-office/0001_init.sql"),
            include_str!("../../../migrations/head-office/0002_sync.sql"),
        ],
    );
    let (dossier, h1, h2) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    {
        let conn = permanence::db::open(&path, &previous).unwrap();
        let value = json!({ "id": dossier, "holders": [{ "id": h1 }, { "id": h2 }] });
        conn.execute(
            "INSERT INTO change_log (change_id, device_id, device_seq, platform_code, dossier_id,
                                     entity, entity_id, op, value, hlc, outcome, applied,
                                     received_at)
             VALUES (?1, ?2, 1, 'TA7V', ?3, 'dossier', ?3, 'create', ?4, 'x', 'applied', 1,
                     '2026-11-26T09:00:00Z')",
            params![
                Uuid::now_v7().to_string(),
                Uuid::now_v7().to_string(),
                dossier.to_string(),
                value.to_string()
            ],
        )
        .unwrap();
        // A creation whose content is not JSON does not stop the upgrade.
        conn.execute(
            "INSERT INTO change_log (change_id, device_id, device_seq, platform_code, entity,
                                     entity_id, op, value, hlc, outcome, applied, received_at)
             VALUES (?1, ?2, 2, 'TA7V', 'dossier', ?3, 'create', 'pas du JSON', 'x', 'applied',
                     1, '2026-11-26T09:00:00Z')",
            params![
                Uuid::now_v7().to_string(),
                Uuid::now_v7().to_string(),
                Uuid::now_v7().to_string()
            ],
        )
        .unwrap();
    }
    drop(permanence_head_office::store::Store::open(&path).expect("upgraded"));
    let conn = rusqlite::Connection::open(&path).unwrap();
    for holder in [h1, h2] {
        let owner: (String, String) = conn
            .query_row(
                "SELECT dossier_id, platform_code FROM record
                 WHERE entity = 'holder' AND entity_id = ?1",
                [holder.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("the holder is a record");
        assert_eq!(owner, (dossier.to_string(), "TA7V".to_owned()));
    }
}

#[tokio::test]
async fn an_agenda_entry_for_another_platforms_dossier_is_refused() {
    let app = spawn_app().await;
    let claire = app.device("claire").await;
    let paul = app.device("paul").await;
    let theirs = Uuid::now_v7();
    app.push(&claire, vec![dossier_with_holder(&claire, theirs).0])
        .await;
    let mine = Uuid::now_v7();
    app.push(&paul, vec![dossier_with_holder(&paul, mine).0])
        .await;
    let entry = |dossier: Uuid| {
        paul.change(
            "committee_agenda",
            Uuid::now_v7(),
            None,
            ChangeOp::Create,
            None,
            Some(json!({ "dossier_id": dossier })),
            None,
        )
    };
    let response = app.push(&paul, vec![entry(theirs), entry(mine)]).await;
    let first = outcomes(&response);
    assert_eq!(first[0].0, Outcome::Rejected, "{first:?}");
    assert_eq!(first[1].0, Outcome::Applied, "{first:?}");

    // An entry naming its committee: the committee must be one of the same platform's, and
    // the entry's id the one the pair gives.
    let committee = |device: &crate::helpers::Device| {
        device.change(
            "committee",
            Uuid::now_v7(),
            None,
            ChangeOp::Create,
            None,
            Some(json!({ "held_on": "2026-12-15", "kind": "agrement", "place": "Arques" })),
            None,
        )
    };
    let (claires, pauls) = (committee(&claire), committee(&paul));
    app.push(&claire, vec![claires.clone()]).await;
    app.push(&paul, vec![pauls.clone()]).await;
    let named = |committee: Uuid, id: Uuid| {
        paul.change(
            "committee_agenda",
            id,
            None,
            ChangeOp::Create,
            None,
            Some(json!({ "committee_id": committee, "dossier_id": mine })),
            None,
        )
    };
    let agenda_id = permanence::sync::protocol::agenda_entry_id;
    let response = app
        .push(
            &paul,
            vec![
                named(claires.entity_id, agenda_id(claires.entity_id, mine)),
                named(pauls.entity_id, Uuid::now_v7()),
                named(pauls.entity_id, agenda_id(pauls.entity_id, mine)),
            ],
        )
        .await;
    let named_outcomes = outcomes(&response);
    assert_eq!(
        named_outcomes.iter().map(|o| o.0).collect::<Vec<_>>(),
        [Outcome::Rejected, Outcome::Rejected, Outcome::Applied],
        "{named_outcomes:?}"
    );
}
