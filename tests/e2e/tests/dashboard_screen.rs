//! The tableau de bord in the real app: the platform's figures for the year, as the core
//! computes them from the store, against the year before; what is late stands out.

use permanence::store::Store;
use permanence_e2e::{choose, click, screenshot, text_of, wait_for_text, Driver};

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

/// The dossiers of a platform's 2016 annual report give its figures back on the screen, and
/// a figure opens the list of its dossiers.
#[tokio::test]
async fn the_2016_annual_reports_figures_come_back_on_the_screen() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    {
        let mut store = Store::open_in_dir(data.path())?;
        permanence::demo::fill_2016(&mut store)?;
    }
    let driver = Driver::start(data.path())?;
    let app = driver.launch().await?;

    click(&app, "a[href='/dashboard']").await?;
    wait_for_text(&app, "#dashboard-figures", "Prêts d'honneur accordés").await?;
    choose(&app, "#dashboard-year", "2016").await?;
    let shown = |key: &str| format!("#dashboard-figures tr[data-key='{key}'] .now");
    wait_for_text(&app, &shown("loans"), "126").await?;
    for (key, figure) in [
        ("businesses", "100"),
        ("committed", "867\u{202f}000\u{a0}€"),
        ("leverage", "1 pour 11"),
        ("jobs_created", "357"),
        ("survival", "91\u{a0}%"),
        ("capture", "30,03\u{a0}%"),
    ] {
        // WebDriver reads a no-break space as a space.
        let on_screen = text_of(&app, &shown(key)).await?.replace('\u{a0}', " ");
        assert_eq!(on_screen, figure.replace('\u{a0}', " "), "{key}");
    }
    let period = text_of(&app, "#dashboard-period").await?;
    assert!(
        period.replace('\u{a0}', " ").contains("activité +20 %"),
        "{period}"
    );

    // The survival figure opens its 91 businesses.
    click(
        &app,
        "#dashboard-figures tr[data-key='survival'] button.link",
    )
    .await?;
    wait_for_text(&app, "tr.behind", "91 dossiers").await?;
    let listed = app
        .find_all(fantoccini::Locator::Css("#dashboard-dossiers li"))
        .await?;
    assert_eq!(listed.len(), 91);
    screenshot(&app, "dashboard-2016").await?;
    Ok(())
}
