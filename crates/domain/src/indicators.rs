//! The platform's figures ("tableau de bord", domain brief "Indicators"): one function that
//! the app, the command line and the head office share, computed from the dossiers a store
//! holds (a laptop after sync holds the whole platform), so it works offline.
//!
//! The period is a year, or the year up to a day ("year to date"), compared with the same
//! period of the year before. Definitions, said once here:
//! - Welcomed: dossiers opened in the period. In progress: of those, the ones still being
//!   prepared (instruction, ready for committee). Presented: dossiers whose committee met in
//!   the period with a decision recorded. Financed: of those, the ones granted ("accord").
//! - Businesses supported count financed dossiers; honour loans count the holders granted a
//!   loan (loans are per person; a dossier granted without a holder's amount counts one).
//! - Amount committed: the loans granted in the period; average loan: committed ÷ loans.
//! - Leverage: bank loans ÷ honour loans over financed dossiers that have a bank loan;
//!   coupling rate: the share of financed dossiers with a bank loan.
//! - Jobs created: the business's created jobs plus its holders; jobs kept: in takeovers.
//! - Profiles (over the holders of financed dossiers, ages at the committee's date): job
//!   seekers (indemnified or not), women, under 30, over 45, living in a QPV.
//! - Three-year survival: businesses financed in the same period three years earlier in
//!   activity at their 36-month checkpoint, over those whose outcome is known (a checkpoint
//!   that found the business gone counts as not surviving; no 36-month checkpoint yet is
//!   counted apart). Capture: businesses supported over the territory's creations and
//!   takeovers of the year (a setting), for whole years only.
//! - Mentoring: businesses supported with a pairing started by today. Workshop attendance:
//!   registrations marked present over registrations, for workshops held in the period.
//! - Repayment, at the period's end over every loan disbursed by then: what has fallen due,
//!   what was repaid of it, what is late past the platform's grace, the repayment rate.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::checkpoint::Checkpoint;
use crate::codes::{
    BusinessState, Civility, Decision, DossierStatus, ProjectType, Sector, Situation,
};
use crate::dates::format_date;
use crate::dossier::Dossier;
use crate::ledger::Loan;
use crate::settings::PlatformSettings;

/// What the figures read of a dossier: a light projection a store can load for a whole
/// platform at once (every dossier whole would be slow), and that a `Dossier` gives too.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Facts {
    pub id: Uuid,
    pub opened_on: NaiveDate,
    pub status: DossierStatus,
    pub project_type: ProjectType,
    pub committee_date: Option<NaiveDate>,
    pub decision: Option<Decision>,
    pub decision_amount_cents: Option<i64>,
    pub holders: Vec<HolderFacts>,
    /// The plan's bank loans.
    pub bank_loans_cents: i64,
    pub jobs_created: Option<i64>,
    pub jobs_kept: Option<i64>,
    /// The business's commune (INSEE code), sector and activity code, for breakdowns.
    pub commune_insee: Option<String>,
    pub sector: Option<Sector>,
    pub naf_code: Option<String>,
    pub loans: Vec<Loan>,
    pub checkpoints: Vec<Checkpoint>,
    /// The start of its first pairing with a mentor.
    pub paired_since: Option<NaiveDate>,
    /// Its holders' workshop registrations.
    pub workshops: Vec<WorkshopFacts>,
}

/// One holder registered at a workshop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct WorkshopFacts {
    pub held_on: NaiveDate,
    pub present: bool,
}

impl WorkshopFacts {
    /// A dossier's registrations in one order whoever reads them (by day, then absent first).
    pub fn in_order(mut all: Vec<WorkshopFacts>) -> Vec<WorkshopFacts> {
        all.sort_unstable();
        all
    }
}

/// What the figures read of a holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolderFacts {
    pub civility: Civility,
    pub birth_date: Option<NaiveDate>,
    pub situation: Option<Situation>,
    pub qpv: bool,
    pub loan_granted_cents: Option<i64>,
}

