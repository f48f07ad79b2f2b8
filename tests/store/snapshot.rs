//! A platform's state in one file: a store written as a snapshot and adopted by a laptop
//! that holds nothing reads exactly as the original, and nothing else is ever adopted.

use permanence::store::{DossierQuery, SnapshotInfo, Store, DEVICE_TABLES, SNAPSHOT_TABLES};
use serde_json::{json, Value};

use crate::helpers::TestStore;

/// Everything a store shows: every dossier whole, the list, committees, sessions, a search.
fn everything(store: &Store) -> Value {
    let all = DossierQuery {
        limit: Some(10_000),
        ..Default::default()
    };
    let page = store.list_dossiers(&all).unwrap();
    let dossiers: Vec<Value> = page
        .items
        .iter()
        .map(|s| serde_json::to_value(store.get_dossier(s.id).unwrap()).unwrap())
        .collect();
    let found = store
        .list_dossiers(&DossierQuery {
            search: Some("lef".into()),
            ..all.clone()
        })
        .unwrap();
    json!({
        "list": page,
        "dossiers": dossiers,
        "committees": store.list_committees().unwrap(),
        "sessions": store.list_sessions().unwrap(),
        "search": found,
    })
}

fn demo(count: usize) -> TestStore {
    let mut made = TestStore::new();
    let today = made.store.clock().today();
    permanence::demo::fill(&mut made.store, count, 11, today).unwrap();
    made
}

fn written(from: &TestStore) -> (tempfile::TempDir, std::path::PathBuf, SnapshotInfo) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("state.sqlite3");
    let info = from.store.write_snapshot(&file).unwrap();
    (dir, file, info)
}

#[test]
fn every_table_of_the_store_either_travels_with_the_state_or_stays_with_the_device() {
    let made = TestStore::new();
    let conn = rusqlite::Connection::open(made.path()).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table'
               AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'dossier_search%'
             ORDER BY name",
        )
        .unwrap();
    let tables: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for table in &tables {
        let travels = SNAPSHOT_TABLES.contains(&table.as_str());
        let stays = DEVICE_TABLES.contains(&table.as_str());
        assert!(
            travels != stays,
            "table {table}: list it in SNAPSHOT_TABLES or DEVICE_TABLES (crates/store/src/store/snapshot.rs), once"
        );
    }
    for listed in SNAPSHOT_TABLES.iter().chain(DEVICE_TABLES) {
        assert!(tables.iter().any(|t| t == listed), "{listed} is no table");
    }
}

#[test]
fn a_laptop_that_adopts_a_snapshot_reads_exactly_as_the_store_it_was_written_from() {
    let made = demo(40);
    let (_dir, file, info) = written(&made);
    assert_eq!(info.dossiers, 40);
    let mut fresh = TestStore::new();
    assert!(fresh.store.holds_nothing().unwrap());
    assert_eq!(fresh.store.adopt_snapshot(&file, &info).unwrap(), 40);
    let (theirs, ours) = (everything(&made.store), everything(&fresh.store));
    assert!(theirs["committees"].as_array().unwrap().len() >= 3);
    assert!(!theirs["search"]["items"].as_array().unwrap().is_empty());
    assert_eq!(theirs, ours);
    // Its own device stays its own, and it holds no queued change of the other's.
    assert_ne!(
        fresh.store.device_id().unwrap(),
        made.store.device_id().unwrap()
    );
    assert_eq!(fresh.store.pending_changes().unwrap(), 0);
    assert!(made.store.pending_changes().unwrap() > 0);
    // The state is kept, as any commit.
    let reopened = fresh.reopen();
    assert_eq!(everything(&reopened.store), theirs);
}

#[test]
fn a_laptop_holding_anything_or_a_snapshot_of_another_schema_is_left_as_it_was() {
    let made = demo(5);
    let (dir, file, info) = written(&made);

    // A laptop with a dossier of its own pulls the log instead.
    let mut busy = demo(1);
    let before = everything(&busy.store);
    assert!(!busy.store.holds_nothing().unwrap());
    assert!(busy.store.adopt_snapshot(&file, &info).is_err());
    assert_eq!(everything(&busy.store), before);

    // Another schema than this laptop's, or not what the head office announced.
    let mut fresh = TestStore::new();
    let older = dir.path().join("older.sqlite3");
    std::fs::copy(&file, &older).unwrap();
    rusqlite::Connection::open(&older)
        .unwrap()
        .pragma_update(None, "user_version", info.schema_version - 1)
        .unwrap();
    assert!(fresh.store.adopt_snapshot(&older, &info).is_err());
    let announced = SnapshotInfo {
        dossiers: 6,
        ..info
    };
    assert!(fresh.store.adopt_snapshot(&file, &announced).is_err());
    let elsewhere = SnapshotInfo { cursor: 9, ..info };
    assert!(fresh.store.adopt_snapshot(&file, &elsewhere).is_err());
    assert!(fresh.store.holds_nothing().unwrap());
    assert!(everything(&fresh.store)["dossiers"]
        .as_array()
        .unwrap()
        .is_empty());
    // And the right one is still adopted after those.
    assert_eq!(fresh.store.adopt_snapshot(&file, &info).unwrap(), 5);
}
