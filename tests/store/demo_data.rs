use chrono::NaiveDate;
use permanence::codes::DossierStatus;
use permanence::demo;

use crate::helpers::TestStore;

fn filled(seed: u64) -> TestStore {
    let mut t = TestStore::new();
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    demo::fill(&mut t.store, 30, seed, today).unwrap();
    t
}

#[test]
fn demo_data_is_deterministic_for_a_seed() {
    let a = filled(7).all();
    let b = filled(7).all();
    assert_eq!(a.len(), 30);
    assert_eq!(a, b, "same seed, same dossiers, ids included");
    let c = filled(8).all();
    assert_ne!(a, c, "another seed, other dossiers");
}

#[test]
fn the_store_commits_durably_again_once_demo_data_is_made() {
    let t = filled(7);
    assert_eq!(
        t.store.pragmas().unwrap().synchronous,
        2,
        "FULL again once the demo data is made"
    );
}

#[test]
fn demo_dossiers_are_complete_as_their_status_implies() {
    let t = filled(3);
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    assert!(
        !t.store.list_sessions().unwrap().is_empty(),
        "sessions were held"
    );
    assert!(
        !t.store.settings().territory.is_empty(),
        "the territory is set"
    );
    for summary in t.all() {
        let d = t.store.get_dossier(summary.id).unwrap();
        assert!(d.opened_on <= today);
        if d.status == DossierStatus::PretPourComite {
            assert!(d.analysis.balanced, "{} balanced", d.number);
            assert!(d.committee_date.is_some());
        }
        if d.status != DossierStatus::PremierContact && d.status != DossierStatus::Abandonne {
            assert!(!d.financing.is_empty(), "{} has a plan", d.number);
            assert!(
                d.business.naf_label.is_some(),
                "{} has a known NAF code",
                d.number
            );
        }
    }
}
