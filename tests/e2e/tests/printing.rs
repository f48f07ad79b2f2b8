//! Printing in the real app: "Imprimer la fiche" previews the summary the core typesets
//! (its pages as images, what to check first), and "Enregistrer le PDF…" writes a valid PDF.
//!
//! WebDriver cannot drive the system's save dialog: the app launched here gets
//! `PERMANENCE_SAVE_TO`, a folder where the shell saves instead of asking (README, "Printing").

use permanence::store::Store;
use permanence_e2e::{
    anne_lefevre, checked_pdf_text, click, screenshot, text_of, wait_for_file, wait_for_image,
    wait_for_text, Driver,
};

#[tokio::test]
async fn printing_a_dossier_previews_its_summary_and_saves_a_valid_pdf() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let saved = tempfile::tempdir()?;
    let dossier = Store::open_in_dir(data.path())?.create_dossier(&anne_lefevre())?;
    let driver = Driver::start_with(data.path(), &[("PERMANENCE_SAVE_TO", saved.path())])?;
    let app = driver.launch().await?;

    wait_for_text(&app, "#dossier-list", "Anne LEFÈVRE").await?;
    click(&app, "#dossier-list a").await?;
    wait_for_text(&app, "#dossier-title", "Anne LEFÈVRE").await?;

    // The preview: the core's pages as images, and what to check before printing.
    click(&app, "#print-summary").await?;
    wait_for_text(
        &app,
        "#print-title",
        &format!("Fiche de synthèse — {}", dossier.number),
    )
    .await?;
    wait_for_image(&app, "#print-pages img[alt^='Page 1 sur']").await?;
    let count = text_of(&app, "#print-pages-count").await?;
    assert!(
        count.contains(&format!("fiche-{}.pdf", dossier.number)),
        "the file's name is shown: {count}"
    );
    wait_for_text(
        &app,
        "#print-warnings",
        "Le plan de financement n'est pas renseigné.",
    )
    .await?;
    screenshot(&app, "print-preview").await?;

    // "Enregistrer le PDF…": the real button, saving where PERMANENCE_SAVE_TO says.
    click(&app, "#save-pdf").await?;
    let file = saved.path().join(format!("fiche-{}.pdf", dossier.number));
    wait_for_text(
        &app,
        "#print-message",
        &format!("PDF enregistré : fiche-{}.pdf", dossier.number),
    )
    .await?;
    wait_for_file(&file).await?;
    screenshot(&app, "print-saved").await?;

    let text = checked_pdf_text(&file)?;
    assert!(
        text.contains("Anne LEFÈVRE"),
        "the holder's name is in the PDF:\n{text}"
    );
    assert!(
        text.contains(&dossier.number),
        "the dossier's number is in the PDF"
    );
    assert!(text.contains("Fiche de synthèse"));

    // Closing the preview comes back to the dossier.
    click(&app, "#close-preview").await?;
    wait_for_text(&app, "#dossier-title", "Anne LEFÈVRE").await?;
    assert!(
        app.find(fantoccini::Locator::Css("#print-preview"))
            .await
            .is_err(),
        "the preview is closed"
    );
    app.close().await?;
    Ok(())
}
