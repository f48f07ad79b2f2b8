//! Notes are append-only: a correction supersedes a note, never erases it.

use permanence::ErrorCode;
use rusqlite::Connection;

use crate::helpers::{TestStore, FRUGES};

#[test]
fn a_correction_supersedes_and_both_notes_stay() {
    let mut t = TestStore::new();
    let d = t.create("Caron", FRUGES);
    let d = t
        .store
        .add_note(d.id, "Rendez-vous à la banque le 3 décembre.", None)
        .unwrap();
    let first = d.notes[0].id;
    let d = t
        .store
        .add_note(d.id, "Rendez-vous à la banque le 4 décembre.", Some(first))
        .unwrap();
    assert_eq!(d.notes.len(), 2);
    assert_eq!(d.notes[0].body, "Rendez-vous à la banque le 3 décembre.");
    assert_eq!(d.notes[0].superseded_by, Some(d.notes[1].id));
    assert_eq!(d.notes[1].supersedes, Some(first));
    assert_eq!(
        t.store.pending_changes().unwrap(),
        3,
        "create + two add_note"
    );
}

#[test]
fn a_note_is_corrected_once_then_its_correction_is() {
    let mut t = TestStore::new();
    let d = t.create("Caron", FRUGES);
    let d = t.store.add_note(d.id, "Version 1", None).unwrap();
    let first = d.notes[0].id;
    t.store.add_note(d.id, "Version 2", Some(first)).unwrap();
    let err = t
        .store
        .add_note(d.id, "Version 2 bis", Some(first))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(err.to_api().fields.unwrap()["supersedes"].contains("déjà été corrigée"));
}

#[test]
fn an_empty_note_is_refused() {
    let mut t = TestStore::new();
    let d = t.create("Caron", FRUGES);
    assert_eq!(
        t.store.add_note(d.id, "   ", None).unwrap_err().code(),
        ErrorCode::InvalidInput
    );
}

#[test]
fn the_database_itself_refuses_to_change_or_erase_a_note() {
    let mut t = TestStore::new();
    let d = t.create("Caron", FRUGES);
    t.store.add_note(d.id, "Ne pas effacer", None).unwrap();
    let conn = Connection::open(t.path()).unwrap();
    assert!(conn.execute("UPDATE note SET body = 'effacé'", []).is_err());
    assert!(conn.execute("DELETE FROM note", []).is_err());
    let body: String = conn
        .query_row("SELECT body FROM note", [], |r| r.get(0))
        .unwrap();
    assert_eq!(body, "Ne pas effacer");
}
