//! The dossier's status pipeline: which moves are allowed, and why "prêt pour comité" is
//! refused while the plan does not balance, a required document is missing, or the loan
//! breaks a platform rule.

use crate::codes::{DocumentStatus, DossierStatus, Situation};
use crate::dossier::{Dossier, StatusMove};
use crate::money::format_cents;
use crate::settings::PlatformSettings;

/// The moves a person may make from `from`. Committee outcomes are recorded through the
/// decision, which moves the dossier itself.
pub fn next_statuses(from: DossierStatus) -> &'static [DossierStatus] {
    use DossierStatus::*;
    match from {
        PremierContact => &[Instruction, Abandonne],
        Instruction => &[PretPourComite, Abandonne],
        PretPourComite => &[Instruction, PasseEnComite, Abandonne],
        PasseEnComite => &[Accorde, Ajourne, Refuse],
        Ajourne => &[Instruction, PretPourComite, Abandonne],
        Accorde => &[Decaisse, Abandonne],
        Decaisse => &[EnRemboursement],
        EnRemboursement => &[Solde],
        Refuse | Solde => &[],
        Abandonne => &[PremierContact, Instruction],
    }
}

/// The moves from the dossier's status, each with what stands in its way.
pub fn moves(dossier: &Dossier, settings: &PlatformSettings) -> Vec<StatusMove> {
    next_statuses(dossier.status)
        .iter()
        .map(|&to| StatusMove {
            to,
            blockers: blockers(dossier, to, settings),
        })
        .collect()
}

/// Why `dossier` may not move to `to` now (empty when it may).
pub fn blockers(dossier: &Dossier, to: DossierStatus, settings: &PlatformSettings) -> Vec<String> {
    if !next_statuses(dossier.status).contains(&to) {
        return vec![format!(
            "Un dossier « {} » ne peut pas passer à « {} ».",
            dossier.status.label(),
            to.label()
        )];
    }
    match to {
        DossierStatus::PretPourComite => ready_for_committee(dossier, settings),
        DossierStatus::PasseEnComite if dossier.committee_date.is_none() => {
            vec!["Indiquez la date du comité.".into()]
        }
        _ => Vec::new(),
    }
}

fn ready_for_committee(dossier: &Dossier, settings: &PlatformSettings) -> Vec<String> {
    let mut reasons = Vec::new();
    let plan = &dossier.analysis;
    if plan.needs_cents == 0 {
        reasons.push("Le plan de financement est vide.".into());
    } else if !plan.balanced {
        reasons.push(format!(
            "Le plan de financement n'est pas équilibré : les ressources ({}) {} ({}) de {}.",
            format_cents(plan.resources_cents),
            if plan.difference_cents > 0 {
                "dépassent les besoins"
            } else {
                "sont inférieures aux besoins"
            },
            format_cents(plan.needs_cents),
            format_cents(plan.difference_cents.abs())
        ));
    }
    let job_seeker = dossier.holders.iter().any(|h| {
        matches!(
            h.situation,
            Some(Situation::DemandeurIndemnise | Situation::DemandeurNonIndemnise)
        )
    });
    for doc in &dossier.documents {
        let needed = doc.required
            || (job_seeker && doc.kind == crate::codes::DocumentKind::JobseekerCertificate);
        if needed
            && !matches!(
                doc.status,
                DocumentStatus::Recu | DocumentStatus::NonApplicable
            )
        {
            reasons.push(format!("Pièce manquante : {}.", doc.kind.label()));
        }
    }
    let rules = &settings.loan_rules;
    let mut any_loan = false;
    for h in &dossier.holders {
        let name = format!("{} {}", h.first_name, h.last_name.to_uppercase());
        let Some(amount) = h.loan_requested_cents.filter(|a| *a > 0) else {
            continue;
        };
        any_loan = true;
        if amount < rules.min_cents || amount > rules.max_cents {
            reasons.push(format!(
                "Le prêt d'honneur demandé par {name} ({}) sort des bornes de la plateforme ({} à {}).",
                format_cents(amount),
                format_cents(rules.min_cents),
                format_cents(rules.max_cents)
            ));
        }
        match h.loan_months {
            None => reasons.push(format!("Indiquez la durée du prêt d'honneur de {name}.")),
            Some(m) if m > rules.max_months => reasons.push(format!(
                "La durée du prêt d'honneur de {name} ({m} mois) dépasse le maximum de la plateforme ({} mois).",
                rules.max_months
            )),
            _ => {}
        }
        if let Some(d) = h
            .loan_deferral_months
            .filter(|d| *d > rules.max_deferral_months)
        {
            reasons.push(format!(
                "Le différé du prêt d'honneur de {name} ({d} mois) dépasse le maximum de la plateforme ({} mois).",
                rules.max_deferral_months
            ));
        }
    }
    if !any_loan {
        reasons.push("Aucun porteur ne demande de prêt d'honneur.".into());
    } else if rules.min_bank_leverage > 0.0 {
        let leverage = plan.leverage.unwrap_or(0.0);
        if leverage + 1e-9 < rules.min_bank_leverage {
            reasons.push(format!(
                "L'effet levier bancaire ({}) est inférieur au minimum de la plateforme ({}).",
                format_ratio(leverage),
                format_ratio(rules.min_bank_leverage)
            ));
        }
    }
    reasons
}

/// `2,5` : ratios the French way.
pub fn format_ratio(value: f64) -> String {
    let text = format!("{:.1}", value);
    text.trim_end_matches(".0").replace('.', ",")
}
