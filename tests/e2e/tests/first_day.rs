//! An advisor's first day with the head office `make run` gives: the address offered, an
//! address typed without `http://` accepted for a head office on this machine (and one where
//! nothing answers named with what to type), the first sync said to be under way only until it
//! ends, the platform's dossiers coming from the head office with nothing pending, and then,
//! the head office gone, "Hors connexion" said calmly, with nothing in red.
//!
//! The head office runs in this test's process over plain HTTP on 127.0.0.1, holding the demo
//! dossiers a seeding laptop store sent it (as `scripts/demo-pair.sh` does).

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use fantoccini::Locator;
use permanence::store::Store;
use permanence::sync::client::{self, Client};
use permanence::sync::protocol::RegisterRequest;
use permanence_e2e::{
    click, fill, screenshot, text_of, type_and_leave, value_of, wait_for_text, Driver,
};
use permanence_head_office::office::{HeadOffice, NewUser, Role};
use permanence_head_office::store::Store as Office;
use permanence_head_office::{router, AppState, Server};

const PASSWORD: &str = "permanence-demo";

/// Platform TA7V and its advisor claire.
fn head_office(dir: &Path) -> Result<Office> {
    let office = Office::open(&dir.join("siege.sqlite3"))?;
    office.add_platform("TA7V", "Initiative Ternois-Artois-7 Vallées")?;
    office.add_user(&NewUser {
        login: "claire".into(),
        name: "Claire Dumont".into(),
        password: PASSWORD.into(),
        role: Role::Advisor,
        platform: Some("TA7V".into()),
    })?;
    Ok(office)
}

/// `dossiers` demo dossiers typed on a seeding laptop, sent up to the head office at `url`.
fn seed(url: &str, dossiers: usize) -> Result<()> {
    let mut laptop = Store::open_in_memory()?;
    let today = laptop.clock().today();
    permanence::demo::fill(&mut laptop, dossiers, 62, today)?;
    let registered = Client::new(url, None)?.register(&RegisterRequest {
        login: "claire".into(),
        password: PASSWORD.into(),
        device_id: laptop.device_id()?,
        device_name: "démonstration".into(),
    })?;
    let report = client::sync(&mut laptop, &Client::new(url, Some(registered.token))?)?;
    anyhow::ensure!(report.pending == 0, "the seeding laptop sent everything");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_day_registers_from_the_address_given_syncs_down_and_then_works_offline_calmly(
) -> Result<()> {
    let data = tempfile::tempdir()?;
    let office_dir = tempfile::tempdir()?;
    let office = head_office(office_dir.path())?;
    let server = Server::bind("127.0.0.1:0".parse()?, None)?;
    let url = server.url();
    let port = server.local_addr().port();
    let serving = tokio::spawn(server.serve(
        router(AppState::new(office.clone())),
        std::future::pending(),
    ));
    let seeding = url.clone();
    tokio::task::spawn_blocking(move || seed(&seeding, 6)).await??;

    // A port where nothing listens, for the address typed wrong.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let driver = Driver::start_with(
        data.path(),
        &[("PERMANENCE_HEAD_OFFICE_URL", Path::new(&url))],
    )?;
    let app = driver.launch().await?;

    click(&app, "nav a[href='/sync']").await?;
    wait_for_text(&app, "#register-title", "Relier cet ordinateur au siège").await?;
    let start = std::time::Instant::now();
    while value_of(&app, "#sync-server-input").await? != url {
        anyhow::ensure!(
            start.elapsed() < permanence_e2e::WAIT,
            "the address given by PERMANENCE_HEAD_OFFICE_URL is offered"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Typed without its scheme, at a port where nothing answers: what was tried, what to do.
    fill(&app, "#sync-server-input", &format!("127.0.0.1:{closed}")).await?;
    fill(&app, "#sync-login", "claire").await?;
    fill(&app, "#sync-password", PASSWORD).await?;
    click(&app, "#register-device").await?;
    wait_for_text(
        &app,
        "[data-field='server']",
        &format!("Siège injoignable à http://127.0.0.1:{closed} (connexion impossible)"),
    )
    .await?;
    let said = text_of(&app, "[data-field='server']").await?;
    assert!(
        said.contains("vérifiez qu'il est lancé et le numéro de port"),
        "{said}"
    );
    screenshot(&app, "first-day-address-unreachable").await?;

    // The right port, still without `http://`: a head office on this machine is reached.
    fill(&app, "#sync-server-input", &format!("127.0.0.1:{port}")).await?;
    fill(&app, "#sync-password", PASSWORD).await?;
    click(&app, "#register-device").await?;
    wait_for_text(&app, "#sync-advisor", "Claire Dumont").await?;
    assert_eq!(
        text_of(&app, "#sync-server").await?,
        url,
        "stored with http://"
    );
    wait_for_text(
        &app,
        "[data-testid='sync-linked']",
        "Première synchronisation terminée",
    )
    .await?;
    let linked = text_of(&app, "[data-testid='sync-linked']").await?;
    assert!(
        !linked.contains("commence"),
        "the first sync is no longer said to begin: {linked}"
    );
    assert!(linked.contains("6 dossiers reçus d’un bloc"), "{linked}");
    wait_for_text(&app, "[data-testid='sync-bar']", "Tout est synchronisé").await?;
    let status = text_of(&app, "[data-testid='sync-status']").await?;
    assert!(status.contains("Dernière synchronisation"), "{status}");
    assert!(!status.contains("Jamais synchronisé"), "{status}");
    screenshot(&app, "first-day-registered").await?;
    assert_eq!(
        Store::open_in_dir(data.path())?
            .list_dossiers(&Default::default())?
            .total,
        6,
        "the platform's dossiers came from the head office"
    );

    // The head office gone (out of reach at a permanence): said calmly, nothing in red.
    serving.abort();
    let _ = serving.await;
    click(&app, "[data-testid='sync-now']").await?;
    wait_for_text(
        &app,
        "[data-testid='sync-pending']",
        "Hors connexion · rien en attente",
    )
    .await?;
    wait_for_text(&app, "[data-testid='sync-page-pending']", "Hors connexion").await?;
    for red in [
        "[data-testid='sync-bar'] [role='alert']",
        "[data-testid='sync-status'] [role='alert']",
    ] {
        assert!(
            app.find(Locator::Css(red)).await.is_err(),
            "offline is not an alarm: {red}"
        );
    }
    screenshot(&app, "first-day-offline").await?;

    // Work goes on offline: an edit is kept on this laptop, still said calmly.
    click(&app, "nav a[href='/']").await?;
    click(&app, "#dossier-list a").await?;
    type_and_leave(&app, "#holder-0-loan_requested_cents", "8 123").await?;
    wait_for_text(
        &app,
        "[data-testid='sync-pending']",
        "Hors connexion · 1 modification gardée sur cet ordinateur",
    )
    .await?;
    assert!(
        app.find(Locator::Css("[data-testid='sync-bar'] [role='alert']"))
            .await
            .is_err(),
        "a change kept offline is not an alarm"
    );
    app.execute("window.scrollTo(0, 0);", vec![]).await?;
    screenshot(&app, "first-day-offline-kept").await?;
    app.close().await.context("closing the app")?;
    Ok(())
}
