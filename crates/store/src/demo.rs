//! Demo data: realistic dossiers of the Pas-de-Calais for trying the app and for benchmarks:
//! outreach sessions, holders, businesses, balanced or unbalanced financing plans, forecasts,
//! documents, notes and committee dates, on the platform's territory.
//!
//! Deterministic: the same seed and reference date give the same dossiers, ids included
//! (UUIDv7 built from the seeded generator and the dossier's own date). Everything goes
//! through the store's public, validating API.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};
use uuid::Uuid;

mod figures_2016;
mod mentoring;

pub use figures_2016::fill_2016;

use crate::store::{CommitteeDraft, SessionDraft, Store};
use permanence_domain::checkpoint::{CheckpointDraft, CHECKPOINT_MONTHS};
use permanence_domain::codes::{
    BusinessState, Civility, CommitteeKind, DocumentKind, DossierStatus, FinancingCategory,
    LegalForm, MovementKind, Premises, ProjectType, Sector, Situation,
};
use permanence_domain::dossier::{Dossier, DossierDraft, HolderDraft};
use permanence_domain::error::{Error, Result};
use permanence_domain::field::{Entity, FieldEdit};
use permanence_domain::ledger::{LoanAgreement, MovementDraft};
use permanence_domain::loan::instalments;
use permanence_domain::phone::Phone;
use permanence_domain::reference;
use permanence_domain::settings::PlatformSettings;

const WOMEN: &[&str] = &[
    "Anne",
    "Camille",
    "Chloé",
    "Élodie",
    "Émilie",
    "Julie",
    "Léa",
    "Manon",
    "Marie",
    "Nathalie",
    "Pauline",
    "Sandrine",
    "Sophie",
    "Céline",
    "Aurélie",
    "Laëtitia",
    "Inès",
    "Maëlys",
];
const MEN: &[&str] = &[
    "Antoine",
    "Benoît",
    "Cédric",
    "Damien",
    "François",
    "Grégory",
    "Jérôme",
    "Julien",
    "Kévin",
    "Ludovic",
    "Mathieu",
    "Nicolas",
    "Olivier",
    "Stéphane",
    "Thomas",
    "Yannick",
    "Mehdi",
    "Loïc",
];
const LAST_NAMES: &[&str] = &[
    "Lefèvre",
    "Lefebvre",
    "Dupont",
    "Delattre",
    "Leroy",
    "Caron",
    "Dubois",
    "Lemaire",
    "Vasseur",
    "Deprez",
    "Delcourt",
    "Duhamel",
    "Wattel",
    "Dewailly",
    "Fournier",
    "Bécourt",
    "Hochart",
    "Lecoutre",
    "Boulanger",
    "Poulain",
    "Carpentier",
    "Ducrocq",
    "Lagache",
    "Mercier",
    "Benali",
    "Thérouanne",
    "Legrand",
    "Fauquembergue",
    "Crépin",
    "Outrebon",
];
/// Communes of the Ternois, the Artois and the Seven Valleys (Pas-de-Calais).
const COMMUNES: &[&str] = &[
    "Hesdin-la-Forêt",
    "Fruges",
    "Saint-Pol-sur-Ternoise",
    "Bapaume",
    "Auxi-le-Château",
    "Frévent",
    "Avesnes-le-Comte",
    "Aubigny-en-Artois",
    "Heuchin",
    "Anvin",
    "Pernes",
    "Le Parcq",
    "Sains-lès-Fressin",
    "Vieil-Hesdin",
    "Campagne-lès-Hesdin",
    "Beaurainville",
    "Fressin",
    "Hucqueliers",
    "Croisilles",
    "Achiet-le-Grand",
    "Bertincourt",
    "Pas-en-Artois",
];
/// Where the platform holds its sessions.
const SESSION_TOWNS: &[(&str, &str)] = &[
    ("Hesdin-la-Forêt", "Mairie, salle du conseil"),
    ("Fruges", "Maison des services, 1er étage"),
    (
        "Saint-Pol-sur-Ternoise",
        "Communauté de communes du Ternois",
    ),
    ("Bapaume", "Hôtel de ville, bureau 3"),
    ("Auxi-le-Château", "Espace France Services"),
];
const ADVISORS: &[&str] = &["Claire Dumont", "Thierry Leclercq", "Nadia Haddou"];
const HEARD: &[&str] = &[
    "Conseillère France Travail",
    "Bouche-à-oreille",
    "Réunion d'information à la CCI",
    "Sa banque",
    "Article dans La Voix du Nord",
    "Site internet",
];

struct Idea {
    idea: &'static str,
    business: &'static str,
    project_type: ProjectType,
    sector: Sector,
    naf: &'static str,
    /// Typical total needs, in euros.
    needs: i64,
}

