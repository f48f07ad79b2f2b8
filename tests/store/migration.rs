//! Upgrading a store made by the foundation release (schema 1) keeps its data.

use permanence::field::Entity;
use permanence::store::{DossierQuery, Store};
use rusqlite::Connection;
use serde_json::json;

const SCHEMA_1: &str = include_str!("../../migrations/laptop/0001_init.sql");

#[test]
fn a_schema_1_store_is_upgraded_with_its_dossiers_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("permanence.sqlite3");
    {
        // A store as the foundation release left it, with one dossier and its outbox row.
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(SCHEMA_1).unwrap();
        conn.execute_batch(
            "INSERT INTO dossier (id, number, project_type, status, idea, created_at, updated_at)
             VALUES ('0193a000-0000-7000-8000-000000000001', 'PROV-2026-0001', 'reprise',
                     'instruction', 'Reprise de la boulangerie', '2026-03-02T09:00:00.000000Z',
                     '2026-03-05T10:00:00.000000Z');
             INSERT INTO holder (id, dossier_id, position, civility, last_name, first_name,
                                 phone, commune)
             VALUES ('0193a000-0000-7000-8000-000000000002',
                     '0193a000-0000-7000-8000-000000000001', 0, 'monsieur', 'Lefèvre', 'Benoît',
                     '+33321045678', 'Hesdin-la-Forêt');
             INSERT INTO outbox (change_id, entity, entity_id, op, created_at)
             VALUES ('0193a000-0000-7000-8000-000000000003', 'dossier',
                     '0193a000-0000-7000-8000-000000000001', 'create',
                     '2026-03-02T09:00:00.000000Z');
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }

    let mut store = Store::open(&path).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        permanence::store::LAPTOP_SCHEMA.latest()
    );
    assert_eq!(store.pending_changes().unwrap(), 1, "queued change kept");
    let list = store.list_dossiers(&DossierQuery::default()).unwrap();
    assert_eq!(list.total, 1);
    let id = list.items[0].id;
    let d = store.get_dossier(id).unwrap();
    assert_eq!(d.number, "PROV-2026-0001");
    assert_eq!(d.idea, "Reprise de la boulangerie");
    assert_eq!(d.holders[0].last_name, "Lefèvre");
    assert_eq!(d.holders[0].commune, "Hesdin-la-Forêt");
    assert_eq!(d.holders[0].phone.as_deref(), Some("+33321045678"));
    assert_eq!(
        d.opened_on.to_string(),
        "2026-03-02",
        "opening date from creation"
    );

    // The old dossier is searchable and editable in the new sections.
    let found = store
        .list_dossiers(&DossierQuery {
            search: Some("lefevre hesdin".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(found.total, 1);
    let edited = store
        .set_field(&permanence::field::FieldEdit {
            entity: Entity::Business,
            id,
            field: "name".into(),
            value: json!("Boulangerie Lefèvre"),
        })
        .unwrap();
    assert_eq!(edited.business.name, "Boulangerie Lefèvre");
    let found = store
        .list_dossiers(&DossierQuery {
            search: Some("boulangerie lefevre".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(found.total, 1, "an edit after the upgrade is searchable");

    // A dossier made after the upgrade is numbered after the old ones and found too.
    let new = store
        .create_dossier(&crate::helpers::draft("Caron", crate::helpers::FRUGES))
        .unwrap();
    assert_ne!(new.number, "PROV-2026-0001", "numbers are not reused");
    let found = store
        .list_dossiers(&DossierQuery {
            search: Some("caron".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        found.items.iter().map(|d| d.id).collect::<Vec<_>>(),
        [new.id]
    );
}
