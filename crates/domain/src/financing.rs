//! The financing plan and forecast arithmetic: totals, balance, leverage, EBE, result, CAF and
//! yearly repayments. Pure functions over the dossier's data, in integer cents.
//!
//! Honour loans are the holders' requests (granted amounts once decided), never plan lines,
//! so a loan is entered once and the plan always agrees with the holders.

use crate::codes::{FinancingCategory, FinancingSide};
use crate::dossier::{FinancingLine, ForecastYear, Holder};
pub use crate::dossier::{ForecastFigures, PlanAnalysis};

/// The honour loan amount that counts in the plan: granted once decided, else requested.
pub fn honour_loan_cents(holder: &Holder) -> i64 {
    holder
        .loan_granted_cents
        .or(holder.loan_requested_cents)
        .unwrap_or(0)
}

pub fn analyse(
    lines: &[FinancingLine],
    holders: &[Holder],
    forecast: &[ForecastYear],
) -> PlanAnalysis {
    let sum = |side: FinancingSide| -> i64 {
        lines
            .iter()
            .filter(|l| l.side == side)
            .map(|l| l.amount_cents)
            .sum()
    };
    let honour_loans_cents: i64 = holders.iter().map(honour_loan_cents).sum();
    let bank_loans_cents: i64 = lines
        .iter()
        .filter(|l| l.category == FinancingCategory::BankLoan)
        .map(|l| l.amount_cents)
        .sum();
    let needs_cents = sum(FinancingSide::Need);
    let resources_cents = sum(FinancingSide::Resource) + honour_loans_cents;
    let difference_cents = resources_cents - needs_cents;
    PlanAnalysis {
        needs_cents,
        resources_cents,
        difference_cents,
        balanced: difference_cents == 0 && needs_cents > 0,
        honour_loans_cents,
        bank_loans_cents,
        leverage: (honour_loans_cents > 0)
            .then(|| bank_loans_cents as f64 / honour_loans_cents as f64),
        forecast: (1..=3)
            .map(|year| {
                let data = forecast.iter().find(|f| f.year == year);
                figures(year, data, lines, holders)
            })
            .collect(),
    }
}

fn figures(
    year: i64,
    data: Option<&ForecastYear>,
    lines: &[FinancingLine],
    holders: &[Holder],
) -> ForecastFigures {
    let bank_repayments_cents = lines
        .iter()
        .filter(|l| l.category == FinancingCategory::BankLoan)
        .map(|l| bank_repayment_in_year(l.amount_cents, l.months, l.rate_bp, year))
        .sum();
    let honour_repayments_cents = holders
        .iter()
        .map(|h| {
            honour_repayment_in_year(
                honour_loan_cents(h),
                h.loan_months,
                h.loan_deferral_months,
                year,
            )
        })
        .sum();
    let ebe_cents = data.and_then(|f| {
        let costs = [
            f.external_costs_cents,
            f.taxes_cents,
            f.wages_cents,
            f.owner_pay_cents,
        ];
        f.gross_margin_cents
            .map(|m| m - costs.iter().map(|c| c.unwrap_or(0)).sum::<i64>())
    });
    let depreciation = data.and_then(|f| f.depreciation_cents).unwrap_or(0);
    let interest = data.and_then(|f| f.interest_cents).unwrap_or(0);
    let result_cents = ebe_cents.map(|ebe| ebe - depreciation - interest);
    let caf_cents = result_cents.map(|r| r + depreciation);
    ForecastFigures {
        year,
        ebe_cents,
        result_cents,
        caf_cents,
        bank_repayments_cents,
        honour_repayments_cents,
        caf_covers_repayments: caf_cents
            .map(|caf| caf >= bank_repayments_cents + honour_repayments_cents),
    }
}

/// Months of `year` (1-based) that fall in `first..=last` (1-based months of the loan).
fn months_in_year(year: i64, first: i64, last: i64) -> i64 {
    let (start, end) = (12 * (year - 1) + 1, 12 * year);
    (end.min(last) - start.max(first) + 1).max(0)
}

/// An honour loan is repaid in equal monthly parts after its deferral, at 0 %.
pub fn honour_repayment_in_year(
    amount: i64,
    months: Option<i64>,
    deferral: Option<i64>,
    year: i64,
) -> i64 {
    let Some(months) = months.filter(|m| *m > 0) else {
        return 0;
    };
    let deferral = deferral.unwrap_or(0).clamp(0, months - 1);
    let paying = months - deferral;
    let counted = months_in_year(year, deferral + 1, months);
    // Whole cents: the last month carries the rounding so the total is exact.
    let monthly = amount / paying;
    let last_extra = if deferral + paying <= 12 * year && deferral + paying > 12 * (year - 1) {
        amount - monthly * paying
    } else {
        0
    };
    monthly * counted + last_extra
}

