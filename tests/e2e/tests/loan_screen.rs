//! The honour loan in the real app: on a dossier granted by the committee, the advisor records
//! the signed loan, its disbursement a hundred days ago and one repayment; the tab shows the
//! core's answer: a schedule of 24 instalments, one instalment late past the grace period,
//! its amount outstanding, and the status "Impayé". A refused movement shows the core's
//! French message at its field.

use chrono::Duration;
use permanence::codes::DossierStatus;
use permanence::store::{DossierQuery, Store};
use permanence_e2e::{click, fill, screenshot, wait_for_text, Driver};

#[tokio::test]
async fn a_granted_loan_is_signed_disbursed_repaid_and_shows_what_is_late() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let today = permanence::clock::today();
    let granted = {
        let mut store = Store::open_in_dir(data.path())?;
        permanence::demo::fill(&mut store, 40, 62, today)?;
        store
            .list_dossiers(&DossierQuery {
                status: Some(DossierStatus::Accorde),
                ..DossierQuery::default()
            })?
            .items
            .into_iter()
            .next()
            .expect("the demo data has a granted dossier")
    };
    let driver = Driver::start(data.path())?;
    let app = driver.launch().await?;

    click(&app, &format!("a[href='/dossiers/{}']", granted.id)).await?;
    wait_for_text(&app, "#dossier-status", "Accordé").await?;
    click(&app, "#tab-pret").await?;

    // The signed loan: 6 000 € over 24 months, signed a hundred days ago.
    let signed = (today - Duration::days(100)).format("%d/%m/%Y").to_string();
    click(&app, "#new-loan").await?;
    fill(&app, "#loan-amount", "6 000").await?;
    fill(&app, "#loan-months", "24").await?;
    fill(&app, "#loan-deferral", "0").await?;
    fill(&app, "#loan-signed", &signed).await?;
    click(&app, "#save-loan").await?;
    wait_for_text(&app, ".loan .loan-status", "Signé, à décaisser").await?;

    // More than was agreed: the core's message at the amount.
    click(&app, ".loan .record-movement").await?;
    fill(&app, "#movement-on", &signed).await?;
    fill(&app, "#movement-amount", "7 000").await?;
    click(&app, "#save-movement").await?;
    wait_for_text(
        &app,
        "#movement-amount-error",
        "dépasserait le prêt accordé",
    )
    .await?;
    screenshot(&app, "loan-disbursement-refused").await?;

    // Disbursed whole on the day it was signed: three instalments of 250 € have fallen due.
    fill(&app, "#movement-amount", "6 000").await?;
    click(&app, "#save-movement").await?;
    wait_for_text(&app, ".loan .disbursed", "6\u{202f}000").await?;

    // One repayment: the first instalment is paid, the second is late, the third not yet.
    click(&app, ".loan .record-movement").await?;
    fill(&app, "#movement-on", &signed).await?;
    fill(&app, "#movement-amount", "250").await?;
    click(&app, "#save-movement").await?;
    wait_for_text(&app, ".loan .repaid", "250").await?;
    wait_for_text(&app, ".loan .outstanding", "5\u{202f}750").await?;
    wait_for_text(&app, ".loan .loan-status", "Impayé").await?;
    wait_for_text(&app, ".loan .overdue", "250").await?;
    wait_for_text(&app, ".loan .overdue", "1 échéance").await?;
    click(&app, ".loan details.schedule summary").await?;
    wait_for_text(&app, ".loan details.schedule summary", "24 échéances").await?;
    wait_for_text(&app, ".loan details.schedule tr.late", "impayée").await?;
    screenshot(&app, "loan-late").await?;
    Ok(())
}
