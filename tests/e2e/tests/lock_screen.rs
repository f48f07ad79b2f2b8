//! The real app on a machine with no credential store (its session bus points nowhere): at
//! first start the advisor chooses the store's passphrase on the lock screen (typed twice; a
//! short one refused in French at the field), then the screens open; restarted, the app asks
//! for it again, refuses a wrong one at the field and opens with the right one. The store's
//! file is then encrypted and the file beside it holds no passphrase.

use std::path::Path;

use permanence_e2e::{click, fill, screenshot, wait_for_text, Driver};

const PASSPHRASE: &str = "les remparts de Montreuil";

#[tokio::test]
async fn the_passphrase_is_chosen_at_first_start_and_asked_at_each_start() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let driver = Driver::start_with(
        data.path(),
        &[
            // Encrypted, unlike the other end-to-end tests' stores.
            ("PERMANENCE_UNENCRYPTED_STORE", Path::new("0")),
            (
                "DBUS_SESSION_BUS_ADDRESS",
                Path::new("unix:path=/nonexistent/bus"),
            ),
        ],
    )?;

    let app = driver.launch().await?;
    wait_for_text(&app, "#unlock-title", "Choisissez la phrase de passe").await?;
    fill(&app, "#passphrase", "court").await?;
    fill(&app, "#passphrase-again", "court").await?;
    click(&app, "#unlock-submit").await?;
    wait_for_text(
        &app,
        r#"[data-field="passphrase"]"#,
        "au moins 8 caractères",
    )
    .await?;
    screenshot(&app, "lock-screen-choosing").await?;
    fill(&app, "#passphrase", PASSPHRASE).await?;
    fill(&app, "#passphrase-again", "autre chose encore").await?;
    click(&app, "#unlock-submit").await?;
    wait_for_text(
        &app,
        r#"[data-field="passphrase_again"]"#,
        "Les deux saisies diffèrent",
    )
    .await?;
    fill(&app, "#passphrase-again", PASSPHRASE).await?;
    click(&app, "#unlock-submit").await?;
    wait_for_text(&app, "#empty-state", "Aucun dossier").await?;
    app.close().await?;

    let app = driver.launch().await?;
    wait_for_text(&app, "#unlock-title", "Base chiffrée").await?;
    fill(&app, "#passphrase", "les remparts de Hesdin").await?;
    click(&app, "#unlock-submit").await?;
    wait_for_text(
        &app,
        r#"[data-field="passphrase"]"#,
        "Phrase de passe incorrecte",
    )
    .await?;
    screenshot(&app, "lock-screen-wrong").await?;
    fill(&app, "#passphrase", PASSPHRASE).await?;
    click(&app, "#unlock-submit").await?;
    wait_for_text(&app, "#empty-state", "Aucun dossier").await?;
    app.close().await?;
    drop(driver);

    let store = data.path().join(permanence::store::DATABASE_FILE);
    assert!(
        !std::fs::read(&store)?.starts_with(b"SQLite format 3"),
        "the store's file is encrypted"
    );
    let key_file = std::fs::read_to_string(permanence::credentials::key_file(&store))?;
    assert!(key_file.contains("passphrase"), "{key_file}");
    assert!(
        !key_file.contains("remparts"),
        "the passphrase is never written"
    );
    Ok(())
}