impl From<&Dossier> for Facts {
    fn from(d: &Dossier) -> Facts {
        Facts {
            id: d.id,
            opened_on: d.opened_on,
            status: d.status,
            project_type: d.project_type,
            committee_date: d.committee_date,
            decision: d.decision,
            decision_amount_cents: d.decision_amount_cents,
            holders: d
                .holders
                .iter()
                .map(|h| HolderFacts {
                    civility: h.civility,
                    birth_date: h.birth_date,
                    situation: h.situation,
                    qpv: h.qpv,
                    loan_granted_cents: h.loan_granted_cents,
                })
                .collect(),
            bank_loans_cents: d.analysis.bank_loans_cents,
            jobs_created: d.business.jobs_created,
            jobs_kept: d.business.jobs_kept,
            commune_insee: d.business.commune_insee.clone(),
            sector: d.business.sector,
            naf_code: d.business.naf_code.clone(),
            loans: d.loans.clone(),
            checkpoints: d.checkpoints.clone(),
            paired_since: d.pairings.iter().map(|p| p.start_on).min(),
            workshops: WorkshopFacts::in_order(
                d.workshops
                    .iter()
                    .map(|w| WorkshopFacts {
                        held_on: w.held_on,
                        present: w.present,
                    })
                    .collect(),
            ),
        }
    }
}

impl Facts {
    /// Whether the committee granted the loan ("accord", with or without conditions).
    pub fn granted(&self) -> bool {
        matches!(
            self.decision,
            Some(Decision::Accord | Decision::AccordSousConditions)
        )
    }
}

/// The period the figures are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// `year`, whole or up to `until` (within the year).
    pub fn of_year(year: i32, until: Option<NaiveDate>) -> Option<Period> {
        let from = NaiveDate::from_ymd_opt(year, 1, 1)?;
        let end = NaiveDate::from_ymd_opt(year, 12, 31)?;
        let to = until.map_or(end, |u| u.clamp(from, end));
        Some(Period { from, to })
    }

    /// The same period a year earlier (29 February becomes the 28th).
    pub fn year_before(&self) -> Period {
        let back = |d: NaiveDate| {
            d.with_year(d.year() - 1)
                .or_else(|| NaiveDate::from_ymd_opt(d.year() - 1, d.month(), 28))
                .unwrap_or(d)
        };
        Period {
            from: back(self.from),
            to: back(self.to),
        }
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        (self.from..=self.to).contains(&day)
    }
}

/// A count and the dossiers behind it (every figure opens its list).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Count {
    pub count: i64,
    pub dossiers: Vec<Uuid>,
}

impl Count {
    fn add(&mut self, dossier: Uuid) {
        self.count += 1;
        if self.dossiers.last() != Some(&dossier) {
            self.dossiers.push(dossier);
        }
    }
}

/// A share: `part` of `of`, the rate in basis points (none when `of` is zero), and the
/// dossiers behind the part.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Share {
    pub part: i64,
    pub of: i64,
    pub rate_bp: Option<i64>,
    pub dossiers: Vec<Uuid>,
}

impl Share {
    fn new(part: i64, of: i64) -> Share {
        Share {
            part,
            of,
            rate_bp: (of > 0).then(|| (part * 10_000 + of / 2) / of),
            dossiers: Vec::new(),
        }
    }

    fn behind(mut self, dossiers: Vec<Uuid>) -> Share {
        self.dossiers = dossiers;
        self
    }
}

/// The figures of one period.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Figures {
    pub period: Option<Period>,
    pub welcomed: Count,
    pub in_progress: Count,
    pub presented: Count,
    pub financed: Count,
    pub businesses_supported: i64,
    pub honour_loans: i64,
    pub committed_cents: i64,
    pub average_loan_cents: Option<i64>,
    pub bank_loans_cents: i64,
    /// Bank loans for one euro of honour loan, over financed dossiers with a bank loan.
    pub leverage: Option<f64>,
    pub coupling: Share,
    pub jobs_created: i64,
    pub jobs_kept: i64,
    pub job_seekers: Share,
    pub women: Share,
    pub under_30: Share,
    pub over_45: Share,
    pub qpv: Share,
    pub creations: i64,
    pub takeovers: i64,
    /// Businesses financed three years earlier (same period) still in activity at their
    /// 36-month checkpoint, over those whose outcome is known.
    pub survival: Share,
    /// Businesses financed three years earlier whose outcome at 36 months is not known yet.
    pub survival_unknown: Count,
    /// Businesses supported over the territory's creations and takeovers of the year (a
    /// setting); only for a whole year.
    pub capture: Share,
    /// Businesses supported that a mentor accompanies (a pairing started by the period's end
    /// or since).
    pub mentoring: Share,
    /// Holders present over holders registered, at the workshops held in the period.
    pub workshop_attendance: Share,
    /// Instalments fallen due by the period's end (in cents).
    pub due_cents: i64,
    /// What was paid of the instalments fallen due (early repayments not counted).
    pub paid_due_cents: i64,
    /// Every repayment received by the period's end.
    pub repaid_cents: i64,
    pub overdue_cents: i64,
    pub repayment: Share,
    pub late_loans: Count,
}