const IDEAS: &[Idea] = &[
    Idea {
        idea: "Reprise d'une boulangerie-pâtisserie en centre-bourg",
        business: "Boulangerie",
        project_type: ProjectType::Reprise,
        sector: Sector::Artisanat,
        naf: "10.71C",
        needs: 120_000,
    },
    Idea {
        idea: "Création d'un salon de coiffure mixte",
        business: "Salon de coiffure",
        project_type: ProjectType::Creation,
        sector: Sector::Artisanat,
        naf: "96.02A",
        needs: 35_000,
    },
    Idea {
        idea: "Food-truck de produits locaux sur les marchés",
        business: "Food-truck",
        project_type: ProjectType::Creation,
        sector: Sector::HotellerieRestauration,
        naf: "56.10C",
        needs: 45_000,
    },
    Idea {
        idea: "Reprise d'un bar-tabac-presse",
        business: "Bar-tabac",
        project_type: ProjectType::Reprise,
        sector: Sector::Commerce,
        naf: "47.26Z",
        needs: 150_000,
    },
    Idea {
        idea: "Entreprise de plomberie-chauffage et pompes à chaleur",
        business: "Plomberie",
        project_type: ProjectType::Creation,
        sector: Sector::Btp,
        naf: "43.22A",
        needs: 40_000,
    },
    Idea {
        idea: "Atelier de menuiserie et agencement sur mesure",
        business: "Menuiserie",
        project_type: ProjectType::Creation,
        sector: Sector::Artisanat,
        naf: "16.23Z",
        needs: 60_000,
    },
    Idea {
        idea: "Épicerie vrac et circuits courts",
        business: "Épicerie",
        project_type: ProjectType::Creation,
        sector: Sector::Commerce,
        naf: "47.11B",
        needs: 55_000,
    },
    Idea {
        idea: "Garage automobile : reprise et atelier de carrosserie",
        business: "Garage",
        project_type: ProjectType::Reprise,
        sector: Sector::Services,
        naf: "45.20A",
        needs: 130_000,
    },
    Idea {
        idea: "Institut de beauté et soins esthétiques",
        business: "Institut de beauté",
        project_type: ProjectType::Creation,
        sector: Sector::Services,
        naf: "96.02B",
        needs: 30_000,
    },
    Idea {
        idea: "Gîtes ruraux dans la vallée de la Canche",
        business: "Gîtes de la Canche",
        project_type: ProjectType::Creation,
        sector: Sector::HotellerieRestauration,
        naf: "55.20Z",
        needs: 90_000,
    },
    Idea {
        idea: "Électricité générale du bâtiment",
        business: "Électricité",
        project_type: ProjectType::Creation,
        sector: Sector::Btp,
        naf: "43.21A",
        needs: 25_000,
    },
    Idea {
        idea: "Boucherie-charcuterie-traiteur",
        business: "Boucherie",
        project_type: ProjectType::Reprise,
        sector: Sector::Artisanat,
        naf: "47.22Z",
        needs: 140_000,
    },
    Idea {
        idea: "Aide à domicile et services à la personne",
        business: "Services à domicile",
        project_type: ProjectType::Creation,
        sector: Sector::Services,
        naf: "88.10A",
        needs: 20_000,
    },
    Idea {
        idea: "Extension d'une ferme pédagogique et vente directe",
        business: "Ferme pédagogique",
        project_type: ProjectType::Croissance,
        sector: Sector::Agriculture,
        naf: "01.50Z",
        needs: 70_000,
    },
    Idea {
        idea: "Deuxième camion de la pizzeria ambulante",
        business: "Pizzeria ambulante",
        project_type: ProjectType::Croissance,
        sector: Sector::HotellerieRestauration,
        naf: "56.10C",
        needs: 50_000,
    },
    Idea {
        idea: "Reprise d'un restaurant traditionnel",
        business: "Restaurant",
        project_type: ProjectType::Reprise,
        sector: Sector::HotellerieRestauration,
        naf: "56.10A",
        needs: 160_000,
    },
    Idea {
        idea: "Paysagiste : création et entretien de jardins",
        business: "Jardins",
        project_type: ProjectType::Creation,
        sector: Sector::Services,
        naf: "81.30Z",
        needs: 45_000,
    },
    Idea {
        idea: "Fleuriste et décoration événementielle",
        business: "Fleurs",
        project_type: ProjectType::Creation,
        sector: Sector::Commerce,
        naf: "47.76Z",
        needs: 38_000,
    },
    Idea {
        idea: "Microbrasserie artisanale",
        business: "Brasserie",
        project_type: ProjectType::Creation,
        sector: Sector::Industrie,
        naf: "11.05Z",
        needs: 110_000,
    },
];
const STATUSES: &[(DossierStatus, u32)] = &[
    (DossierStatus::PremierContact, 25),
    (DossierStatus::Instruction, 30),
    (DossierStatus::PretPourComite, 10),
    (DossierStatus::PasseEnComite, 5),
    (DossierStatus::Accorde, 10),
    (DossierStatus::Ajourne, 3),
    (DossierStatus::Decaisse, 7),
    (DossierStatus::EnRemboursement, 5),
    (DossierStatus::Abandonne, 5),
];

fn commune_insee(name: &str) -> Result<&'static str> {
    reference::communes()
        .iter()
        .find(|c| c.department == "62" && c.is_current() && c.name == name)
        .map(|c| c.insee)
        .ok_or_else(|| Error::Internal(format!("demo commune {name} not in the reference data")))
}

