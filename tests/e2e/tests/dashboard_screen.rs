//! The tableau de bord in the real app: the platform's figures for the year, as the core
//! computes them from the store, against the year before; what is late stands out.

use permanence::store::Store;
use permanence_e2e::{click, screenshot, text_of, wait_for_text, Driver};

#[tokio::test]
async fn the_dashboard_shows_the_cores_figures_for_the_year() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let today = permanence::clock::today();
    let year = chrono::Datelike::year(&today);
    let expected = {
        let mut store = Store::open_in_dir(data.path())?;
        permanence::demo::fill(&mut store, 60, 62, today)?;
        store.indicators(year, None)?.current
    };
    let driver = Driver::start(data.path())?;
    let app = driver.launch().await?;

    click(&app, "a[href='/dashboard']").await?;
    wait_for_text(&app, "#dashboard-figures", "Prêts d'honneur accordés").await?;
    let shown = |key: &str| format!("#dashboard-figures tr[data-key='{key}'] .now");
    assert_eq!(
        text_of(&app, &shown("welcomed")).await?,
        expected.welcomed.count.to_string()
    );
    assert_eq!(
        text_of(&app, &shown("loans")).await?,
        expected.honour_loans.to_string()
    );
    assert_eq!(
        text_of(&app, &shown("late_loans")).await?,
        expected.late_loans.count.to_string()
    );
    screenshot(&app, "dashboard").await?;
    Ok(())
}
