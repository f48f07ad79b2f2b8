//! A permanence in the real app: open it, then capture people one after the other with the
//! quick form, which clears itself and adds each person to the list without leaving the page.

use permanence::store::{DossierQuery, Store};
use permanence_e2e::{
    choose, click, click_starting_with, fill, screenshot, value_of, wait_for_text, Driver,
};

#[tokio::test]
async fn people_met_at_a_permanence_are_captured_one_after_the_other() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let driver = Driver::start(data.path())?;
    let app = driver.launch().await?;

    click(&app, "a[href='/sessions']").await?;
    wait_for_text(&app, "#no-sessions", "Aucune permanence").await?;
    fill(&app, "#session-commune", "fruges").await?;
    click_starting_with(&app, ".commune-option", "Fruges").await?;
    fill(&app, "#session-place", "Maison des services").await?;
    fill(&app, "#session-held_on", "26/11/2026").await?;
    click(&app, "#create-session").await?;
    wait_for_text(&app, "#session-title", "Permanence de Fruges").await?;

    for (civility, last, first, commune, pick) in [
        ("madame", "Lefèvre", "Anne", "hesdin", "Hesdin-la-Forêt"),
        ("monsieur", "Dufour", "Marc", "fruges", "Fruges"),
    ] {
        choose(&app, "#holder-0-civility", civility).await?;
        fill(&app, "#holder-0-last_name", last).await?;
        fill(&app, "#holder-0-first_name", first).await?;
        fill(&app, "#holder-0-commune", commune).await?;
        click_starting_with(&app, ".commune-option", pick).await?;
        fill(&app, "#idea", "Commerce de proximité").await?;
        click(&app, "#submit").await?;
        wait_for_text(&app, "#capture-added", &last.to_uppercase()).await?;
        wait_for_text(&app, "#session-people", &last.to_uppercase()).await?;
        assert_eq!(
            value_of(&app, "#holder-0-last_name").await?,
            "",
            "form cleared"
        );
        assert_eq!(
            value_of(&app, "#holder-0-commune").await?,
            "",
            "commune cleared"
        );
        assert_eq!(
            value_of(&app, "#project_type").await?,
            "creation",
            "creation preselected for the next person"
        );
    }
    screenshot(&app, "session-capture").await?;
    app.close().await?;
    drop(driver);

    let store = Store::open_in_dir(data.path())?;
    let sessions = store.list_sessions()?;
    assert_eq!(sessions.len(), 1);
    assert_eq!(
        sessions[0].people, 2,
        "both people belong to the permanence"
    );
    let page = store.list_dossiers(&DossierQuery::default())?;
    assert_eq!(page.total, 2);
    Ok(())
}
