//! Mentoring and workshops in the laptop store: the directory of mentors (a new card per
//! edit, the latest read), a pairing only for a financed dossier with an active mentor, its
//! meetings within it, workshops and their registrations within capacity, presence from the
//! workshop's day; French reasons at the field for what is refused, which changes nothing;
//! one outbox row per record written.

use chrono::Duration;
use permanence::codes::DossierStatus;
use permanence::mentoring::{MeetingDraft, MentorForm};
use permanence::store::Store;
use permanence::workshop::WorkshopDraft;
use permanence::Error;
use uuid::Uuid;

use crate::helpers::{demo, with_status, TestStore};

fn form(name: &str) -> MentorForm {
    MentorForm {
        name: name.into(),
        trade: "Boulanger retraité".into(),
        commune_insee: "62447".into(),
        availability: "Le mardi après-midi".into(),
        active: true,
    }
}

/// The field a refusal names, and its message.
fn refused<T: std::fmt::Debug>(result: permanence::Result<T>) -> (String, String) {
    match result {
        Err(Error::Invalid(fields)) => fields.into_iter().next().unwrap(),
        other => panic!("expected a refusal by field, got {other:?}"),
    }
}

fn pending(t: &TestStore) -> i64 {
    t.store.pending_changes().unwrap()
}

fn mentor(store: &Store, id: Uuid) -> permanence::store::MentorView {
    store
        .mentors()
        .unwrap()
        .into_iter()
        .find(|m| m.mentor.id == id)
        .unwrap()
}

#[test]
fn a_mentor_is_edited_and_deactivated_by_new_cards_the_latest_read() {
    let mut t = TestStore::new();
    let jeanne = t.store.save_mentor(None, &form("Jeanne  Leroy")).unwrap();
    assert_eq!(jeanne.name, "Jeanne Leroy");
    assert_eq!(jeanne.commune, "Hesdin-la-Forêt");
    assert_eq!(pending(&t), 1);

    let mut edited = form("Jeanne Leroy-Duval");
    edited.active = false;
    let after = t.store.save_mentor(Some(jeanne.id), &edited).unwrap();
    assert_eq!(after.id, jeanne.id, "an edit keeps the mentor");
    assert!(!after.active);
    assert_eq!(pending(&t), 2, "one outbox row per card");
    let directory = t.store.mentors().unwrap();
    assert_eq!(directory.len(), 1, "one mentor however many cards");
    assert_eq!(directory[0].mentor.name, "Jeanne Leroy-Duval");

    let bad = MentorForm {
        commune_insee: "00000".into(),
        ..form("")
    };
    let Err(Error::Invalid(problems)) = t.store.save_mentor(None, &bad) else {
        panic!("a mentor without a name is refused");
    };
    assert_eq!(problems["name"], "Indiquez le nom du parrain.");
    assert_eq!(
        problems["commune_insee"],
        "Commune inconnue : choisissez-la dans la liste."
    );
    assert!(matches!(
        t.store.save_mentor(Some(Uuid::now_v7()), &form("Personne")),
        Err(Error::NotFound { .. })
    ));
    assert_eq!(pending(&t), 2, "a refusal writes nothing");
}

#[test]
fn a_pairing_is_for_a_financed_dossier_with_an_active_mentor_and_one_at_a_time() {
    let (mut t, today) = demo();
    let mentor_id = t.store.save_mentor(None, &form("Paul Martin")).unwrap().id;
    let granted = with_status(&t, DossierStatus::Accorde);
    let granted = if granted.financed() {
        with_status(&t, DossierStatus::Instruction)
    } else {
        granted
    };
    let before = pending(&t);
    assert_eq!(
        refused(t.store.add_pairing(granted.id, mentor_id, today, None)).1,
        "Le parrainage accompagne une entreprise financée : il commence une fois le prêt \
         d'honneur décaissé."
    );
    let financed = with_status(&t, DossierStatus::EnRemboursement);
    let already = financed.pairings.len();
    let (field, message) =
        refused(
            t.store
                .add_pairing(financed.id, mentor_id, today + Duration::days(1), None),
        );
    assert_eq!(field, "start_on");
    assert!(
        message.contains("ne peut pas suivre aujourd'hui"),
        "{message}"
    );
    assert_eq!(
        refused(t.store.add_pairing(
            financed.id,
            mentor_id,
            today,
            Some(today - Duration::days(1))
        ))
        .0,
        "end_on"
    );
    assert_eq!(pending(&t), before, "refusals write nothing");

    // A dossier of the demo may already be paired: end that pairing first.
    let mut d = financed;
    for p in d.pairings.clone().iter().filter(|p| p.end_on.is_none()) {
        d = t.store.end_pairing(p.id, today).unwrap();
    }
    let before = pending(&t);
    let d = t
        .store
        .add_pairing(d.id, mentor_id, today - Duration::days(30), None)
        .unwrap();
    assert_eq!(pending(&t), before + 1);
    assert_eq!(d.pairings.len(), already + 1);
    let pairing = d
        .pairings
        .iter()
        .find(|p| p.mentor_id == mentor_id)
        .unwrap();
    assert_eq!(pairing.mentor_name, "Paul Martin");
    assert_eq!(pairing.end_on, None);
    assert!(refused(t.store.add_pairing(d.id, mentor_id, today, None))
        .1
        .starts_with("Ce dossier est déjà parrainé par Paul Martin"));
    let listed = mentor(&t.store, mentor_id);
    assert_eq!(listed.pairings.len(), 1);
    assert_eq!(listed.pairings[0].dossier_id, d.id);

    // An inactive mentor takes no new pairing.
    let mut resting = form("Paul Martin");
    resting.active = false;
    t.store.save_mentor(Some(mentor_id), &resting).unwrap();
    let other = t
        .all()
        .into_iter()
        .map(|s| t.store.get_dossier(s.id).unwrap())
        .find(|o| o.financed() && o.id != d.id && o.pairings.iter().all(|p| p.end_on.is_some()))
        .expect("the demo has more than one financed dossier");
    assert_eq!(
        refused(t.store.add_pairing(other.id, mentor_id, today, None)).1,
        "Paul Martin n'est plus parrain actif de la plateforme."
    );
}

