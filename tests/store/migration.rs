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

/// The laptop's migrations after `from` up to `to`, as files, in order.
fn migrations(from: usize, to: usize) -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/laptop");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files[from..to]
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_schema_10_store_keeps_its_committees_and_agendas_through_the_committee_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("permanence.sqlite3");
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        // Made at version 6, then upgraded to 10 as a laptop of the time was (the list rows
        // come with 7).
        conn.execute_batch(&migrations(0, 6)).unwrap();
        conn.execute_batch(&format!(
            "INSERT INTO dossier (id, number, project_type, status, idea, created_at, updated_at,
                                  opened_on, search_row)
             VALUES ('0193a000-0000-7000-8000-000000000001', 'PROV-2026-0001', 'reprise',
                     'pret_pour_comite', 'Reprise', '2026-03-02T09:00:00.000000Z',
                     '2026-03-05T10:00:00.000000Z', '2026-03-02', 1),
                    ('0193a000-0000-7000-8000-000000000004', 'PROV-2026-0002', 'creation',
                     'pret_pour_comite', 'Gîtes', '2026-03-03T09:00:00.000000Z',
                     '2026-03-05T10:00:00.000000Z', '2026-03-03', 2);
             INSERT INTO holder (id, dossier_id, position, civility, last_name, first_name,
                                 phone, commune, commune_insee)
             VALUES ('0193a000-0000-7000-8000-000000000002',
                     '0193a000-0000-7000-8000-000000000001', 0, 'monsieur', 'Lefèvre', 'Benoît',
                     NULL, 'Fruges', '62364'),
                    ('0193a000-0000-7000-8000-000000000005',
                     '0193a000-0000-7000-8000-000000000004', 0, 'madame', 'Caron', 'Léa',
                     NULL, 'Fruges', '62364');
             INSERT INTO committee (id, held_on, kind, place, created_at)
             VALUES ('0193a000-0000-7000-8000-000000000003', '2026-04-14', 'agrement', 'Bapaume',
                     '2026-03-10T09:00:00.000000Z');
             INSERT INTO committee_agenda (committee_id, dossier_id, position)
             VALUES ('0193a000-0000-7000-8000-000000000003',
                     '0193a000-0000-7000-8000-000000000004', 1),
                    ('0193a000-0000-7000-8000-000000000003',
                     '0193a000-0000-7000-8000-000000000001', 2);
             PRAGMA application_id = {};",
            permanence::store::LAPTOP_APPLICATION_ID
        ))
        .unwrap();
        conn.execute_batch(&migrations(6, 10)).unwrap();
        conn.execute_batch("PRAGMA user_version = 10;").unwrap();
    }
    let store = Store::open(&path).unwrap();
    let kept: i64 = Connection::open(&path)
        .unwrap()
        .query_row("SELECT count(*) FROM committee_agenda", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kept, 2, "the agenda's rows are kept");
    let committees = store.list_committees().unwrap();
    assert_eq!(committees.len(), 1);
    let agenda: Vec<_> = committees[0]
        .agenda
        .iter()
        .map(|item| (item.position, item.dossier.number.clone()))
        .collect();
    assert_eq!(
        agenda,
        [
            (1, "PROV-2026-0002".to_owned()),
            (2, "PROV-2026-0001".to_owned())
        ],
        "the agenda and its order are kept"
    );
}
