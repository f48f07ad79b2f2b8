//! Mentoring and workshops (issue 12, item 2) sync like every other record: what two laptops
//! record offline (mentors and their edits, pairings and meetings, workshops, registrations
//! and presence) reaches every laptop of the platform and the head office's own state,
//! whole; a change naming another platform's mentor, workshop or dossier, a registration of
//! another dossier's holder, a pairing for a business not financed, or content the rules
//! refuse is refused alone, and a laptop never reads another platform's mentors or workshops.

use chrono::Duration;
use permanence::codes::DossierStatus;
use permanence::dossier::Dossier;
use permanence::mentoring::{MeetingDraft, MentorForm};
use permanence::store::Store;
use permanence::sync::protocol::{Change, Outcome};
use permanence::workshop::WorkshopDraft;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{platform_view, Forged, HeadOfficeServer, Laptop};

fn form(name: &str, trade: &str) -> MentorForm {
    MentorForm {
        name: name.into(),
        trade: trade.into(),
        commune_insee: "62447".into(),
        availability: "Le jeudi matin".into(),
        active: true,
    }
}

/// Every mentor (with their pairings) and every workshop (with its list) a store holds:
/// with `platform_view`, every field of every mentoring record.
fn mentoring_view(store: &Store) -> Value {
    let workshops: Vec<_> = store
        .workshops()
        .unwrap()
        .iter()
        .map(|w| store.workshop(w.id).unwrap())
        .collect();
    json!({ "mentors": store.mentors().unwrap(), "workshops": workshops })
}

/// The demo's dossiers of Claire's laptop at `status`, whole.
fn at_status(laptop: &Laptop, status: DossierStatus) -> Vec<Dossier> {
    laptop
        .dossiers()
        .into_iter()
        .filter(|d| d.status == status)
        .collect()
}

/// Claire's laptop with the demo's 30 dossiers, shared with Nadia's, with two financed
/// dossiers free of any pairing, and a mentor both know.
fn shared(office: &HeadOfficeServer) -> (Laptop, Laptop, Dossier, Dossier, Uuid) {
    let mut claire = office.laptop("claire");
    let mut nadia = office.laptop("nadia");
    let today = claire.store.clock().today();
    permanence::demo::fill(&mut claire.store, 30, 7, today).unwrap();
    let mut financed: Vec<Dossier> = claire
        .dossiers()
        .into_iter()
        .filter(|d| d.financed() && d.pairings.iter().all(|p| p.end_on.is_some()))
        .collect();
    assert!(financed.len() >= 2, "the demo finances dossiers");
    let b = financed.remove(1);
    let a = financed.remove(0);
    let mentor = claire
        .store
        .save_mentor(None, &form("Jeanne Leroy", "Boulangère retraitée"))
        .unwrap()
        .id;
    claire.sync().unwrap();
    nadia.sync().unwrap();
    (claire, nadia, a, b, mentor)
}

