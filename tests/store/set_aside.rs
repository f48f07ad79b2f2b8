//! A laptop survives anything the head office sends: a pulled change that breaks the rule
//! book, or that the store cannot take, is set aside with its French reason and listed; the
//! rest of the page applies, the cursor moves on, and every screen's query still works.

use permanence::store::DossierQuery;
use permanence::sync::protocol::{ChangeOp, LoggedChange, PullResponse};
use permanence::sync::Hlc;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{TestStore, FRUGES};

fn pulled(
    seq: i64,
    entity: &str,
    id: Uuid,
    dossier: Option<Uuid>,
    op: ChangeOp,
    field: Option<&str>,
    value: Option<Value>,
) -> LoggedChange {
    let device = Uuid::now_v7();
    LoggedChange {
        server_seq: seq,
        change_id: Uuid::now_v7(),
        device_id: device,
        entity: entity.into(),
        entity_id: id,
        dossier_id: dossier,
        op,
        field: field.map(str::to_owned),
        value,
        hlc: Hlc {
            millis: 1_764_150_000_000 + seq,
            counter: 0,
            device,
        },
    }
}

#[test]
fn garbage_from_the_head_office_is_set_aside_and_the_rest_applies() {
    let mut t = TestStore::new();
    let d = t.create("Caron", FRUGES);
    let ghost = Uuid::now_v7();
    let changes = vec![
        pulled(
            1,
            "dossier",
            ghost,
            Some(ghost),
            ChangeOp::Create,
            None,
            Some(json!({"x": 1})),
        ),
        pulled(
            2,
            "dossier",
            d.id,
            Some(d.id),
            ChangeOp::SetField,
            Some("status"),
            Some(json!("n_importe_quoi")),
        ),
        pulled(
            3,
            "financing_line",
            Uuid::now_v7(),
            Some(d.id),
            ChangeOp::Create,
            None,
            Some(json!({"category": "nope"})),
        ),
        pulled(
            4,
            "virus",
            Uuid::now_v7(),
            None,
            ChangeOp::Create,
            None,
            Some(json!({})),
        ),
        pulled(
            5,
            "dossier",
            d.id,
            Some(d.id),
            ChangeOp::SetField,
            Some("idea"),
            Some(json!("Épicerie et dépôt de pain")),
        ),
        pulled(
            6,
            "holder",
            d.holders[0].id,
            Some(d.id),
            ChangeOp::SetField,
            Some("last_name"),
            Some(json!("\u{0}")),
        ),
    ];
    let page = PullResponse {
        changes,
        conflicts: vec![],
        next_cursor: 6,
        cursor_id: None,
        remaining: None,
        has_more: false,
        server_hlc: Hlc::zero(Uuid::nil()),
    };
    t.store
        .apply_pull(&page)
        .expect("the page is taken, whatever it holds");

    assert_eq!(
        t.store.cursor().unwrap(),
        6,
        "the cursor moves past what was set aside"
    );
    let seen = t.store.get_dossier(d.id).unwrap();
    assert_eq!(
        seen.idea, "Épicerie et dépôt de pain",
        "the valid change applied"
    );
    assert_eq!(seen.holders[0].last_name, "Caron");
    assert_eq!(seen.status.as_str(), "premier_contact");

    let listed = t.store.list_refused().unwrap();
    let received: Vec<_> = listed.iter().filter(|r| r.received).collect();
    assert_eq!(received.len(), 5, "{listed:?}");
    assert!(received.iter().all(|r| !r.reason.is_empty()));
    assert!(
        received[1].reason.contains("n_importe_quoi"),
        "{}",
        received[1].reason
    );
    assert_eq!(t.store.sync_status().unwrap().refused_changes, 5);

    // Every screen's query still works.
    let list = t.store.list_dossiers(&DossierQuery::default()).unwrap();
    assert_eq!(list.total, 1);
    assert!(
        t.store.get_dossier(ghost).is_err(),
        "the junk dossier was not made"
    );

    // The same page again (a replay after a lost answer) sets nothing aside twice.
    t.store.apply_pull(&page).unwrap();
    assert_eq!(t.store.list_refused().unwrap().len(), 5);
}
