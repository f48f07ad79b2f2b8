use permanence::dossier::{DossierStatus, ProjectType};
use permanence::{Error, ErrorCode};
use uuid::Uuid;

use crate::helpers::{draft, TestStore};

#[test]
fn a_created_dossier_is_found_again_after_reopening_the_file() {
    let mut t = TestStore::new();
    let created = t
        .store
        .create_dossier(&draft("Lefèvre", "Hesdin-la-Forêt"))
        .unwrap();
    assert_eq!(created.status, DossierStatus::PremierContact);
    assert!(
        created.number.starts_with("PROV-"),
        "provisional number: {}",
        created.number
    );
    assert_eq!(created.id.get_version_num(), 7, "ids are UUIDv7");

    let t = t.reopen();
    let again = t.store.get_dossier(created.id).unwrap();
    assert_eq!(again, created);
    let list = t.store.list_dossiers().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].holder_name, "Élodie LEFÈVRE");
    assert_eq!(list[0].commune, "Hesdin-la-Forêt");
}

#[test]
fn creating_a_dossier_writes_its_outbox_row_with_it() {
    let mut t = TestStore::new();
    t.store.create_dossier(&draft("Caron", "Fruges")).unwrap();
    assert_eq!(t.store.pending_changes().unwrap(), 1);
}

#[test]
fn an_invalid_draft_writes_nothing_at_all() {
    let mut t = TestStore::new();
    let err = t.store.create_dossier(&draft("", "Fruges")).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    let Error::Invalid(fields) = err else {
        unreachable!()
    };
    assert_eq!(fields["holders.0.last_name"], "Le nom est obligatoire.");
    assert!(
        t.store.list_dossiers().unwrap().is_empty(),
        "no dossier row"
    );
    assert_eq!(t.store.pending_changes().unwrap(), 0, "no outbox row");
}

#[test]
fn editing_records_one_change_per_changed_field_only() {
    let mut t = TestStore::new();
    let created = t.store.create_dossier(&draft("Caron", "Fruges")).unwrap();
    let mut edit = draft("Caron", "Hesdin-la-Forêt");
    edit.project_type = Some(ProjectType::Reprise);
    let edited = t.store.update_dossier(created.id, &edit).unwrap();
    assert_eq!(edited.project_type, ProjectType::Reprise);
    assert_eq!(edited.holders[0].commune, "Hesdin-la-Forêt");
    assert_eq!(
        edited.holders[0].id, created.holders[0].id,
        "holder keeps its id"
    );
    assert!(edited.updated_at >= created.updated_at);
    assert_eq!(
        t.store.pending_changes().unwrap(),
        1 + 2,
        "create + two set_field"
    );

    // Saving the same values again changes nothing and queues nothing.
    let same = t.store.update_dossier(created.id, &edit).unwrap();
    assert_eq!(same, edited);
    assert_eq!(t.store.pending_changes().unwrap(), 3);
}

#[test]
fn an_invalid_edit_leaves_the_dossier_as_it_was() {
    let mut t = TestStore::new();
    let created = t.store.create_dossier(&draft("Caron", "Fruges")).unwrap();
    let mut edit = draft("Caron", "Fruges");
    edit.holders[0].phone = "12".into();
    let err = t.store.update_dossier(created.id, &edit).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert_eq!(t.store.get_dossier(created.id).unwrap(), created);
    assert_eq!(t.store.pending_changes().unwrap(), 1);
}

#[test]
fn a_second_holder_can_be_added_by_an_edit() {
    let mut t = TestStore::new();
    let created = t.store.create_dossier(&draft("Caron", "Fruges")).unwrap();
    let mut edit = draft("Caron", "Fruges");
    let mut second = edit.holders[0].clone();
    second.first_name = "Julien".into();
    edit.holders.push(second);
    let edited = t.store.update_dossier(created.id, &edit).unwrap();
    assert_eq!(edited.holders.len(), 2);
    assert_eq!(edited.holders[1].first_name, "Julien");
}

#[test]
fn unknown_dossier_is_not_found_in_french() {
    let t = TestStore::new();
    let err = t.store.get_dossier(Uuid::now_v7()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    assert!(err.to_string().starts_with("Dossier introuvable"), "{err}");
}

#[test]
fn the_list_shows_the_most_recently_changed_first() {
    let mut t = TestStore::new();
    let first = t.store.create_dossier(&draft("Caron", "Fruges")).unwrap();
    let second = t.store.create_dossier(&draft("Dubois", "Bapaume")).unwrap();
    let ids: Vec<_> = t
        .store
        .list_dossiers()
        .unwrap()
        .iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(ids, vec![second.id, first.id]);
    t.store
        .update_dossier(first.id, &draft("Caron", "Frévent"))
        .unwrap();
    let ids: Vec<_> = t
        .store
        .list_dossiers()
        .unwrap()
        .iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(ids, vec![first.id, second.id]);
}

#[test]
fn provisional_numbers_count_up_within_the_year() {
    let mut t = TestStore::new();
    let a = t.store.create_dossier(&draft("Caron", "Fruges")).unwrap();
    let b = t.store.create_dossier(&draft("Dubois", "Bapaume")).unwrap();
    assert!(a.number.ends_with("-0001"), "{}", a.number);
    assert!(b.number.ends_with("-0002"), "{}", b.number);
}
