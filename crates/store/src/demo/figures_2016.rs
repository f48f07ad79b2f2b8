//! A platform's 2016 as its annual general meeting reported it, as dossiers: 126 project
//! holders supported, 357 jobs, 867 000 € of honour loans, a bank leverage of 1 to 11 (over
//! 9.5 M€ raised), 91 % of the businesses financed three years earlier still active, 30 % of
//! the territory's creations and takeovers, activity up 20 % on 2015. The tableau de bord,
//! the command line and the head office must give those figures back from them.
//!
//! The dossiers go in through the store's import (each checked as a file from elsewhere):
//! - 2016: 100 businesses financed, 74 with one holder and 26 with two (126 holders); 125
//!   loans of 6 880 € and one of 7 000 € (867 000 €), each signed at the committee and paid
//!   out ten days later (a year's deferral: nothing due in 2016); bank loans eleven times
//!   each dossier's honour loans; 231 jobs created besides the holders; three dossiers
//!   refused; 197 still in instruction (300 opened in 2016);
//! - 2015: 250 dossiers opened, still in instruction (+20 % in 2016);
//! - 2013: 104 businesses financed, one holder each, followed at 12, 24 and 36 months: 91 in
//!   activity at 36 months, 9 ceased at 24 months, 4 whose 36-month checkpoint is missing;
//! - the territory's 333 creations and takeovers in 2016 (a setting).

use chrono::{Datelike, Days, Months, NaiveDate};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::store::Store;
use permanence_domain::codes::{Civility, ProjectType};
use permanence_domain::dossier::{DossierDraft, HolderDraft};
use permanence_domain::error::{Error, Result};
use permanence_domain::settings::TerritoryYear;

/// Fruges, where the template dossier's holder lives.
const FRUGES: &str = "62364";

fn day(year: i32, month: u32, d: u32) -> Result<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, d)
        .ok_or_else(|| Error::Internal(format!("no day {year}-{month}-{d}")))
}

