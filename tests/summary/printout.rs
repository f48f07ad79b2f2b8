//! Printing from the app: the preview of a summary or a pack (pages as images, warnings to
//! read first), then the very same document printed through the spool or saved as a PDF.

use base64::Engine as _;
use permanence::codes::FinancingCategory;
use permanence::settings::PlatformSettings;
use permanence::summary::Printing as _;
use permanence::summary::{self, PrintSpool, Printout, Printouts};
use permanence::ErrorCode;

use crate::helpers::{assert_has, assert_qpdf_clean, flat_text, flatten, page_count, TestStore};

#[test]
fn a_summary_preview_names_its_file_and_counts_its_pages() {
    let mut t = TestStore::new();
    let d = t.full_dossier();
    let job = t.store.summary_job(d.id).unwrap();
    let printout = job.typeset().unwrap();
    let preview = printout.preview();
    assert_eq!(preview.file_name, format!("fiche-{}.pdf", d.number));
    assert_eq!(preview.title, format!("Fiche de synthèse — {}", d.number));
    assert_eq!(
        preview.pages,
        page_count(&printout.pdf().unwrap()),
        "the preview shows as many pages as the PDF has"
    );
    assert!(preview.warnings.is_empty(), "{:?}", preview.warnings);
}

#[test]
fn a_page_image_is_a_png_address_the_preview_shows_as_is() {
    let mut t = TestStore::new();
    let d = t.full_dossier();
    let printout = t.store.summary_job(d.id).unwrap().typeset().unwrap();
    let image = printout.page_image(0, 1.0).unwrap();
    let payload = image
        .strip_prefix("data:image/png;base64,")
        .expect("a data address");
    let png = base64::engine::general_purpose::STANDARD
        .decode(payload)
        .unwrap();
    assert!(png.starts_with(b"\x89PNG"), "a PNG image");
    let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
    assert_eq!(width, 595, "an A4 page is 595 points wide");

    let missing = printout.page_image(99, 1.0).unwrap_err();
    assert_eq!(missing.code(), ErrorCode::NotFound);
}

#[test]
fn an_unbalanced_plan_is_a_warning_of_the_preview() {
    let mut t = TestStore::new();
    let d = t.full_dossier();
    t.line(
        d.id,
        FinancingCategory::SetUpCosts,
        "Honoraires",
        "1500",
        &[],
    );
    let preview = t
        .store
        .summary_job(d.id)
        .unwrap()
        .typeset()
        .unwrap()
        .preview();
    assert_eq!(preview.warnings.len(), 1, "{:?}", preview.warnings);
    assert_has(
        &flatten(&preview.warnings[0]),
        "Plan non équilibré : les ressources (52 000 €) sont inférieures aux besoins (53 500 €) de 1 500 €.",
    );
}

#[test]
fn a_broken_platform_template_is_a_warning_of_the_preview() {
    let mut t = TestStore::new();
    let d = t.full_dossier();
    let settings = PlatformSettings {
        summary_template: Some("#let x = (".into()),
        ..t.store.settings().clone()
    };
    t.store.save_settings(settings).unwrap();
    let preview = t
        .store
        .summary_job(d.id)
        .unwrap()
        .typeset()
        .unwrap()
        .preview();
    assert_eq!(preview.warnings.len(), 1, "{:?}", preview.warnings);
    assert_has(
        &preview.warnings[0],
        "Le modèle de fiche de la plateforme contient une erreur",
    );
}

#[test]
fn a_pack_preview_names_the_committee_and_each_unbalanced_dossier() {
    let mut t = TestStore::new();
    let d = t.full_dossier();
    let committee = t.committee();
    t.store.add_to_agenda(committee, d.id).unwrap();
    t.line(
        d.id,
        FinancingCategory::SetUpCosts,
        "Honoraires",
        "1500",
        &[],
    );
    let printout = t.store.pack_job(committee).unwrap().typeset().unwrap();
    let preview = printout.preview();
    assert_eq!(preview.file_name, "comite-2026-12-08.pdf");
    assert_eq!(
        preview.title,
        "Dossier de séance — Comité d'agrément du 08/12/2026"
    );
    assert_eq!(preview.warnings.len(), 1, "{:?}", preview.warnings);
    assert_has(
        &preview.warnings[0],
        &format!("Dossier {} (Élodie LEFÈVRE) : plan non équilibré", d.number),
    );
    assert!(preview.pages >= 2, "a cover and the summary");
}