#[test]
fn mentoring_and_workshops_recorded_on_two_laptops_offline_reach_both_and_the_head_office() {
    let office = HeadOfficeServer::start();
    let (mut claire, mut nadia, a, b, jeanne) = shared(&office);
    let today = claire.store.clock().today();
    assert_eq!(
        mentoring_view(&claire.store),
        mentoring_view(&nadia.store),
        "the mentor reached Nadia"
    );

    // Offline, Claire edits Jeanne's card, pairs her with the first dossier, records a
    // meeting, creates a workshop of today and registers and marks present its holder.
    claire
        .store
        .save_mentor(Some(jeanne), &form("Jeanne Leroy", "Boulangère"))
        .unwrap();
    let d = claire
        .store
        .add_pairing(a.id, jeanne, today - Duration::days(40), None)
        .unwrap();
    let pairing = d
        .pairings
        .iter()
        .find(|p| p.mentor_id == jeanne)
        .unwrap()
        .id;
    claire
        .store
        .add_meeting(&MeetingDraft {
            pairing_id: pairing,
            met_on: today - Duration::days(10),
            note: "Point sur les premiers mois.".into(),
        })
        .unwrap();
    let compta = claire
        .store
        .create_workshop(&WorkshopDraft {
            held_on: today,
            theme: "Tenir sa comptabilité".into(),
            place: "Fruges, salle des fêtes".into(),
            capacity: 8,
        })
        .unwrap();
    claire.store.register(compta.id, a.holders[0].id).unwrap();
    claire
        .store
        .set_present(compta.id, a.holders[0].id, true)
        .unwrap();

    // Nadia, later, edits Jeanne's card too (hers is the later card), adds a mentor she
    // pairs with the second dossier and then ends, and a workshop of next month.
    std::thread::sleep(std::time::Duration::from_millis(5));
    nadia
        .store
        .save_mentor(Some(jeanne), &form("Jeanne Leroy", "Boulangère-pâtissière"))
        .unwrap();
    let marc = nadia
        .store
        .save_mentor(None, &form("Marc Vasseur", "Expert-comptable"))
        .unwrap()
        .id;
    let d = nadia
        .store
        .add_pairing(b.id, marc, today - Duration::days(100), None)
        .unwrap();
    let marcs = d.pairings.iter().find(|p| p.mentor_id == marc).unwrap().id;
    nadia
        .store
        .add_meeting(&MeetingDraft {
            pairing_id: marcs,
            met_on: today - Duration::days(90),
            note: String::new(),
        })
        .unwrap();
    nadia.store.end_pairing(marcs, today).unwrap();
    let clients = nadia
        .store
        .create_workshop(&WorkshopDraft {
            held_on: today + Duration::days(30),
            theme: "Trouver ses premiers clients".into(),
            place: "Hesdin".into(),
            capacity: 2,
        })
        .unwrap();
    nadia.store.register(clients.id, b.holders[0].id).unwrap();

    for _ in 0..2 {
        claire.sync().unwrap();
        nadia.sync().unwrap();
    }
    assert_eq!(claire.store.sync_status().unwrap().refused_changes, 0);
    assert_eq!(nadia.store.sync_status().unwrap().refused_changes, 0);

    // The later card wins on both laptops; each sees the other's records.
    let mine = mentoring_view(&claire.store);
    assert_eq!(mine, mentoring_view(&nadia.store));
    let mentors = claire.store.mentors().unwrap();
    let card = |id: Uuid| mentors.iter().find(|m| m.mentor.id == id).unwrap();
    assert_eq!(card(jeanne).mentor.trade, "Boulangère-pâtissière");
    assert_eq!(card(jeanne).pairings.len(), 1);
    assert_eq!(card(marc).pairings[0].end_on, Some(today));
    assert_eq!(card(marc).pairings[0].meetings, 1);
    let dossier = nadia.store.get_dossier(a.id).unwrap();
    let paired = dossier.pairings.iter().find(|p| p.id == pairing).unwrap();
    assert_eq!(paired.mentor_name, "Jeanne Leroy");
    assert_eq!(paired.meetings[0].note, "Point sur les premiers mois.");
    assert!(dossier
        .workshops
        .iter()
        .any(|w| w.workshop_id == compta.id && w.present));
    let view = nadia.store.workshop(compta.id).unwrap();
    assert_eq!((view.workshop.registered, view.workshop.present), (1, 1));
    assert_eq!(
        claire
            .store
            .workshop(clients.id)
            .unwrap()
            .workshop
            .registered,
        1
    );

    // Both hold what the head office itself holds, every record, nothing left out.
    let truth = office
        .office
        .platform_state("TA7V", mentoring_view)
        .unwrap();
    assert_eq!(truth, mine);
    let state = office.office.platform_state("TA7V", platform_view).unwrap();
    assert_eq!(state, platform_view(&claire.store));
    assert_eq!(state, platform_view(&nadia.store));
}

/// A forged pairing of `dossier` with `mentor` from `start_on`, its own first version.
fn pairing(
    forged: &mut Forged,
    dossier: Uuid,
    mentor: Uuid,
    start_on: chrono::NaiveDate,
) -> Change {
    let mut change = forged.create("pairing", dossier, Value::Null);
    change.value = Some(json!({
        "pairing_id": change.entity_id, "mentor_id": mentor, "start_on": start_on, "end_on": null
    }));
    change
}

