//! Fixtures for the summary tests: stores with a fully described dossier or demo data, and
//! the PDF tools that turn a rendering back into text (`pdftotext`, `qpdf`, from poppler-utils
//! and qpdf, installed by `scripts/install-deps.sh`).

use std::io::Write;
use std::process::Command;

use chrono::NaiveDate;
use permanence::clock::Clock;
use permanence::codes::{DocumentKind, DossierStatus, FinancingCategory};
use permanence::dossier::{Civility, Dossier, DossierDraft, HolderDraft, ProjectType};
use permanence::field::{Entity, FieldEdit};
use permanence::store::{CommitteeDraft, Store};
use serde_json::{json, Value};
use tempfile::TempDir;
use uuid::Uuid;

pub const HESDIN_LA_FORET: &str = "62447";
pub const FRUGES: &str = "62364";
/// The committee every fixture dossier goes to (a second Tuesday).
pub const COMMITTEE_DAY: &str = "2026-12-08";

pub fn committee_day() -> NaiveDate {
    NaiveDate::parse_from_str(COMMITTEE_DAY, "%Y-%m-%d").unwrap()
}

/// The day every fixture store's clock starts on, a fortnight before the committee.
pub fn fixture_today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

/// A migrated store in a fresh temporary folder, its clock started on `fixture_today`
/// (dossiers open that day, before their committee, whatever the date the tests run); the
/// folder lives as long as the value.
pub struct TestStore {
    _dir: TempDir,
    pub store: Store,
}

impl TestStore {
    pub fn new() -> TestStore {
        let dir = tempfile::tempdir().expect("temporary folder");
        let mut store = Store::open_in_dir(dir.path()).expect("store opens");
        store.set_clock(Clock::starting_on(fixture_today()));
        TestStore { _dir: dir, store }
    }

    /// A store filled with demo data as of 26/11/2026.
    pub fn demo(count: usize, seed: u64) -> TestStore {
        let mut t = TestStore::new();
        permanence::demo::fill(&mut t.store, count, seed, fixture_today()).expect("demo data");
        t
    }

    pub fn set_all(&mut self, edits: Vec<FieldEdit>) -> Dossier {
        self.store
            .set_fields(&edits)
            .unwrap_or_else(|e| panic!("{e} {:?}", e.to_api().fields))
            .pop()
            .expect("a dossier")
    }

    /// A line of the financing plan with its amount (and more fields for a bank loan).
    pub fn line(
        &mut self,
        dossier: Uuid,
        category: FinancingCategory,
        label: &str,
        euros: &str,
        extra: &[(&str, Value)],
    ) -> Dossier {
        let before: Vec<Uuid> = self
            .store
            .get_dossier(dossier)
            .unwrap()
            .financing
            .iter()
            .map(|l| l.id)
            .collect();
        let d = self.store.add_financing_line(dossier, category).unwrap();
        // Lines are listed by side, so the new one is not always the last.
        let id = d
            .financing
            .iter()
            .find(|l| !before.contains(&l.id))
            .expect("the new line")
            .id;
        let mut edits = vec![
            edit(Entity::FinancingLine, id, "label", json!(label)),
            edit(Entity::FinancingLine, id, "amount_cents", json!(euros)),
        ];
        for (field, value) in extra {
            edits.push(edit(Entity::FinancingLine, id, field, value.clone()));
        }
        self.set_all(edits)
    }