#[test]
fn an_empty_agenda_is_a_warning_of_the_pack_preview() {
    let mut t = TestStore::new();
    let committee = t.committee();
    let preview = t
        .store
        .pack_job(committee)
        .unwrap()
        .typeset()
        .unwrap()
        .preview();
    assert_eq!(preview.pages, 1, "the cover alone");
    assert_has(&preview.warnings.join(" "), "est vide");
}

#[test]
fn a_saved_summary_is_a_valid_pdf_with_the_holder_name() {
    let mut t = TestStore::new();
    let d = t.full_dossier();
    let printout = t.store.summary_job(d.id).unwrap().typeset().unwrap();
    let dir = tempfile::tempdir().unwrap();
    // A name typed without its ending gets `.pdf`.
    let saved = printout
        .save_as(&dir.path().join("pour le comité"))
        .unwrap();
    assert_eq!(saved, dir.path().join("pour le comité.pdf"));
    let pdf = std::fs::read(&saved).unwrap();
    assert_qpdf_clean(&pdf);
    assert_has(&flat_text(&pdf), "Élodie LEFÈVRE");
}

#[test]
fn saving_into_a_missing_folder_is_refused_in_french() {
    let mut t = TestStore::new();
    let d = t.full_dossier();
    let printout = t.store.summary_job(d.id).unwrap().typeset().unwrap();
    let err = printout
        .save_as(std::path::Path::new("/nonexistent/permanence/fiche.pdf"))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Unwritable);
    assert_eq!(
        err.to_string(),
        "Le fichier /nonexistent/permanence/fiche.pdf n'a pas pu être enregistré : le répertoire n'existe pas."
    );
}

#[test]
fn the_spool_writes_the_previewed_pdf_in_a_private_folder() {
    let mut t = TestStore::new();
    let d = t.full_dossier();
    let printout = t.store.summary_job(d.id).unwrap().typeset().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let spool = PrintSpool::new(dir.path().join("impressions"));
    let path = spool.write(&printout).unwrap();
    assert_eq!(path, spool.dir().join(printout.file_name()));
    assert_qpdf_clean(&std::fs::read(&path).unwrap());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(spool.dir()).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "only the user reads the folder");
    }
}

#[test]
fn printouts_keep_the_last_previews_and_forget_older_ones() {
    let mut t = TestStore::new();
    let d = t.full_dossier();
    let printouts = Printouts::new();
    let ids: Vec<_> = (0..=Printouts::CAPACITY)
        .map(|_| {
            let printout: Printout = t.store.summary_job(d.id).unwrap().typeset().unwrap();
            printouts.keep(printout).id
        })
        .collect();
    assert_eq!(
        printouts.get(ids[0]).unwrap_err().code(),
        ErrorCode::NotFound,
        "the oldest preview was dropped"
    );
    for id in &ids[1..] {
        assert_eq!(printouts.get(*id).unwrap().id(), *id);
    }
}

#[test]
fn a_platform_template_is_checked_on_an_example_dossier() {
    let defaults = PlatformSettings::default();
    assert!(summary::check_settings(&defaults).unwrap().is_empty());

    let working = PlatformSettings {
        summary_template: Some(
            "#let d = json(\"data.json\")\n= Fiche de #d.header.holders\n".into(),
        ),
        ..PlatformSettings::default()
    };
    assert!(summary::check_settings(&working).unwrap().is_empty());

    let broken = PlatformSettings {
        summary_template: Some("#let d = json(\"data.json\")\n#d.nothing.here".into()),
        ..PlatformSettings::default()
    };
    let warnings = summary::check_settings(&broken).unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_has(&warnings[0], "contient une erreur (ligne 2");
}
