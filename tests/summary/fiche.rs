//! One dossier's summary: every section's key values, French formats, page numbers, the
//! unbalanced plan's warning, and what a platform's own template or logo may change.

use permanence::codes::FinancingCategory;
use permanence::settings::PlatformSettings;
use permanence::summary::{self, render_summary};

use crate::helpers::{assert_has, assert_qpdf_clean, flat_text, page_count, pages_text, TestStore};

#[test]
fn a_full_summary_shows_every_section_with_its_key_values() {
    let mut t = TestStore::new();
    let d = t.full_dossier();
    let rendered = render_summary(&d, t.store.settings()).unwrap();
    assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
    let text = flat_text(&rendered.pdf);

    // 1. Header: platform, dossier, committee, advisor, scheme.
    for expected in [
        "Fiche de synthèse",
        "Initiative Ternois-Artois-7 Vallées",
        d.number.as_str(),
        "Comité d'agrément du 08/12/2026",
        "Chargé(e) de mission Claire Dumont",
        "Dispositif Prêt d'honneur Initiative",
        "Type de projet Reprise",
    ] {
        assert_has(&text, expected);
    }
    // 2. Holders: name, age at the committee, situation, background, motivation.
    for expected in [
        "Madame Élodie LEFÈVRE",
        "Âge 38 ans",
        "Situation avant le projet Salarié",
        "Expérience du métier 12 ans",
        "Apport personnel 10 000 €",
        "Douze ans de fournil à Montreuil-sur-Mer",
        "Reprendre le fournil où elle a appris le métier.",
    ] {
        assert_has(&text, expected);
    }
    // 3. Project: activity, market, location, legal form, NAF.
    for expected in [
        "Raison sociale Boulangerie Lefèvre",
        "Enseigne Au Pain d'Hesdin",
        "Code NAF 10.71C",
        "Forme juridique SARL",
        "Hesdin-la-Forêt",
        "pains au levain et viennoiseries",
        "Seule boulangerie du bourg",
    ] {
        assert_has(&text, expected);
    }
    // 4. Financing plan with totals and its balance.
    for expected in [
        "Immobilisations corporelles — Four et pétrin 30 000 €",
        "Prêt bancaire",
        "Prêt d'honneur demandé — Élodie LEFÈVRE 10 000 €",
        "Total des besoins 52 000 € Total des ressources 52 000 €",
        "Plan équilibré",
    ] {
        assert_has(&text, expected);
    }
    // 5. Forecast: turnover, EBE, result and CAF computed by the core.
    for expected in [
        "Chiffre d'affaires 120 000 €",
        "Excédent brut d'exploitation (EBE) 15 000 €",
        "Résultat net 9 000 €",
        "Capacité d'autofinancement (CAF) 14 000 €",
        "Deux tournées en campagne.",
    ] {
        assert_has(&text, expected);
    }
    // 6. Bank and guarantee; 7. jobs; 8. assessment.
    for expected in [
        "Crédit Agricole Nord de France 32 000 € 84 mois 3,9 % Bpifrance Demandé",
        "Créés au démarrage, porteurs inclus",
        "Points forts",
        "Emplacement en centre-bourg",
        "Points de vigilance",
        "Concurrence d'une grande",
        "Avis très favorable",
    ] {
        assert_has(&text, expected);
    }
    // 9. Request and leverage; 10. the empty decision box; 11. mentoring.
    for expected in [
        "Élodie LEFÈVRE 10 000 € 60 mois 6 mois",
        // The three key figures side by side: honour loans, bank loans, leverage.
        "Effet levier bancaire 10 000 € 32 000 € 1 pour 3,2",
        "Accord Accord sous conditions Ajournement Refus",
        "Montant accordé",
        "Le président du comité",
        "Parrain ou marraine non renseigné",
    ] {
        assert_has(&text, expected);
    }
    assert!(!text.contains("null") && !text.contains("None"), "{text}");
}

