//! The sync endpoints against a real server on loopback: registration, authorisation,
//! idempotent pushes, sequence gaps, validation, conflicts and scoped pulls.

use permanence::sync::protocol::{ChangeOp, LostChanges, Outcome, PushResponse};
use permanence_head_office::office::HeadOffice;
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{spawn_app, PASSWORD};

async fn error_code(response: reqwest::Response) -> (u16, String, String) {
    let status = response.status().as_u16();
    let body: serde_json::Value = response.json().await.expect("a JSON error body");
    (
        status,
        body["code"].as_str().unwrap_or_default().to_owned(),
        body["message"].as_str().unwrap_or_default().to_owned(),
    )
}

#[tokio::test]
async fn a_wrong_password_is_refused_with_401_and_no_token() {
    let app = spawn_app().await;
    let (status, code, message) =
        error_code(app.register("claire", "mauvais mot de passe").await).await;
    assert_eq!((status, code.as_str()), (401, "unauthorized"));
    assert!(message.contains("mot de passe incorrect"), "{message}");
    let (status, ..) = error_code(app.register("inconnu", PASSWORD).await).await;
    assert_eq!(status, 401, "an unknown login answers the same");
}

#[tokio::test]
async fn requests_without_a_valid_token_are_refused() {
    let app = spawn_app().await;
    let response = app.http.get(app.url("/v1/sync/pull")).send().await.unwrap();
    assert_eq!(error_code(response).await.0, 401);
    let response = app.pull_raw("pas-un-jeton").await;
    assert_eq!(error_code(response).await.0, 401);
}

#[tokio::test]
async fn a_revoked_device_is_refused_at_once() {
    let app = spawn_app().await;
    let laptop = app.device("claire").await;
    let dossier = Uuid::now_v7();
    app.push(&laptop, vec![laptop.create_dossier(dossier)])
        .await;
    app.store.revoke_device(laptop.id).unwrap();
    let change = laptop.set(dossier, "idea", json!("Boulangerie"), None);
    let (status, code, _) = error_code(app.push_raw(&laptop, vec![change]).await).await;
    assert_eq!((status, code.as_str()), (401, "unauthorized"));
}

#[tokio::test]
async fn a_disabled_account_stops_syncing() {
    let app = spawn_app().await;
    let laptop = app.device("claire").await;
    app.store.disable_user("claire").unwrap();
    let response = app.pull_raw(&laptop.token).await;
    assert_eq!(error_code(response).await.0, 401);
}

#[tokio::test]
async fn a_replayed_batch_gets_the_same_answers_and_changes_nothing() {
    let app = spawn_app().await;
    let laptop = app.device("claire").await;
    let dossier = Uuid::now_v7();
    let batch = vec![
        laptop.create_dossier(dossier),
        laptop.set(dossier, "idea", json!("Épicerie vrac"), None),
        laptop.set(
            dossier,
            "loan_scheme",
            json!("Prêt d'honneur Initiative"),
            None,
        ),
    ];
    let first = app.push(&laptop, batch.clone()).await;
    assert!(first.results.iter().all(|r| r.outcome == Outcome::Applied));
    let pulled = app.pull(&laptop, 0).await;
    for _ in 0..10 {
        let again = app.push(&laptop, batch.clone()).await;
        assert_eq!(again.last_device_seq, 3);
        for (a, b) in first.results.iter().zip(&again.results) {
            assert_eq!(b.outcome, Outcome::Duplicate);
            assert_eq!(b.replayed, Some(a.outcome), "the stored answer");
            assert_eq!(b.server_seq, a.server_seq);
        }
    }
    let after = app.pull(&laptop, 0).await;
    assert_eq!(after.changes, pulled.changes, "no duplicate in the log");
}

#[tokio::test]
async fn a_sequence_gap_is_refused_with_the_last_stored_seq() {
    let app = spawn_app().await;
    let laptop = app.device("claire").await;
    let dossier = Uuid::now_v7();
    app.push(&laptop, vec![laptop.create_dossier(dossier)])
        .await;
    let _lost = laptop.set(dossier, "idea", json!("perdu"), None);
    let after_gap = laptop.set(dossier, "idea", json!("après le trou"), None);
    let (status, code, message) = error_code(app.push_raw(&laptop, vec![after_gap]).await).await;
    assert_eq!((status, code.as_str()), (409, "sequence_gap"));
    assert!(message.contains("n° 1"), "{message}");
}

