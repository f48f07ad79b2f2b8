//! The foundation's walk through the real app: create a dossier through the form, meet the
//! French error for a missing required field, save, find it in the list, restart the app on
//! the same data folder and find it again. Fails if the window shows nothing.

use permanence::store::{DossierQuery, Store};
use permanence_e2e::{choose, click, click_starting_with, fill, text_of, wait_for_text, Driver};

#[tokio::test]
async fn a_dossier_created_in_the_form_survives_a_restart() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let driver = Driver::start(data.path())?;

    // First launch on an empty data folder: the empty state says what to do.
    let app = driver.launch().await?;
    assert_eq!(app.title().await?, "Permanence", "window title");
    wait_for_text(&app, "#empty-state", "Aucun dossier").await?;
    click(&app, "#new-dossier").await?;

    // Everything but the last name: the core refuses, in French, at the field.
    choose(&app, "#project_type", "creation").await?;
    fill(&app, "#idea", "Épicerie vrac et circuits courts").await?;
    choose(&app, "#holder-0-civility", "madame").await?;
    fill(&app, "#holder-0-first_name", "Élodie").await?;
    fill(&app, "#holder-0-phone", "03 21 04 56 78").await?;
    // The commune is chosen among the reference communes, found without its accents.
    fill(&app, "#holder-0-commune", "hesdin").await?;
    click_starting_with(&app, ".commune-option", "Hesdin-la-Forêt").await?;
    click(&app, "#submit").await?;
    let error = text_of(&app, r#"[data-field="holders.0.last_name"]"#).await?;
    assert_eq!(error, "Le nom est obligatoire.");

    fill(&app, "#holder-0-last_name", "Lefèvre").await?;
    click(&app, "#submit").await?;
    wait_for_text(&app, "#saved", "enregistré").await?;
    let number = text_of(&app, "#dossier-number").await?;
    assert!(
        number.starts_with("PROV-"),
        "provisional number shown: {number}"
    );

    click(&app, "a[href='/']").await?;
    wait_for_text(&app, "#dossier-list", "Élodie LEFÈVRE").await?;
    wait_for_text(&app, "#dossier-count", "1 dossier").await?;
    app.close().await?;

    // Restart on the same data folder: the dossier is still there.
    let app = driver.launch().await?;
    wait_for_text(&app, "#dossier-list", "Élodie LEFÈVRE").await?;
    wait_for_text(&app, "#dossier-list", "Hesdin-la-Forêt").await?;
    click(&app, "#dossier-list a").await?;
    wait_for_text(&app, "#dossier-number", &number).await?;
    app.close().await?;
    drop(driver);

    // And the store itself holds exactly what the advisor typed, phone in E.164.
    let store = Store::open_in_dir(data.path())?;
    let list = store.list_dossiers(&DossierQuery::default())?.items;
    assert_eq!(list.len(), 1, "one dossier, not a duplicate");
    let dossier = store.get_dossier(list[0].id)?;
    assert_eq!(dossier.holders[0].phone.as_deref(), Some("+33321045678"));
    assert_eq!(
        dossier.holders[0].commune_insee.as_deref(),
        Some("62447"),
        "the INSEE code of Hesdin-la-Forêt"
    );
    assert_eq!(dossier.idea, "Épicerie vrac et circuits courts");
    Ok(())
}