#[test]
fn meetings_fall_within_their_pairing_and_stay_with_it_once_it_ends() {
    let (mut t, today) = demo();
    let mentor_id = t
        .store
        .save_mentor(None, &form("Sophie Dubois"))
        .unwrap()
        .id;
    let mut d = with_status(&t, DossierStatus::Decaisse);
    for p in d.pairings.clone().iter().filter(|p| p.end_on.is_none()) {
        d = t.store.end_pairing(p.id, today).unwrap();
    }
    let start = today - Duration::days(60);
    let d = t.store.add_pairing(d.id, mentor_id, start, None).unwrap();
    let pairing_id = d
        .pairings
        .iter()
        .find(|p| p.mentor_id == mentor_id)
        .unwrap()
        .id;
    let meeting = |days_ago: i64, note: &str| MeetingDraft {
        pairing_id,
        met_on: today - Duration::days(days_ago),
        note: note.into(),
    };
    let before = pending(&t);
    assert_eq!(
        refused(t.store.add_meeting(&meeting(61, "Trop tôt"))).1,
        format!(
            "Le parrainage a commencé le {} : la rencontre ne peut pas le précéder.",
            start.format("%d/%m/%Y")
        )
    );
    assert_eq!(
        refused(t.store.add_meeting(&meeting(-1, "Demain"))).0,
        "met_on"
    );
    assert!(
        refused(t.store.add_meeting(&meeting(3, "Note \u{202e}cachée")))
            .1
            .contains("caractère invisible")
    );
    assert_eq!(pending(&t), before);

    t.store
        .add_meeting(&meeting(20, "  Point sur la trésorerie. "))
        .unwrap();
    let d = t.store.add_meeting(&meeting(5, "Premier bilan")).unwrap();
    assert_eq!(pending(&t), before + 2);
    let p = d.pairings.iter().find(|p| p.id == pairing_id).unwrap();
    let notes: Vec<&str> = p.meetings.iter().map(|m| m.note.as_str()).collect();
    assert_eq!(notes, ["Point sur la trésorerie.", "Premier bilan"]);

    assert!(
        refused(t.store.end_pairing(pairing_id, today - Duration::days(10)))
            .1
            .starts_with("Une rencontre a eu lieu le")
    );
    let d = t.store.end_pairing(pairing_id, today).unwrap();
    assert_eq!(pending(&t), before + 3, "ending records one new version");
    let p = d.pairings.iter().find(|p| p.id == pairing_id).unwrap();
    assert_eq!(p.end_on, Some(today));
    assert_eq!(p.meetings.len(), 2, "the meetings stay with the pairing");
    assert_eq!(mentor(&t.store, mentor_id).pairings[0].meetings, 2);

    let wrong = p.meetings[0].id;
    let d = t.store.remove_meeting(wrong).unwrap();
    let p = d.pairings.iter().find(|p| p.id == pairing_id).unwrap();
    assert_eq!(p.meetings.len(), 1);
    assert!(matches!(
        t.store.remove_meeting(wrong),
        Err(Error::NotFound { .. })
    ));

    let before = pending(&t);
    let d = t.store.remove_pairing(pairing_id).unwrap();
    assert!(d.pairings.iter().all(|p| p.id != pairing_id));
    // Its two versions and its one meeting left.
    assert_eq!(pending(&t), before + 3);
    assert!(mentor(&t.store, mentor_id).pairings.is_empty());
}