#[tokio::test]
async fn an_invalid_change_is_rejected_and_acknowledged_while_the_others_apply() {
    let app = spawn_app().await;
    let laptop = app.device("claire").await;
    let dossier = Uuid::now_v7();
    let response = app
        .push(
            &laptop,
            vec![
                laptop.create_dossier(dossier),
                laptop.set(dossier, "committee_date", json!("pas une date"), None),
                laptop.set(dossier, "idea", json!("Garage"), None),
            ],
        )
        .await;
    let outcomes: Vec<Outcome> = response.results.iter().map(|r| r.outcome).collect();
    assert_eq!(
        outcomes,
        vec![Outcome::Applied, Outcome::Rejected, Outcome::Applied]
    );
    assert!(response.results[1]
        .reason
        .as_deref()
        .unwrap()
        .contains("committee_date"));
    assert_eq!(
        response.last_device_seq, 3,
        "the queue moves on past the refusal"
    );
}

#[tokio::test]
async fn a_client_too_old_gets_426_and_nothing_is_stored() {
    let app = spawn_app().await;
    let laptop = app.device("claire").await;
    let change = laptop.create_dossier(Uuid::now_v7());
    let (status, code, message) = error_code(app.push_with(&laptop, vec![change], 1).await).await;
    assert_eq!((status, code.as_str()), (426, "client_too_old"));
    assert!(message.contains("mettez-la à jour"));
    assert!(app.pull(&laptop, 0).await.changes.is_empty());
}

#[tokio::test]
async fn an_advisor_can_neither_read_nor_write_another_platforms_dossiers() {
    let app = spawn_app().await;
    let claire = app.device("claire").await;
    let paul = app.device("paul").await;
    let dossier = Uuid::now_v7();
    app.push(&claire, vec![claire.create_dossier(dossier)])
        .await;

    assert!(
        app.pull(&paul, 0).await.changes.is_empty(),
        "nothing of TA7V in ISO's pull"
    );
    // Refused alone (a push is never blocked behind it), in the words used for a dossier
    // that does not exist.
    let change = paul.set(dossier, "idea", json!("détournement"), None);
    let response = app.push(&paul, vec![change]).await;
    assert_eq!(response.results[0].outcome, Outcome::Rejected);
    assert_eq!(
        response.results[0].reason.as_deref(),
        Some("Le dossier de ce changement est inconnu du siège.")
    );
    let idea_changes = app
        .pull(&claire, 0)
        .await
        .changes
        .into_iter()
        .filter(|c| c.field.as_deref() == Some("idea"))
        .count();
    assert_eq!(idea_changes, 0, "the dossier is untouched");
}

#[tokio::test]
async fn the_dossier_number_is_assigned_at_first_sync() {
    let app = spawn_app().await;
    let claire = app.device("claire").await;
    let nadia = app.device("nadia").await;
    let a = Uuid::now_v7();
    let b = Uuid::now_v7();
    app.push(
        &claire,
        vec![claire.create_dossier(a), claire.create_dossier(b)],
    )
    .await;
    let numbers: Vec<String> = app
        .pull(&nadia, 0)
        .await
        .changes
        .into_iter()
        .filter(|c| c.field.as_deref() == Some("number"))
        .map(|c| c.value.unwrap().as_str().unwrap().to_owned())
        .collect();
    // Numbered in the year of the head office's clock.
    assert_eq!(numbers, vec!["TA7V-2026-0001", "TA7V-2026-0002"]);
}

