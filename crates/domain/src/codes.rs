//! The coded values of the dossier (types, statuses, situations, categories…), each with the
//! text stored in SQLite and sent over IPC, and its French label.
//!
//! The labels are defined here once: the UI's `labels.ts` is generated from them with the other
//! bindings, and the committee summary uses them too.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

macro_rules! codes {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal => $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value stored in SQLite and sent over IPC.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn from_str_opt(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }

            /// The French label shown to people.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }

        impl Code for $name {
            const NAME: &'static str = stringify!($name);
            fn all() -> Vec<(&'static str, &'static str)> {
                $name::ALL.iter().map(|c| (c.as_str(), c.label())).collect()
            }
            fn parse_code(text: &str) -> Option<Self> {
                $name::from_str_opt(text)
            }
        }
    };
}

/// What every code list offers, for generic validation and for generating `labels.ts`.
pub trait Code: Sized + Copy + 'static {
    const NAME: &'static str;
    fn all() -> Vec<(&'static str, &'static str)>;
    fn parse_code(text: &str) -> Option<Self>;
}

codes!(ProjectType {
    Creation = "creation" => "Création",
    Reprise = "reprise" => "Reprise",
    Croissance = "croissance" => "Croissance",
});

codes!(
    /// The dossier's pipeline; `pipeline` says which moves are allowed.
    DossierStatus {
        PremierContact = "premier_contact" => "Premier contact",
        Instruction = "instruction" => "En instruction",
        PretPourComite = "pret_pour_comite" => "Prêt pour comité",
        PasseEnComite = "passe_en_comite" => "Passé en comité",
        Accorde = "accorde" => "Accordé",
        Ajourne = "ajourne" => "Ajourné",
        Refuse = "refuse" => "Refusé",
        Decaisse = "decaisse" => "Décaissé",
        EnRemboursement = "en_remboursement" => "En remboursement",
        Solde = "solde" => "Soldé",
        Abandonne = "abandonne" => "Abandonné",
    }
);

codes!(Civility {
    Madame = "madame" => "Madame",
    Monsieur = "monsieur" => "Monsieur",
});

codes!(Referrer {
    FranceTravail = "france_travail" => "France Travail",
    Cci = "cci" => "CCI",
    Cma = "cma" => "CMA",
    Banque = "banque" => "Banque",
    ExpertComptable = "expert_comptable" => "Expert-comptable",
    Autre = "autre" => "Autre",
});

codes!(Situation {
    Salarie = "salarie" => "Salarié",
    DemandeurIndemnise = "demandeur_indemnise" => "Demandeur d'emploi indemnisé",
    DemandeurNonIndemnise = "demandeur_non_indemnise" => "Demandeur d'emploi non indemnisé",
    Rsa = "rsa" => "Bénéficiaire du RSA",
    Ass = "ass" => "Bénéficiaire de l'ASS",
    Etudiant = "etudiant" => "Étudiant",
    Independant = "independant" => "Indépendant",
    Autre = "autre" => "Autre",
});

codes!(Sector {
    Artisanat = "artisanat" => "Artisanat",
    Commerce = "commerce" => "Commerce",
    Services = "services" => "Services",
    Btp = "btp" => "BTP",
    HotellerieRestauration = "hotellerie_restauration" => "Hôtellerie-restauration",
    Industrie = "industrie" => "Industrie",
    Agriculture = "agriculture" => "Agriculture",
});

codes!(LegalForm {
    Ei = "ei" => "EI / micro-entreprise",
    Eurl = "eurl" => "EURL",
    Sarl = "sarl" => "SARL",
    Sas = "sas" => "SAS",
    Sasu = "sasu" => "SASU",
    Snc = "snc" => "SNC",
    Scop = "scop" => "SCOP",
    Autre = "autre" => "Autre",
});

codes!(Premises {
    Bail = "bail" => "Bail commercial",
    Domicile = "domicile" => "Domicile",
    Propriete = "propriete" => "Propriété",
});

