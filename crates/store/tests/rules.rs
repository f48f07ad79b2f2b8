//! The rule book (`permanence_sync::rules`) read against what this store makes: a dossier
//! created here passes it as it is, and its mangled copies do not.

use chrono::NaiveDate;
use permanence_domain::{codes, dossier};
use permanence_store::store::Store;
use permanence_sync::protocol::ChangeOp;
use permanence_sync::rules::{check, Facts, Proposed, Refusal};
use serde_json::{json, Value};

fn facts() -> Facts {
    Facts {
        today: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
        status: None,
    }
}

#[test]
fn a_dossier_a_laptop_creates_passes_and_its_mangled_copies_do_not() {
    let mut store = Store::open_in_memory().unwrap();
    let dossier = store
        .create_dossier(&dossier::DossierDraft {
            project_type: Some(dossier::ProjectType::Creation),
            idea: "Boulangerie".into(),
            holders: vec![dossier::HolderDraft {
                civility: Some(codes::Civility::Madame),
                last_name: "Caron".into(),
                first_name: "Léa".into(),
                phone: String::new(),
                commune_insee: "62447".into(),
            }],
            ..Default::default()
        })
        .unwrap();
    let snapshot = serde_json::to_value(&dossier).unwrap();
    let create = |value: &Value| {
        let change = Proposed {
            entity: "dossier",
            entity_id: dossier.id,
            dossier_id: Some(dossier.id),
            op: ChangeOp::Create,
            field: None,
            value: Some(value),
        };
        check(change, &facts())
    };
    assert_eq!(create(&snapshot), Ok(()));
    let mut nameless = snapshot.clone();
    nameless["holders"][0]["last_name"] = json!("\u{202e}\u{0}");
    assert!(matches!(create(&nameless), Err(Refusal::Creation(_))));
    assert!(matches!(
        create(&json!({"x": 1})),
        Err(Refusal::Creation(_))
    ));
}