#[tokio::test]
async fn the_same_field_on_two_devices_gives_one_conflict_and_the_later_edit_wins() {
    let app = spawn_app().await;
    let claire = app.device("claire").await;
    let nadia = app.device("nadia").await;
    let dossier = Uuid::now_v7();
    app.push(&claire, vec![claire.create_dossier(dossier)])
        .await;
    let base = app
        .push(
            &claire,
            vec![claire.set(dossier, "idea", json!("Boulangerie"), None)],
        )
        .await;
    let base_version = base.results[0].server_seq;

    // Nadia edits at 10:00 but syncs late; Claire edits at 15:00 and syncs first.
    let early = nadia.set(dossier, "idea", json!("Boulangerie bio"), base_version);
    std::thread::sleep(std::time::Duration::from_millis(5));
    let late = claire.set(
        dossier,
        "idea",
        json!("Boulangerie-pâtisserie"),
        base_version,
    );
    app.push(&claire, vec![late]).await;
    let result = app.push(&nadia, vec![early]).await;
    assert_eq!(result.results[0].outcome, Outcome::Conflict);

    let pulled = app.pull(&nadia, 0).await;
    assert_eq!(pulled.conflicts.len(), 1, "one conflict, both values kept");
    let conflict = &pulled.conflicts[0];
    assert_eq!(
        conflict.winner_value,
        Some(json!("Boulangerie-pâtisserie")),
        "by edit time, not arrival"
    );
    assert_eq!(conflict.loser_value, Some(json!("Boulangerie bio")));
    assert_eq!(conflict.winner_author, "Conseiller claire");
    let last_idea = pulled
        .changes
        .iter()
        .rfind(|c| c.field.as_deref() == Some("idea"))
        .unwrap();
    assert_eq!(last_idea.value, Some(json!("Boulangerie-pâtisserie")));
}

#[tokio::test]
async fn different_fields_of_one_dossier_never_conflict() {
    let app = spawn_app().await;
    let claire = app.device("claire").await;
    let nadia = app.device("nadia").await;
    let dossier = Uuid::now_v7();
    app.push(&claire, vec![claire.create_dossier(dossier)])
        .await;
    let a = claire.set(dossier, "idea", json!("Garage"), None);
    let b = nadia.set(dossier, "loan_scheme", json!("PH solidaire"), None);
    assert_eq!(
        app.push(&claire, vec![a]).await.results[0].outcome,
        Outcome::Applied
    );
    assert_eq!(
        app.push(&nadia, vec![b]).await.results[0].outcome,
        Outcome::Applied
    );
    assert!(app.pull(&claire, 0).await.conflicts.is_empty());
}

#[tokio::test]
async fn pull_pages_move_the_cursor_without_skipping() {
    let app = spawn_app().await;
    let claire = app.device("claire").await;
    let dossier = Uuid::now_v7();
    let mut batch = vec![claire.create_dossier(dossier)];
    for i in 0..30 {
        batch.push(claire.set(dossier, "idea", json!(format!("version {i}")), None));
    }
    app.push(&claire, batch).await;
    let mut cursor = 0;
    let mut seen = Vec::new();
    loop {
        let page: permanence::sync::protocol::PullResponse = app
            .http
            .get(app.url(&format!("/v1/sync/pull?cursor={cursor}&limit=7")))
            .bearer_auth(&claire.token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        seen.extend(page.changes.iter().map(|c| c.server_seq));
        assert!(page.next_cursor >= cursor);
        cursor = page.next_cursor;
        if !page.has_more {
            break;
        }
    }
    let mut sorted = seen.clone();
    sorted.dedup();
    assert_eq!(sorted.len(), 32, "31 changes and the number, each once");
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "in server order");
    let _ = ChangeOp::Create;
}

#[tokio::test]
async fn a_gap_is_taken_as_lost_only_within_what_the_head_office_confirmed() {
    let app = spawn_app().await;
    let laptop = app.device("claire").await;
    let id = Uuid::now_v7();
    app.push(&laptop, vec![laptop.create_dossier(id)]).await;
    let _never_sent = laptop.set(id, "idea", json!("Fromagerie"), None);
    let third = laptop.set(id, "idea", json!("Crêperie"), None);

    // A gap the device does not vouch for is its own: refused, nothing stored.
    let (status, code, _) = error_code(app.push_raw(&laptop, vec![third.clone()]).await).await;
    assert_eq!((status, code.as_str()), (409, "sequence_gap"));
    let short_claim = app
        .push_acknowledging(&laptop, vec![third.clone()], 1)
        .await;
    assert_eq!(
        short_claim.status(),
        409,
        "confirmed up to 1 does not cover n° 2"
    );

    // Confirmed up to 2 before (a restore lost it): n° 2 is named lost, n° 3 is taken.
    let taken = app.push_acknowledging(&laptop, vec![third], 2).await;
    assert_eq!(taken.status(), 200);
    let taken: PushResponse = taken.json().await.unwrap();
    assert_eq!(taken.lost, Some(LostChanges { first: 2, last: 2 }));
    assert_eq!(taken.results[0].outcome, Outcome::Applied);
    assert_eq!(taken.last_device_seq, 3);
    assert!(taken
        .lost
        .unwrap()
        .describe()
        .contains("perdu le changement n° 2"));
}