codes!(TakeoverKind {
    Fonds = "fonds" => "Fonds de commerce",
    Parts = "parts" => "Parts sociales / actions",
});

codes!(FinancingSide {
    Need = "need" => "Besoins",
    Resource = "resource" => "Ressources",
});

codes!(
    /// Categories of the financing plan's lines. Honour loans are not a line category: they
    /// are the holders' requests, shown in the plan.
    FinancingCategory {
        SetUpCosts = "set_up_costs" => "Frais d'établissement",
        IntangibleAssets = "intangible_assets" => "Immobilisations incorporelles",
        TangibleAssets = "tangible_assets" => "Immobilisations corporelles",
        Stock = "stock" => "Stock de départ",
        Deposits = "deposits" => "Dépôts de garantie",
        WorkingCapital = "working_capital" => "Besoin en fonds de roulement",
        PersonalContribution = "personal_contribution" => "Apport personnel",
        PartnersAccounts = "partners_accounts" => "Comptes courants d'associés",
        BankLoan = "bank_loan" => "Prêt bancaire",
        Leasing = "leasing" => "Crédit-bail",
        Grant = "grant" => "Subvention",
        Arce = "arce" => "ARCE",
        SellerCredit = "seller_credit" => "Crédit vendeur",
        OtherLoan = "other_loan" => "Autre prêt",
        Crowdfunding = "crowdfunding" => "Financement participatif",
    }
);

codes!(Guarantee {
    Bpifrance = "bpifrance" => "Bpifrance",
    FranceActive = "france_active" => "France Active",
    CautionPersonnelle = "caution_personnelle" => "Caution personnelle",
    Aucune = "aucune" => "Aucune",
});

codes!(BankStatus {
    Demande = "demande" => "Demandé",
    Accorde = "accorde" => "Accordé",
});

codes!(CommitteeKind {
    Technique = "technique" => "Comité technique",
    Agrement = "agrement" => "Comité d'agrément",
});

codes!(Decision {
    Accord = "accord" => "Accord",
    AccordSousConditions = "accord_sous_conditions" => "Accord sous conditions",
    Ajournement = "ajournement" => "Ajournement",
    Refus = "refus" => "Refus",
});

codes!(DocumentKind {
    Identity = "identity" => "Pièce d'identité",
    ProofOfAddress = "proof_of_address" => "Justificatif de domicile",
    Cv = "cv" => "CV",
    JobseekerCertificate = "jobseeker_certificate" => "Attestation France Travail",
    Quotes = "quotes" => "Devis",
    LeaseOrSale = "lease_or_sale" => "Bail ou compromis de cession",
    BankAgreement = "bank_agreement" => "Accord bancaire",
    Kbis = "kbis" => "Extrait Kbis / Sirene",
    Rib = "rib" => "RIB",
});

codes!(DocumentStatus {
    Manquant = "manquant" => "Manquant",
    Demande = "demande" => "Demandé",
    Recu = "recu" => "Reçu",
    NonApplicable = "non_applicable" => "Non applicable",
});

codes!(
    /// What happened to an honour loan after its agreement, one dated movement each.
    MovementKind {
        Disbursement = "decaissement" => "Décaissement",
        Repayment = "remboursement" => "Remboursement",
        Rescheduling = "reechelonnement" => "Rééchelonnement",
        WriteOff = "passage_en_perte" => "Passage en perte",
    }
);

codes!(
    /// Where an honour loan stands, worked out from its movements and the date (never typed).
    LoanStatus {
        Signed = "signe" => "Signé, à décaisser",
        Disbursed = "decaisse" => "Décaissé",
        Repaying = "en_remboursement" => "En remboursement",
        Late = "impaye" => "Impayé",
        Repaid = "solde" => "Soldé",
        WrittenOff = "en_perte" => "Passé en perte",
    }
);

