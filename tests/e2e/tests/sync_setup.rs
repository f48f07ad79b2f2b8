//! Relating the real app to a head office whose HTTPS certificate comes from the network's
//! own certificate authority: refused, with the reason beside the certificate field, until
//! the advisor picks the authority's file; then registered, and the first sync delivers
//! the laptop's dossier.
//!
//! The head office runs in this test's process (the same `Server` the binary serves), with
//! a certificate for 127.0.0.1 signed by an authority made here with rcgen.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use fantoccini::Locator;
use permanence::store::Store;
use permanence_e2e::{anne_lefevre, click, fill, screenshot, wait_for_text, Driver, WAIT};
use permanence_head_office::office::{HeadOffice, NewUser, Role};
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
    app.close().await?;
    Ok(())
}