/// The figures of a period and of the same period a year before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Indicators {
    pub current: Figures,
    pub previous: Figures,
    /// Dossiers welcomed, change on the year before in basis points.
    pub activity_change_bp: Option<i64>,
}

/// The platform's figures for `period` (and the same period a year before), from what the
/// dossiers say; an instalment is late the platform's grace after its due date. Loans are
/// read as they stand at the period's end, or `today` when the period is not over.
pub fn compute(
    dossiers: &[Facts],
    period: Period,
    settings: &PlatformSettings,
    today: NaiveDate,
) -> Indicators {
    let current = figures(dossiers, period, settings, today);
    let previous = figures(dossiers, period.year_before(), settings, today);
    let activity_change_bp = (previous.welcomed.count > 0).then(|| {
        (current.welcomed.count - previous.welcomed.count) * 10_000 / previous.welcomed.count
    });
    Indicators {
        current,
        previous,
        activity_change_bp,
    }
}

const PREPARING: &[DossierStatus] = &[DossierStatus::Instruction, DossierStatus::PretPourComite];

/// The same period `years` earlier.
fn years_before(period: Period, years: u32) -> Period {
    (0..years).fold(period, |p, _| p.year_before())
}

/// Whether a business financed three years earlier was still in activity at 36 months:
/// `Some(false)` once a checkpoint found it gone, `None` while the 36-month one is missing.
fn active_at_36_months(checkpoints: &[Checkpoint]) -> Option<bool> {
    if checkpoints.iter().any(|c| c.state != BusinessState::Active) {
        return Some(false);
    }
    checkpoints.iter().any(|c| c.month == 36).then_some(true)
}

/// Dossiers with at least one holder of a profile, and the holders counted.
#[derive(Default)]
struct Profile {
    holders: i64,
    dossiers: Vec<Uuid>,
}

impl Profile {
    fn add(&mut self, dossier: Uuid, holder: bool) {
        if holder {
            self.holders += 1;
            if self.dossiers.last() != Some(&dossier) {
                self.dossiers.push(dossier);
            }
        }
    }

    fn share(self, of: i64) -> Share {
        Share::new(self.holders, of).behind(self.dossiers)
    }
}

