//! A loan repaid by the bank statement, in the real app: on a dossier granted at committee, the
//! advisor records the signed loan and its disbursement, sees its schedule, then imports the
//! platform's statement (the bank's own layout, in Latin-1: refused until its columns are
//! mapped once by name) that pays three instalments; a line no loan fits is listed with the
//! core's reason, and a second import changes nothing. The fourth instalment, past the grace
//! period, is late: the loan tab and the tableau de bord show it. The business started a year
//! ago, so the "Suivi" screen lists its 12-month checkpoint, recorded from there (refused
//! first at the field the core names).
//!
//! Every date is worked out from the app's own clock (`permanence::clock::today`), never
//! written down: the test holds on any day.

use anyhow::{ensure, Context};
use chrono::{Duration, Months, NaiveDate};
use fantoccini::{Client, Locator};
use permanence::codes::DossierStatus;
use permanence::field::{Entity, FieldEdit};
use permanence::money::format_cents;
use permanence::store::{DossierQuery, Store};
use permanence_e2e::{
    choose, click, fill, screenshot, scroll_into_view, text_of, wait_for_text, wait_until_gone,
    Driver, WAIT,
};

const REFERENCE: &str = "PH-RELEVE-0001";

fn french(day: NaiveDate) -> String {
    day.format("%d/%m/%Y").to_string()
}

/// The statement as the bank exports it: an account line, then its own headers; every
/// character one byte (Latin-1), French amounts.
fn statement(paid: &[NaiveDate]) -> Vec<u8> {
    let mut text =
        String::from("Relevé de compte;Initiative Ternois-Artois\r\nJour;Opération;Somme\r\n");
    for (n, day) in paid.iter().enumerate() {
        text.push_str(&format!(
            "{};VIR SEPA REMB PRÊT {REFERENCE} ÉCHÉANCE {};250,00\r\n",
            french(*day),
            n + 1
        ));
    }
    let last = paid[paid.len() - 1];
    text.push_str(&format!(
        "{};VIR SEPA M. INCONNU;1 250,00\r\n",
        french(last)
    ));
    text.push_str(&format!(
        "{};FRAIS TENUE DE COMPTE;-12,50\r\n",
        french(last)
    ));
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).expect("a Latin-1 character"))
        .collect()
}

async fn upload(app: &Client, css: &str, path: &std::path::Path) -> anyhow::Result<()> {
    let input = app
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .with_context(|| format!("no file input {css}"))?;
    input.send_keys(&path.to_string_lossy()).await?;
    Ok(())
}