/// The platform's demo settings: its advisor, and its territory made of the
/// intercommunalities of the demo communes.
pub fn settings() -> Result<PlatformSettings> {
    let mut settings = PlatformSettings {
        advisor: ADVISORS[0].into(),
        ..PlatformSettings::default()
    };
    let mut territory: Vec<String> = Vec::new();
    for name in COMMUNES {
        let commune = reference::commune(commune_insee(name)?)
            .ok_or_else(|| Error::Internal(format!("no commune {name}")))?;
        match commune.epci() {
            Some(epci) => territory.extend(epci.communes.iter().map(|c| c.to_string())),
            None => territory.push(commune.insee.to_string()),
        }
    }
    territory.sort();
    territory.dedup();
    settings.territory = territory;
    Ok(settings)
}

/// Fills `store` with `count` dossiers opened during the 18 months before `today`. The
/// platform's settings are set to the demo ones when none were saved yet.
pub fn fill(store: &mut Store, count: usize, seed: u64, today: NaiveDate) -> Result<()> {
    fill_as(store, count, seed, today, Richness::Varied)
}

/// How much of each demo dossier is filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Richness {
    /// As a platform's dossiers are: some just opened, some financed, zero to two notes.
    Varied,
    /// Every dossier as the richest: every section (financed when its committee has met),
    /// three notes of a few hundred characters. For benchmarks.
    Complete,
}

/// `fill` with the richness chosen.
pub fn fill_as(
    store: &mut Store,
    count: usize,
    seed: u64,
    today: NaiveDate,
    richness: Richness,
) -> Result<()> {
    fill_with(store, count, seed, today, richness, None)
}

/// Fills `store` with `count` dossiers opened from the 1st of January of `since` to
/// `today`: a platform's history. Dossiers opened more than 18 months ago have gone through
/// the pipeline (financed and repaying, or abandoned, or postponed for good); financed
/// businesses have their loans repaid up to today (a few late) and their 12, 24 and
/// 36-month checkpoints, a few having ceased.
pub fn fill_since(
    store: &mut Store,
    count: usize,
    seed: u64,
    today: NaiveDate,
    since: i32,
) -> Result<()> {
    let from = NaiveDate::from_ymd_opt(since, 1, 1)
        .filter(|from| *from < today)
        .ok_or_else(|| Error::field("since", format!("L'année {since} n'est pas passée.")))?;
    fill_with(store, count, seed, today, Richness::Varied, Some(from))
}

fn fill_with(
    store: &mut Store,
    count: usize,
    seed: u64,
    today: NaiveDate,
    richness: Richness,
    since: Option<NaiveDate>,
) -> Result<()> {
    // Demo data is made again at will: its thousands of small commits wait for no disk sync
    // (one each would make 50,000 dossiers take an hour). The store is durable again after.
    store.set_durable(false)?;
    let filled = fill_all(store, count, seed, today, richness, since);
    store.set_durable(true)?;
    filled
}

/// How long before today a demo dossier may still be on its way through the pipeline.
const RECENT_DAYS: i64 = 548;

/// The statuses of dossiers opened long ago, by weight: the pipeline is behind them.
const PAST_STATUSES: &[(DossierStatus, u32)] = &[
    (DossierStatus::EnRemboursement, 30),
    (DossierStatus::Decaisse, 15),
    (DossierStatus::Ajourne, 15),
    (DossierStatus::Abandonne, 40),
];

