use permanence::dossier::DossierStatus;
use permanence::{Error, ErrorCode};
use uuid::Uuid;

use crate::helpers::{draft, TestStore, FRUGES, HESDIN_LA_FORET};

#[test]
fn a_created_dossier_is_found_again_after_reopening_the_file() {
    let mut t = TestStore::new();
    let created = t.create("Lefèvre", HESDIN_LA_FORET);
    assert_eq!(created.status, DossierStatus::PremierContact);
    assert!(
        created.number.starts_with("PROV-"),
        "provisional number: {}",
        created.number
    );
    assert_eq!(created.id.get_version_num(), 7, "ids are UUIDv7");
    assert_eq!(
        created.holders[0].commune, "Hesdin-la-Forêt",
        "name from the INSEE code"
    );
    assert_eq!(created.forecast.len(), 3, "three forecast years, empty");
    assert_eq!(created.documents.len(), 9, "the whole checklist, missing");

    let t = t.reopen();
    assert_eq!(t.store.get_dossier(created.id).unwrap(), created);
    let list = t.all();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].holder_name, "Élodie LEFÈVRE");
    assert_eq!(list[0].commune, "Hesdin-la-Forêt");
}

#[test]
fn creating_a_dossier_writes_its_outbox_row_with_it() {
    let mut t = TestStore::new();
    t.create("Caron", FRUGES);
    assert_eq!(t.store.pending_changes().unwrap(), 1);
}

#[test]
fn an_invalid_draft_writes_nothing_at_all() {
    let mut t = TestStore::new();
    let err = t.store.create_dossier(&draft("", FRUGES)).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    let Error::Invalid(fields) = err else {
        unreachable!()
    };
    assert_eq!(fields["holders.0.last_name"], "Le nom est obligatoire.");
    assert!(t.all().is_empty(), "no dossier row");
    assert_eq!(t.store.pending_changes().unwrap(), 0, "no outbox row");
}

#[test]
fn a_session_that_does_not_exist_is_refused() {
    let mut t = TestStore::new();
    let mut d = draft("Caron", FRUGES);
    d.session_id = Some(Uuid::now_v7());
    let err = t.store.create_dossier(&d).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(t.all().is_empty());
}

#[test]
fn a_second_holder_can_be_added() {
    let mut t = TestStore::new();
    let created = t.create("Caron", FRUGES);
    let mut second = draft("Caron", FRUGES).holders.remove(0);
    second.first_name = "Julien".into();
    let after = t.store.add_holder(created.id, &second).unwrap();
    assert_eq!(after.holders.len(), 2);
    assert_eq!(after.holders[1].first_name, "Julien");
    assert_eq!(t.store.pending_changes().unwrap(), 2);
}