fn figures(
    dossiers: &[Facts],
    period: Period,
    settings: &PlatformSettings,
    today: NaiveDate,
) -> Figures {
    let grace_days = settings.loan_rules.grace_days;
    let seen = period.to.min(today);
    let cohort = years_before(period, 3);
    let mut f = Figures {
        period: Some(period),
        ..Figures::default()
    };
    let [mut seekers, mut women, mut young, mut older, mut qpv] =
        std::array::from_fn::<Profile, 5, _>(|_| Profile::default());
    let mut people = 0;
    let (mut leveraged_bank, mut leveraged_honour) = (0i64, 0i64);
    let mut coupled = Vec::new();
    let mut survivors = Vec::new();
    let mut known = 0;
    let mut late: BTreeSet<Uuid> = BTreeSet::new();
    let mut repaying = Vec::new();
    let mut paired = Vec::new();
    let (mut registered, mut present) = (0, Profile::default());
    for d in dossiers {
        for w in d.workshops.iter().filter(|w| period.contains(w.held_on)) {
            registered += 1;
            present.add(d.id, w.present);
        }
        if period.contains(d.opened_on) {
            f.welcomed.add(d.id);
            if PREPARING.contains(&d.status) {
                f.in_progress.add(d.id);
            }
        }
        // Repayment at the period's end, for every loan disbursed by then.
        for loan in &d.loans {
            let state = loan.state(seen, grace_days);
            if state.disbursed_cents == 0 {
                continue;
            }
            if repaying.last() != Some(&d.id) {
                repaying.push(d.id);
            }
            // What fell due: the schedule in force's instalments, and what was paid of the
            // ones a rescheduling replaced (their unpaid rest went into the new schedule).
            let (mut due, mut paid) = (0, 0);
            for plan in state.schedule.iter() {
                for i in plan
                    .instalments
                    .iter()
                    .filter(|i| i.instalment.due_on <= seen)
                {
                    due += i.instalment.amount_cents;
                    paid += i.paid_cents;
                }
            }
            for plan in &state.earlier {
                for i in plan
                    .instalments
                    .iter()
                    .filter(|i| i.instalment.due_on <= seen)
                {
                    due += i.paid_cents;
                    paid += i.paid_cents;
                }
            }
            f.due_cents += due;
            f.paid_due_cents += paid;
            f.repaid_cents += state.repaid_cents;
            f.overdue_cents += state.overdue_cents;
            if state.overdue_cents > 0 && late.insert(loan.id) {
                f.late_loans.add(d.id);
            }
        }
        let Some(met) = d.committee_date.filter(|_| d.decision.is_some()) else {
            continue;
        };
        // Three-year survival: the businesses financed in the same period three years ago.
        if cohort.contains(met) && d.granted() {
            match active_at_36_months(&d.checkpoints) {
                Some(active) => {
                    known += 1;
                    if active {
                        survivors.push(d.id);
                    }
                }
                None => f.survival_unknown.add(d.id),
            }
        }
        if !period.contains(met) {
            continue;
        }
        f.presented.add(d.id);
        if !d.granted() {
            continue;
        }
        f.financed.add(d.id);
        f.businesses_supported += 1;
        if d.paired_since.is_some_and(|since| since <= today) {
            paired.push(d.id);
        }
        match d.project_type {
            ProjectType::Reprise => f.takeovers += 1,
            _ => f.creations += 1,
        }
        let granted: Vec<i64> = d
            .holders
            .iter()
            .filter_map(|h| h.loan_granted_cents.filter(|c| *c > 0))
            .collect();
        let (loans, honour) = if granted.is_empty() {
            let amount = d.decision_amount_cents.unwrap_or(0);
            (i64::from(amount > 0), amount)
        } else {
            (granted.len() as i64, granted.iter().sum())
        };
        f.honour_loans += loans;
        f.committed_cents += honour;
        f.bank_loans_cents += d.bank_loans_cents;
        if d.bank_loans_cents > 0 {
            coupled.push(d.id);
            leveraged_bank += d.bank_loans_cents;
            leveraged_honour += honour;
        }
        f.jobs_created += d.jobs_created.unwrap_or(0) + d.holders.len() as i64;
        if d.project_type == ProjectType::Reprise {
            f.jobs_kept += d.jobs_kept.unwrap_or(0);
        }
        for h in &d.holders {
            people += 1;
            seekers.add(
                d.id,
                matches!(
                    h.situation,
                    Some(Situation::DemandeurIndemnise | Situation::DemandeurNonIndemnise)
                ),
            );
            women.add(d.id, h.civility == Civility::Madame);
            qpv.add(d.id, h.qpv);
            if let Some(born) = h.birth_date {
                let age = crate::dates::age_on(born, met);
                young.add(d.id, age < 30);
                older.add(d.id, age > 45);
            }
        }
    }
    f.average_loan_cents = (f.honour_loans > 0).then(|| f.committed_cents / f.honour_loans);
    f.leverage = (leveraged_honour > 0).then(|| leveraged_bank as f64 / leveraged_honour as f64);
    f.coupling = Share::new(coupled.len() as i64, f.businesses_supported).behind(coupled);
    f.job_seekers = seekers.share(people);
    f.women = women.share(people);
    f.under_30 = young.share(people);
    f.over_45 = older.share(people);
    f.qpv = qpv.share(people);
    f.survival = Share::new(survivors.len() as i64, known).behind(survivors);
    let whole_year = period.from.ordinal() == 1
        && Period::of_year(period.from.year(), None).is_some_and(|y| y.to == period.to);
    let territory = settings
        .territory_creations
        .iter()
        .find(|t| t.year == i64::from(period.from.year()))
        .filter(|_| whole_year)
        .map_or(0, |t| t.creations);
    f.capture = Share::new(f.businesses_supported, territory).behind(f.financed.dossiers.clone());
    f.repayment = Share::new(f.paid_due_cents, f.due_cents).behind(repaying);
    f.mentoring = Share::new(paired.len() as i64, f.businesses_supported).behind(paired);
    f.workshop_attendance = present.share(registered);
    f
}