fn fill_all(
    store: &mut Store,
    count: usize,
    seed: u64,
    today: NaiveDate,
    richness: Richness,
    since: Option<NaiveDate>,
) -> Result<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // The demo platform's settings, unless a head office holds this laptop's (they arrive
    // with the sync and are read-only here).
    if store.settings().territory.is_empty() && store.sync_status()?.server_url.is_none() {
        store.save_settings(settings()?)?;
    }
    let end: DateTime<Utc> = today.and_hms_opt(9, 0, 0).unwrap_or_default().and_utc();

    // Sessions every other week or so, in turn in each town.
    let session_count = (count / 5).clamp(1, 40);
    let mut sessions = Vec::with_capacity(session_count);
    for i in 0..session_count {
        let (town, place) = SESSION_TOWNS[i % SESSION_TOWNS.len()];
        let held_on = today - Duration::days((session_count - i) as i64 * 14 + 3);
        let session = store.create_session_at(
            &SessionDraft {
                commune_insee: commune_insee(town)?.into(),
                place: place.into(),
                held_on: held_on.to_string(),
                advisor: ADVISORS[i % ADVISORS.len()].into(),
            },
            // Planned a week before.
            (held_on - Duration::days(7))
                .and_hms_opt(9, 0, 0)
                .unwrap_or_default()
                .and_utc(),
        )?;
        sessions.push(session);
    }

    // Dates are drawn first and sorted so provisional numbers follow the opening order.
    let span_minutes = since.map_or(RECENT_DAYS, |from| (today - from).num_days().max(1)) * 24 * 60;
    let recent = end - Duration::days(RECENT_DAYS);
    let mut openings: Vec<(DateTime<Utc>, Option<Uuid>)> = (0..count)
        .map(|_| {
            // A history's old dossiers were opened before today's sessions were planned.
            if since.is_some() {
                let at = end - Duration::minutes(rng.random_range(0..span_minutes));
                if at < recent {
                    return (at, None);
                }
            }
            if rng.random_bool(0.5) {
                let s = sessions.choose(&mut rng).expect("at least one session");
                let at = s
                    .held_on
                    .and_hms_opt(9, 30, 0)
                    .unwrap_or_default()
                    .and_utc()
                    + Duration::minutes(rng.random_range(0..360));
                (at, Some(s.id))
            } else {
                (
                    end - Duration::minutes(rng.random_range(0..RECENT_DAYS * 24 * 60)),
                    None,
                )
            }
        })
        .collect();
    openings.sort();
    let mut agendas: BTreeMap<NaiveDate, Vec<Uuid>> = BTreeMap::new();
    for (opened, session_id) in openings {
        let idea = IDEAS.choose(&mut rng).expect("ideas");
        let mut draft = draft(&mut rng, idea)?;
        draft.session_id = session_id;
        let valid = draft.parse()?;
        let id = seeded_uuid_v7(&mut rng, opened);
        let holder_ids: Vec<Uuid> = valid
            .holders
            .iter()
            .map(|_| seeded_uuid_v7(&mut rng, opened))
            .collect();
        let mut status = match richness {
            Richness::Varied if opened < recent => weighted(&mut rng, PAST_STATUSES),
            Richness::Varied => weighted(&mut rng, STATUSES),
            Richness::Complete => DossierStatus::Decaisse,
        };
        // A dossier can only have been through a committee that has already met.
        let after_committee = !matches!(
            status,
            DossierStatus::PremierContact
                | DossierStatus::Instruction
                | DossierStatus::PretPourComite
                | DossierStatus::Abandonne
        );
        if after_committee && committee_after(opened.date_naive()) > today {
            status = DossierStatus::PretPourComite;
        }
        let dossier = store.insert_dossier(&valid, id, &holder_ids, status, opened)?;
        // Worked on during the weeks after opening, never after today.
        let worked = (opened + Duration::days(rng.random_range(0..60))).min(end);
        let committee = committee_of(dossier.opened_on, status, today);
        complete(
            store, &mut rng, &dossier, idea, status, today, committee, worked, richness,
        )?;
        if let Some(day) = committee {
            agendas.entry(day).or_default().push(dossier.id);
        }
    }
    // The next committee is planned even when no dossier is ready for it yet.
    agendas.entry(next_committee(today)).or_default();
    plan_committees(store, &agendas, end)?;
    mentoring::fill(store, seed, today)?;
    Ok(())
}

/// The committee a dossier goes to: none before it is ready; the first one six weeks after
/// its opening once it went through a committee; the next one to meet while it is ready.
fn committee_of(opened: NaiveDate, status: DossierStatus, today: NaiveDate) -> Option<NaiveDate> {
    match status {
        DossierStatus::PremierContact | DossierStatus::Instruction | DossierStatus::Abandonne => {
            None
        }
        DossierStatus::PretPourComite => Some(committee_after(opened).max(next_committee(today))),
        _ => Some(committee_after(opened)),
    }
}

/// Where the demo platform's committees meet, in turn.
const COMMITTEE_PLACES: &[&str] = &[
    "Siège de la plateforme, Saint-Pol-sur-Ternoise",
    "Salle du conseil communautaire, Hesdin-la-Forêt",
    "Maison des entreprises, Bapaume",
];

/// Creates the committees of the demo dossiers (those already in the store are kept) and
/// puts each dossier on its committee's agenda, in the order the dossiers were opened.
fn plan_committees(
    store: &mut Store,
    agendas: &BTreeMap<NaiveDate, Vec<Uuid>>,
    end: DateTime<Utc>,
) -> Result<()> {
    for (&day, dossiers) in agendas {
        let committee = match store.committee_on(day) {
            Ok(committee) => committee,
            Err(Error::NotFound { .. }) => store.create_committee_at(
                &CommitteeDraft {
                    held_on: day.to_string(),
                    kind: Some(CommitteeKind::Agrement),
                    place: COMMITTEE_PLACES[day.month0() as usize % COMMITTEE_PLACES.len()].into(),
                },
                // Planned a month before it meets.
                (day - Duration::days(30))
                    .and_hms_opt(9, 0, 0)
                    .unwrap_or_default()
                    .and_utc()
                    .min(end),
            )?,
            Err(other) => return Err(other),
        };
        if dossiers.is_empty() {
            continue;
        }
        // The agenda is drawn up ten days before the meeting.
        let drawn_up = (day - Duration::days(10))
            .and_hms_opt(9, 0, 0)
            .unwrap_or_default()
            .and_utc()
            .min(end);
        store.add_to_agenda_at(committee.id, dossiers, drawn_up)?;
    }
    Ok(())
}

