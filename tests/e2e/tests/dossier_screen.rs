//! The dossier screen in the real app: fields save themselves (and say so), a refused value
//! stays with the core's French message under it, the financing plan adds lines and shows
//! the core's balance and leverage, notes are corrected without being erased, and a move the
//! pipeline refuses shows its reasons.

use permanence::codes::DossierStatus;
use permanence::store::Store;
use permanence_e2e::{
    anne_lefevre, choose, click, fill, screenshot, type_and_leave, value_of, wait_for_text,
    wait_until_gone, Driver,
};

#[tokio::test]
async fn the_dossier_screen_saves_each_field_and_shows_the_core_answers() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let id = Store::open_in_dir(data.path())?
        .create_dossier(&anne_lefevre())?
        .id;
    let driver = Driver::start(data.path())?;
    let app = driver.launch().await?;

    wait_for_text(&app, "#dossier-list", "Anne LEFÈVRE").await?;
    click(&app, "#dossier-list a").await?;
    wait_for_text(&app, "#dossier-title", "Anne LEFÈVRE").await?;

    // Holders: an amount typed the French way is saved and shown back grouped.
    type_and_leave(&app, "#holder-0-loan_requested_cents", "8000").await?;
    wait_for_text(&app, ".saved-mark", "enregistré").await?;
    assert_eq!(
        value_of(&app, "#holder-0-loan_requested_cents").await?,
        "8 000"
    );
    // A refused value keeps what was typed, with the core's message under the field.
    type_and_leave(&app, "#holder-0-loan_months", "12").await?;
    wait_for_text(&app, r#"[data-field="loan_months"]"#, "entre 24 et 84").await?;
    assert_eq!(value_of(&app, "#holder-0-loan_months").await?, "12");
    type_and_leave(&app, "#holder-0-loan_months", "60").await?;
    // The first field's "enregistré" may still show: this save's own end is its error gone
    // and no save on its way (a tab clicked during a save's answer could be lost).
    wait_until_gone(&app, r#"[data-field="loan_months"]"#).await?;
    wait_until_gone(&app, ".saving").await?;
    wait_for_text(&app, ".saved-mark", "enregistré").await?;
    screenshot(&app, "dossier-holders").await?;

    // Financing plan: a need, then a bank loan that balances it with the honour loan.
    click(&app, "#tab-financement").await?;
    wait_for_text(&app, "#plan-leverage", "Effet levier").await?;
    choose(&app, "#new-need-category", "tangible_assets").await?;
    click(&app, "#add-need").await?;
    let need =
        "section[aria-labelledby='plan-need-title'] input[id^='f-financing_line-amount_cents']";
    type_and_leave(&app, need, "24 000").await?;
    wait_for_text(&app, "#plan-balance", "Il manque").await?;
    choose(&app, "#new-resource-category", "bank_loan").await?;
    click(&app, "#add-resource").await?;
    let bank =
        "section[aria-labelledby='plan-resource-title'] input[id^='f-financing_line-amount_cents']";
    type_and_leave(&app, bank, "16 000").await?;
    wait_for_text(&app, "#plan-balance", "Plan équilibré").await?;
    wait_for_text(&app, "#plan-leverage", "Effet levier : 1 pour 2").await?;
    screenshot(&app, "dossier-plan").await?;

    // Notes: a correction supersedes the note, which stays, struck through.
    click(&app, "#tab-notes").await?;
    fill(&app, "#note-body", "Premier entretien : local repéré.").await?;
    click(&app, "#add-note").await?;
    wait_for_text(&app, "#notes", "local repéré").await?;
    click(&app, "#notes .correct-button").await?;
    fill(
        &app,
        "#notes textarea",
        "Premier entretien : local repéré rue de Hesdin.",
    )
    .await?;
    click(&app, "#notes .correct button[type='submit']").await?;
    wait_for_text(&app, "#notes", "corrigée le").await?;
    wait_for_text(&app, "#notes", "rue de Hesdin").await?;
    screenshot(&app, "dossier-notes").await?;

    // Status: into instruction, then ready for committee is refused with the core's reasons.
    click(&app, "#tab-statut").await?;
    click(&app, "button[data-to='instruction']").await?;
    wait_for_text(&app, "#current-status", "En instruction").await?;
    wait_for_text(&app, "#moves", "Pièce manquante").await?;
    click(&app, "button[data-to='pret_pour_comite']").await?;
    wait_for_text(&app, "#move-refused", "Pièce manquante : Pièce d'identité.").await?;
    screenshot(&app, "dossier-status").await?;
    app.close().await?;
    drop(driver);

    let store = Store::open_in_dir(data.path())?;
    let dossier = store.get_dossier(id)?;
    let holder = &dossier.holders[0];
    assert_eq!(
        holder.loan_requested_cents,
        Some(800_000),
        "8 000 € in cents"
    );
    assert_eq!(
        holder.loan_months,
        Some(60),
        "the refused 12 was never stored"
    );
    assert_eq!(dossier.financing.len(), 2, "one need and one bank loan");
    assert!(
        dossier.analysis.balanced,
        "24 000 € of needs, 16 000 + 8 000 € of resources"
    );
    assert_eq!(dossier.notes.len(), 2, "the corrected note is kept");
    assert_eq!(
        dossier.status,
        DossierStatus::Instruction,
        "the refused move changed nothing"
    );
    Ok(())
}