#[tokio::test]
async fn a_statement_pays_three_instalments_and_the_fourth_shows_late() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let files = tempfile::tempdir()?;
    let today = permanence::clock::today();
    let year = chrono::Datelike::year(&today);
    let (granted, grace, before) = {
        let mut store = Store::open_in_dir(data.path())?;
        permanence::demo::fill(&mut store, 40, 62, today)?;
        let granted = store
            .list_dossiers(&DossierQuery {
                status: Some(DossierStatus::Accorde),
                ..DossierQuery::default()
            })?
            .items
            .into_iter()
            .next()
            .context("the demo data has a granted dossier")?;
        // The business started a year ago (a takeover, say): its 12-month checkpoint falls due
        // this month.
        let started = today
            .checked_sub_months(Months::new(12))
            .context("a year ago")?;
        store.set_field(&FieldEdit {
            entity: Entity::Business,
            id: granted.id,
            field: "start_on".into(),
            value: serde_json::json!(french(started)),
        })?;
        let grace = store.settings().loan_rules.grace_days;
        let before = store.indicators(year, None)?.current;
        (granted, grace, before)
    };

    // Paid out four months and a few days past the grace period ago: four instalments of
    // 250 € (6 000 € over 24 months) have fallen due, the fourth beyond its grace.
    let disbursed = today
        .checked_sub_months(Months::new(4))
        .context("four months ago")?
        - Duration::days(grace + 5);
    let due = |n: u32| {
        disbursed
            .checked_add_months(Months::new(n))
            .unwrap_or(disbursed)
    };
    ensure!(
        due(4) + Duration::days(grace) < today && due(5) > today,
        "the grace period ({grace} days) leaves no day with exactly four instalments due"
    );
    let file = files.path().join("releve-novembre.csv");
    std::fs::write(&file, statement(&[due(1), due(2), due(3)]))?;

    let driver = Driver::start(data.path())?;
    let app = driver.launch().await?;

    // The signed loan, then its disbursement: the schedule is generated.
    click(&app, &format!("a[href='/dossiers/{}']", granted.id)).await?;
    wait_for_text(&app, "#dossier-status", "Accordé").await?;
    click(&app, "#tab-pret").await?;
    click(&app, "#new-loan").await?;
    fill(&app, "#loan-amount", "6 000").await?;
    fill(&app, "#loan-months", "24").await?;
    fill(&app, "#loan-deferral", "0").await?;
    fill(&app, "#loan-signed", &french(disbursed)).await?;
    fill(&app, "#loan-reference", REFERENCE).await?;
    click(&app, "#save-loan").await?;
    wait_for_text(&app, ".loan .loan-status", "Signé, à décaisser").await?;
    click(&app, ".loan .record-movement").await?;
    fill(&app, "#movement-on", &french(disbursed)).await?;
    fill(&app, "#movement-amount", "6 000").await?;
    click(&app, "#save-movement").await?;
    wait_for_text(&app, ".loan .disbursed", "6\u{202f}000").await?;
    click(&app, ".loan details.schedule summary").await?;
    wait_for_text(&app, ".loan details.schedule summary", "24 échéances").await?;
    screenshot(&app, "statement-1-schedule").await?;

    // The bank's own layout: refused with the core's reasons, the mapping form opens.
    click(&app, "a[href='/statements']").await?;
    upload(&app, "#statement-file", &file).await?;
    wait_for_text(
        &app,
        "#statement-error",
        "Relevé refusé, rien n'a été importé",
    )
    .await?;
    wait_for_text(&app, "#statement-error", "colonnes non reconnues").await?;
    wait_for_text(&app, "#statement-error", "« Opération »").await?;
    screenshot(&app, "statement-2-refused-layout").await?;
    fill(&app, "#mapping-name", "Banque du Ternois").await?;
    fill(&app, "#mapping-date", "Jour").await?;
    fill(&app, "#mapping-label", "Opération").await?;
    fill(&app, "#mapping-amount", "Somme").await?;
    click(&app, "#save-mapping").await?;
    wait_for_text(
        &app,
        "#statement-read",
        "5 opérations lues : 4 crédits, 1 débit",
    )
    .await?;
    wait_for_text(&app, "#statement-layout", "Encodage Windows-1252 (Latin-1)").await?;
    wait_for_text(&app, "#statement-layout", "montant « Somme »").await?;
    wait_for_text(
        &app,
        "#statement-preview",
        "VIR SEPA REMB PRÊT PH-RELEVE-0001 ÉCHÉANCE 1",
    )
    .await?;
    screenshot(&app, "statement-3-preview").await?;

    // Imported: three repayments matched by the loan's reference, a credit left with why.
    click(&app, "#import-statement").await?;
    wait_for_text(
        &app,
        "#report-summary",
        "3 remboursements enregistrés, 1 ligne non rapprochée, 1 débit ignoré.",
    )
    .await?;
    let recorded = text_of(&app, "#report-recorded").await?;
    let mut loans = Vec::new();
    for cell in app
        .find_all(Locator::Css("#report-recorded td.reference"))
        .await?
    {
        loans.push(cell.text().await?);
    }
    ensure!(
        loans == [REFERENCE; 3] && recorded.contains("250"),
        "the three repayments with their loan and amount: {loans:?} in {recorded}"
    );
    let holder = granted
        .holder_name
        .split(' ')
        .next_back()
        .unwrap_or_default()
        .to_uppercase();
    ensure!(
        recorded.contains(&holder),
        "the holder {holder} in {recorded}"
    );
    wait_for_text(&app, "#report-not-matched", "Aucun prêt reconnu").await?;
    screenshot(&app, "statement-4-imported").await?;

    // The same file again: nothing changes.
    click(&app, "#import-again").await?;
    wait_for_text(
        &app,
        "#report-summary",
        "Rien n'a changé : 3 remboursements de ce relevé étaient déjà importés",
    )
    .await?;
    screenshot(&app, "statement-5-again").await?;

    // The loan: 750 € repaid, the fourth instalment late.
    click(&app, "a[href='/']").await?;
    click(&app, &format!("a[href='/dossiers/{}']", granted.id)).await?;
    click(&app, "#tab-pret").await?;
    wait_for_text(&app, ".loan .repaid", "750").await?;
    wait_for_text(&app, ".loan .loan-status", "Impayé").await?;
    wait_for_text(&app, ".loan .overdue", "250").await?;
    wait_for_text(&app, ".loan .overdue", "1 échéance").await?;
    click(&app, ".loan details.schedule summary").await?;
    wait_for_text(&app, ".loan details.schedule tr.late", "impayée").await?;
    screenshot(&app, "statement-6-loan-late").await?;

    // The tableau de bord: the platform's late amount grew by that instalment.
    click(&app, "a[href='/dashboard']").await?;
    wait_for_text(&app, "#dashboard-figures", "Prêts d'honneur accordés").await?;
    let shown = |key: &str| format!("#dashboard-figures tr[data-key='{key}'] .now");
    assert_eq!(
        text_of(&app, &shown("overdue")).await?,
        // WebDriver reads a no-break space as a space.
        format_cents(before.overdue_cents + 25_000).replace('\u{a0}', " "),
        "the late amount, the demo's and this loan's fourth instalment"
    );
    assert_eq!(
        text_of(&app, &shown("late_loans")).await?,
        (before.late_loans.count + 1).to_string()
    );
    let overdue = app
        .find(Locator::Css("#dashboard-figures tr[data-key='overdue']"))
        .await?;
    scroll_into_view(&app, &overdue).await?;
    screenshot(&app, "statement-7-dashboard").await?;

    // The follow-up: the 12-month checkpoint is due this month, and opens the dossier.
    click(&app, "a[href='/checkpoints']").await?;
    let row = format!("tr.checkpoint-due[data-dossier='{}']", granted.id);
    wait_for_text(&app, &row, "à 12 mois").await?;
    wait_for_text(&app, &row, &granted.number).await?;
    screenshot(&app, "statement-8-checkpoints-due").await?;
    click(&app, &format!("{row} a")).await?;
    wait_for_text(&app, "#section-suivi", "Points de suivi").await?;
    click(&app, "#new-checkpoint").await?;
    choose(&app, "#checkpoint-state", "cessee").await?;
    fill(&app, "#checkpoint-headcount", "2").await?;
    click(&app, "#save-checkpoint").await?;
    wait_for_text(
        &app,
        "#checkpoint-state_since-error",
        "Indiquez la date de la cessation.",
    )
    .await?;
    screenshot(&app, "statement-9-checkpoint-refused").await?;
    choose(&app, "#checkpoint-state", "active").await?;
    fill(&app, "#checkpoint-turnover", "48 000").await?;
    click(&app, "#save-checkpoint").await?;
    wait_for_text(&app, "#checkpoint-list tr[data-month='12']", "En activité").await?;
    wait_for_text(
        &app,
        "#checkpoint-list tr[data-month='12']",
        "48\u{202f}000",
    )
    .await?;
    screenshot(&app, "statement-10-checkpoint-recorded").await?;

    // Recorded, it is no longer due; removed as typed in error, it is due again.
    click(&app, "a[href='/checkpoints']").await?;
    wait_for_text(&app, "h1", "Suivi des entreprises").await?;
    wait_until_gone(&app, "#checkpoints-loading").await?;
    ensure!(
        app.find_all(Locator::Css(&row)).await?.is_empty(),
        "a checkpoint recorded is no longer listed as due"
    );
    click(&app, "a[href='/']").await?;
    click(&app, &format!("a[href='/dossiers/{}']", granted.id)).await?;
    click(&app, "#tab-suivi").await?;
    click(&app, "#checkpoint-list .remove-checkpoint").await?;
    wait_for_text(&app, "#no-checkpoint", "Aucun point de suivi enregistré.").await?;
    click(&app, "a[href='/checkpoints']").await?;
    wait_for_text(&app, &row, "à 12 mois").await?;
    Ok(())
}