/// Fills the dossier's sections as far as its status implies.
#[allow(clippy::too_many_arguments)]
fn complete(
    store: &mut Store,
    rng: &mut ChaCha8Rng,
    dossier: &Dossier,
    idea: &Idea,
    status: DossierStatus,
    today: NaiveDate,
    committee: Option<NaiveDate>,
    at: DateTime<Utc>,
    richness: Richness,
) -> Result<()> {
    let advanced = !matches!(
        status,
        DossierStatus::PremierContact | DossierStatus::Abandonne
    );
    let decided = matches!(
        status,
        DossierStatus::Accorde
            | DossierStatus::Ajourne
            | DossierStatus::Decaisse
            | DossierStatus::EnRemboursement
    );
    let ready = !matches!(
        status,
        DossierStatus::PremierContact | DossierStatus::Instruction | DossierStatus::Abandonne
    );
    let id = dossier.id;
    let main = &dossier.holders[0];
    let mut edits: Vec<FieldEdit> = Vec::new();
    let mut set = |entity: Entity, id: Uuid, field: &str, value: Value| {
        edits.push(FieldEdit {
            entity,
            id,
            field: field.into(),
            value,
        })
    };
    set(Entity::Dossier, id, "advisor", json!(ADVISORS.choose(rng)));
    set(Entity::Dossier, id, "heard_of_us", json!(HEARD.choose(rng)));
    set(
        Entity::Dossier,
        id,
        "privacy_notice_on",
        json!(dossier.opened_on.to_string()),
    );
    set(Entity::Business, id, "activity", json!(idea.idea));
    set(Entity::Business, id, "sector", json!(idea.sector));
    let age = rng.random_range(22..58);
    let birth = dossier.opened_on - Duration::days(age * 365 + rng.random_range(0..365));
    set(
        Entity::Holder,
        main.id,
        "birth_date",
        json!(birth.to_string()),
    );
    let situation = *[
        Situation::DemandeurIndemnise,
        Situation::DemandeurIndemnise,
        Situation::Salarie,
        Situation::DemandeurNonIndemnise,
        Situation::Rsa,
        Situation::Independant,
    ]
    .choose(rng)
    .expect("situations");
    set(Entity::Holder, main.id, "situation", json!(situation));
    set(
        Entity::Holder,
        main.id,
        "experience_years",
        json!(rng.random_range(1..25).to_string()),
    );
    let email_name = deunicode::deunicode(&format!("{}.{}", main.first_name, main.last_name))
        .to_lowercase()
        .replace(' ', "-");
    set(
        Entity::Holder,
        main.id,
        "email",
        json!(format!("{email_name}@exemple.fr")),
    );
    if advanced {
        let name = format!("{} {}", idea.business, main.last_name);
        set(Entity::Business, id, "name", json!(name));
        set(Entity::Business, id, "naf_code", json!(idea.naf));
        let form = *[
            LegalForm::Ei,
            LegalForm::Sarl,
            LegalForm::Sasu,
            LegalForm::Eurl,
        ]
        .choose(rng)
        .expect("forms");
        set(Entity::Business, id, "legal_form", json!(form));
        set(
            Entity::Business,
            id,
            "commune_insee",
            json!(main.commune_insee),
        );
        set(
            Entity::Business,
            id,
            "premises",
            json!(if idea.needs > 50_000 {
                Premises::Bail
            } else {
                Premises::Domicile
            }),
        );
        set(
            Entity::Business,
            id,
            "jobs_created",
            json!(dossier.holders.len().to_string()),
        );
        set(
            Entity::Business,
            id,
            "jobs_year3",
            json!((dossier.holders.len() + rng.random_range(0..3)).to_string()),
        );
        set(
            Entity::Holder,
            main.id,
            "background",
            json!(
                "Dix ans d'expérience comme salarié dans le métier, dont trois comme responsable."
            ),
        );
        set(
            Entity::Holder,
            main.id,
            "motivation",
            json!("Devenir son propre patron et faire vivre un commerce du bourg."),
        );
        set(
            Entity::Holder,
            main.id,
            "capital_share_bp",
            json!(if dossier.holders.len() > 1 {
                "50"
            } else {
                "100"
            }),
        );
        set(
            Entity::Dossier,
            id,
            "loan_scheme",
            json!("Prêt d'honneur Initiative"),
        );
        set(Entity::Dossier, id, "strengths", json!("Expérience solide du métier ; emplacement sans concurrence directe ; apport personnel significatif."));
        set(
            Entity::Dossier,
            id,
            "cautions",
            json!("Saisonnalité du chiffre d'affaires ; premier recrutement à anticiper."),
        );
        set(
            Entity::Dossier,
            id,
            "forecast_assumptions",
            json!("Chiffre d'affaires prudent la première année, progression de 10 % puis 8 %."),
        );
        // Forecast, years 1–3.
        let turnover = idea.needs * rng.random_range(15..30) / 10;
        for year in 1..=3_i64 {
            let t = turnover * (100 + 10 * (year - 1)) / 100;
            let year_fields = [
                ("turnover_cents", t),
                ("gross_margin_cents", t * 55 / 100),
                ("external_costs_cents", t * 15 / 100),
                ("taxes_cents", t * 2 / 100),
                ("wages_cents", t * 12 / 100),
                ("owner_pay_cents", 18_000 + 2_000 * year),
                ("depreciation_cents", idea.needs / 10),
                ("interest_cents", idea.needs / 100),
            ];
            for (field, euros) in year_fields {
                set(
                    Entity::Forecast,
                    id,
                    &format!("{year}.{field}"),
                    json!(euros.to_string()),
                );
            }
        }
        for kind in DocumentKind::ALL {
            let received = ready || rng.random_bool(0.5);
            let status = if received { "recu" } else { "demande" };
            set(
                Entity::Document,
                id,
                &format!("{}.status", kind.as_str()),
                json!(status),
            );
        }
    }
    if let (true, Some(committee)) = (ready, committee) {
        set(
            Entity::Dossier,
            id,
            "committee_date",
            json!(committee.to_string()),
        );
        set(Entity::Dossier, id, "committee_kind", json!("agrement"));
        set(Entity::Dossier, id, "advisor_opinion", json!("Avis favorable : projet cohérent, porteur expérimenté, plan de financement équilibré."));
    }
    if decided {
        set(
            Entity::Dossier,
            id,
            "decision",
            json!(if status == DossierStatus::Ajourne {
                "ajournement"
            } else {
                "accord"
            }),
        );
    }
    store.set_fields_at(&edits, at)?;

    if advanced {
        plan(store, rng, dossier, idea, ready, decided, at)?;
    }
    if let (Richness::Varied, true, Some(committee)) = (
        richness,
        matches!(
            status,
            DossierStatus::Decaisse | DossierStatus::EnRemboursement | DossierStatus::Solde
        ),
        committee,
    ) {
        follow_loan(store, rng, id, committee, today)?;
        // Its own generator, so that the rest of the demo stays the same with or without it.
        let mut own = ChaCha8Rng::seed_from_u64(id.as_u64_pair().1);
        follow_business(store, &mut own, id, today)?;
    }
    match richness {
        Richness::Varied => {
            for n in 0..rng.random_range(0..3) {
                let body = [
                    "Premier entretien : projet mûr, le porteur a déjà repéré un local.",
                    "Rendez-vous bancaire prévu le mois prochain ; devis du matériel reçus.",
                    "Relance pour le justificatif de domicile.",
                ][n % 3];
                store.add_note_at(id, body, None, at)?;
            }
        }
        Richness::Complete => {
            for body in LONG_NOTES {
                store.add_note_at(id, body, None, at)?;
            }
        }
    }
    Ok(())
}