#[tokio::test]
async fn a_cursor_from_a_history_the_head_office_no_longer_holds_is_answered_409() {
    let app = spawn_app().await;
    let claire = app.device("claire").await;
    let nadia = app.device("nadia").await;
    app.push(&claire, vec![claire.create_dossier(Uuid::now_v7())])
        .await;
    let page = app.pull(&nadia, 0).await;
    let at = page.cursor_id.expect("the change logged at the cursor");
    let query = |cursor: i64, at: Uuid| format!("cursor={cursor}&at={at}");
    let same = app
        .pull_query(&nadia.token, &query(page.next_cursor, at))
        .await;
    assert_eq!(same.status(), 200);
    for (cursor, at) in [
        (page.next_cursor, Uuid::now_v7()),
        (page.next_cursor + 50, at),
    ] {
        let (status, code, message) =
            error_code(app.pull_query(&nadia.token, &query(cursor, at)).await).await;
        assert_eq!((status, code.as_str()), (409, "cursor_unknown"));
        assert!(message.contains("depuis le début"), "{message}");
    }
}

#[tokio::test]
async fn the_first_pull_of_a_sync_can_ask_how_many_changes_remain() {
    let app = spawn_app().await;
    let claire = app.device("claire").await;
    let nadia = app.device("nadia").await;
    let changes: Vec<_> = (0..3)
        .map(|_| claire.create_dossier(Uuid::now_v7()))
        .collect();
    app.push(&claire, changes).await;
    let page: permanence::sync::protocol::PullResponse = app
        .pull_query(&nadia.token, "cursor=0&limit=1&count=true")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page.changes.len(), 1);
    let plain = app.pull(&nadia, 0).await;
    // The three creations and the numbers the head office gave them.
    assert_eq!(plain.changes.len(), 6);
    assert_eq!(page.remaining, Some(5));
    assert_eq!(plain.remaining, None, "counted only when asked");
}

#[tokio::test]
async fn the_platform_state_comes_to_its_advisors_only_as_a_compressed_store() {
    use permanence_head_office::office::{NewUser, Role};
    let app = spawn_app().await;
    let response = app
        .http
        .get(app.url("/v1/sync/snapshot"))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(response).await.0, 401, "no token");

    let laptop = app.device("claire").await;
    app.push(&laptop, vec![laptop.create_dossier(Uuid::now_v7())])
        .await;
    let response = app
        .http
        .get(app.url("/v1/sync/snapshot"))
        .bearer_auth(&laptop.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let header = |name: &str| response.headers()[name].to_str().unwrap().to_owned();
    assert_eq!(header("content-type"), "application/zstd");
    assert_eq!(header("permanence-dossiers"), "1");
    // The create and the number the head office gave the dossier: the log's end.
    let pulled: permanence::sync::protocol::PullResponse =
        app.pull_raw(&laptop.token).await.json().await.unwrap();
    assert_eq!(header("permanence-cursor"), pulled.next_cursor.to_string());
    assert_eq!(
        header("permanence-schema"),
        permanence::store::LAPTOP_SCHEMA.latest().to_string()
    );
    let packed = response.bytes().await.unwrap();
    let file = zstd::decode_all(&packed[..]).unwrap();
    assert!(file.starts_with(b"SQLite format 3\0"), "a SQLite file");

    // A head-office account sees every platform: it pulls the log.
    app.store
        .add_user(&NewUser {
            login: "direction".into(),
            name: "Direction".into(),
            password: PASSWORD.into(),
            role: Role::Admin,
            platform: None,
        })
        .unwrap();
    let admin = app.device("direction").await;
    let response = app
        .http
        .get(app.url("/v1/sync/snapshot"))
        .bearer_auth(&admin.token)
        .send()
        .await
        .unwrap();
    let (status, code, message) = error_code(response).await;
    assert_eq!((status, code.as_str()), (404, "not_found"));
    assert!(message.contains("toutes les plateformes"), "{message}");
}
