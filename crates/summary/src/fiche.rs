//! What a template reads as `data.json`: a dossier's summary, or a committee's cover, with
//! every value already formatted the French way (`12 345 €`, `26/11/2026`, `1 pour 3,2`).
//!
//! Templates only lay out. A value that was never entered is "non renseigné", never an empty
//! cell, `none`, "null" or "0 €"; long texts come as lists of paragraphs.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;

use permanence_domain::codes::{FinancingSide, ProjectType};
use permanence_domain::dates::{self, age_on, format_date};
use permanence_domain::dossier::{Dossier, FinancingLine, Holder};
use permanence_domain::financing::{ForecastFigures, PlanAnalysis};
use permanence_domain::money::{format_cents, format_percent_bp};
use permanence_domain::pipeline::format_ratio;
use permanence_domain::settings::PlatformSettings;
use permanence_store::store::Committee;

/// What a summary says of a value nobody entered.
pub const UNKNOWN: &str = "non renseigné";

/// A label and its formatted value.
pub type Fact = [String; 2];

#[derive(Debug, Clone, Serialize)]
pub struct PlatformData {
    pub name: String,
    pub code: String,
    /// Path of the logo in the template's world (`logo.png`), when the platform has one.
    pub logo: Option<String>,
}

/// Where a summary sits in a committee pack (none when printed alone).
#[derive(Debug, Clone, Serialize)]
pub struct PackMark {
    /// "Comité d'agrément du 08/12/2026".
    pub committee: String,
    /// 1-based position on the agenda, and the agenda's length.
    pub item: usize,
    pub items: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct FicheData {
    pub platform: PlatformData,
    /// "Situation du dossier au 26/11/2026": the date of its last change.
    pub as_of: String,
    pub pack: Option<PackMark>,
    pub header: Header,
    pub holders: Vec<HolderData>,
    pub project: Project,
    pub plan: Plan,
    pub forecast: Forecast,
    pub banks: Vec<BankLoan>,
    pub jobs: Vec<Fact>,
    pub assessment: Assessment,
    pub request: Request,
    /// The decision already recorded, if any ("Accord — 8 000 €"); the box stays empty.
    pub recorded_decision: Option<String>,
    pub mentoring: Vec<Fact>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Header {
    pub number: String,
    /// Holders' names, for the title: "Anne LEFÈVRE et Julien CARON".
    pub holders: String,
    /// The business's name, or the project in a few words.
    pub project: String,
    pub committee_date: String,
    pub committee_kind: String,
    pub facts: Vec<Fact>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HolderData {
    /// "Madame Anne LEFÈVRE (née DUPONT)".
    pub name: String,
    pub facts: Vec<Fact>,
    pub background: Vec<String>,
    pub motivation: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Project {
    pub idea: Vec<String>,
    pub activity: Vec<String>,
    pub market: Vec<String>,
    pub facts: Vec<Fact>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// Rows of the side-by-side table: need, its amount, resource, its amount (empty strings
    /// pad the shorter side).
    pub rows: Vec<[String; 4]>,
    pub needs_total: String,
    pub resources_total: String,
    pub balanced: bool,
    /// "Plan équilibré…" or the warning explaining the gap.
    pub balance: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Forecast {
    /// Label then years 1, 2, 3; `strong` rows are the key figures.
    pub rows: Vec<ForecastRow>,
    pub assumptions: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ForecastRow {
    pub label: String,
    pub values: [String; 3],
    pub strong: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct BankLoan {
    pub bank: String,
    pub amount: String,
    pub months: String,
    pub rate: String,
    pub guarantee: String,
    pub status: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    pub strengths: Vec<String>,
    pub cautions: Vec<String>,
    pub opinion: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Request {
    /// Per holder: name, amount, duration, deferral.
    pub loans: Vec<[String; 4]>,
    pub total: String,
    pub bank_total: String,
    /// "1 pour 3,2": one euro of honour loan for 3,2 euros of bank loans.
    pub leverage: String,
    /// The leverage is below the platform's minimum (a fact for the committee, not a refusal).
    pub leverage_below_minimum: bool,
    pub rules: String,
}

/// A committee's cover page.
#[derive(Debug, Clone, Serialize)]
pub struct CoverData {
    pub platform: PlatformData,
    /// "Comité d'agrément".
    pub kind: String,
    /// "mardi 8 décembre 2026", and `08/12/2026`.
    pub date_long: String,
    pub date: String,
    pub place: String,
    pub items: Vec<CoverItem>,
    /// "12 dossiers", "1 dossier", "Aucun dossier".
    pub count: String,
    /// Sum of the honour loans requested on the agenda.
    pub total_requested: String,
    pub total_bank: String,
    pub pages: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct CoverItem {
    pub position: usize,
    pub number: String,
    pub holders: String,
    pub project: String,
    pub commune: String,
    pub requested: String,
    /// Page of the pack where the dossier's summary starts.
    pub page: usize,
}

fn or_unknown(text: &str) -> String {
    let text = text.trim();
    if text.is_empty() {
        UNKNOWN.to_owned()
    } else {
        text.to_owned()
    }
}

fn cents_or_unknown(cents: Option<i64>) -> String {
    cents.map_or_else(|| UNKNOWN.to_owned(), format_cents)
}

fn date_or_unknown(date: Option<NaiveDate>) -> String {
    date.map_or_else(|| UNKNOWN.to_owned(), format_date)
}

fn months(value: Option<i64>) -> String {
    value.map_or_else(|| UNKNOWN.to_owned(), |m| format!("{m}\u{a0}mois"))
}

/// Paragraphs of a long text, separated by blank lines; `[UNKNOWN]` when empty.
fn paragraphs(text: &str) -> Vec<String> {
    let paragraphs: Vec<String> = text
        .split("\n\n")
        .map(|p| p.lines().map(str::trim).collect::<Vec<_>>().join("\n"))
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect();
    if paragraphs.is_empty() {
        vec![UNKNOWN.to_owned()]
    } else {
        paragraphs
    }
}

fn fact(label: &str, value: String) -> Fact {
    [label.to_owned(), value]
}

/// "Anne LEFÈVRE".
pub fn short_name(h: &Holder) -> String {
    format!("{} {}", h.first_name, h.last_name.to_uppercase())
}

/// "Anne LEFÈVRE et Julien CARON", "A, B et C".
pub fn holder_names(holders: &[Holder]) -> String {
    let names: Vec<String> = holders.iter().map(short_name).collect();
    match names.as_slice() {
        [] => UNKNOWN.to_owned(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} et {last}", rest.join(", ")),
    }
}

/// The business's name, else its trade name, else the project idea.
pub fn project_name(d: &Dossier) -> String {
    [&d.business.name, &d.business.trade_name, &d.idea]
        .into_iter()
        .map(|s| s.trim())
        .find(|s| !s.is_empty())
        .map_or_else(|| UNKNOWN.to_owned(), str::to_owned)
}

/// "1 pour 3,2": one euro of honour loan for so many euros of bank loans.
pub fn leverage_text(leverage: Option<f64>) -> String {
    match leverage {
        None => UNKNOWN.to_owned(),
        Some(l) => format!("1 pour {}", format_ratio(l)),
    }
}

/// "mardi 8 décembre 2026".
pub fn long_date(date: NaiveDate) -> String {
    let day = match date.weekday() {
        Weekday::Mon => "lundi",
        Weekday::Tue => "mardi",
        Weekday::Wed => "mercredi",
        Weekday::Thu => "jeudi",
        Weekday::Fri => "vendredi",
        Weekday::Sat => "samedi",
        Weekday::Sun => "dimanche",
    };
    let first = if date.day() == 1 {
        "1er".to_owned()
    } else {
        date.day().to_string()
    };
    format!("{day} {first} {}", dates::format_month(date))
}

fn line_label(line: &FinancingLine) -> String {
    let category = line.category.label();
    let (label, bank) = (line.label.trim(), line.bank.trim());
    let detail = match (label, bank) {
        ("", bank) => bank.to_owned(),
        (label, "") => label.to_owned(),
        (label, bank) => format!("{label} ({bank})"),
    };
    if detail.is_empty() || detail == category {
        category.to_owned()
    } else {
        format!("{category} — {detail}")
    }
}

/// A plan line's amount: a line left at zero was added but never filled in.
fn line_amount(line: &FinancingLine) -> String {
    if line.amount_cents == 0 {
        UNKNOWN.to_owned()
    } else {
        format_cents(line.amount_cents)
    }
}

impl FicheData {
    pub fn new(d: &Dossier, settings: &PlatformSettings, logo: Option<String>) -> FicheData {
        let as_of = d.updated_at.date_naive();
        FicheData {
            platform: PlatformData {
                name: or_unknown(&settings.name),
                code: settings.code.clone(),
                logo,
            },
            as_of: format!("Situation du dossier au {}", format_date(as_of)),
            pack: None,
            header: header(d),
            holders: d
                .holders
                .iter()
                .map(|h| holder(h, d.committee_date.unwrap_or(as_of)))
                .collect(),
            project: project(d),
            plan: plan(d),
            forecast: forecast(d),
            banks: banks(d),
            jobs: vec![
                fact(
                    "Créés au démarrage, porteurs inclus",
                    count(d.business.jobs_created),
                ),
                fact(
                    "Maintenus (reprise)",
                    if d.project_type == ProjectType::Reprise {
                        count(d.business.jobs_kept)
                    } else {
                        "sans objet".to_owned()
                    },
                ),
                fact("Prévus à trois ans", count(d.business.jobs_year3)),
            ],
            assessment: Assessment {
                strengths: paragraphs(&d.strengths),
                cautions: paragraphs(&d.cautions),
                opinion: paragraphs(&d.advisor_opinion),
            },
            request: request(d, settings),
            recorded_decision: d.decision.map(|decision| {
                let mut text = decision.label().to_owned();
                if let Some(amount) = d.decision_amount_cents {
                    text.push_str(&format!(" — {}", format_cents(amount)));
                }
                if !d.decision_conditions.trim().is_empty() {
                    text.push_str(&format!(" — {}", d.decision_conditions.trim()));
                }
                text
            }),
            mentoring: mentoring(d),
        }
    }
}

/// Section 11: the mentor paired with the business (the pairing running, else the latest
/// one) and their meetings; "non renseigné" before any pairing.
fn mentoring(d: &Dossier) -> Vec<Fact> {
    let pairing = d
        .pairings
        .iter()
        .rev()
        .find(|p| p.end_on.is_none())
        .or_else(|| d.pairings.last());
    let Some(p) = pairing else {
        return vec![
            fact("Parrain ou marraine", UNKNOWN.to_owned()),
            fact("Début du parrainage", UNKNOWN.to_owned()),
        ];
    };
    let mut facts = vec![
        fact("Parrain ou marraine", p.mentor_name.clone()),
        fact("Début du parrainage", format_date(p.start_on)),
    ];
    if let Some(end) = p.end_on {
        facts.push(fact("Fin du parrainage", format_date(end)));
    }
    facts.push(fact("Rencontres", p.meetings.len().to_string()));
    facts
}

fn round_to_euros(cents: i64) -> i64 {
    (cents + 50).div_euclid(100) * 100
}

fn count(value: Option<i64>) -> String {
    value.map_or_else(|| UNKNOWN.to_owned(), |n| n.to_string())
}

fn header(d: &Dossier) -> Header {
    Header {
        number: d.number.clone(),
        holders: holder_names(&d.holders),
        project: project_name(d),
        committee_date: date_or_unknown(d.committee_date),
        committee_kind: d
            .committee_kind
            .map_or_else(|| "Comité".to_owned(), |k| k.label().to_owned()),
        facts: vec![
            fact("Dossier", d.number.clone()),
            fact("Date du comité", date_or_unknown(d.committee_date)),
            fact("Chargé(e) de mission", or_unknown(&d.advisor)),
            fact("Dispositif", or_unknown(&d.loan_scheme)),
            fact("Type de projet", d.project_type.label().to_owned()),
            fact("Ouvert le", format_date(d.opened_on)),
            fact(
                "Orienté par",
                d.referrer
                    .map_or_else(|| UNKNOWN.to_owned(), |r| r.label().to_owned()),
            ),
            fact("Statut", d.status.label().to_owned()),
        ],
    }
}

fn holder(h: &Holder, reference: NaiveDate) -> HolderData {
    let mut name = format!("{} {}", h.civility.label(), short_name(h));
    let birth_name = h.birth_name.trim();
    if !birth_name.is_empty() && !birth_name.eq_ignore_ascii_case(&h.last_name) {
        let born = match h.civility {
            permanence_domain::codes::Civility::Madame => "née",
            permanence_domain::codes::Civility::Monsieur => "né",
        };
        name.push_str(&format!(" ({born} {})", birth_name.to_uppercase()));
    }
    let situation = match (h.situation, h.jobseeker_since) {
        (None, _) => UNKNOWN.to_owned(),
        (Some(s), Some(since)) => {
            format!("{}, inscrit(e) depuis le {}", s.label(), format_date(since))
        }
        (Some(s), None) => s.label().to_owned(),
    };
    let commune = match (h.postal_code.as_deref(), h.commune.trim()) {
        (_, "") => UNKNOWN.to_owned(),
        (Some(code), commune) => format!("{commune} ({code})"),
        (None, commune) => commune.to_owned(),
    };
    HolderData {
        name,
        facts: vec![
            fact(
                "Âge",
                h.birth_date.map_or_else(
                    || UNKNOWN.to_owned(),
                    |b| format!("{}\u{a0}ans", age_on(b, reference)),
                ),
            ),
            fact("Commune", commune),
            fact("Situation avant le projet", situation),
            fact("Formation", or_unknown(&h.education)),
            fact(
                "Expérience du métier",
                h.experience_years.map_or_else(
                    || UNKNOWN.to_owned(),
                    |y| format!("{y}\u{a0}an{}", if y > 1 { "s" } else { "" }),
                ),
            ),
            fact(
                "Quartier prioritaire (QPV)",
                if h.qpv { "Oui" } else { "Non" }.to_owned(),
            ),
            fact(
                permanence_domain::catalogue::label(
                    permanence_domain::catalogue::RecordKind::Holder,
                    "driving_licence",
                )
                .unwrap_or("Permis de conduire"),
                if h.driving_licence { "Oui" } else { "Non" }.to_owned(),
            ),
            fact("Rôle dans l'entreprise", or_unknown(&h.role)),
            fact(
                "Part du capital",
                h.capital_share_bp
                    .map_or_else(|| UNKNOWN.to_owned(), format_percent_bp),
            ),
            fact(
                "Apport personnel",
                cents_or_unknown(h.personal_contribution_cents),
            ),
        ],
        background: paragraphs(&h.background),
        motivation: paragraphs(&h.motivation),
    }
}

fn project(d: &Dossier) -> Project {
    let b = &d.business;
    let naf = match (&b.naf_code, &b.naf_label) {
        (Some(code), Some(label)) => format!("{code} — {label}"),
        (Some(code), None) => code.clone(),
        _ => UNKNOWN.to_owned(),
    };
    let location = match (b.address.trim(), b.commune.trim(), b.postal_code.as_deref()) {
        (_, "", _) => or_unknown(&b.address),
        ("", commune, Some(code)) => format!("{code} {commune}"),
        ("", commune, None) => commune.to_owned(),
        (address, commune, Some(code)) => format!("{address}, {code} {commune}"),
        (address, commune, None) => format!("{address}, {commune}"),
    };
    let mut facts = vec![
        fact("Raison sociale", or_unknown(&b.name)),
        fact("Enseigne", or_unknown(&b.trade_name)),
        fact(
            "Secteur",
            b.sector
                .map_or_else(|| UNKNOWN.to_owned(), |s| s.label().to_owned()),
        ),
        fact("Code NAF", naf),
        fact(
            "Forme juridique",
            b.legal_form
                .map_or_else(|| UNKNOWN.to_owned(), |f| f.label().to_owned()),
        ),
        fact("Capital social", cents_or_unknown(b.share_capital_cents)),
        fact("Démarrage", date_or_unknown(b.start_on)),
        fact(
            "SIRET",
            b.siret.clone().unwrap_or_else(|| "non immatriculée".into()),
        ),
        fact("Implantation", location),
        fact(
            "Local",
            b.premises
                .map_or_else(|| UNKNOWN.to_owned(), |p| p.label().to_owned()),
        ),
    ];
    if !b.franchise.trim().is_empty() {
        facts.push(fact("Franchise", b.franchise.trim().to_owned()));
    }
    if d.project_type == ProjectType::Reprise {
        facts.push(fact("Cédant", or_unknown(&b.seller)));
        facts.push(fact(
            "Prix de cession",
            cents_or_unknown(b.takeover_price_cents),
        ));
        facts.push(fact(
            "Objet de la reprise",
            b.takeover_kind
                .map_or_else(|| UNKNOWN.to_owned(), |k| k.label().to_owned()),
        ));
    }
    Project {
        idea: paragraphs(&d.idea),
        activity: paragraphs(&b.activity),
        market: paragraphs(&b.market),
        facts,
    }
}

fn plan(d: &Dossier) -> Plan {
    let a = &d.analysis;
    let needs: Vec<(String, String)> = d
        .financing
        .iter()
        .filter(|l| l.side == FinancingSide::Need)
        .map(|l| (line_label(l), line_amount(l)))
        .collect();
    let mut resources: Vec<(String, String)> = d
        .financing
        .iter()
        .filter(|l| l.side == FinancingSide::Resource)
        .map(|l| (line_label(l), line_amount(l)))
        .collect();
    for h in &d.holders {
        let amount = permanence_domain::financing::honour_loan_cents(h);
        if amount > 0 {
            let kind = if h.loan_granted_cents.is_some() {
                "accordé"
            } else {
                "demandé"
            };
            resources.push((
                format!("Prêt d'honneur {kind} — {}", short_name(h)),
                format_cents(amount),
            ));
        }
    }
    let len = needs.len().max(resources.len()).max(1);
    let cell = |side: &[(String, String)], i: usize| {
        side.get(i)
            .cloned()
            .unwrap_or_else(|| (String::new(), String::new()))
    };
    let rows = (0..len)
        .map(|i| {
            let (n, na) = cell(&needs, i);
            let (r, ra) = cell(&resources, i);
            [n, na, r, ra]
        })
        .collect();
    let balance = balance_sentence(a);
    // A side with no line at all was not entered: its total is unknown, not "0 €".
    let total = |lines: &[(String, String)], cents: i64| {
        if lines.is_empty() {
            UNKNOWN.to_owned()
        } else {
            format_cents(cents)
        }
    };
    Plan {
        needs_total: total(&needs, a.needs_cents),
        resources_total: total(&resources, a.resources_cents),
        rows,
        balanced: a.balanced,
        balance,
    }
}

/// What the summary says of the plan's balance: "Plan équilibré…", "Plan non équilibré…"
/// with the gap, or that the plan was not entered.
pub fn balance_sentence(a: &PlanAnalysis) -> String {
    if a.needs_cents == 0 {
        "Le plan de financement n'est pas renseigné.".to_owned()
    } else if a.balanced {
        format!(
            "Plan équilibré : les ressources couvrent exactement les besoins ({}).",
            format_cents(a.needs_cents)
        )
    } else {
        format!(
            "Plan non équilibré : les ressources ({}) {} ({}) de {}.",
            format_cents(a.resources_cents),
            if a.difference_cents > 0 {
                "dépassent les besoins"
            } else {
                "sont inférieures aux besoins"
            },
            format_cents(a.needs_cents),
            format_cents(a.difference_cents.abs())
        )
    }
}

fn forecast(d: &Dossier) -> Forecast {
    let year = |y: i64| d.forecast.iter().find(|f| f.year == y);
    let figures =
        |y: i64| -> Option<&ForecastFigures> { d.analysis.forecast.iter().find(|f| f.year == y) };
    let entered =
        |get: fn(&permanence_domain::dossier::ForecastYear) -> Option<i64>| -> [String; 3] {
            [1, 2, 3].map(|y| cents_or_unknown(year(y).and_then(get)))
        };
    let computed = |get: fn(&ForecastFigures) -> Option<i64>| -> [String; 3] {
        [1, 2, 3].map(|y| cents_or_unknown(figures(y).and_then(get)))
    };
    let row = |label: &str, values: [String; 3], strong: bool| ForecastRow {
        label: label.to_owned(),
        values,
        strong,
    };
    let any_loan = d.analysis.bank_loans_cents > 0 || d.analysis.honour_loans_cents > 0;
    let repayments = [1, 2, 3].map(|y| {
        figures(y).filter(|_| any_loan).map_or_else(
            || UNKNOWN.to_owned(),
            // Whole euros, as the other forecast figures.
            |f| {
                format_cents(round_to_euros(
                    f.bank_repayments_cents + f.honour_repayments_cents,
                ))
            },
        )
    });
    let covered = [1, 2, 3].map(|y| match figures(y).and_then(|f| f.caf_covers_repayments) {
        None => UNKNOWN.to_owned(),
        Some(true) => "Oui".to_owned(),
        Some(false) => "Non".to_owned(),
    });
    Forecast {
        rows: vec![
            row("Chiffre d'affaires", entered(|f| f.turnover_cents), true),
            row("Marge brute", entered(|f| f.gross_margin_cents), false),
            row(
                "Charges externes",
                entered(|f| f.external_costs_cents),
                false,
            ),
            row("Salaires et charges", entered(|f| f.wages_cents), false),
            row(
                "Rémunération du dirigeant",
                entered(|f| f.owner_pay_cents),
                false,
            ),
            row(
                "Excédent brut d'exploitation (EBE)",
                computed(|f| f.ebe_cents),
                true,
            ),
            row("Résultat net", computed(|f| f.result_cents), false),
            row(
                "Capacité d'autofinancement (CAF)",
                computed(|f| f.caf_cents),
                true,
            ),
            row("Remboursements d'emprunts", repayments, false),
            row("La CAF couvre les remboursements", covered, false),
        ],
        assumptions: paragraphs(&d.forecast_assumptions),
    }
}

fn banks(d: &Dossier) -> Vec<BankLoan> {
    d.financing
        .iter()
        .filter(|l| l.category == permanence_domain::codes::FinancingCategory::BankLoan)
        .map(|l| BankLoan {
            bank: or_unknown(&l.bank),
            amount: line_amount(l),
            months: months(l.months),
            rate: l
                .rate_bp
                .map_or_else(|| UNKNOWN.to_owned(), format_percent_bp),
            guarantee: l
                .guarantee
                .map_or_else(|| UNKNOWN.to_owned(), |g| g.label().to_owned()),
            status: l
                .bank_status
                .map_or_else(|| UNKNOWN.to_owned(), |s| s.label().to_owned()),
        })
        .collect()
}

fn request(d: &Dossier, settings: &PlatformSettings) -> Request {
    let a = &d.analysis;
    let loans: Vec<[String; 4]> = d
        .holders
        .iter()
        .filter(|h| h.loan_requested_cents.is_some_and(|c| c > 0))
        .map(|h| {
            [
                short_name(h),
                cents_or_unknown(h.loan_requested_cents),
                months(h.loan_months),
                h.loan_deferral_months.map_or_else(
                    || UNKNOWN.to_owned(),
                    |m| {
                        if m == 0 {
                            "aucun".to_owned()
                        } else {
                            format!("{m}\u{a0}mois")
                        }
                    },
                ),
            ]
        })
        .collect();
    let requested: i64 = d
        .holders
        .iter()
        .filter_map(|h| h.loan_requested_cents)
        .sum();
    let rules = &settings.loan_rules;
    let minimum = rules.min_bank_leverage;
    let mut rules_text = format!(
        "Règles de la plateforme : prêt de {} à {} par personne, {} mois au plus, différé de {} mois au plus",
        format_cents(rules.min_cents),
        format_cents(rules.max_cents),
        rules.max_months,
        rules.max_deferral_months
    );
    if minimum > 0.0 {
        rules_text.push_str(&format!(
            ", effet levier bancaire d'au moins 1 pour {}",
            format_ratio(minimum)
        ));
    }
    rules_text.push('.');
    Request {
        total: if loans.is_empty() {
            UNKNOWN.to_owned()
        } else {
            format_cents(requested)
        },
        loans,
        bank_total: if a.bank_loans_cents > 0 {
            format_cents(a.bank_loans_cents)
        } else {
            "aucun prêt bancaire".to_owned()
        },
        leverage: leverage_text(a.leverage),
        leverage_below_minimum: minimum > 0.0 && a.leverage.is_some_and(|l| l + 1e-9 < minimum),
        rules: rules_text,
    }
}

impl CoverData {
    /// `first_pages[i]` is the page where the i-th dossier's summary starts in the pack.
    pub fn new(
        committee: &Committee,
        dossiers: &[Dossier],
        first_pages: &[usize],
        pages: usize,
        settings: &PlatformSettings,
        logo: Option<String>,
    ) -> CoverData {
        let requested: i64 = dossiers
            .iter()
            .flat_map(|d| d.holders.iter())
            .filter_map(|h| h.loan_requested_cents)
            .sum();
        let bank: i64 = dossiers.iter().map(|d| d.analysis.bank_loans_cents).sum();
        CoverData {
            platform: PlatformData {
                name: or_unknown(&settings.name),
                code: settings.code.clone(),
                logo,
            },
            kind: committee.kind.label().to_owned(),
            date_long: long_date(committee.held_on),
            date: format_date(committee.held_on),
            place: or_unknown(&committee.place),
            items: dossiers
                .iter()
                .enumerate()
                .map(|(i, d)| CoverItem {
                    position: i + 1,
                    number: d.number.clone(),
                    holders: holder_names(&d.holders),
                    project: project_name(d),
                    commune: or_unknown(if d.business.commune.trim().is_empty() {
                        d.holders.first().map_or("", |h| h.commune.as_str())
                    } else {
                        &d.business.commune
                    }),
                    requested: {
                        let cents: i64 = d
                            .holders
                            .iter()
                            .filter_map(|h| h.loan_requested_cents)
                            .sum();
                        if cents > 0 {
                            format_cents(cents)
                        } else {
                            UNKNOWN.to_owned()
                        }
                    },
                    page: first_pages.get(i).copied().unwrap_or(0),
                })
                .collect(),
            count: match dossiers.len() {
                0 => "Aucun dossier".to_owned(),
                1 => "1 dossier".to_owned(),
                n => format!("{n} dossiers"),
            },
            total_requested: if requested > 0 {
                format_cents(requested)
            } else {
                "aucun".to_owned()
            },
            total_bank: if bank > 0 {
                format_cents(bank)
            } else {
                "aucun".to_owned()
            },
            pages,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_dates_are_french() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
        assert_eq!(long_date(d), "mardi 8 décembre 2026");
        let first = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        assert_eq!(long_date(first), "vendredi 1er janvier 2027");
    }

    #[test]
    fn leverage_reads_one_for_so_many() {
        assert_eq!(leverage_text(Some(3.2)), "1 pour 3,2");
        assert_eq!(leverage_text(Some(4.0)), "1 pour 4");
        assert_eq!(leverage_text(None), UNKNOWN);
    }

    #[test]
    fn empty_long_texts_are_unknown_and_paragraphs_are_kept() {
        assert_eq!(paragraphs("  \n "), vec![UNKNOWN.to_owned()]);
        assert_eq!(
            paragraphs("Un.\n\n  Deux,\n  suite. "),
            vec!["Un.".to_owned(), "Deux,\nsuite.".to_owned()]
        );
    }
}
