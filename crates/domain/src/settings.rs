//! The platform's settings: its name and code, its territory, its loan rules and its loan
//! schemes. Platform rules are settings, not code: two platforms with different bounds run
//! the same binary.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use ts_rs::TS;

use crate::error::{Error, FieldErrors};
use crate::reference;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PlatformSettings {
    pub name: String,
    /// Prefix of the dossiers' numbers, e.g. `TA7V`.
    pub code: String,
    /// The advisor using this laptop; new dossiers and sessions are theirs.
    pub advisor: String,
    /// INSEE codes of the communes the platform serves; empty while not configured.
    pub territory: Vec<String>,
    pub loan_rules: LoanRules,
    pub loan_schemes: Vec<String>,
    /// The territory's creations and takeovers of businesses per year (from INSEE), against
    /// which the platform's capture rate is measured.
    #[serde(default)]
    pub territory_creations: Vec<TerritoryYear>,
    /// The platform's own summary template (typst source reading `data.json`), replacing the
    /// default one; a template that fails falls back to the default with a warning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub summary_template: Option<String>,
    /// The platform's logo for the summary and the pack, a PNG in base64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub logo_png_base64: Option<String>,
}

/// The territory's creations and takeovers of one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TerritoryYear {
    #[serde(deserialize_with = "crate::json::whole")]
    pub year: i64,
    #[serde(deserialize_with = "crate::json::whole")]
    pub creations: i64,
}

/// The years a territory's creations can be given for.
pub const TERRITORY_YEARS: std::ops::RangeInclusive<i64> = 1990..=2100;
/// The most creations a territory's year can count (all of France makes about a million).
pub const TERRITORY_CREATIONS_MAX: i64 = 2_000_000;

/// Longest summary template accepted, in characters.
pub const SUMMARY_TEMPLATE_MAX: usize = 200_000;
/// Largest logo accepted, in bytes of PNG.
pub const LOGO_MAX_BYTES: usize = 512 * 1024;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoanRules {
    #[serde(deserialize_with = "crate::json::whole")]
    pub min_cents: i64,
    #[serde(deserialize_with = "crate::json::whole")]
    pub max_cents: i64,
    /// Longest duration, 24–84 months.
    #[serde(deserialize_with = "crate::json::whole")]
    pub max_months: i64,
    #[serde(deserialize_with = "crate::json::whole")]
    pub max_deferral_months: i64,
    /// Bank loans must be at least this many times the honour loans (e.g. 2.0); 0 for none.
    pub min_bank_leverage: f64,
    /// Days after its due date an instalment not paid in full shows as "impayé" (0–90).
    #[serde(
        default = "default_grace_days",
        deserialize_with = "crate::json::whole"
    )]
    pub grace_days: i64,
}

/// The longest grace before an instalment is late.
pub const GRACE_DAYS_MAX: i64 = 90;

/// Grace before an instalment is late, for settings saved before it existed.
pub const fn default_grace_days() -> i64 {
    15
}

impl Default for PlatformSettings {
    fn default() -> Self {
        PlatformSettings {
            name: "Initiative Ternois-Artois-7 Vallées".into(),
            code: "TA7V".into(),
            advisor: String::new(),
            territory: Vec::new(),
            loan_rules: LoanRules {
                min_cents: 1_000_00,
                max_cents: 10_000_00,
                max_months: 84,
                max_deferral_months: 6,
                min_bank_leverage: 2.0,
                grace_days: default_grace_days(),
            },
            loan_schemes: vec![
                "Prêt d'honneur Initiative".into(),
                "Prêt d'honneur solidaire".into(),
                "Prêt d'honneur Création-Reprise Hauts-de-France".into(),
            ],
            summary_template: None,
            logo_png_base64: None,
            territory_creations: Vec::new(),
        }
    }
}