#[test]
fn the_mentoring_section_names_the_mentor_paired_and_their_meetings() {
    let mut t = TestStore::new();
    let mut d = t.full_dossier();
    let day = |m, d| chrono::NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    let meeting = |d| permanence::mentoring::Meeting {
        id: uuid::Uuid::now_v7(),
        met_on: day(4, d),
        note: String::new(),
    };
    let pairing = |name: &str, start, end, meetings| permanence::mentoring::Pairing {
        id: uuid::Uuid::now_v7(),
        mentor_id: uuid::Uuid::now_v7(),
        mentor_name: name.into(),
        start_on: start,
        end_on: end,
        meetings,
    };
    // An ended pairing, then the one running: the running one is printed.
    d.pairings = vec![
        pairing("Paul Martin", day(1, 5), Some(day(2, 28)), vec![]),
        pairing(
            "Jeanne Leroy",
            day(3, 2),
            None,
            vec![meeting(2), meeting(30)],
        ),
    ];
    let rendered = render_summary(&d, t.store.settings()).unwrap();
    let text = flat_text(&rendered.pdf);
    for expected in [
        "Parrain ou marraine Jeanne Leroy",
        "Début du parrainage 02/03/2026",
        "Rencontres 2",
    ] {
        assert_has(&text, expected);
    }
    assert!(!text.contains("Paul Martin"), "{text}");
    // Once it ended, the last pairing is printed with its end.
    d.pairings.pop();
    let text = flat_text(&render_summary(&d, t.store.settings()).unwrap().pdf);
    assert_has(&text, "Parrain ou marraine Paul Martin");
    assert_has(&text, "Fin du parrainage 28/02/2026");
    assert_has(&text, "Rencontres 0");
}

#[test]
fn every_page_has_the_header_and_its_number() {
    let mut t = TestStore::new();
    let d = t.full_dossier();
    let rendered = render_summary(&d, t.store.settings()).unwrap();
    let pages = pages_text(&rendered.pdf);
    assert_eq!(pages.len(), rendered.pages);
    assert_eq!(page_count(&rendered.pdf), rendered.pages);
    assert!(
        (1..=3).contains(&rendered.pages),
        "a summary takes 1 to 3 pages, not {}",
        rendered.pages
    );
    for (i, page) in pages.iter().enumerate() {
        let page = crate::helpers::flatten(page);
        assert_has(&page, &format!("Page {} / {}", i + 1, pages.len()));
        assert_has(&page, &d.number);
        assert_has(&page, "Comité d'agrément du 08/12/2026");
    }
    assert_qpdf_clean(&rendered.pdf);
}

#[test]
fn values_nobody_entered_read_non_renseigne_never_null_or_zero() {
    let mut t = TestStore::new();
    let d = t
        .store
        .create_dossier(&crate::helpers::draft(
            "Dupont",
            "Anne",
            crate::helpers::FRUGES,
        ))
        .unwrap();
    let rendered = render_summary(&d, t.store.settings()).unwrap();
    let text = flat_text(&rendered.pdf);
    assert_has(&text, "Date du comité non renseigné");
    assert_has(&text, "Âge non renseigné");
    assert_has(&text, "Total des besoins non renseigné");
    assert_has(&text, "Effet levier bancaire non renseigné");
    assert_has(
        &text,
        "Chiffre d'affaires non renseigné non renseigné non renseigné",
    );
    for wrong in ["null", "None", " 0 €", "NaN"] {
        assert!(!text.contains(wrong), "« {wrong} » printed:\n{text}");
    }
}

#[test]
fn accents_the_euro_sign_and_french_spaces_survive() {
    let mut t = TestStore::new();
    let d = t.full_dossier();
    let rendered = render_summary(&d, t.store.settings()).unwrap();
    let raw = pages_text(&rendered.pdf).join("");
    for expected in [
        "Élodie",
        "LEFÈVRE",
        "Prévisionnel",
        "Forêt",
        "pétrin",
        "€",
        "Âge",
        "façade",
    ] {
        assert!(raw.contains(expected), "« {expected} » lost");
    }
    // Thousands are grouped with a (narrow) no-break space, as `12 345 €` is written.
    assert!(
        raw.contains("52\u{202f}000\u{a0}€")
            || raw.contains("52\u{a0}000\u{a0}€")
            || raw.contains("52 000 €"),
        "52 000 € written the French way"
    );
}

#[test]
fn an_unbalanced_plan_is_printed_with_a_visible_warning() {
    let mut t = TestStore::new();
    let d = t.full_dossier();
    let d = t.line(
        d.id,
        FinancingCategory::SetUpCosts,
        "Honoraires",
        "1500",
        &[],
    );
    assert!(!d.analysis.balanced);
    let rendered = render_summary(&d, t.store.settings()).unwrap();
    let text = flat_text(&rendered.pdf);
    assert_has(
        &text,
        "Attention : Plan non équilibré : les ressources (52 000 €) sont inférieures aux besoins (53 500 €) de 1 500 €.",
    );
    assert!(!text.contains("Plan équilibré"));
}