#[test]
fn a_workshop_takes_registrations_up_to_its_capacity_and_presence_from_its_day() {
    let (mut t, today) = demo();
    let bad = WorkshopDraft {
        held_on: today,
        theme: " ".into(),
        place: "Salle des fêtes".into(),
        capacity: 0,
    };
    let Err(Error::Invalid(problems)) = t.store.create_workshop(&bad) else {
        panic!("a workshop without a theme is refused");
    };
    assert_eq!(problems["theme"], "Indiquez le thème de l'atelier.");
    assert!(problems.contains_key("capacity"));

    let before = pending(&t);
    let tomorrow = t
        .store
        .create_workshop(&WorkshopDraft {
            held_on: today + Duration::days(1),
            theme: "Trouver ses premiers clients".into(),
            place: "Maison de l'entreprise, Saint-Pol-sur-Ternoise".into(),
            capacity: 2,
        })
        .unwrap();
    assert_eq!(pending(&t), before + 1);
    assert_eq!((tomorrow.registered, tomorrow.capacity), (0, 2));

    let holders: Vec<(Uuid, Uuid, String)> = t
        .store
        .holder_choices("")
        .unwrap()
        .into_iter()
        .map(|h| (h.dossier_id, h.holder_id, h.holder_name))
        .take(3)
        .collect();
    assert_eq!(holders.len(), 3);
    let before = pending(&t);
    t.store.register(tomorrow.id, holders[0].1).unwrap();
    let view = t.store.register(tomorrow.id, holders[1].1).unwrap();
    assert_eq!(pending(&t), before + 2);
    assert_eq!(view.workshop.registered, 2);
    assert_eq!(
        refused(t.store.register(tomorrow.id, holders[2].1)),
        (
            "holder_id".to_owned(),
            "L'atelier est complet (2 places) : inscription impossible.".to_owned()
        )
    );
    assert_eq!(
        refused(t.store.register(tomorrow.id, holders[0].1)).1,
        format!("{} est déjà inscrit à cet atelier.", holders[0].2)
    );
    assert_eq!(
        refused(t.store.set_present(tomorrow.id, holders[0].1, true)).1,
        format!(
            "La présence se note à partir du jour de l'atelier ({}).",
            (today + Duration::days(1)).format("%d/%m/%Y")
        )
    );
    assert_eq!(pending(&t), before + 2, "refusals write nothing");

    // The dossier shows its holder's registration.
    let d = t.store.get_dossier(holders[0].0).unwrap();
    let attendance = d
        .workshops
        .iter()
        .find(|a| a.workshop_id == tomorrow.id)
        .unwrap();
    assert_eq!(attendance.theme, "Trouver ses premiers clients");
    assert!(!attendance.present);

    // Marking present removes the registration and records it again.
    let today_one = t
        .store
        .create_workshop(&WorkshopDraft {
            held_on: today,
            theme: "Tenir sa comptabilité".into(),
            place: "Fruges".into(),
            capacity: 10,
        })
        .unwrap();
    t.store.register(today_one.id, holders[0].1).unwrap();
    let before = pending(&t);
    let view = t
        .store
        .set_present(today_one.id, holders[0].1, true)
        .unwrap();
    assert_eq!(pending(&t), before + 2, "one removal and one registration");
    assert_eq!((view.workshop.registered, view.workshop.present), (1, 1));
    assert!(view.registrants[0].attendance.present);
    assert_eq!(view.registrants[0].dossier_id, holders[0].0);
    let d = t.store.get_dossier(holders[0].0).unwrap();
    assert!(d
        .workshops
        .iter()
        .any(|a| a.workshop_id == today_one.id && a.present));

    let view = t.store.unregister(tomorrow.id, holders[1].1).unwrap();
    assert_eq!(view.workshop.registered, 1);
    assert!(refused(t.store.unregister(tomorrow.id, holders[1].1))
        .1
        .contains("n'est pas inscrit"));
    let listed = t.store.workshops().unwrap();
    assert!(listed
        .iter()
        .any(|w| w.id == tomorrow.id && w.registered == 1));
    assert!(listed
        .iter()
        .any(|w| w.id == today_one.id && w.present == 1));
}

#[test]
fn the_demo_has_mentors_pairings_with_meetings_and_workshops_with_who_came() {
    let (t, today) = demo();
    let mentors = t.store.mentors().unwrap();
    assert_eq!(mentors.len(), 6);
    assert_eq!(mentors.iter().filter(|m| !m.mentor.active).count(), 1);
    let paired: Vec<_> = t
        .all()
        .iter()
        .map(|s| t.store.get_dossier(s.id).unwrap())
        .filter(|d| !d.pairings.is_empty())
        .collect();
    assert!(!paired.is_empty(), "some financed businesses have a mentor");
    for d in &paired {
        assert!(d.financed(), "{} is paired but not financed", d.number);
        for p in &d.pairings {
            assert!(!p.meetings.is_empty(), "each pairing has its meetings");
            assert!(p
                .meetings
                .iter()
                .all(|m| m.met_on >= p.start_on && m.met_on <= today));
        }
    }
    let workshops = t.store.workshops().unwrap();
    assert_eq!(workshops.len(), 8);
    assert!(workshops.iter().all(|w| w.registered <= w.capacity));
    assert!(workshops
        .iter()
        .filter(|w| w.held_on > today)
        .all(|w| w.present == 0 && w.registered > 0));
    assert!(workshops.iter().map(|w| w.present).sum::<i64>() > 0);
}
