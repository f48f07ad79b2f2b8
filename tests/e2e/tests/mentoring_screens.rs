//! Mentoring and workshops in the real app: the advisor adds a mentor to the directory
//! ("Parrainage"), pairs them with a financed business from its dossier and records a
//! meeting, then creates a one-seat workshop ("Ateliers"), registers the business's holder,
//! sees a second registration refused with the core's French message, and marks the holder
//! present; the dossier shows the pairing and the workshop attended.

use permanence::store::{DossierQuery, Store};
use permanence_e2e::{click, click_starting_with, fill, screenshot, wait_for_text, Driver};

#[tokio::test]
async fn a_mentor_is_paired_and_a_holder_registered_and_present_at_a_full_workshop(
) -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let today = permanence::clock::today();
    let (financed, other) = {
        let mut store = Store::open_in_dir(data.path())?;
        permanence::demo::fill(&mut store, 40, 62, today)?;
        let dossiers: Vec<_> = store
            .list_dossiers(&DossierQuery::default())?
            .items
            .iter()
            .map(|s| store.get_dossier(s.id))
            .collect::<Result<_, _>>()?;
        let financed = dossiers
            .iter()
            .find(|d| d.financed() && d.pairings.is_empty())
            .cloned()
            .expect("the demo has a financed dossier with no mentor");
        let other = dossiers
            .iter()
            .find(|d| d.id != financed.id)
            .cloned()
            .expect("the demo has more than one dossier");
        (financed, other)
    };
    let driver = Driver::start(data.path())?;
    let app = driver.launch().await?;

    // The directory: a new mentor, the commune chosen from the reference.
    click(&app, "a[href='/mentors']").await?;
    wait_for_text(&app, "h1", "Parrainage").await?;
    fill(&app, "#mentor-name", "Claude Martel").await?;
    fill(&app, "#mentor-trade", "Ancien restaurateur").await?;
    fill(&app, "#mentor-commune", "fruges").await?;
    click_starting_with(&app, ".commune-option", "Fruges").await?;
    fill(&app, "#mentor-availability", "Le lundi matin").await?;
    click(&app, "#save-mentor").await?;
    wait_for_text(&app, "#mentor-list", "Claude Martel").await?;
    wait_for_text(&app, "#mentor-list", "Ancien restaurateur · Fruges").await?;
    screenshot(&app, "mentoring-directory").await?;

    // The financed dossier: paired with Claude from today, and a first meeting.
    click(&app, "a[href='/']").await?;
    click(&app, &format!("a[href='/dossiers/{}']", financed.id)).await?;
    click(&app, "#tab-parrainage").await?;
    click_starting_with(&app, "#pairing-mentor option", "Claude Martel").await?;
    click(&app, "#add-pairing").await?;
    wait_for_text(&app, ".pairing .mentor-name", "Claude Martel").await?;
    fill(&app, "#meeting-note", "Premier rendez-vous au magasin.").await?;
    click(&app, "#add-meeting").await?;
    wait_for_text(
        &app,
        ".pairing .meetings",
        "Premier rendez-vous au magasin.",
    )
    .await?;
    wait_for_text(&app, ".pairing", "1 rencontre").await?;
    screenshot(&app, "mentoring-dossier").await?;

    // A one-seat workshop of today: the holder takes the seat, a second person is refused.
    click(&app, "a[href='/workshops']").await?;
    wait_for_text(&app, "h1", "Ateliers").await?;
    fill(
        &app,
        "#workshop-date",
        &today.format("%d/%m/%Y").to_string(),
    )
    .await?;
    fill(&app, "#workshop-theme", "Tenir sa comptabilité").await?;
    fill(&app, "#workshop-place", "Maison des services, Fruges").await?;
    fill(&app, "#workshop-capacity-input", "1").await?;
    click(&app, "#create-workshop").await?;
    wait_for_text(&app, "#workshop-detail", "Tenir sa comptabilité").await?;
    wait_for_text(&app, "#workshop-capacity", "0 inscrit sur 1 place").await?;

    let holder = &financed.holders[0];
    fill(&app, "#register-search", &financed.number).await?;
    click_starting_with(&app, "#register-choices button", &holder.first_name).await?;
    wait_for_text(&app, "#workshop-capacity", "complet (1 place)").await?;
    fill(&app, "#register-search", &other.number).await?;
    click_starting_with(
        &app,
        "#register-choices button",
        &other.holders[0].first_name,
    )
    .await?;
    wait_for_text(
        &app,
        "#workshop-error",
        "L'atelier est complet (1 place) : inscription impossible.",
    )
    .await?;
    screenshot(&app, "workshop-full").await?;

    click(&app, &format!("tr[data-holder='{}'] .present", holder.id)).await?;
    wait_for_text(&app, "#workshop-capacity", "1 présent").await?;
    screenshot(&app, "workshop-present").await?;

    // The dossier shows the workshop attended.
    click(&app, "a[href='/']").await?;
    click(&app, &format!("a[href='/dossiers/{}']", financed.id)).await?;
    click(&app, "#tab-parrainage").await?;
    wait_for_text(&app, "#dossier-workshops", "Tenir sa comptabilité").await?;
    wait_for_text(&app, "#dossier-workshops", "présent").await?;
    Ok(())
}