impl PlatformSettings {
    /// Checks settings before they are saved; French messages per field.
    /// The platform's settings (all but the advisor's name) that differ from `other`'s,
    /// named as the settings form names them (`loan_rules.max_cents`). Read from their JSON,
    /// so that a setting added later is compared without a line here.
    pub fn shared_differences(&self, other: &PlatformSettings) -> Vec<String> {
        fn fields(settings: &PlatformSettings) -> BTreeMap<String, serde_json::Value> {
            let mut flat = BTreeMap::new();
            let json = serde_json::to_value(settings).unwrap_or_default();
            for (key, value) in json.as_object().into_iter().flatten() {
                match value.as_object() {
                    Some(inner) => {
                        flat.extend(inner.iter().map(|(k, v)| (format!("{key}.{k}"), v.clone())))
                    }
                    None => {
                        flat.insert(key.clone(), value.clone());
                    }
                }
            }
            flat.remove("advisor");
            flat
        }
        let (ours, theirs) = (fields(self), fields(other));
        ours.keys()
            .chain(theirs.keys())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .filter(|k| ours.get(*k) != theirs.get(*k))
            .cloned()
            .collect()
    }

    pub fn validate(&self) -> Result<(), Error> {
        let mut errors = FieldErrors::new();
        if self.name.trim().is_empty() {
            errors.insert(
                "name".into(),
                "Le nom de la plateforme est obligatoire.".into(),
            );
        }
        let code_ok = (2..=8).contains(&self.code.len())
            && self
                .code
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        if !code_ok {
            errors.insert(
                "code".into(),
                "Le code est fait de 2 à 8 majuscules ou chiffres (exemple : TA7V).".into(),
            );
        }
        if let Some(unknown) = self
            .territory
            .iter()
            .find(|c| reference::commune(c).is_none())
        {
            errors.insert(
                "territory".into(),
                format!("La commune « {unknown} » est inconnue."),
            );
        }
        let r = &self.loan_rules;
        if r.min_cents < 0 || r.max_cents < r.min_cents {
            errors.insert(
                "loan_rules.max_cents".into(),
                "Le montant maximal doit être supérieur ou égal au minimal.".into(),
            );
        }
        if !(24..=84).contains(&r.max_months) {
            errors.insert(
                "loan_rules.max_months".into(),
                "La durée maximale est comprise entre 24 et 84 mois.".into(),
            );
        }
        if r.max_deferral_months < 0 || r.max_deferral_months >= r.max_months {
            errors.insert(
                "loan_rules.max_deferral_months".into(),
                "Le différé maximal doit être positif et plus court que la durée.".into(),
            );
        }
        if !(0.0..=100.0).contains(&r.min_bank_leverage) {
            errors.insert(
                "loan_rules.min_bank_leverage".into(),
                "L'effet levier minimal est compris entre 0 et 100.".into(),
            );
        }
        if !(0..=GRACE_DAYS_MAX).contains(&r.grace_days) {
            errors.insert(
                "loan_rules.grace_days".into(),
                format!("Le délai avant impayé est compris entre 0 et {GRACE_DAYS_MAX} jours."),
            );
        }
        let mut years = BTreeSet::new();
        for t in &self.territory_creations {
            let problem = if !TERRITORY_YEARS.contains(&t.year) {
                Some(format!(
                    "L'année {} est hors de la période {}–{}.",
                    t.year,
                    TERRITORY_YEARS.start(),
                    TERRITORY_YEARS.end()
                ))
            } else if !years.insert(t.year) {
                Some(format!("L'année {} est donnée deux fois.", t.year))
            } else if !(1..=TERRITORY_CREATIONS_MAX).contains(&t.creations) {
                Some(format!(
                    "Le nombre de créations et reprises de {} est compris entre 1 et {}.",
                    t.year,
                    crate::money::group_thousands(TERRITORY_CREATIONS_MAX as u64)
                ))
            } else {
                None
            };
            if let Some(problem) = problem {
                errors.insert("territory_creations".into(), problem);
                break;
            }
        }
        if self.loan_schemes.iter().any(|s| s.trim().is_empty()) {
            errors.insert(
                "loan_schemes".into(),
                "Un dispositif de prêt ne peut pas être vide.".into(),
            );
        }
        if self
            .summary_template
            .as_ref()
            .is_some_and(|t| t.chars().count() > SUMMARY_TEMPLATE_MAX)
        {
            errors.insert(
                "summary_template".into(),
                format!(
                    "Le modèle de fiche ne doit pas dépasser {SUMMARY_TEMPLATE_MAX} caractères."
                ),
            );
        }
        if let Some(logo) = self
            .logo_png_base64
            .as_deref()
            .filter(|l| !l.trim().is_empty())
        {
            // The printing reads it once more with typst's decoder, and prints without a logo
            // (saying why) if that fails.
            match decode_png(logo) {
                Err(why) => {
                    errors.insert(
                        "logo_png_base64".into(),
                        format!("Le logo doit être une image PNG : {why}."),
                    );
                }
                Ok(png) if png.len() > LOGO_MAX_BYTES => {
                    errors.insert(
                        "logo_png_base64".into(),
                        format!(
                            "Le logo ne doit pas dépasser {} Kio.",
                            LOGO_MAX_BYTES / 1024
                        ),
                    );
                }
                Ok(_) => {}
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(errors))
        }
    }

