//! Relating the real app to a head office whose HTTPS certificate comes from the network's
//! own certificate authority: refused, with the reason beside the certificate field, until
//! the advisor picks the authority's file; then registered, and the first sync delivers
//! the laptop's dossier and brings the platform's settings, which the settings screen then
//! shows read-only.
//!
//! The head office runs in this test's process (the same `Server` the binary serves), with
//! a certificate for 127.0.0.1 signed by an authority made here with rcgen.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use fantoccini::Locator;
use permanence::settings::PlatformSettings;
use permanence::store::Store;
use permanence_e2e::{
    anne_lefevre, click, fill, screenshot, value_of, wait_for_text, Driver, WAIT,
};
use permanence_head_office::office::{Caller, HeadOffice, NewUser, Role};
use permanence_head_office::store::Store as Office;
use permanence_head_office::{router, AppState, Server, Tls};
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
};

const PASSWORD: &str = "correct horse battery";

/// An authority (`autorite.pem`) and a server certificate for 127.0.0.1 signed by it
/// (`siege.pem`, `siege.key.pem`), written in `dir`.
fn network_authority(dir: &Path) -> Result<()> {
    let mut ca = CertificateParams::new(Vec::<String>::new())?;
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    ca.distinguished_name
        .push(DnType::CommonName, "Autorité Initiative Ternois (test)");
    let authority = CertifiedIssuer::self_signed(ca, KeyPair::generate()?)?;
    let server_key = KeyPair::generate()?;
    let server =
        CertificateParams::new(vec!["127.0.0.1".to_owned()])?.signed_by(&server_key, &authority)?;
    std::fs::write(dir.join("autorite.pem"), authority.pem())?;
    std::fs::write(dir.join("siege.pem"), server.pem())?;
    std::fs::write(dir.join("siege.key.pem"), server_key.serialize_pem())?;
    Ok(())
}

/// A head office with platform TA7V and advisor claire, served over HTTPS on 127.0.0.1.
fn head_office(dir: &Path) -> Result<(String, Office)> {
    let office = Office::open(&dir.join("siege.sqlite3"))?;
    office.add_platform("TA7V", "Initiative Ternois-Artois-7 Vallées")?;
    office.add_user(&NewUser {
        login: "claire".into(),
        name: "Claire Dumont".into(),
        password: PASSWORD.into(),
        role: Role::Advisor,
        platform: Some("TA7V".into()),
    })?;
    let tls = Tls::from_pem_files(&dir.join("siege.pem"), &dir.join("siege.key.pem"))?;
    let server = Server::bind("127.0.0.1:0".parse()?, Some(tls))?;
    let url = server.url();
    let served = office.clone();
    tokio::spawn(server.serve(router(AppState::new(served)), std::future::pending()));
    Ok((url, office))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_head_office_with_the_networks_own_certificate_is_trusted_once_its_authority_is_given(
) -> Result<()> {
    let data = tempfile::tempdir()?;
    let office_dir = tempfile::tempdir()?;
    network_authority(office_dir.path())?;
    let (url, office) = head_office(office_dir.path())?;
    Store::open_in_dir(data.path())?.create_dossier(&anne_lefevre())?;
    // The platform's settings, as the head office's staff set them.
    let staff = Caller {
        device_id: Default::default(),
        account: "siege".into(),
        role: Role::Staff,
        platform: None,
    };
    let mut settings = PlatformSettings {
        name: "Initiative Ternois (réglages du siège)".into(),
        ..PlatformSettings::default()
    };
    settings.loan_rules.max_cents = 1_200_000;
    office.set_platform_settings(&staff, "TA7V", &settings)?;
    let driver = Driver::start(data.path())?;
    let app = driver.launch().await?;

    click(&app, "nav a[href='/sync']").await?;
    wait_for_text(&app, "#register-title", "Relier cet ordinateur au siège").await?;
    fill(&app, "#sync-server-input", &url).await?;
    fill(&app, "#sync-login", "claire").await?;
    fill(&app, "#sync-password", PASSWORD).await?;

    // Without the authority: the head office answers with a certificate nobody vouches for.
    click(&app, "#register-device").await?;
    wait_for_text(
        &app,
        "[data-field='certificate']",
        "Certificat du siège non reconnu",
    )
    .await?;
    screenshot(&app, "sync-setup-certificate-refused").await?;
    assert_eq!(office.change_count()?, 0, "nothing reached the head office");

    // The authority's file, as the network hands it out.
    let input = app
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("#sync-certificate-file"))
        .await
        .context("no certificate file input")?;
    let file = office_dir.path().join("autorite.pem");
    input.send_keys(&file.to_string_lossy()).await?;
    wait_for_text(&app, "#sync-certificate-name", "autorite.pem").await?;
    click(&app, "#register-device").await?;
    wait_for_text(&app, "#sync-advisor", "Claire Dumont").await?;
    wait_for_text(
        &app,
        "#sync-authority",
        "Autorité du réseau, donnée à l'enregistrement",
    )
    .await?;

    // The first sync goes through the same authority and delivers Anne Lefèvre's dossier.
    let start = Instant::now();
    while office.change_count()? == 0 {
        if start.elapsed() > WAIT {
            bail!("the first sync never reached the head office");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    wait_for_text(&app, "[data-testid='sync-bar']", "Tout est synchronisé").await?;
    screenshot(&app, "sync-setup-registered").await?;

    // The platform's settings came with the sync: shown, and read-only but for the advisor.
    click(&app, "nav a[href='/settings']").await?;
    wait_for_text(&app, "#settings-held", "tenus par le siège").await?;
    assert_eq!(
        value_of(&app, "#settings-name").await?,
        "Initiative Ternois (réglages du siège)"
    );
    let maximum: String = value_of(&app, "#rules-max")
        .await?
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    assert_eq!(maximum, "12000", "the head office's maximum, 12 000 €");
    // `:disabled` holds for a field in a disabled fieldset too (what the advisor meets).
    let disabled = |field: &'static str| {
        let app = &app;
        async move {
            let answer = app
                .execute(
                    "return document.querySelector(arguments[0]).matches(':disabled');",
                    vec![serde_json::json!(field)],
                )
                .await?;
            anyhow::Ok(answer.as_bool() == Some(true))
        }
    };
    for field in ["#settings-name", "#rules-max", "#rules-months", "#scheme-0"] {
        assert!(disabled(field).await?, "{field} is read-only");
    }
    assert!(
        !disabled("#settings-advisor").await?,
        "the advisor's name is set here"
    );
    screenshot(&app, "settings-held-by-head-office").await?;
    app.close().await?;
    Ok(())
}