/// One line of the tableau de bord: a figure of this period and of the year before, as
/// people read it. The screen and the command line show these same rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IndicatorRow {
    /// The figure's name in `Figures` (`honour_loans`…).
    pub key: String,
    pub label: String,
    pub now: String,
    pub before: String,
    /// Something that needs the advisor (late repayments).
    pub alert: bool,
    /// The dossiers behind this period's figure (each figure opens its list).
    pub dossiers: Vec<Uuid>,
}

/// The figures with their rows, as the tableau de bord shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Dashboard {
    pub indicators: Indicators,
    pub rows: Vec<IndicatorRow>,
}

impl Indicators {
    /// The rows of the tableau de bord, in the order of the domain brief's indicators.
    pub fn rows(&self) -> Vec<IndicatorRow> {
        use crate::money::{format_cents, format_percent_bp};
        use crate::pipeline::format_ratio;
        const NONE: &str = "—";
        let (c, p) = (&self.current, &self.previous);
        let count = |n: i64| n.to_string();
        let money = |cents: Option<i64>| cents.map_or(NONE.to_owned(), format_cents);
        let share = |s: &Share| s.rate_bp.map_or(NONE.to_owned(), format_percent_bp);
        let ratio =
            |l: Option<f64>| l.map_or(NONE.to_owned(), |l| format!("1 pour {}", format_ratio(l)));
        type Show<'a> = &'a dyn Fn(&Figures) -> String;
        type Behind<'a> = &'a dyn Fn(&Figures) -> &[Uuid];
        let row = |key: &str, label: &str, show: Show, behind: Behind, alert: bool| IndicatorRow {
            key: key.into(),
            label: label.into(),
            now: show(c),
            before: show(p),
            alert,
            dossiers: behind(c).to_vec(),
        };
        let financed: Behind = &|f| &f.financed.dossiers;
        vec![
            row(
                "welcomed",
                "Personnes accueillies (dossiers ouverts)",
                &|f| count(f.welcomed.count),
                &|f| &f.welcomed.dossiers,
                false,
            ),
            row(
                "in_progress",
                "Dossiers en cours",
                &|f| count(f.in_progress.count),
                &|f| &f.in_progress.dossiers,
                false,
            ),
            row(
                "presented",
                "Présentés en comité",
                &|f| count(f.presented.count),
                &|f| &f.presented.dossiers,
                false,
            ),
            row(
                "financed",
                "Financés",
                &|f| count(f.financed.count),
                financed,
                false,
            ),
            row(
                "businesses",
                "Entreprises soutenues",
                &|f| count(f.businesses_supported),
                financed,
                false,
            ),
            row(
                "loans",
                "Prêts d'honneur accordés",
                &|f| count(f.honour_loans),
                financed,
                false,
            ),
            row(
                "committed",
                "Montant engagé",
                &|f| money(Some(f.committed_cents)),
                financed,
                false,
            ),
            row(
                "average",
                "Prêt moyen",
                &|f| money(f.average_loan_cents),
                financed,
                false,
            ),
            row(
                "bank",
                "Prêts bancaires associés",
                &|f| money(Some(f.bank_loans_cents)),
                &|f| &f.coupling.dossiers,
                false,
            ),
            row(
                "leverage",
                "Effet levier",
                &|f| ratio(f.leverage),
                &|f| &f.coupling.dossiers,
                false,
            ),
            row(
                "coupling",
                "Taux de couplage bancaire",
                &|f| share(&f.coupling),
                &|f| &f.coupling.dossiers,
                false,
            ),
            row(
                "jobs_created",
                "Emplois créés",
                &|f| count(f.jobs_created),
                financed,
                false,
            ),
            row(
                "jobs_kept",
                "Emplois maintenus (reprises)",
                &|f| count(f.jobs_kept),
                financed,
                false,
            ),
            row(
                "survival",
                "Entreprises actives à 3 ans (financées 3 ans plus tôt)",
                &|f| share(&f.survival),
                &|f| &f.survival.dossiers,
                false,
            ),
            row(
                "capture",
                "Part des créations et reprises du territoire",
                &|f| share(&f.capture),
                &|f| &f.capture.dossiers,
                false,
            ),
            row(
                "mentoring",
                "Entreprises accompagnées par un parrain",
                &|f| share(&f.mentoring),
                &|f| &f.mentoring.dossiers,
                false,
            ),
            row(
                "workshop_attendance",
                "Présence aux ateliers",
                &|f| share(&f.workshop_attendance),
                &|f| &f.workshop_attendance.dossiers,
                false,
            ),
            row(
                "job_seekers",
                "Demandeurs d'emploi",
                &|f| share(&f.job_seekers),
                &|f| &f.job_seekers.dossiers,
                false,
            ),
            row(
                "women",
                "Femmes",
                &|f| share(&f.women),
                &|f| &f.women.dossiers,
                false,
            ),
            row(
                "under_30",
                "Moins de 30 ans",
                &|f| share(&f.under_30),
                &|f| &f.under_30.dossiers,
                false,
            ),
            row(
                "over_45",
                "Plus de 45 ans",
                &|f| share(&f.over_45),
                &|f| &f.over_45.dossiers,
                false,
            ),
            row(
                "qpv",
                "Habitant un QPV",
                &|f| share(&f.qpv),
                &|f| &f.qpv.dossiers,
                false,
            ),
            row(
                "repayment",
                "Taux de remboursement",
                &|f| share(&f.repayment),
                &|f| &f.repayment.dossiers,
                false,
            ),
            row(
                "overdue",
                "Impayés",
                &|f| money(Some(f.overdue_cents)),
                &|f| &f.late_loans.dossiers,
                c.overdue_cents > 0,
            ),
            row(
                "late_loans",
                "Prêts avec impayés",
                &|f| count(f.late_loans.count),
                &|f| &f.late_loans.dossiers,
                c.late_loans.count > 0,
            ),
        ]
    }

