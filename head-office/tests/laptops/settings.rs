//! The platform's settings have one owner: the head office's staff set them, every laptop of
//! the platform receives them (a new one with its snapshot), and an advisor's laptop keeps
//! them read-only.

use permanence::settings::PlatformSettings;
use permanence::sync::protocol::{ChangeOp, Outcome, PLATFORM_SETTINGS_FIELD};
use permanence::Error;
use permanence_head_office::office::{Caller, HeadOffice, OfficeError, Role};
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{platform_view, HeadOfficeServer, FRUGES};

fn caller(role: Role, platform: Option<&str>) -> Caller {
    Caller {
        device_id: Uuid::now_v7(),
        account: "test".into(),
        role,
        platform: platform.map(str::to_owned),
    }
}

/// The platform's settings as its staff would set them: other loan bounds, a territory.
fn ternois() -> PlatformSettings {
    let mut settings = PlatformSettings {
        name: "Initiative Ternois".into(),
        territory: vec![FRUGES.into()],
        loan_schemes: vec![
            "Prêt d'honneur création".into(),
            "Prêt Initiative Remarquable".into(),
        ],
        ..PlatformSettings::default()
    };
    settings.loan_rules.max_cents = 1_200_000;
    settings.loan_rules.max_months = 60;
    settings
}

#[test]
fn the_head_office_sets_a_platforms_settings_and_every_laptop_of_it_receives_them() {
    let office = HeadOfficeServer::start();
    let mut claire = office.laptop("claire");
    let mut paul = office.laptop("paul");
    let staff = caller(Role::Staff, None);

    // Only the head office's accounts set them, on a platform that exists, by the rules.
    let advisor = caller(Role::Advisor, Some("TA7V"));
    assert!(matches!(
        office
            .office
            .set_platform_settings(&advisor, "TA7V", &ternois()),
        Err(OfficeError::Forbidden(_))
    ));
    assert!(matches!(
        office
            .office
            .set_platform_settings(&staff, "NOPE", &ternois()),
        Err(OfficeError::NotFound(_))
    ));
    let mut wrong = ternois();
    wrong.loan_rules.min_cents = 2_000_000;
    match office.office.set_platform_settings(&staff, "TA7V", &wrong) {
        Err(OfficeError::Core(Error::Invalid(fields))) => {
            assert!(fields.contains_key("loan_rules.max_cents"), "{fields:?}")
        }
        other => panic!("bounds the wrong way round are refused: {other:?}"),
    }
    assert_eq!(
        office.office.platform_settings(&advisor, "TA7V").unwrap(),
        None,
        "nothing set yet"
    );
    let set = office
        .office
        .set_platform_settings(&staff, "TA7V", &ternois())
        .unwrap();
    assert_eq!(
        set.code, "TA7V",
        "the numbers' prefix is the platform's code"
    );
    assert!(matches!(
        office
            .office
            .platform_settings(&caller(Role::Advisor, Some("ISO")), "TA7V"),
        Err(OfficeError::Forbidden(_))
    ));

    // Claire's laptop receives them with its sync; her own name stays hers.
    let advisor_before = claire.store.settings().advisor.clone();
    claire.sync().unwrap();
    let received = claire.store.settings().clone();
    assert_eq!(received.name, "Initiative Ternois");
    assert_eq!(received.loan_rules.max_cents, 1_200_000);
    assert_eq!(received.territory, vec![FRUGES.to_owned()]);
    assert_eq!(received.advisor, advisor_before);
    // Another platform's laptop does not.
    paul.sync().unwrap();
    assert_ne!(paul.store.settings().name, "Initiative Ternois");

    // On her laptop they are read-only: a change of a platform setting is refused at its
    // field, a change of her own name is saved.
    let mut changed = received.clone();
    changed.loan_rules.max_cents = 5_000_000;
    match claire.store.save_settings(changed) {
        Err(Error::Invalid(fields)) => {
            assert_eq!(
                fields.keys().collect::<Vec<_>>(),
                ["loan_rules.max_cents"],
                "{fields:?}"
            )
        }
        other => panic!("a platform setting is the head office's: {other:?}"),
    }
    let renamed = PlatformSettings {
        advisor: "Claire Dupont".into(),
        ..received.clone()
    };
    claire.store.save_settings(renamed).unwrap();
    // And a forged change of them from a laptop is refused by the head office.
    let forged = permanence::sync::protocol::Change {
        change_id: Uuid::now_v7(),
        device_seq: claire.store.acknowledged_seq().unwrap() + 1,
        entity: "settings".into(),
        entity_id: Uuid::nil(),
        dossier_id: None,
        op: ChangeOp::SetField,
        field: Some(PLATFORM_SETTINGS_FIELD.into()),
        value: Some(json!(PlatformSettings {
            name: "Plateforme pirate".into(),
            ..received.clone()
        })),
        hlc: permanence::sync::Hlc {
            millis: permanence::clock::now().timestamp_millis(),
            counter: 0,
            device: claire.device_id,
        },
        base_version: None,
    };
    let answer = claire.push_raw(vec![forged]).unwrap();
    assert_eq!(answer.results[0].outcome, Outcome::Rejected);

    // A new laptop of the platform has them from its first sync (the platform's state), and
    // the head office's own state agrees with both laptops, settings included.
    let mut nadia = office.laptop("nadia");
    let report = nadia.sync().unwrap();
    assert_eq!(
        report.counts.from_snapshot, 0,
        "no dossier yet: the state holds none"
    );
    assert_eq!(nadia.store.settings().loan_rules.max_cents, 1_200_000);
    assert_eq!(nadia.store.settings().name, "Initiative Ternois");
    let truth = office.office.platform_state("TA7V", platform_view).unwrap();
    assert_eq!(platform_view(&claire.store), truth);
    assert_eq!(platform_view(&nadia.store), truth);
}