    /// The reference dossier of these tests: Élodie Lefèvre's bakery in Hesdin-la-Forêt,
    /// every section filled, a balanced plan of 52 000 € with a 10 000 € honour loan and a
    /// 32 000 € bank loan (leverage 1 for 3,2), on the agenda of the 08/12/2026 committee.
    pub fn full_dossier(&mut self) -> Dossier {
        let d = self
            .store
            .create_dossier(&draft("Lefèvre", "Élodie", HESDIN_LA_FORET))
            .unwrap();
        let (id, h) = (d.id, d.holders[0].id);
        let mut edits = vec![
            edit(Entity::Dossier, id, "advisor", json!("Claire Dumont")),
            edit(Entity::Dossier, id, "loan_scheme", json!("Prêt d'honneur Initiative")),
            edit(Entity::Dossier, id, "strengths", json!("Emplacement en centre-bourg, façade sur la place de la mairie.")),
            edit(Entity::Dossier, id, "cautions", json!("Concurrence d'une grande surface à Hesdin.")),
            edit(Entity::Dossier, id, "advisor_opinion", json!("Avis très favorable : porteuse expérimentée, plan prudent.")),
            edit(Entity::Dossier, id, "forecast_assumptions", json!("Ouverture six jours sur sept.\n\nDeux tournées en campagne.")),
            edit(Entity::Holder, h, "birth_date", json!("14/03/1988")),
            edit(Entity::Holder, h, "situation", json!("salarie")),
            edit(Entity::Holder, h, "education", json!("CAP boulanger, BP boulangerie")),
            edit(Entity::Holder, h, "experience_years", json!("12")),
            edit(Entity::Holder, h, "role", json!("Gérante")),
            edit(Entity::Holder, h, "capital_share_bp", json!("100")),
            edit(Entity::Holder, h, "personal_contribution_cents", json!("10000")),
            edit(Entity::Holder, h, "background", json!("Douze ans de fournil à Montreuil-sur-Mer, dont cinq comme cheffe d'équipe.")),
            edit(Entity::Holder, h, "motivation", json!("Reprendre le fournil où elle a appris le métier.")),
            edit(Entity::Holder, h, "loan_requested_cents", json!("10 000")),
            edit(Entity::Holder, h, "loan_months", json!("60")),
            edit(Entity::Holder, h, "loan_deferral_months", json!("6")),
            edit(Entity::Business, id, "name", json!("Boulangerie Lefèvre")),
            edit(Entity::Business, id, "trade_name", json!("Au Pain d'Hesdin")),
            edit(Entity::Business, id, "activity", json!("Boulangerie-pâtisserie artisanale, pains au levain et viennoiseries.")),
            edit(Entity::Business, id, "market", json!("Seule boulangerie du bourg ; clientèle de 2 400 habitants et des villages voisins.")),
            edit(Entity::Business, id, "sector", json!("artisanat")),
            edit(Entity::Business, id, "naf_code", json!("10.71C")),
            edit(Entity::Business, id, "legal_form", json!("sarl")),
            edit(Entity::Business, id, "commune_insee", json!(HESDIN_LA_FORET)),
            edit(Entity::Business, id, "premises", json!("bail")),
            edit(Entity::Business, id, "jobs_created", json!("2")),
            edit(Entity::Business, id, "jobs_year3", json!("4")),
        ];
        let year1 = [
            ("turnover_cents", "120000"),
            ("gross_margin_cents", "80000"),
            ("external_costs_cents", "20000"),
            ("taxes_cents", "2000"),
            ("wages_cents", "25000"),
            ("owner_pay_cents", "18000"),
            ("depreciation_cents", "5000"),
            ("interest_cents", "1000"),
        ];
        for (field, euros) in year1 {
            edits.push(edit(
                Entity::Forecast,
                id,
                &format!("1.{field}"),
                json!(euros),
            ));
        }
        for kind in DocumentKind::ALL {
            edits.push(edit(
                Entity::Document,
                id,
                &format!("{}.status", kind.as_str()),
                json!("recu"),
            ));
        }
        self.set_all(edits);
        self.line(
            id,
            FinancingCategory::TangibleAssets,
            "Four et pétrin",
            "30000",
            &[],
        );
        self.line(
            id,
            FinancingCategory::IntangibleAssets,
            "Fonds de commerce",
            "12000",
            &[],
        );
        self.line(
            id,
            FinancingCategory::Stock,
            "Farines et emballages",
            "4500",
            &[],
        );
        self.line(
            id,
            FinancingCategory::WorkingCapital,
            "Trésorerie de démarrage",
            "5500",
            &[],
        );
        self.line(
            id,
            FinancingCategory::PersonalContribution,
            "Épargne",
            "10000",
            &[],
        );
        self.line(
            id,
            FinancingCategory::BankLoan,
            "Prêt d'équipement",
            "32000",
            &[
                ("bank", json!("Crédit Agricole Nord de France")),
                ("months", json!("84")),
                ("rate_bp", json!("3,9")),
                ("guarantee", json!("bpifrance")),
                ("bank_status", json!("demande")),
            ],
        );
        let committee = self.committee();
        self.store.add_to_agenda(committee, id).unwrap();
        self.store.get_dossier(id).unwrap()
    }

