//! The demo platform's mentoring and workshops: a directory of volunteer mentors (one no
//! longer active), pairings of some financed businesses with a few meetings each (the older
//! ones ended after a year), and workshops of the past months with their lists and who came,
//! and two to come. Drawn from its own generator (seeded from the demo's seed), so that the
//! rest of the demo data is the same with or without it.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::store::{DossierQuery, Store};
use permanence_domain::checkpoint::FINANCED;
use permanence_domain::error::Result;
use permanence_domain::mentoring::{MeetingDraft, MentorForm};
use permanence_domain::workshop::WorkshopDraft;

/// Name, trade, commune, availability.
const MENTORS: &[(&str, &str, &str, &str)] = &[
    (
        "Jean-Pierre Delattre",
        "Ancien boulanger-pâtissier",
        "Hesdin-la-Forêt",
        "Le mardi et le jeudi après-midi",
    ),
    (
        "Martine Lefrançois",
        "Expert-comptable retraitée",
        "Saint-Pol-sur-Ternoise",
        "Le lundi, sur rendez-vous",
    ),
    (
        "Gérard Vasseur",
        "Ancien artisan menuisier",
        "Fruges",
        "En semaine, plutôt le matin",
    ),
    (
        "Sylvie Caron",
        "Directrice d'agence bancaire",
        "Bapaume",
        "Le vendredi",
    ),
    (
        "Bernard Dufour",
        "Ancien gérant de supérette",
        "Auxi-le-Château",
        "Le mercredi",
    ),
    (
        "Odile Marchand",
        "Consultante en commerce",
        "Hesdin-la-Forêt",
        "Le samedi matin",
    ),
];

/// What a meeting's note says, in turn.
const MEETING_NOTES: &[&str] = &[
    "Premier contact : présentation du parcours et des attentes.",
    "Point sur la trésorerie des premiers mois.",
    "Relecture des devis fournisseurs et des prix de vente.",
    "Préparation du rendez-vous avec la banque.",
    "Bilan du premier trimestre, fréquentation en hausse.",
    "Conseils sur la communication locale (marché, réseaux).",
];

/// Theme, place, seats.
const WORKSHOPS: &[(&str, &str, i64)] = &[
    (
        "Tenir sa comptabilité au quotidien",
        "Siège de la plateforme, Saint-Pol-sur-Ternoise",
        12,
    ),
    (
        "Trouver ses premiers clients",
        "Mairie de Hesdin-la-Forêt, salle du conseil",
        10,
    ),
    (
        "Bien se rémunérer : statut et charges",
        "Maison des services, Fruges",
        8,
    ),
    (
        "Recruter son premier salarié",
        "Maison des entreprises, Bapaume",
        10,
    ),
    (
        "Vendre en ligne quand on est commerçant",
        "Espace France Services, Auxi-le-Château",
        15,
    ),
];

fn at(day: NaiveDate, hour: u32) -> DateTime<Utc> {
    day.and_hms_opt(hour, 0, 0).unwrap_or_default().and_utc()
}

/// Adds the demo's mentors, pairings and workshops to `store`, as of `today`.
pub(super) fn fill(store: &mut Store, seed: u64, today: NaiveDate) -> Result<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5041_5252_4149_4e53);
    let listed = store
        .list_dossiers(&DossierQuery {
            limit: Some(i64::MAX),
            sort: Some(crate::store::DossierSort::OpenedDesc),
            ..Default::default()
        })?
        .items;
    if listed.is_empty() {
        return Ok(());
    }

    // The directory, a year back; the last mentor stopped a few months ago.
    let joined = today - Duration::days(400);
    let mut mentors = Vec::with_capacity(MENTORS.len());
    for (name, trade, town, availability) in MENTORS {
        let form = MentorForm {
            name: (*name).into(),
            trade: (*trade).into(),
            commune_insee: super::commune_insee(town)?.into(),
            availability: (*availability).into(),
            active: true,
        };
        let mentor = store.save_mentor_at(None, &form, at(joined, 9))?;
        mentors.push((mentor.id, form));
    }
    if let Some((id, form)) = mentors.last() {
        let resting = MentorForm {
            active: false,
            ..form.clone()
        };
        store.save_mentor_at(Some(*id), &resting, at(today - Duration::days(90), 9))?;
    }
    let active: Vec<_> = mentors[..mentors.len() - 1]
        .iter()
        .map(|(id, _)| *id)
        .collect();

    // About two financed businesses in three have a mentor, from a few weeks after their
    // loan was paid out; meetings every six to ten weeks; a year of it at most.
    let financed: Vec<_> = listed
        .iter()
        .filter(|d| FINANCED.contains(&d.status))
        .take(12)
        .map(|d| d.id)
        .collect();
    for (n, dossier_id) in financed.into_iter().enumerate() {
        if n % 3 == 2 {
            continue;
        }
        let dossier = store.get_dossier(dossier_id)?;
        let Some(paid) = dossier.first_disbursement() else {
            continue;
        };
        let start = paid + Duration::days(rng.random_range(15..45));
        if start > today {
            continue;
        }
        let mentor = *active.choose(&mut rng).unwrap_or(&mentors[0].0);
        let dossier = store.add_pairing_at(dossier_id, mentor, start, None, at(start, 10))?;
        let Some(pairing) = dossier.pairings.iter().find(|p| p.mentor_id == mentor) else {
            continue;
        };
        let pairing = pairing.id;
        let until = (start + Duration::days(365)).min(today);
        let mut met = start + Duration::days(rng.random_range(3..15));
        let mut notes = MEETING_NOTES.iter().cycle();
        while met <= until {
            let note = notes.next().copied().unwrap_or_default();
            store.add_meeting_at(
                &MeetingDraft {
                    pairing_id: pairing,
                    met_on: met,
                    note: note.into(),
                },
                at(met, 14),
            )?;
            met += Duration::days(rng.random_range(42..70));
        }
        if start + Duration::days(365) <= today {
            store.end_pairing_at(pairing, start + Duration::days(365), at(until, 16))?;
        }
    }

    // Workshops: one every two months over the last ten, and two to come; holders of the
    // platform's dossiers registered, four in five of them present at the past ones.
    let mut holders: Vec<_> = listed.iter().take(60).map(|d| d.id).collect();
    holders.shuffle(&mut rng);
    let mut holders = holders.into_iter().cycle();
    let days: Vec<i64> = vec![-300, -240, -180, -120, -60, -10, 20, 45];
    for (i, offset) in days.into_iter().enumerate() {
        let (theme, place, capacity) = WORKSHOPS[i % WORKSHOPS.len()];
        let held_on = today + Duration::days(offset);
        let planned = (held_on - Duration::days(30)).min(today);
        let workshop = store.create_workshop_at(
            &WorkshopDraft {
                held_on,
                theme: theme.into(),
                place: place.into(),
                capacity,
            },
            at(planned, 9),
        )?;
        let seats = rng.random_range(3..=capacity.min(8)) as usize;
        for _ in 0..seats {
            let Some(dossier_id) = holders.next() else {
                break;
            };
            let dossier = store.get_dossier(dossier_id)?;
            let Some(holder) = dossier.holders.first() else {
                continue;
            };
            let past = held_on <= today;
            let present = past && rng.random_bool(0.8);
            let when = if present {
                at(held_on, 18)
            } else {
                at(planned, 11)
            };
            // The same holder drawn twice for one workshop is registered once.
            match store.register_at(workshop.id, holder.id, present, when) {
                Ok(_) | Err(permanence_domain::Error::Invalid(_)) => {}
                Err(other) => return Err(other),
            }
        }
    }
    Ok(())
}
