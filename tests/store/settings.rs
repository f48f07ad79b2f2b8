use permanence::settings::PlatformSettings;
use permanence::ErrorCode;

use crate::helpers::{TestStore, FRUGES};

#[test]
fn settings_are_saved_and_survive_a_restart() {
    let mut t = TestStore::new();
    let mut s = PlatformSettings {
        advisor: "Nadia Haddou".into(),
        territory: vec![FRUGES.into()],
        ..Default::default()
    };
    s.loan_rules.max_cents = 40_000_00;
    t.store.save_settings(s.clone()).unwrap();
    let t = t.reopen();
    assert_eq!(t.store.settings(), &s);
}

#[test]
fn invalid_settings_are_refused_and_the_old_ones_kept() {
    let mut t = TestStore::new();
    let s = PlatformSettings {
        territory: vec!["99999".into()],
        ..Default::default()
    };
    let err = t.store.save_settings(s).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert_eq!(t.store.settings(), &PlatformSettings::default());
}

#[test]
fn new_dossiers_belong_to_the_laptop_advisor() {
    let mut t = TestStore::new();
    let s = PlatformSettings {
        advisor: "Thierry Leclercq".into(),
        ..Default::default()
    };
    t.store.save_settings(s).unwrap();
    assert_eq!(t.create("Caron", FRUGES).advisor, "Thierry Leclercq");
}