/// The main holder's honour loan after the committee: signed within a month, disbursed a
/// fortnight later, then repaid instalment by instalment up to today, a few days after each
/// due date; about one loan in eight stops being repaid at some point (late instalments),
/// and is written off a year and a half later.
fn follow_loan(
    store: &mut Store,
    rng: &mut ChaCha8Rng,
    dossier_id: Uuid,
    committee: NaiveDate,
    today: NaiveDate,
) -> Result<()> {
    let dossier = store.get_dossier(dossier_id)?;
    let Some(holder) = dossier.holders.first() else {
        return Ok(());
    };
    let Some(amount) = holder.loan_granted_cents else {
        return Ok(());
    };
    let rules = store.settings().loan_rules.clone();
    let months = holder.loan_months.unwrap_or(60).clamp(24, rules.max_months);
    let deferral = holder
        .loan_deferral_months
        .unwrap_or(0)
        .clamp(0, rules.max_deferral_months.min(months - 1));
    let signed = (committee + Duration::days(rng.random_range(7..30))).min(today);
    let at = |day: NaiveDate| day.and_hms_opt(10, 0, 0).unwrap_or_default().and_utc();
    let loan = store.add_loan_at(
        dossier_id,
        &LoanAgreement {
            holder_id: holder.id,
            amount_cents: amount,
            months,
            deferral_months: deferral,
            signed_on: signed,
            reference: dossier.number.clone(),
        },
        at(signed),
    )?;
    let Some(loan) = loan.loans.last().cloned() else {
        return Ok(());
    };
    let paid_out = (signed + Duration::days(rng.random_range(5..20))).min(today);
    let with = |kind, on, amount_cents| MovementDraft {
        loan_id: loan.id,
        kind,
        on,
        amount_cents,
        months: None,
        deferral_months: None,
        note: String::new(),
    };
    let mut movements = vec![(
        with(MovementKind::Disbursement, paid_out, amount),
        at(paid_out),
    )];
    let stops_after = rng
        .random_bool(0.125)
        .then(|| rng.random_range(0..12_usize));
    let schedule = instalments(amount, paid_out, months, deferral);
    for (n, instalment) in schedule.iter().enumerate() {
        let on = instalment.due_on + Duration::days(rng.random_range(0..5));
        if on > today {
            break;
        }
        if stops_after.is_some_and(|stop| n >= stop) {
            // A year and a half of unpaid instalments later, the platform writes it off.
            let written_off = on + Duration::days(548);
            if written_off <= today {
                let mut loss = with(MovementKind::WriteOff, written_off, 0);
                loss.note = "Liquidation judiciaire, créance irrécouvrable.".into();
                movements.push((loss, at(written_off)));
            }
            break;
        }
        movements.push((
            with(MovementKind::Repayment, on, instalment.amount_cents),
            at(on),
        ));
    }
    store.add_loan_movements_at(&movements)
}

