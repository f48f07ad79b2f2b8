//! Outreach sessions and the quick capture of the people met there.

use chrono::NaiveDate;
use permanence::store::SessionDraft;
use permanence::ErrorCode;

use crate::helpers::{draft, TestStore, HESDIN_LA_FORET};

fn hesdin() -> SessionDraft {
    SessionDraft {
        commune_insee: HESDIN_LA_FORET.into(),
        place: "Mairie, salle du conseil".into(),
        held_on: "26/11/2026".into(),
        advisor: "Claire Dumont".into(),
    }
}

#[test]
fn a_session_lists_the_people_met_there() {
    let mut t = TestStore::new();
    let session = t.store.create_session(&hesdin()).unwrap();
    assert_eq!(session.commune, "Hesdin-la-Forêt");
    assert_eq!(
        session.held_on,
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    );
    for name in ["Caron", "Dubois"] {
        let mut quick = draft(name, HESDIN_LA_FORET);
        quick.session_id = Some(session.id);
        quick.heard_of_us = "Conseillère France Travail".into();
        let d = t.store.create_dossier(&quick).unwrap();
        assert_eq!(
            d.session_id,
            Some(session.id),
            "the dossier remembers where it began"
        );
    }
    t.create("Leroy", HESDIN_LA_FORET);
    let view = t.store.get_session(session.id).unwrap();
    assert_eq!(view.dossiers.len(), 2);
    assert_eq!(view.session.people, 2);
    assert_eq!(t.store.list_sessions().unwrap().len(), 1);
}

#[test]
fn a_session_needs_a_known_commune_and_a_date() {
    let mut t = TestStore::new();
    let err = t
        .store
        .create_session(&SessionDraft {
            commune_insee: "00000".into(),
            held_on: "31/02/2026".into(),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    let fields = err.to_api().fields.unwrap();
    assert!(fields.contains_key("commune_insee"));
    assert!(fields.contains_key("held_on"));
    assert!(t.store.list_sessions().unwrap().is_empty());
}
