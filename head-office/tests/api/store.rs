//! The head-office store under the API: what a push leaves on disk, and a push's changes
//! judged one after the other even when they arrive together.

use std::time::{Duration, Instant};

use permanence::sync::protocol::{ChangeOp, Outcome};
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{spawn_app, Device};

/// The ops of one dossier's life: created, deleted, edited while deleted, restored, edited.
fn life(device: &Device, dossier: Uuid) -> Vec<permanence::sync::protocol::Change> {
    let op = |op| device.change("dossier", dossier, Some(dossier), op, None, None, None);
    vec![
        device.create_dossier(dossier),
        op(ChangeOp::Delete),
        device.set(dossier, "idea", json!("Fournil"), None),
        op(ChangeOp::Restore),
        device.set(dossier, "idea", json!("Fournil et salon de thé"), None),
    ]
}

/// Pass: the outcomes of a dossier's creation, deletion, edit, restoration and edit are the
/// same whether they come in one push or in five (the store remembers what it learnt of a
/// dossier within a push, and forgets it when a change of the push creates, deletes or
/// restores it).
#[tokio::test]
async fn changes_pushed_together_get_the_outcomes_they_get_one_by_one() {
    let app = spawn_app().await;
    let together = app.device("claire").await;
    let apart = app.device("nadia").await;
    let (first, second) = (Uuid::now_v7(), Uuid::now_v7());

    let outcomes_together: Vec<Outcome> = app
        .push(&together, life(&together, first))
        .await
        .results
        .iter()
        .map(|r| r.outcome)
        .collect();
    let mut outcomes_apart = Vec::new();
    for change in life(&apart, second) {
        let answer = app.push(&apart, vec![change]).await;
        outcomes_apart.push(answer.results[0].outcome);
    }

    assert_eq!(outcomes_together, outcomes_apart);
    assert_eq!(outcomes_together.len(), 5);
    let pulled = app.pull(&together, 0).await;
    for dossier in [first, second] {
        let idea = pulled
            .changes
            .iter()
            .rev()
            .find(|c| c.entity_id == dossier && c.field.as_deref() == Some("idea"))
            .and_then(|c| c.value.clone());
        assert_eq!(idea, Some(json!("Fournil et salon de thé")), "{dossier}");
    }
}

/// Pass: while the server runs, what pushes wrote reaches the database file itself (a
/// thread checkpoints the WAL, since pushes no longer do), so the WAL does not grow without
/// end and a copy of the database file alone holds the pushed changes.
#[tokio::test]
async fn pushed_changes_reach_the_database_file_while_the_server_runs() {
    let app = spawn_app().await;
    let path = app._dir.path().join("head-office.sqlite3");
    let size = || std::fs::metadata(&path).unwrap().len();
    let before = size();
    let device = app.device("claire").await;
    for _ in 0..5 {
        let dossier = Uuid::now_v7();
        let mut changes = vec![device.create_dossier(dossier)];
        changes.extend((0..99).map(|i| device.set(dossier, "idea", json!(format!("v{i}")), None)));
        app.push(&device, changes).await;
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    while size() <= before && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        size() > before,
        "the database file stayed at {before} bytes: the WAL was never checkpointed"
    );
}