/// A bank loan is repaid by constant monthly instalments (principal and interest).
pub fn bank_repayment_in_year(
    amount: i64,
    months: Option<i64>,
    rate_bp: Option<i64>,
    year: i64,
) -> i64 {
    let Some(months) = months.filter(|m| *m > 0) else {
        return 0;
    };
    let monthly_rate = rate_bp.unwrap_or(0) as f64 / 10_000.0 / 12.0;
    let instalment = if monthly_rate == 0.0 {
        amount as f64 / months as f64
    } else {
        amount as f64 * monthly_rate / (1.0 - (1.0 + monthly_rate).powi(-(months as i32)))
    };
    (instalment * months_in_year(year, 1, months) as f64).round() as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::Civility;
    use uuid::Uuid;

    fn line(category: FinancingCategory, amount_cents: i64) -> FinancingLine {
        FinancingLine {
            id: Uuid::now_v7(),
            side: category.side(),
            category,
            label: String::new(),
            amount_cents,
            bank: String::new(),
            months: Some(60),
            rate_bp: Some(0),
            guarantee: None,
            bank_status: None,
        }
    }

    fn holder(loan: i64) -> Holder {
        Holder {
            id: Uuid::now_v7(),
            civility: Civility::Madame,
            last_name: "L".into(),
            first_name: "A".into(),
            birth_name: String::new(),
            birth_date: None,
            address: String::new(),
            postal_code: None,
            commune_insee: None,
            commune: String::new(),
            phone: None,
            email: None,
            situation: None,
            jobseeker_since: None,
            education: String::new(),
            experience_years: None,
            qpv: false,
            driving_licence: false,
            role: String::new(),
            capital_share_bp: None,
            personal_contribution_cents: None,
            background: String::new(),
            motivation: String::new(),
            loan_requested_cents: Some(loan),
            loan_granted_cents: None,
            loan_months: Some(60),
            loan_deferral_months: Some(0),
            loan_fund: String::new(),
            loan_disbursed_on: None,
        }
    }

    #[test]
    fn a_plan_balances_to_the_cent_with_honour_loans_counted_once() {
        let lines = [
            line(FinancingCategory::TangibleAssets, 50_000_00),
            line(FinancingCategory::PersonalContribution, 10_000_00),
            line(FinancingCategory::BankLoan, 32_000_00),
        ];
        let analysis = analyse(&lines, &[holder(8_000_00)], &[]);
        assert_eq!(analysis.needs_cents, 50_000_00);
        assert_eq!(analysis.resources_cents, 50_000_00);
        assert!(analysis.balanced);
        assert_eq!(analysis.leverage, Some(4.0));

        let off_by_a_cent = analyse(&lines, &[holder(8_000_01)], &[]);
        assert!(!off_by_a_cent.balanced);
        assert_eq!(off_by_a_cent.difference_cents, 1);
    }

    #[test]
    fn no_leverage_without_honour_loan_and_empty_plan_is_not_balanced() {
        let analysis = analyse(&[], &[], &[]);
        assert_eq!(analysis.leverage, None);
        assert!(!analysis.balanced, "an empty plan is not a balanced one");
    }

    #[test]
    fn forecast_figures_follow_the_usual_cascade() {
        let year = ForecastYear {
            year: 1,
            turnover_cents: Some(120_000_00),
            gross_margin_cents: Some(80_000_00),
            external_costs_cents: Some(20_000_00),
            taxes_cents: Some(2_000_00),
            wages_cents: Some(25_000_00),
            owner_pay_cents: Some(18_000_00),
            depreciation_cents: Some(5_000_00),
            interest_cents: Some(1_000_00),
        };
        let analysis = analyse(&[], &[], &[year]);
        let y1 = &analysis.forecast[0];
        assert_eq!(y1.ebe_cents, Some(15_000_00));
        assert_eq!(y1.result_cents, Some(9_000_00));
        assert_eq!(y1.caf_cents, Some(14_000_00));
        assert_eq!(analysis.forecast[1].ebe_cents, None, "year 2 not entered");
    }

    #[test]
    fn honour_loans_are_repaid_after_the_deferral_to_the_cent() {
        let total: i64 = (1..=8)
            .map(|y| honour_repayment_in_year(10_000_01, Some(84), Some(6), y))
            .sum();
        assert_eq!(
            total, 10_000_01,
            "the whole loan is repaid, rounding included"
        );
        assert_eq!(
            honour_repayment_in_year(6_000_00, Some(60), Some(6), 1),
            6 * (6_000_00 / 54)
        );
    }

    #[test]
    fn a_zero_rate_bank_loan_repays_its_amount_over_its_months() {
        let total: i64 = (1..=5)
            .map(|y| bank_repayment_in_year(60_000_00, Some(60), Some(0), y))
            .sum();
        assert_eq!(total, 60_000_00);
        assert!(bank_repayment_in_year(60_000_00, Some(60), Some(400), 1) > 12_000_00);
    }
}