    /// Whether a commune lies in the territory (every commune does while it is not set).
    pub fn in_territory(&self, insee: &str) -> bool {
        self.territory.is_empty() || self.territory.iter().any(|c| c == insee)
    }
}

/// Decodes a base64 PNG (a `data:image/png;base64,` prefix is allowed) and checks that it is
/// a PNG image with sensible dimensions that reads whole; the French reason otherwise.
pub fn decode_png(text: &str) -> std::result::Result<Vec<u8>, String> {
    use base64::Engine as _;
    let payload = text
        .trim()
        .strip_prefix("data:image/png;base64,")
        .unwrap_or(text.trim());
    let compact: String = payload.chars().filter(|c| !c.is_whitespace()).collect();
    let png = base64::engine::general_purpose::STANDARD
        .decode(compact)
        .map_err(|_| "ce n'est pas du base64 valide".to_owned())?;
    let mut reader = png::Decoder::new(std::io::Cursor::new(&png))
        .read_info()
        .map_err(|_| "ce n'est pas une image PNG".to_owned())?;
    let (width, height) = (reader.info().width, reader.info().height);
    if width == 0 || height == 0 || width > 4000 || height > 4000 {
        return Err(format!(
            "dimensions inattendues : {width} × {height} pixels"
        ));
    }
    // Read whole, so that a PNG that only looks right is refused here, on the laptop and at
    // the head office alike, not found out at printing.
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| "l'image PNG est trop grande".to_owned())?;
    let mut pixels = vec![0; size];
    reader
        .next_frame(&mut pixels)
        .map_err(|_| "l'image PNG est illisible".to_owned())?;
    Ok(png)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        PlatformSettings::default().validate().unwrap();
    }

    #[test]
    fn bad_rules_are_refused_per_field() {
        let mut s = PlatformSettings {
            code: "ta 7".into(),
            ..Default::default()
        };
        s.loan_rules.max_cents = 10;
        s.loan_rules.max_months = 120;
        let Err(Error::Invalid(fields)) = s.validate() else {
            panic!("refused")
        };
        assert!(fields.contains_key("code"));
        assert!(fields.contains_key("loan_rules.max_cents"));
        assert!(fields.contains_key("loan_rules.max_months"));
    }

    #[test]
    fn the_territory_creations_are_one_plausible_count_per_year() {
        let problem = |years: &[(i64, i64)]| {
            let s = PlatformSettings {
                territory_creations: years
                    .iter()
                    .map(|&(year, creations)| TerritoryYear { year, creations })
                    .collect(),
                ..PlatformSettings::default()
            };
            match s.validate() {
                Ok(()) => None,
                Err(Error::Invalid(fields)) => fields.get("territory_creations").cloned(),
                Err(other) => panic!("{other:?}"),
            }
        };
        assert_eq!(problem(&[(2015, 310), (2016, 333)]), None);
        assert!(problem(&[(2016, 333), (2016, 340)])
            .unwrap()
            .contains("deux fois"));
        assert!(problem(&[(1890, 333)])
            .unwrap()
            .contains("hors de la période"));
        assert!(problem(&[(2016, 0)]).unwrap().contains("compris entre 1"));
        // Settings saved before the figure existed still read.
        let mut json = serde_json::to_value(PlatformSettings::default()).unwrap();
        json.as_object_mut().unwrap().remove("territory_creations");
        let read: PlatformSettings = serde_json::from_value(json).unwrap();
        assert!(read.territory_creations.is_empty());
    }

    #[test]
    fn an_empty_territory_accepts_every_commune() {
        let mut s = PlatformSettings::default();
        assert!(s.in_territory("75056"));
        s.territory = vec!["62447".into()];
        assert!(s.in_territory("62447"));
        assert!(!s.in_territory("75056"));
    }
}