codes!(
    /// Where a financed business stands at a follow-up checkpoint (12, 24 or 36 months).
    BusinessState {
        Active = "active" => "En activité",
        Ceased = "cessee" => "Cessation",
        Sold = "cedee" => "Cédée",
        Liquidated = "liquidee" => "Liquidation",
    }
);

impl FinancingCategory {
    pub fn side(self) -> FinancingSide {
        use FinancingCategory::*;
        match self {
            SetUpCosts | IntangibleAssets | TangibleAssets | Stock | Deposits | WorkingCapital => {
                FinancingSide::Need
            }
            _ => FinancingSide::Resource,
        }
    }
}

impl DocumentKind {
    /// Documents a dossier needs before committee (`pipeline`). The job-seeker certificate
    /// is required only of holders who are job seekers, the lease or sale agreement only when
    /// there are premises or a takeover; the Kbis and RIB come after the decision.
    pub fn required_before_committee(self) -> bool {
        matches!(
            self,
            DocumentKind::Identity
                | DocumentKind::ProofOfAddress
                | DocumentKind::Cv
                | DocumentKind::Quotes
        )
    }
}

/// `export const LABELS = { ProjectType: { creation: 'Création', … }, … }` for the UI.
pub fn labels_typescript() -> String {
    fn entry<C: Code>(out: &mut String) {
        out.push_str(&format!("\t{}: {{\n", C::NAME));
        for (code, label) in C::all() {
            out.push_str(&format!(
                "\t\t{code}: {},\n",
                serde_json::Value::from(label)
            ));
        }
        out.push_str("\t},\n");
    }
    let mut out = String::from(
        "// Generated from crates/domain/src/codes.rs by `make bindings`. Do not edit this file manually.\n\
         export const LABELS = {\n",
    );
    entry::<ProjectType>(&mut out);
    entry::<DossierStatus>(&mut out);
    entry::<Civility>(&mut out);
    entry::<Referrer>(&mut out);
    entry::<Situation>(&mut out);
    entry::<Sector>(&mut out);
    entry::<LegalForm>(&mut out);
    entry::<Premises>(&mut out);
    entry::<TakeoverKind>(&mut out);
    entry::<FinancingSide>(&mut out);
    entry::<FinancingCategory>(&mut out);
    entry::<Guarantee>(&mut out);
    entry::<BankStatus>(&mut out);
    entry::<CommitteeKind>(&mut out);
    entry::<Decision>(&mut out);
    entry::<MovementKind>(&mut out);
    entry::<LoanStatus>(&mut out);
    entry::<BusinessState>(&mut out);
    entry::<DocumentKind>(&mut out);
    entry::<DocumentStatus>(&mut out);
    out.push_str("} as const;\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips<C: Code + Serialize + PartialEq + std::fmt::Debug>() {
        for (code, label) in C::all() {
            let value = C::parse_code(code).expect("code parses");
            assert_eq!(serde_json::to_value(value).unwrap(), code, "{}", C::NAME);
            assert!(!label.is_empty());
        }
        assert!(C::parse_code("nope").is_none());
    }

    #[test]
    fn stored_text_and_serde_text_are_the_same_word() {
        round_trips::<ProjectType>();
        round_trips::<DossierStatus>();
        round_trips::<FinancingCategory>();
        round_trips::<DocumentKind>();
        round_trips::<Decision>();
        round_trips::<BusinessState>();
    }

    #[test]
    fn categories_know_their_side() {
        assert_eq!(FinancingCategory::Stock.side(), FinancingSide::Need);
        assert_eq!(FinancingCategory::BankLoan.side(), FinancingSide::Resource);
    }

    #[test]
    fn labels_file_lists_every_code_in_french() {
        let ts = labels_typescript();
        assert!(ts.contains("pret_pour_comite: \"Prêt pour comité\""));
        assert!(ts.contains("FinancingCategory: {"));
    }
}
