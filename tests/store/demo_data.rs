use chrono::NaiveDate;
use permanence::demo;
use permanence::dossier::DossierDraft;

use crate::helpers::TestStore;

fn filled(seed: u64) -> TestStore {
    let mut t = TestStore::new();
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    demo::fill(&mut t.store, 30, seed, today).unwrap();
    t
}

#[test]
fn demo_data_is_deterministic_for_a_seed() {
    let a = filled(7).store.list_dossiers().unwrap();
    let b = filled(7).store.list_dossiers().unwrap();
    assert_eq!(a.len(), 30);
    assert_eq!(a, b, "same seed, same dossiers, ids included");
    let c = filled(8).store.list_dossiers().unwrap();
    assert_ne!(a, c, "another seed, other dossiers");
}

#[test]
fn demo_dossiers_pass_the_same_validation_as_the_form() {
    let t = filled(3);
    for summary in t.store.list_dossiers().unwrap() {
        let dossier = t.store.get_dossier(summary.id).unwrap();
        let draft = DossierDraft {
            project_type: Some(dossier.project_type),
            idea: dossier.idea.clone(),
            holders: dossier
                .holders
                .iter()
                .map(|h| permanence::dossier::HolderDraft {
                    civility: Some(h.civility),
                    last_name: h.last_name.clone(),
                    first_name: h.first_name.clone(),
                    phone: h.phone.clone().unwrap_or_default(),
                    commune: h.commune.clone(),
                })
                .collect(),
        };
        assert!(
            draft.parse().is_ok(),
            "demo dossier {} valid",
            dossier.number
        );
        assert!(dossier.created_at.date_naive() <= NaiveDate::from_ymd_opt(2026, 11, 26).unwrap());
    }
}