    /// A second complete dossier, ready and on the same committee; returns its id.
    pub fn full_second(&mut self) -> Uuid {
        let d = self.full_dossier();
        self.ready(d.id);
        d.id
    }

    /// The 08/12/2026 committee, made once.
    pub fn committee(&mut self) -> Uuid {
        match self.store.committee_on(committee_day()) {
            Ok(c) => c.id,
            Err(_) => {
                self.store
                    .create_committee(&CommitteeDraft {
                        held_on: COMMITTEE_DAY.into(),
                        kind: None,
                        place: "Siège de la plateforme, Saint-Pol-sur-Ternoise".into(),
                    })
                    .unwrap()
                    .id
            }
        }
    }

    /// Moves a complete dossier to "prêt pour comité".
    pub fn ready(&mut self, id: Uuid) -> Dossier {
        self.store
            .move_status(id, DossierStatus::Instruction)
            .unwrap();
        self.store
            .move_status(id, DossierStatus::PretPourComite)
            .unwrap_or_else(|e| panic!("{e}: {:?}", e.reasons()))
    }
}

pub fn edit(entity: Entity, id: Uuid, field: &str, value: Value) -> FieldEdit {
    FieldEdit {
        entity,
        id,
        field: field.into(),
        value,
    }
}

pub fn draft(last_name: &str, first_name: &str, commune_insee: &str) -> DossierDraft {
    DossierDraft {
        project_type: Some(ProjectType::Reprise),
        idea: "Reprise de la boulangerie du bourg".into(),
        holders: vec![HolderDraft {
            civility: Some(Civility::Madame),
            last_name: last_name.into(),
            first_name: first_name.into(),
            phone: "03 21 04 56 78".into(),
            commune_insee: commune_insee.into(),
        }],
        ..Default::default()
    }
}

fn temp_pdf(pdf: &[u8]) -> tempfile::NamedTempFile {
    let mut file = tempfile::Builder::new()
        .suffix(".pdf")
        .tempfile()
        .expect("temporary PDF");
    file.write_all(pdf).unwrap();
    file.flush().unwrap();
    file
}

/// The PDF's text, one string per page, as `pdftotext -layout` reads it.
pub fn pages_text(pdf: &[u8]) -> Vec<String> {
    let file = temp_pdf(pdf);
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(file.path())
        .arg("-")
        .output()
        .expect("pdftotext runs (poppler-utils)");
    assert!(out.status.success(), "pdftotext reads the PDF");
    let text = String::from_utf8(out.stdout).expect("UTF-8 text");
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_owned).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// All the text, with every run of white space (no-break spaces included) made one space,
/// so that assertions read like the document.
pub fn flat_text(pdf: &[u8]) -> String {
    flatten(&pages_text(pdf).join(" "))
}

pub fn flatten(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The page count, from `qpdf --show-npages`.
pub fn page_count(pdf: &[u8]) -> usize {
    let file = temp_pdf(pdf);
    let out = Command::new("qpdf")
        .arg("--show-npages")
        .arg(file.path())
        .output()
        .expect("qpdf runs");
    assert!(out.status.success(), "qpdf reads the PDF");
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("a page count")
}

/// Asserts that `qpdf --check` finds no error in the PDF.
pub fn assert_qpdf_clean(pdf: &[u8]) {
    let file = temp_pdf(pdf);
    let out = Command::new("qpdf")
        .arg("--check")
        .arg(file.path())
        .output()
        .expect("qpdf runs");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && report.contains("No syntax or stream encoding errors"),
        "qpdf --check: {report} {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Asserts that `needle` appears in `haystack`, showing the text when it does not.
#[track_caller]
pub fn assert_has(haystack: &str, needle: &str) {
    assert!(
        haystack.contains(needle),
        "« {needle} » is missing from:\n{haystack}"
    );
}
