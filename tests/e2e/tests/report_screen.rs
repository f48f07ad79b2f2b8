//! The tableau de bord's charts and what it prints, in the real app: the core's charts under
//! the figures, "Rapport d'activité (PDF)" through the print preview to a saved PDF holding
//! the year's figures, and "Export comptable" saved as a workbook.
//!
//! The app launched here gets `PERMANENCE_SAVE_TO`, a folder where the shell saves instead
//! of asking (WebDriver cannot drive the system's save dialog).

use permanence::store::Store;
use permanence_e2e::{
    checked_pdf_text, click, screenshot, wait_for_file, wait_for_image, wait_for_text, Driver,
};

#[tokio::test]
async fn the_dashboard_draws_its_charts_and_saves_the_report_and_the_export() -> anyhow::Result<()>
{
    let data = tempfile::tempdir()?;
    let saved = tempfile::tempdir()?;
    let today = permanence::clock::today();
    let year = chrono::Datelike::year(&today);
    let expected = {
        let mut store = Store::open_in_dir(data.path())?;
        permanence::demo::fill(&mut store, 60, 62, today)?;
        store.activity_report(year, None)?
    };
    let driver = Driver::start_with(data.path(), &[("PERMANENCE_SAVE_TO", saved.path())])?;
    let app = driver.launch().await?;

    click(&app, "a[href='/dashboard']").await?;
    wait_for_text(
        &app,
        "#dashboard-charts figure[data-key='funnel'] figcaption",
        "Parcours des porteurs de projet",
    )
    .await?;
    wait_for_text(
        &app,
        "#dashboard-charts figure[data-key='funnel'] svg",
        "Financés",
    )
    .await?;
    screenshot(&app, "dashboard-charts").await?;

    click(&app, "#report-pdf").await?;
    wait_for_text(&app, "#print-title", &format!("Rapport d'activité {year}")).await?;
    wait_for_image(&app, "#print-pages img[alt^='Page 1 sur']").await?;
    screenshot(&app, "report-preview").await?;
    click(&app, "#save-pdf").await?;
    let file = saved.path().join(format!("rapport-activite-{year}.pdf"));
    wait_for_file(&file).await?;
    let text = checked_pdf_text(&file)?.replace('’', "'");
    assert!(
        text.contains(&format!("Rapport d'activité {year}")),
        "{text}"
    );
    let loans = expected.indicators.current.honour_loans.to_string();
    assert!(
        text.contains(&format!("Prêts d'honneur accordés {loans}")),
        "{loans} loans in {text}"
    );
    click(&app, "#close-preview").await?;

    click(&app, "#export-xlsx").await?;
    wait_for_text(&app, "#export-done", "Export comptable enregistré").await?;
    wait_for_file(&saved.path().join(format!("export-comptable-{year}.xlsx"))).await?;
    screenshot(&app, "dashboard-export").await?;
    Ok(())
}
