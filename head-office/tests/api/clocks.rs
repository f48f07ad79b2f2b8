//! Clocks bounded and bound: a change's stamp names the device that pushes it and is at most a
//! day ahead of the head office's clock, and one platform's stamps never move another's.

use chrono::Duration;
use permanence::sync::protocol::{Outcome, MAX_CLOCK_LEAD_MS};
use permanence::sync::Hlc;
use permanence::ErrorCode;
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{spawn_app, started_at};

#[tokio::test]
async fn a_stamp_far_ahead_or_in_another_devices_name_is_refused_with_its_code() {
    let app = spawn_app().await;
    let claire = app.device("claire").await;
    let nadia = app.device("nadia").await;
    let dossier = Uuid::now_v7();
    let create = claire.create_dossier(dossier);
    let mut far_ahead = claire.set(dossier, "idea", json!("Garage"), None);
    far_ahead.hlc = Hlc {
        millis: i64::MAX,
        ..far_ahead.hlc
    };
    let mut borrowed = claire.set(dossier, "idea", json!("Garage solidaire"), None);
    borrowed.hlc.device = nadia.id;
    let fine = claire.set(dossier, "idea", json!("Garage associatif"), None);
    let sent = vec![create, far_ahead, borrowed, fine];
    let response = app.push(&claire, sent.clone()).await;
    let answers: Vec<(Outcome, Option<ErrorCode>)> = response
        .results
        .iter()
        .map(|r| (r.outcome, r.code))
        .collect();
    assert_eq!(
        answers,
        vec![
            (Outcome::Applied, None),
            (Outcome::Rejected, Some(ErrorCode::ClockAhead)),
            (Outcome::Rejected, Some(ErrorCode::Forbidden)),
            (Outcome::Applied, None),
        ]
    );
    assert!(response.results[1]
        .reason
        .as_deref()
        .is_some_and(|r| r.contains("vérifiez la date et l'heure")));

    // Nobody's clock moved: not the answer's, not a laptop's pull.
    let bound = (started_at() + Duration::hours(1)).timestamp_millis();
    assert!(
        response.server_hlc.millis < bound,
        "{}",
        response.server_hlc
    );
    assert!(app.pull(&nadia, 0).await.server_hlc.millis < bound);

    // A replay (an answer lost on the way) is answered the same, codes included.
    let replayed = app.push(&claire, sent).await;
    let again: Vec<(Option<Outcome>, Option<ErrorCode>)> = replayed
        .results
        .iter()
        .map(|r| (r.replayed, r.code))
        .collect();
    assert_eq!(
        again,
        vec![
            (Some(Outcome::Applied), None),
            (Some(Outcome::Rejected), Some(ErrorCode::ClockAhead)),
            (Some(Outcome::Rejected), Some(ErrorCode::Forbidden)),
            (Some(Outcome::Applied), None),
        ]
    );
}

#[tokio::test]
async fn one_platforms_stamps_never_move_another_platforms_clocks() {
    let app = spawn_app().await;
    let claire = app.device("claire").await;
    let paul = app.device("paul").await;
    let dossier = Uuid::now_v7();
    let mut ahead = paul.create_dossier(dossier);
    // Twenty hours ahead: within the day a wrong clock is given, so it is taken.
    let stamp = (started_at() + Duration::hours(20)).timestamp_millis();
    ahead.hlc.millis = stamp;
    assert!(Duration::hours(20).num_milliseconds() < MAX_CLOCK_LEAD_MS);
    let response = app.push(&paul, vec![ahead]).await;
    assert_eq!(response.results[0].outcome, Outcome::Applied);
    assert!(
        response.server_hlc.millis >= stamp,
        "ISO's own clock follows it"
    );

    let bound = (started_at() + Duration::hours(1)).timestamp_millis();
    let theirs = app.pull(&claire, 0).await.server_hlc;
    assert!(
        theirs.millis < bound,
        "TA7V's clock moved by ISO's stamp: {theirs}"
    );
    let mine = app
        .push(&claire, vec![claire.create_dossier(Uuid::now_v7())])
        .await
        .server_hlc;
    assert!(mine.millis < bound, "{mine}");
}