/// The business's checkpoints at 12, 24 and 36 months that have fallen due by today, each
/// taken within three weeks of its date: most find it in activity with its staff and a
/// growing turnover; about one in twenty-five finds it has ceased, and follow-up ends there.
fn follow_business(
    store: &mut Store,
    rng: &mut ChaCha8Rng,
    dossier_id: Uuid,
    today: NaiveDate,
) -> Result<()> {
    let dossier = store.get_dossier(dossier_id)?;
    let Some(start) = dossier.activity_start() else {
        return Ok(());
    };
    let staff = dossier.holders.len() as i64 + dossier.business.jobs_created.unwrap_or(0);
    let mut turnover = rng.random_range(60_000..180_000_i64) * 100;
    for month in CHECKPOINT_MONTHS {
        let Some(due) = start.checked_add_months(chrono::Months::new(month as u32)) else {
            break;
        };
        let held_on = due + Duration::days(rng.random_range(0..21));
        if held_on > today {
            break;
        }
        let ceased = rng.random_bool(0.04);
        turnover = turnover * rng.random_range(95..125) / 100;
        store.add_checkpoint(
            dossier_id,
            &CheckpointDraft {
                month,
                held_on,
                state: if ceased {
                    BusinessState::Ceased
                } else {
                    BusinessState::Active
                },
                state_since: ceased.then(|| held_on - Duration::days(rng.random_range(10..90))),
                headcount: if ceased {
                    0
                } else {
                    staff + rng.random_range(0..2)
                },
                turnover_cents: (!ceased).then_some(turnover),
                note: String::new(),
            },
        )?;
        if ceased {
            break;
        }
    }
    Ok(())
}

/// Three notes of a few hundred characters, as an advisor writes after each meeting.
const LONG_NOTES: [&str; 3] = [
    "Premier entretien à la permanence : le projet est mûr, le porteur a déjà repéré un local \
     en centre-bourg, à deux pas de la place du marché. Il connaît le métier depuis dix ans et \
     a fait chiffrer le matériel par deux fournisseurs. Points à creuser avant le comité : le \
     bail (durée, droit d'entrée), la saisonnalité et le premier recrutement.",
    "Rendez-vous bancaire fixé au Crédit Agricole d'Hesdin le mois prochain ; la conseillère \
     attend le prévisionnel signé et l'attestation de l'expert-comptable. Les devis du \
     matériel sont reçus et joints. Le porteur envisage un apport complémentaire de sa famille, \
     à formaliser par écrit avant le comité d'agrément.",
    "Point téléphonique : le justificatif de domicile et l'avis d'imposition manquent encore, \
     relance faite par courriel. Le porteur a suivi l'atelier sur le statut juridique et \
     s'oriente vers une SARL avec son associé. Prochaine étape : relecture du plan de \
     financement ensemble, puis passage en comité si tout est complet.",
];

/// The financing plan: needs, a personal contribution, a bank loan levering the honour loan,
/// balanced to the cent for dossiers that went to committee.
fn plan(
    store: &mut Store,
    rng: &mut ChaCha8Rng,
    dossier: &Dossier,
    idea: &Idea,
    balanced: bool,
    decided: bool,
    at: DateTime<Utc>,
) -> Result<()> {
    let needs_euros = idea.needs * rng.random_range(80..120) / 100 / 100 * 100;
    let needs = [
        (
            FinancingCategory::TangibleAssets,
            "Matériel et agencement",
            needs_euros * 50 / 100,
        ),
        (
            FinancingCategory::IntangibleAssets,
            if idea.project_type == ProjectType::Reprise {
                "Fonds de commerce"
            } else {
                "Logiciels et site internet"
            },
            needs_euros * 25 / 100,
        ),
        (
            FinancingCategory::Stock,
            "Stock de départ",
            needs_euros * 10 / 100,
        ),
        (
            FinancingCategory::SetUpCosts,
            "Frais d'établissement",
            needs_euros * 5 / 100,
        ),
    ];
    let needs_total: i64 = needs.iter().map(|n| n.2).sum::<i64>();
    let working_capital = needs_euros - needs_total;
    let honour = (needs_euros * 12 / 100 / 500 * 500).clamp(1_000, 10_000);
    let personal = needs_euros * 10 / 100;
    let gap = if balanced {
        0
    } else {
        rng.random_range(0..4) * 500
    };
    let bank = needs_euros - honour - personal - gap;

    let mut lines: Vec<(FinancingCategory, &str, i64)> = needs.to_vec();
    lines.push((
        FinancingCategory::WorkingCapital,
        "Trésorerie de démarrage",
        working_capital,
    ));
    lines.push((
        FinancingCategory::PersonalContribution,
        "Épargne personnelle",
        personal,
    ));
    lines.push((FinancingCategory::BankLoan, "Prêt d'équipement", bank));
    for (category, label, euros) in lines {
        let after = store.add_financing_line_at(dossier.id, category, at)?;
        let line = after.financing.last().expect("the line just added").id;
        let mut edits = vec![
            edit(Entity::FinancingLine, line, "label", json!(label)),
            edit(
                Entity::FinancingLine,
                line,
                "amount_cents",
                json!(euros.to_string()),
            ),
        ];
        if category == FinancingCategory::BankLoan {
            let bank_name = *[
                "Crédit Agricole Nord de France",
                "CIC Nord Ouest",
                "Caisse d'Épargne Hauts de France",
                "Banque Populaire du Nord",
            ]
            .choose(rng)
            .expect("banks");
            edits.push(edit(Entity::FinancingLine, line, "bank", json!(bank_name)));
            edits.push(edit(Entity::FinancingLine, line, "months", json!("84")));
            edits.push(edit(Entity::FinancingLine, line, "rate_bp", json!("3,9")));
            edits.push(edit(
                Entity::FinancingLine,
                line,
                "guarantee",
                json!("bpifrance"),
            ));
            edits.push(edit(
                Entity::FinancingLine,
                line,
                "bank_status",
                json!(if decided { "accorde" } else { "demande" }),
            ));
        }
        store.set_fields_at(&edits, at)?;
    }
    let main = dossier.holders[0].id;
    let mut edits = vec![
        edit(
            Entity::Holder,
            main,
            "loan_requested_cents",
            json!(honour.to_string()),
        ),
        edit(Entity::Holder, main, "loan_months", json!("60")),
        edit(
            Entity::Holder,
            main,
            "loan_deferral_months",
            json!(rng.random_range(0..=6).to_string()),
        ),
        edit(
            Entity::Holder,
            main,
            "personal_contribution_cents",
            json!(personal.to_string()),
        ),
    ];
    if decided {
        edits.push(edit(
            Entity::Holder,
            main,
            "loan_granted_cents",
            json!(honour.to_string()),
        ));
        edits.push(edit(
            Entity::Dossier,
            dossier.id,
            "decision_amount_cents",
            json!(honour.to_string()),
        ));
    }
    store.set_fields_at(&edits, at)?;
    Ok(())
}

