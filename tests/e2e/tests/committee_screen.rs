//! The committees screen in the real app: a committee is planned, a dossier "prêt pour
//! comité" joins its agenda, the decision refused by the platform's rules shows the core's
//! French message at the amount, the accepted one moves the dossier to "Accordé", and the
//! committee pack is saved as a valid PDF (through `PERMANENCE_SAVE_TO`, as in `printing`).

use chrono::NaiveDate;
use permanence::codes::{Decision, DossierStatus};
use permanence::store::{DossierQuery, Store};
use permanence_e2e::{
    checked_pdf_text, choose, click, fill, screenshot, wait_for_file, wait_for_image,
    wait_for_text, Driver,
};

#[tokio::test]
async fn a_committee_takes_a_ready_dossier_records_its_decision_and_saves_its_pack(
) -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let saved = tempfile::tempdir()?;
    // Demo data as of March 2026: its committees are all over by today, so today is free.
    let demo_day = NaiveDate::from_ymd_opt(2026, 3, 10).expect("a day");
    let ready = {
        let mut store = Store::open_in_dir(data.path())?;
        permanence::demo::fill(&mut store, 40, 62, demo_day)?;
        store
            .list_dossiers(&DossierQuery {
                status: Some(DossierStatus::PretPourComite),
                ..DossierQuery::default()
            })?
            .items
            .into_iter()
            .next()
            .expect("the demo data has a dossier ready for committee")
    };
    let today = permanence::clock::today();
    let driver = Driver::start_with(data.path(), &[("PERMANENCE_SAVE_TO", saved.path())])?;
    let app = driver.launch().await?;

    // Plan today's committee.
    click(&app, "a[href='/committees']").await?;
    wait_for_text(&app, "#new-committee-title", "Nouveau comité").await?;
    fill(
        &app,
        "#committee-held_on",
        &today.format("%d/%m/%Y").to_string(),
    )
    .await?;
    fill(&app, "#committee-place", "Mairie de Fruges").await?;
    click(&app, "#create-committee").await?;
    wait_for_text(&app, "#committee-title", "Comité d'agrément du").await?;

    // The ready dossier joins the agenda.
    click(
        &app,
        &format!("#candidates li[data-dossier='{}'] button", ready.id),
    )
    .await?;
    wait_for_text(&app, "#agenda", &ready.holder_name).await?;
    wait_for_text(&app, "#agenda-count", "1 dossier à l'ordre du jour").await?;

    // A decision outside the platform's rules: the core's message at the amount.
    let card = format!("#decision-{}", ready.id);
    choose(&app, &format!("{card}-decision"), "accord").await?;
    fill(&app, &format!("{card}-amount"), "999 999").await?;
    click(&app, &format!("{card}-record")).await?;
    wait_for_text(
        &app,
        &format!("[data-dossier='{}'] [data-field='amount']", ready.id),
        "sort des règles de la plateforme",
    )
    .await?;
    screenshot(&app, "committee-decision-refused").await?;

    // Within the rules: recorded, and the dossier is granted.
    fill(&app, &format!("{card}-amount"), "5 000").await?;
    click(&app, &format!("{card}-record")).await?;
    let recorded = format!("#decisions [data-dossier='{}']", ready.id);
    wait_for_text(&app, &recorded, "Décision enregistrée : Accord").await?;
    wait_for_text(&app, &format!("{recorded} [data-status]"), "Accordé").await?;
    screenshot(&app, "committee-decision-recorded").await?;

    // The committee pack: previewed, then saved as a valid PDF.
    click(&app, "#print-pack").await?;
    wait_for_image(&app, "#print-pages img[alt^='Page 1 sur']").await?;
    screenshot(&app, "committee-pack").await?;
    click(&app, "#save-pdf").await?;
    let file_name = format!("comite-{}.pdf", today.format("%Y-%m-%d"));
    wait_for_text(
        &app,
        "#print-message",
        &format!("PDF enregistré : {file_name}"),
    )
    .await?;
    let file = saved.path().join(&file_name);
    wait_for_file(&file).await?;
    let text = checked_pdf_text(&file)?;
    assert!(text.contains("Dossier de séance"), "the pack's cover");
    assert!(text.contains("Mairie de Fruges"), "the committee's place");
    assert!(text.contains(&ready.number), "the dossier on the agenda");
    app.close().await?;
    drop(driver);

    let dossier = Store::open_in_dir(data.path())?.get_dossier(ready.id)?;
    assert_eq!(dossier.status, DossierStatus::Accorde);
    assert_eq!(dossier.decision, Some(Decision::Accord));
    assert_eq!(
        dossier.decision_amount_cents,
        Some(500_000),
        "5 000 € in cents"
    );
    assert_eq!(dossier.committee_date, Some(today));
    Ok(())
}