    /// The figures as a short French report, one row per line, the year before in brackets
    /// (for the command line).
    pub fn report(&self) -> String {
        let period = |f: &Figures| {
            f.period.map_or(String::new(), |p| {
                format!("du {} au {}", format_date(p.from), format_date(p.to))
            })
        };
        let mut out = format!(
            "Indicateurs {} (année précédente : {})\n",
            period(&self.current),
            period(&self.previous)
        );
        for r in self.rows() {
            out.push_str(&format!("{:<55} {:>16}   ({})\n", r.label, r.now, r.before));
        }
        if let Some(change) = self.activity_change_bp {
            out.push_str(&format!(
                "Activité (dossiers ouverts) : {}{} sur l'année précédente\n",
                if change >= 0 { "+" } else { "" },
                crate::money::format_percent_bp(change)
            ));
        }
        out
    }

    /// The figures with their rows, for the screen.
    pub fn dashboard(self) -> Dashboard {
        let rows = self.rows();
        Dashboard {
            indicators: self,
            rows,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(n: i64) -> Count {
        Count {
            count: n,
            dossiers: Vec::new(),
        }
    }

    fn figures(honour_loans: i64, leverage: Option<f64>) -> Figures {
        Figures {
            welcomed: count(300),
            businesses_supported: 100,
            honour_loans,
            committed_cents: 867_000_00,
            leverage,
            job_seekers: Share::new(63, 126),
            ..Figures::default()
        }
    }

    fn row(rows: &[IndicatorRow], key: &str) -> IndicatorRow {
        rows.iter().find(|r| r.key == key).cloned().unwrap()
    }

    #[test]
    fn rows_show_the_figures_the_french_way_this_period_against_the_year_before() {
        let i = Indicators {
            current: figures(126, Some(11.0)),
            previous: figures(90, None),
            activity_change_bp: Some(2_000),
        };
        let rows = i.rows();
        assert_eq!(
            (row(&rows, "loans").now, row(&rows, "loans").before),
            ("126".into(), "90".into())
        );
        assert_eq!(row(&rows, "committed").now, "867\u{202f}000\u{a0}€");
        let leverage = row(&rows, "leverage");
        assert_eq!(
            (leverage.now.as_str(), leverage.before.as_str()),
            ("1 pour 11", "—")
        );
        assert_eq!(row(&rows, "job_seekers").now, "50\u{a0}%");
        assert_eq!(row(&rows, "repayment").now, "—");
        assert!(!row(&rows, "overdue").alert);
        let report = i.report();
        assert!(report.contains("Prêts d'honneur accordés"), "{report}");
        assert!(report.contains("+20\u{a0}%"), "{report}");
    }

    #[test]
    fn what_is_late_is_marked() {
        let mut current = figures(1, None);
        current.overdue_cents = 250_00;
        current.late_loans = count(1);
        let rows = Indicators {
            current,
            previous: figures(1, None),
            activity_change_bp: None,
        }
        .rows();
        let overdue = row(&rows, "overdue");
        assert_eq!((overdue.now.as_str(), overdue.alert), ("250\u{a0}€", true));
    }
}
