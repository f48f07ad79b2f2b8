//! Demo data: realistic dossiers of the Pas-de-Calais for trying the app and for benchmarks.
//!
//! Deterministic: the same seed and reference date give the same dossiers, ids included
//! (UUIDv7 built from the seeded generator and the dossier's own date).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use crate::dossier::{Civility, DossierDraft, DossierStatus, HolderDraft, ProjectType};
use crate::error::Result;
use crate::phone::Phone;
use crate::store::Store;

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
/// Communes of the Ternois, the Artois and the Seven Valleys (Pas-de-Calais), with a
/// landline prefix-free suffix so each gets plausible numbers.
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
    "Marconne",
    "Huby-Saint-Leu",
    "Campagne-lès-Hesdin",
    "Beaurainville",
    "Fressin",
    "Hucqueliers",
    "Croisilles",
    "Achiet-le-Grand",
    "Bertincourt",
    "Vaulx-Vraucourt",
    "Pas-en-Artois",
    "Saulty",
];
const IDEAS: &[(&str, ProjectType)] = &[
    (
        "Reprise d'une boulangerie-pâtisserie en centre-bourg",
        ProjectType::Reprise,
    ),
    (
        "Création d'un salon de coiffure mixte",
        ProjectType::Creation,
    ),
    (
        "Food-truck de produits locaux sur les marchés",
        ProjectType::Creation,
    ),
    ("Reprise d'un bar-tabac-presse", ProjectType::Reprise),
    (
        "Entreprise de plomberie-chauffage et pompes à chaleur",
        ProjectType::Creation,
    ),
    (
        "Atelier de menuiserie et agencement sur mesure",
        ProjectType::Creation,
    ),
    ("Épicerie vrac et circuits courts", ProjectType::Creation),
    (
        "Garage automobile : reprise et atelier de carrosserie",
        ProjectType::Reprise,
    ),
    (
        "Institut de beauté et soins esthétiques",
        ProjectType::Creation,
    ),
    (
        "Gîtes ruraux dans la vallée de la Canche",
        ProjectType::Creation,
    ),
    ("Électricité générale du bâtiment", ProjectType::Creation),
    ("Boucherie-charcuterie-traiteur", ProjectType::Reprise),
    (
        "Aide à domicile et services à la personne",
        ProjectType::Creation,
    ),
    (
        "Extension d'une ferme pédagogique et vente directe",
        ProjectType::Croissance,
    ),
    (
        "Deuxième camion de la pizzeria ambulante",
        ProjectType::Croissance,
    ),
    ("Reprise d'un restaurant traditionnel", ProjectType::Reprise),
    (
        "Paysagiste : création et entretien de jardins",
        ProjectType::Creation,
    ),
    (
        "Fleuriste et décoration événementielle",
        ProjectType::Creation,
    ),
    (
        "Cabinet de kinésithérapie : nouveau local",
        ProjectType::Croissance,
    ),
    ("Microbrasserie artisanale", ProjectType::Creation),
];
const STATUSES: &[(DossierStatus, u32)] = &[
    (DossierStatus::PremierContact, 30),
    (DossierStatus::Instruction, 30),
    (DossierStatus::PretPourComite, 10),
    (DossierStatus::PasseEnComite, 5),
    (DossierStatus::Accorde, 10),
    (DossierStatus::Decaisse, 5),
    (DossierStatus::EnRemboursement, 5),
    (DossierStatus::Abandonne, 5),
];

/// Fills `store` with `count` dossiers opened during the 18 months before `today`.
pub fn fill(store: &mut Store, count: usize, seed: u64, today: NaiveDate) -> Result<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let end: DateTime<Utc> = today.and_hms_opt(9, 0, 0).unwrap_or_default().and_utc();
    // Dates are drawn first and sorted so provisional numbers follow the opening order.
    let mut openings: Vec<DateTime<Utc>> = (0..count)
        .map(|_| end - Duration::minutes(rng.random_range(0..(548 * 24 * 60))))
        .collect();
    openings.sort();
    for opened in openings {
        let valid = draft(&mut rng).parse()?;
        let id = seeded_uuid_v7(&mut rng, opened);
        let holder_ids: Vec<Uuid> = valid
            .holders
            .iter()
            .map(|_| seeded_uuid_v7(&mut rng, opened))
            .collect();
        let status = weighted_status(&mut rng);
        store.insert_dossier(&valid, id, &holder_ids, status, opened)?;
    }
    Ok(())
}

fn draft(rng: &mut ChaCha8Rng) -> DossierDraft {
    let (idea, project_type) = *IDEAS.choose(rng).unwrap_or(&IDEAS[0]);
    let holders = if rng.random_bool(0.2) { 2 } else { 1 };
    DossierDraft {
        project_type: Some(project_type),
        idea: idea.to_owned(),
        holders: (0..holders).map(|_| holder(rng)).collect(),
    }
}

fn holder(rng: &mut ChaCha8Rng) -> HolderDraft {
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
    HolderDraft {
        civility: Some(civility),
        last_name: pick(rng, LAST_NAMES),
        first_name: pick(rng, first_names),
        phone,
        commune: pick(rng, COMMUNES),
    }
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

fn weighted_status(rng: &mut ChaCha8Rng) -> DossierStatus {
    let total: u32 = STATUSES.iter().map(|(_, w)| w).sum();
    let mut roll = rng.random_range(0..total);
    for (status, weight) in STATUSES {
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