fn edit(entity: Entity, id: Uuid, field: &str, value: Value) -> FieldEdit {
    FieldEdit {
        entity,
        id,
        field: field.into(),
        value,
    }
}

/// The committee a dossier opened on `opened` goes to: the first one six weeks later.
fn committee_after(opened: NaiveDate) -> NaiveDate {
    next_committee(opened + Duration::days(45))
}

/// Committees meet on the second Tuesday of the month.
fn next_committee(after: NaiveDate) -> NaiveDate {
    let mut month = after.with_day(1).unwrap_or(after);
    loop {
        let second_tuesday =
            NaiveDate::from_weekday_of_month_opt(month.year(), month.month(), Weekday::Tue, 2);
        if let Some(day) = second_tuesday.filter(|d| *d >= after) {
            return day;
        }
        month = (month + Duration::days(32)).with_day(1).unwrap_or(month);
    }
}

fn draft(rng: &mut ChaCha8Rng, idea: &Idea) -> Result<DossierDraft> {
    let holders = if rng.random_bool(0.2) { 2 } else { 1 };
    Ok(DossierDraft {
        project_type: Some(idea.project_type),
        idea: idea.idea.to_owned(),
        holders: (0..holders).map(|_| holder(rng)).collect::<Result<_>>()?,
        ..Default::default()
    })
}

fn holder(rng: &mut ChaCha8Rng) -> Result<HolderDraft> {
    let civility = if rng.random_bool(0.45) {
        Civility::Madame
    } else {
        Civility::Monsieur
    };
    let first_names = match civility {
        Civility::Madame => WOMEN,
        Civility::Monsieur => MEN,
    };
    let phone = phone(rng);
    Ok(HolderDraft {
        civility: Some(civility),
        last_name: pick(rng, LAST_NAMES),
        first_name: pick(rng, first_names),
        phone,
        commune_insee: commune_insee(&pick(rng, COMMUNES))?.to_owned(),
    })
}

/// A mobile (06/07) or a Pas-de-Calais landline (03 21). Numbering plans reserve blocks for
/// overseas departments (0639, 069x…), so draws are kept only when the phonenumber metadata
/// calls them valid; the draw stays deterministic for the seed.
fn phone(rng: &mut ChaCha8Rng) -> String {
    loop {
        let prefix = *["06", "07", "03 21"].choose(rng).unwrap_or(&"06");
        let digits: Vec<String> = (0..if prefix.len() == 2 { 4 } else { 3 })
            .map(|_| format!("{:02}", rng.random_range(0..100)))
            .collect();
        let number = format!("{prefix} {}", digits.join(" "));
        if Phone::parse(&number).is_ok() {
            return number;
        }
    }
}

fn pick(rng: &mut ChaCha8Rng, list: &[&str]) -> String {
    list.choose(rng).copied().unwrap_or_default().to_owned()
}

fn weighted(rng: &mut ChaCha8Rng, statuses: &[(DossierStatus, u32)]) -> DossierStatus {
    let total: u32 = statuses.iter().map(|(_, w)| w).sum();
    let mut roll = rng.random_range(0..total);
    for (status, weight) in statuses {
        if roll < *weight {
            return *status;
        }
        roll -= weight;
    }
    DossierStatus::PremierContact
}

fn seeded_uuid_v7(rng: &mut ChaCha8Rng, at: DateTime<Utc>) -> Uuid {
    let mut random = [0u8; 10];
    rng.fill(&mut random);
    uuid::Builder::from_unix_timestamp_millis(at.timestamp_millis().max(0) as u64, &random)
        .into_uuid()
}