/// A forged creation of a platform's record (no dossier).
fn of_platform(forged: &mut Forged, entity: &str, value: Value) -> Change {
    let mut change = forged.create(entity, Uuid::nil(), value);
    change.dossier_id = None;
    change
}

#[test]
fn mentoring_naming_another_platform_or_breaking_the_rules_is_refused_alone() {
    let office = HeadOfficeServer::start();
    let (mut claire, nadia, a, b, jeanne) = shared(&office);
    let today = claire.store.clock().today();
    let compta = claire
        .store
        .create_workshop(&WorkshopDraft {
            held_on: today,
            theme: "Tenir sa comptabilité".into(),
            place: "Fruges".into(),
            capacity: 8,
        })
        .unwrap();
    claire.sync().unwrap();

    // Paul, of another platform, has his own mentor, workshop and dossier.
    let mut paul = office.laptop("paul");
    let elsewhere = paul.create("Lefebvre");
    let pauls_mentor = paul
        .store
        .save_mentor(None, &form("Pierre Caron", "Menuisier"))
        .unwrap()
        .id;
    let pauls_workshop = paul
        .store
        .create_workshop(&WorkshopDraft {
            held_on: today,
            theme: "Se lancer".into(),
            place: "Saint-Omer".into(),
            capacity: 10,
        })
        .unwrap()
        .id;
    paul.sync().unwrap();

    let not_financed = at_status(&claire, DossierStatus::Instruction)
        .into_iter()
        .next()
        .expect("the demo has dossiers in progress");
    let registration = |workshop: Uuid, holder: Uuid| json!({ "workshop_id": workshop, "holder_id": holder, "present": false });
    let card = |mentor_id: Uuid, commune: &str| {
        json!({
            "mentor_id": mentor_id, "name": "Anne Roussel", "trade": "Fleuriste",
            "commune_insee": commune, "availability": "", "active": true
        })
    };

    // Nadia's device, of Claire's platform, sends forged changes (nothing pushed before):
    // each with whether it applies.
    let mut forged = Forged::on(&nadia);
    let mut changes: Vec<(Change, bool)> = Vec::new();
    // 0: a valid pairing of a financed dossier with Claire's mentor.
    let change = pairing(&mut forged, a.id, jeanne, today);
    let valid_pairing = change.entity_id;
    changes.push((change, true));
    // 1: a pairing of Claire's dossier with Paul's mentor.
    changes.push((pairing(&mut forged, a.id, pauls_mentor, today), false));
    // 2: a registration of Claire's holder to Paul's workshop.
    let change = forged.create(
        "workshop_registration",
        a.id,
        registration(pauls_workshop, a.holders[0].id),
    );
    changes.push((change, false));
    // 3: a new card of Paul's mentor.
    let change = of_platform(&mut forged, "mentor", card(pauls_mentor, "62447"));
    changes.push((change, false));
    // 4: a registration of the second dossier's holder under the first dossier.
    let change = forged.create(
        "workshop_registration",
        a.id,
        registration(compta.id, b.holders[0].id),
    );
    changes.push((change, false));
    // 5: a pairing of a dossier still in progress.
    changes.push((pairing(&mut forged, not_financed.id, jeanne, today), false));
    // 6: a workshop of no seat.
    let change = of_platform(
        &mut forged,
        "workshop",
        json!({ "held_on": today, "theme": "Vendre", "place": "Hesdin", "capacity": 0 }),
    );
    changes.push((change, false));
    // 7: a mentor of an unknown commune, its own first card.
    let mut change = of_platform(&mut forged, "mentor", Value::Null);
    change.value = Some(card(change.entity_id, "00000"));
    changes.push((change, false));
    // 8: a pairing of Paul's dossier with Claire's mentor.
    changes.push((pairing(&mut forged, elsewhere.id, jeanne, today), false));
    // 9: a meeting of a pairing that is no record.
    let change = forged.create(
        "mentor_meeting",
        a.id,
        json!({ "pairing_id": Uuid::now_v7(), "met_on": today, "note": "" }),
    );
    changes.push((change, false));
    // 10: a meeting of the valid pairing under the second dossier.
    let change = forged.create(
        "mentor_meeting",
        b.id,
        json!({ "pairing_id": valid_pairing, "met_on": today, "note": "" }),
    );
    changes.push((change, false));
    // 11: a meeting of the valid pairing whose note hides a right-to-left override.
    let change = forged.create(
        "mentor_meeting",
        a.id,
        json!({ "pairing_id": valid_pairing, "met_on": today, "note": "Bilan \u{202e}positif" }),
    );
    changes.push((change, false));
    // And valid ones among them: a mentor, a meeting, a registration.
    let mut change = of_platform(&mut forged, "mentor", Value::Null);
    change.value = Some(card(change.entity_id, "62447"));
    changes.push((change, true));
    let change = forged.create(
        "mentor_meeting",
        a.id,
        json!({ "pairing_id": valid_pairing, "met_on": today, "note": "Première visite." }),
    );
    changes.push((change, true));
    let change = forged.create(
        "workshop_registration",
        b.id,
        registration(compta.id, b.holders[0].id),
    );
    changes.push((change, true));

    let expected: Vec<Outcome> = changes
        .iter()
        .map(|(_, applies)| {
            if *applies {
                Outcome::Applied
            } else {
                Outcome::Rejected
            }
        })
        .collect();
    let response = nadia
        .push_raw(changes.into_iter().map(|(c, _)| c).collect())
        .unwrap();
    let outcomes: Vec<Outcome> = response.results.iter().map(|r| r.outcome).collect();
    assert_eq!(outcomes, expected, "{:?}", response.results);
    let reason = |i: usize| response.results[i].reason.clone().unwrap_or_default();
    let not_yours = "Le dossier de ce changement est inconnu du siège.";
    let elsewhere_reason =
        "Cet enregistrement n'appartient pas au dossier indiqué par le changement.";
    for i in [1, 2, 3, 8] {
        assert_eq!(reason(i), not_yours, "change {i}");
    }
    for i in [4, 9, 10] {
        assert_eq!(reason(i), elsewhere_reason, "change {i}");
    }
    assert!(reason(5).contains("n'est pas décaissé"), "{}", reason(5));
    assert!(
        reason(6).contains("capacity : La capacité"),
        "{}",
        reason(6)
    );
    assert!(
        reason(7).contains("commune_insee : Commune inconnue"),
        "{}",
        reason(7)
    );
    assert!(reason(11).contains("caractère invisible"), "{}", reason(11));

    // Paul's devices never read Claire's platform's mentors or workshops, and cannot write
    // to them: a registration of his holder to Claire's workshop is refused.
    let forger = office.laptop("paul");
    let response = forger
        .push_raw(vec![Forged::on(&forger).create(
            "workshop_registration",
            elsewhere.id,
            registration(compta.id, elsewhere.holders[0].id),
        )])
        .unwrap();
    assert_eq!(response.results[0].outcome, Outcome::Rejected);
    assert_eq!(response.results[0].reason.as_deref(), Some(not_yours));
    paul.sync().unwrap();
    let names: Vec<String> = paul
        .store
        .mentors()
        .unwrap()
        .into_iter()
        .map(|m| m.mentor.name)
        .collect();
    assert_eq!(names, ["Pierre Caron"]);
    let workshops: Vec<Uuid> = paul
        .store
        .workshops()
        .unwrap()
        .iter()
        .map(|w| w.id)
        .collect();
    assert_eq!(workshops, [pauls_workshop]);

    // Claire's laptop takes the four valid changes and stays whole.
    let before = claire.store.mentors().unwrap().len();
    claire.sync().unwrap();
    assert_eq!(claire.store.mentors().unwrap().len(), before + 1);
    let paired = claire.store.get_dossier(a.id).unwrap();
    let paired = paired
        .pairings
        .iter()
        .find(|p| p.id == valid_pairing)
        .unwrap();
    assert_eq!(paired.mentor_name, "Jeanne Leroy");
    assert_eq!(paired.meetings.len(), 1);
    assert_eq!(
        claire
            .store
            .workshop(compta.id)
            .unwrap()
            .workshop
            .registered,
        1
    );
    let truth = office
        .office
        .platform_state("TA7V", mentoring_view)
        .unwrap();
    assert_eq!(truth, mentoring_view(&claire.store));
    let state = office.office.platform_state("TA7V", platform_view).unwrap();
    assert_eq!(state, platform_view(&claire.store));
}