#[test]
fn unknown_dossier_is_not_found_in_french() {
    let t = TestStore::new();
    let err = t.store.get_dossier(Uuid::now_v7()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    assert!(err.to_string().starts_with("Dossier introuvable"), "{err}");
}

#[test]
fn provisional_numbers_count_up_within_the_year() {
    let mut t = TestStore::new();
    let a = t.create("Caron", FRUGES);
    let b = t.create("Dubois", FRUGES);
    assert!(a.number.ends_with("-0001"), "{}", a.number);
    assert!(b.number.ends_with("-0002"), "{}", b.number);
}

#[test]
fn a_deleted_dossier_leaves_the_list_and_the_search_and_a_restore_brings_it_back() {
    let mut t = TestStore::new();
    let kept = t.create("Caron", FRUGES);
    let gone = t.create("Lefèvre", HESDIN_LA_FORET);
    let queued = t.store.pending_changes().unwrap();
    t.store.delete_dossier(gone.id).unwrap();
    assert_eq!(
        t.store.pending_changes().unwrap(),
        queued + 1,
        "the deletion is queued for sync"
    );
    assert_eq!(t.all().iter().map(|d| d.id).collect::<Vec<_>>(), [kept.id]);
    assert_eq!(t.search("lefevre"), 0, "not found by search");
    assert_eq!(
        t.store.get_dossier(gone.id).unwrap_err().code(),
        ErrorCode::NotFound
    );
    assert_eq!(
        t.store.delete_dossier(gone.id).unwrap_err().code(),
        ErrorCode::NotFound,
        "deleted once"
    );
    // Still in the store, to show which dossier a conflict is about.
    assert_eq!(t.store.get_deleted_dossier(gone.id).unwrap().id, gone.id);

    let back = t.store.restore_dossier(gone.id).unwrap();
    assert_eq!(back.holders[0].last_name, "Lefèvre");
    assert_eq!(t.store.pending_changes().unwrap(), queued + 2);
    assert_eq!(t.search("lefevre"), 1, "found again");
    t.store.restore_dossier(gone.id).unwrap();
    assert_eq!(
        t.store.pending_changes().unwrap(),
        queued + 2,
        "restoring a dossier that is there queues nothing"
    );
}

#[test]
fn an_import_whose_holder_is_already_another_dossiers_is_refused_at_that_holder() {
    let mut t = TestStore::new();
    let d = t.create("Caron", FRUGES);
    let mut copy = t.store.export_dossier(d.id).unwrap();
    copy["id"] = serde_json::json!(uuid::Uuid::now_v7());
    let err = t.store.import_dossier(&copy).unwrap_err();
    assert_eq!(err.code(), permanence::ErrorCode::InvalidInput);
    let fields = err.to_api().fields.unwrap();
    assert_eq!(
        fields.get("holders.0.id").map(String::as_str),
        Some("Ce porteur est déjà dans un autre dossier de cette base.")
    );
    assert_eq!(t.all().len(), 1, "nothing imported");
}

#[test]
fn an_unreadable_import_names_the_place_in_french() {
    let mut t = TestStore::new();
    let d = t.create("Caron", FRUGES);
    let mut copy = t.store.export_dossier(d.id).unwrap();
    t.store.delete_dossier(d.id).unwrap();
    copy["holders"][0]["civility"] = serde_json::json!("Sa Majesté");
    copy.as_object_mut().unwrap().remove("idea");
    for (file, place, what) in [
        (copy.clone(), "holders.0.civility", "a une valeur illisible"),
        (
            {
                let mut c = copy.clone();
                c["holders"][0]["civility"] = serde_json::json!("madame");
                c["holders"][0].as_object_mut().unwrap().remove("last_name");
                c
            },
            "holders.0.last_name",
            "manque",
        ),
    ] {
        let err = t.store.import_dossier(&file).unwrap_err();
        let fields = err.to_api().fields.unwrap();
        let message = fields
            .get(place)
            .unwrap_or_else(|| panic!("{place} in {fields:?}"));
        assert_eq!(
            message,
            &format!("Ce fichier n'est pas un dossier Permanence : « {place} » {what}.")
        );
    }
    let err = t
        .store
        .import_dossier(&serde_json::json!([1, 2]))
        .unwrap_err();
    assert_eq!(
        err.to_api()
            .fields
            .unwrap()
            .get("fichier")
            .map(String::as_str),
        Some("Ce fichier n'est pas un dossier Permanence.")
    );
}

#[test]
fn a_dossier_has_at_most_ten_holders() {
    let mut t = TestStore::new();
    let d = t.create("Caron", FRUGES);
    let holder = draft("Petit", FRUGES).holders[0].clone();
    for _ in 1..permanence::dossier::HOLDERS_MAX {
        t.store.add_holder(d.id, &holder).unwrap();
    }
    let err = t.store.add_holder(d.id, &holder).unwrap_err();
    let fields = err.to_api().fields.unwrap();
    assert_eq!(
        fields.get("holders").map(String::as_str),
        Some("Un dossier a au plus 10 porteurs de projet.")
    );
    assert_eq!(t.store.get_dossier(d.id).unwrap().holders.len(), 10);

    let mut crowded = draft("Caron", FRUGES);
    crowded.holders = vec![holder; 11];
    let err = t.store.create_dossier(&crowded).unwrap_err();
    assert!(err.to_api().fields.unwrap().contains_key("holders"));
}