/// One dossier of the fixture.
struct Spec {
    opened: NaiveDate,
    status: &'static str,
    decision: Option<&'static str>,
    committee: Option<NaiveDate>,
    /// What each holder was granted (none when not granted).
    granted: Vec<Option<i64>>,
    jobs: i64,
    /// 2016's loans are signed at the committee and paid out.
    loans: bool,
    start_on: Option<NaiveDate>,
    checkpoints: Vec<(u32, &'static str)>,
}

/// Adds the fixture's dossiers to `store` and sets the territory's creations of 2016.
pub fn fill_2016(store: &mut Store) -> Result<()> {
    let template = {
        let d = store.create_dossier(&DossierDraft {
            project_type: Some(ProjectType::Creation),
            idea: "Épicerie vrac".into(),
            holders: vec![HolderDraft {
                civility: Some(Civility::Madame),
                last_name: "Modèle".into(),
                first_name: "Élodie".into(),
                phone: "03 21 04 56 78".into(),
                commune_insee: FRUGES.into(),
            }],
            ..Default::default()
        })?;
        let template = store.export_dossier(d.id)?;
        store.delete_dossier(d.id)?;
        template
    };
    let mut specs = Vec::new();
    let mut loans = 0;
    for n in 0..100_u32 {
        let people = if n < 26 { 2 } else { 1 };
        let granted = (0..people)
            .map(|_| {
                loans += 1;
                Some(if loans == 126 { 7_000_00 } else { 6_880_00 })
            })
            .collect();
        specs.push(Spec {
            opened: day(2016, n % 10 + 1, 10)?,
            status: "accorde",
            decision: Some("accord"),
            committee: Some(day(2016, n % 10 + 2, 20)?),
            granted,
            jobs: if n < 31 { 3 } else { 2 },
            loans: true,
            start_on: None,
            checkpoints: Vec::new(),
        });
    }
    for _ in 0..3 {
        specs.push(Spec {
            opened: day(2016, 3, 1)?,
            status: "refuse",
            decision: Some("refus"),
            committee: Some(day(2016, 5, 12)?),
            granted: vec![None],
            jobs: 4,
            loans: false,
            start_on: None,
            checkpoints: Vec::new(),
        });
    }
    let waiting = |opened| Spec {
        opened,
        status: "instruction",
        decision: None,
        committee: None,
        granted: vec![None],
        jobs: 0,
        loans: false,
        start_on: None,
        checkpoints: Vec::new(),
    };
    for n in 103..300_u32 {
        specs.push(waiting(day(2016, n % 12 + 1, 15)?));
    }
    for n in 0..250_u32 {
        specs.push(waiting(day(2015, n % 12 + 1, 15)?));
    }
    for n in 0..104_u32 {
        let checkpoints = match n {
            0..91 => vec![(12, "active"), (24, "active"), (36, "active")],
            91..100 => vec![(12, "active"), (24, "cessee")],
            _ => vec![(12, "active")],
        };
        specs.push(Spec {
            opened: day(2013, n % 10 + 2, 1)?,
            status: "decaisse",
            decision: Some("accord"),
            committee: Some(day(2013, n % 10 + 2, 20)?),
            granted: vec![Some(5_000_00)],
            jobs: 1,
            loans: false,
            start_on: Some(day(2013, n % 10 + 3, 1)?),
            checkpoints,
        });
    }
    for (n, spec) in specs.iter().enumerate() {
        store.import_dossier(&dossier(&template, n, spec)?)?;
    }
    let mut settings = store.settings().clone();
    settings.territory_creations.retain(|t| t.year != 2016);
    settings.territory_creations.push(TerritoryYear {
        year: 2016,
        creations: 333,
    });
    store.save_settings(settings)?;
    Ok(())
}

/// The dossier `spec` describes, as an export file would carry it.
fn dossier(template: &Value, n: usize, spec: &Spec) -> Result<Value> {
    let mut d = template.clone();
    let id = Uuid::now_v7();
    d["id"] = json!(id);
    d["number"] = json!(format!("PH-{}-{n:04}", spec.opened.year()));
    d["created_at"] = json!(format!("{}T09:00:00Z", spec.opened));
    d["updated_at"] = d["created_at"].clone();
    d["opened_on"] = json!(spec.opened);
    d["status"] = json!(spec.status);
    d["decision"] = json!(spec.decision);
    d["committee_date"] = json!(spec.committee);
    let first = d["holders"][0].clone();
    let mut holders = Vec::new();
    for (k, granted) in spec.granted.iter().enumerate() {
        let mut h = first.clone();
        h["id"] = json!(Uuid::now_v7());
        h["first_name"] = json!(format!("Porteur{k}"));
        h["loan_granted_cents"] = json!(granted);
        holders.push(h);
    }
    let honour: i64 = spec.granted.iter().flatten().sum();
    d["business"]["jobs_created"] = json!(spec.jobs);
    d["business"]["start_on"] = json!(spec.start_on);
    d["decision_amount_cents"] = if honour > 0 {
        json!(honour)
    } else {
        Value::Null
    };
    d["financing"] = if honour > 0 {
        json!([{
            "id": Uuid::now_v7(), "side": "resource", "category": "bank_loan",
            "label": "Prêt bancaire", "amount_cents": 11 * honour, "bank": "Crédit Agricole",
            "months": 84, "rate_bp": 390, "guarantee": null, "bank_status": "accorde"
        }])
    } else {
        json!([])
    };
    if let (true, Some(met)) = (spec.loans, spec.committee) {
        let paid_out = met + Days::new(10);
        let loans: Vec<Value> = holders
            .iter()
            .map(|h| {
                json!({
                    "id": Uuid::now_v7(), "holder_id": h["id"],
                    "amount_cents": h["loan_granted_cents"], "months": 60,
                    "deferral_months": 12, "signed_on": met,
                    "reference": format!("PH-2016-{n:04}-{}", h["first_name"].as_str().unwrap_or("")),
                    "movements": [{
                        "id": Uuid::now_v7(), "kind": "decaissement", "on": paid_out,
                        "amount_cents": h["loan_granted_cents"], "months": null,
                        "deferral_months": null, "note": ""
                    }]
                })
            })
            .collect();
        d["loans"] = json!(loans);
    }
    if let Some(start) = spec.start_on {
        let checkpoints: Vec<Value> = spec
            .checkpoints
            .iter()
            .map(|&(month, state)| {
                let held = start + Months::new(month);
                json!({
                    "id": Uuid::now_v7(), "month": month, "held_on": held, "state": state,
                    "state_since": (state != "active").then_some(held),
                    "headcount": 2, "turnover_cents": 90_000_00, "note": ""
                })
            })
            .collect();
        d["checkpoints"] = json!(checkpoints);
    }
    d["holders"] = json!(holders);
    Ok(d)
}