#[test]
fn a_platform_template_replaces_the_default() {
    let mut t = TestStore::new();
    let d = t.full_dossier();
    let settings = PlatformSettings {
        summary_template: Some(
            "#let d = json(\"data.json\")\n= Fiche maison de #d.header.holders\nBesoins : #d.plan.needs_total\n"
                .into(),
        ),
        ..t.store.settings().clone()
    };
    let rendered = render_summary(&d, &settings).unwrap();
    assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
    let text = flat_text(&rendered.pdf);
    assert_has(&text, "Fiche maison de Élodie LEFÈVRE");
    assert_has(&text, "Besoins : 52 000 €");
    assert!(
        !text.contains("Plan de financement initial"),
        "not the default"
    );
}

#[test]
fn a_broken_platform_template_falls_back_to_the_default_with_a_warning() {
    let mut t = TestStore::new();
    let d = t.full_dossier();
    for (template, detail) in [
        ("#let d = json(\"data.json\")\n#d.nothing.here", "ligne 2"),
        ("#let x = (", "ligne 1"),
        ("#import \"@preview/cetz:0.3.0\": *", "ligne 1"),
        ("#read(\"/etc/passwd\")", "ligne 1"),
    ] {
        let settings = PlatformSettings {
            summary_template: Some(template.into()),
            ..t.store.settings().clone()
        };
        let rendered = render_summary(&d, &settings).unwrap();
        assert_eq!(
            rendered.warnings.len(),
            1,
            "{template}: {:?}",
            rendered.warnings
        );
        let warning = &rendered.warnings[0];
        assert_has(
            warning,
            "Le modèle de fiche de la plateforme contient une erreur",
        );
        assert_has(warning, "modèle par défaut");
        assert_has(warning, detail);
        let text = flat_text(&rendered.pdf);
        assert_has(&text, "Plan de financement initial");
        assert!(!text.contains("root:"), "no file of the machine is read");
    }
}

#[test]
fn the_platform_logo_is_printed_and_a_bad_one_is_a_warning() {
    use base64::Engine as _;
    let mut t = TestStore::new();
    let d = t.full_dossier();
    // A real PNG: the first page of the summary itself, very small.
    let png = summary::summary_document(&d, t.store.settings())
        .unwrap()
        .page_png(0, 0.1)
        .unwrap();
    let logo = base64::engine::general_purpose::STANDARD.encode(&png);
    let with_logo = PlatformSettings {
        logo_png_base64: Some(logo),
        ..t.store.settings().clone()
    };
    with_logo.validate().unwrap();
    let rendered = render_summary(&d, &with_logo).unwrap();
    assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
    assert!(images(&rendered.pdf) >= 1, "the logo is in the PDF");

    for bad in [
        "pas une image",
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAAAAA",
    ] {
        let settings = PlatformSettings {
            logo_png_base64: Some(bad.into()),
            ..t.store.settings().clone()
        };
        assert!(settings.validate().is_err(), "settings refuse « {bad} »");
        let rendered = render_summary(&d, &settings).unwrap();
        assert_eq!(rendered.warnings.len(), 1, "{:?}", rendered.warnings);
        assert_has(
            &rendered.warnings[0],
            "Le logo de la plateforme n'a pas pu être",
        );
        assert_has(&flat_text(&rendered.pdf), "Fiche de synthèse");
        assert_eq!(images(&rendered.pdf), 0);
    }
}

/// How many images `pdfimages -list` finds.
fn images(pdf: &[u8]) -> usize {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdfimages")
        .arg("-list")
        .arg(&path)
        .output()
        .expect("pdfimages runs");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .count()
}

#[test]
fn the_preview_renders_each_page_as_a_png_image() {
    let mut t = TestStore::new();
    let d = t.full_dossier();
    let document = summary::summary_document(&d, t.store.settings()).unwrap();
    assert!(document.pages() >= 1);
    let png = document.page_png(0, 1.0).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!((width, height), (595, 842), "A4 at one pixel per point");
    assert!(document.page_png(document.pages(), 1.0).is_err());
    // The PDF of the same document is the one printed.
    assert_eq!(page_count(&document.pdf().unwrap()), document.pages());
}

#[test]
fn every_demo_dossier_renders_without_warning() {
    let t = TestStore::demo(24, 11);
    let list = t
        .store
        .list_dossiers(&permanence::store::DossierQuery::default())
        .unwrap();
    for item in list.items {
        let d = t.store.get_dossier(item.id).unwrap();
        let rendered = render_summary(&d, t.store.settings()).unwrap();
        assert!(
            rendered.warnings.is_empty(),
            "{}: {:?}",
            d.number,
            rendered.warnings
        );
        assert!(
            (1..=3).contains(&rendered.pages),
            "{}: {} pages",
            d.number,
            rendered.pages
        );
        let text = flat_text(&rendered.pdf);
        assert_has(&text, &d.holders[0].first_name);
        assert!(!text.contains("null"));
    }
}
