//! The dossier list: accent-insensitive search, filters, counts and order.

use permanence::codes::DossierStatus;
use permanence::field::Entity;
use permanence::store::{DossierQuery, DossierSort, SessionDraft};
use serde_json::json;

use crate::helpers::{TestStore, BAPAUME, FRUGES, HESDIN_LA_FORET};

fn search(t: &TestStore, text: &str) -> Vec<String> {
    t.store
        .list_dossiers(&DossierQuery {
            search: Some(text.into()),
            ..Default::default()
        })
        .unwrap()
        .items
        .into_iter()
        .map(|d| d.holder_name)
        .collect()
}

#[test]
fn search_ignores_accents_and_case_and_matches_word_starts() {
    let mut t = TestStore::new();
    t.create("Lefèvre", HESDIN_LA_FORET);
    t.create("Dubois", BAPAUME);
    assert_eq!(search(&t, "lefevre"), vec!["Élodie LEFÈVRE"]);
    assert_eq!(search(&t, "LEFÈV"), vec!["Élodie LEFÈVRE"]);
    assert_eq!(
        search(&t, "hesdin"),
        vec!["Élodie LEFÈVRE"],
        "finds Hesdin-la-Forêt"
    );
    assert_eq!(search(&t, "foret"), vec!["Élodie LEFÈVRE"]);
    assert_eq!(
        search(&t, "elodie bapaume"),
        vec!["Élodie DUBOIS"],
        "every word must match"
    );
    assert!(search(&t, "zorglub").is_empty());
    assert_eq!(
        search(&t, "\" OR *").len(),
        0,
        "query syntax cannot leak in"
    );
}

#[test]
fn search_covers_business_activity_and_notes_after_edits() {
    let mut t = TestStore::new();
    let d = t.create("Caron", FRUGES);
    t.set(
        Entity::Business,
        d.id,
        "name",
        json!("La Fournée des 7 Vallées"),
    );
    t.set(
        Entity::Business,
        d.id,
        "activity",
        json!("Boulangerie-pâtisserie artisanale"),
    );
    t.store
        .add_note(d.id, "Visite du fournil prévue jeudi", None)
        .unwrap();
    assert_eq!(search(&t, "fournee"), vec!["Élodie CARON"]);
    assert_eq!(search(&t, "patisserie"), vec!["Élodie CARON"]);
    assert_eq!(search(&t, "fournil jeudi"), vec!["Élodie CARON"]);
}

#[test]
fn filters_combine_and_counts_follow_them() {
    let mut t = TestStore::new();
    let session = t
        .store
        .create_session(&SessionDraft {
            commune_insee: FRUGES.into(),
            place: "Mairie".into(),
            held_on: "2026-11-20".into(),
            advisor: String::new(),
        })
        .unwrap();
    let mut quick = crate::helpers::draft("Wattel", FRUGES);
    quick.session_id = Some(session.id);
    let a = t.store.create_dossier(&quick).unwrap();
    let b = t.create("Dubois", BAPAUME);
    t.create("Leroy", BAPAUME);
    t.store
        .move_status(b.id, DossierStatus::Instruction)
        .unwrap();

    let by = |q: DossierQuery| t.store.list_dossiers(&q).unwrap();
    let page = by(DossierQuery {
        status: Some(DossierStatus::Instruction),
        ..Default::default()
    });
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0].id, b.id);
    let counts: Vec<(DossierStatus, i64)> =
        page.by_status.iter().map(|c| (c.status, c.count)).collect();
    assert_eq!(
        counts,
        vec![
            (DossierStatus::PremierContact, 2),
            (DossierStatus::Instruction, 1)
        ],
        "counts ignore the status filter so the tabs show them all"
    );
    let page = by(DossierQuery {
        commune: Some(BAPAUME.into()),
        ..Default::default()
    });
    assert_eq!(page.total, 2);
    let page = by(DossierQuery {
        session_id: Some(session.id),
        ..Default::default()
    });
    assert_eq!(
        page.items.iter().map(|d| d.id).collect::<Vec<_>>(),
        vec![a.id]
    );
    let page = by(DossierQuery {
        commune: Some(BAPAUME.into()),
        search: Some("leroy".into()),
        ..Default::default()
    });
    assert_eq!(page.total, 1);
}

#[test]
fn the_list_sorts_by_name_or_last_change() {
    let mut t = TestStore::new();
    let first = t.create("Vasseur", FRUGES);
    t.create("Caron", FRUGES);
    let names = |t: &TestStore, sort| -> Vec<String> {
        t.store
            .list_dossiers(&DossierQuery {
                sort: Some(sort),
                ..Default::default()
            })
            .unwrap()
            .items
            .into_iter()
            .map(|d| d.holder_name)
            .collect()
    };
    assert_eq!(
        names(&t, DossierSort::NameAsc),
        vec!["Élodie CARON", "Élodie VASSEUR"]
    );
    assert_eq!(names(&t, DossierSort::UpdatedDesc)[0], "Élodie CARON");
    t.set(Entity::Dossier, first.id, "idea", json!("Boucherie"));
    assert_eq!(
        names(&t, DossierSort::UpdatedDesc)[0],
        "Élodie VASSEUR",
        "edited comes first"
    );
}

#[test]
fn facets_list_the_communes_found_in_dossiers() {
    let mut t = TestStore::new();
    t.create("Caron", FRUGES);
    t.create("Dubois", FRUGES);
    t.create("Leroy", BAPAUME);
    let facets = t.store.dossier_facets().unwrap();
    let communes: Vec<(String, i64)> = facets
        .communes
        .iter()
        .map(|f| (f.label.clone(), f.count))
        .collect();
    assert_eq!(communes, vec![("Bapaume".into(), 1), ("Fruges".into(), 2)]);
}
