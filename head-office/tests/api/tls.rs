//! HTTPS: the real server with a certificate on port 0, in process and as the
//! `permanence-head-office serve` command; certificates checked at start with a clear
//! message; plain HTTP refused off loopback; the listening socket's queue.

use std::path::Path;
use std::process::{Output, Stdio};
use std::time::Duration;

use permanence::sync::protocol::{Outcome, RegisterRequest, RegisterResponse};
use permanence_head_office::store::Store;
use permanence_head_office::{ServeError, Server, Tls};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;
use uuid::Uuid;

use crate::helpers::{seed, self_signed, spawn_app_over_https, trusting, PASSWORD};

const BINARY: &str = env!("CARGO_BIN_EXE_permanence-head-office");

#[tokio::test]
async fn health_registration_and_a_push_work_over_https_on_port_0() {
    let app = spawn_app_over_https().await;
    assert!(app.base.starts_with("https://127.0.0.1:"), "{}", app.base);

    let response = app.http.get(app.url("/v1/health")).send().await.unwrap();
    assert_eq!(response.status(), 200, "health over HTTPS");

    let device = app.device("claire").await;
    assert!(!device.token.is_empty(), "a token came back over HTTPS");
    let dossier = Uuid::now_v7();
    let pushed = app
        .push(&device, vec![device.create_dossier(dossier)])
        .await;
    assert_eq!(
        pushed.results[0].outcome,
        Outcome::Applied,
        "the bearer token works over HTTPS"
    );
}

#[tokio::test]
async fn the_https_port_answers_neither_plain_http_nor_a_client_that_does_not_trust_it() {
    let app = spawn_app_over_https().await;
    let plain = reqwest::get(format!("http://{}/v1/health", app.address)).await;
    assert!(
        !plain.as_ref().is_ok_and(|r| r.status().is_success()),
        "plain HTTP on the HTTPS port gets no answer: {plain:?}"
    );
    let unverified = reqwest::Client::new()
        .get(app.url("/v1/health"))
        .send()
        .await;
    assert!(
        unverified.is_err(),
        "a client that does not trust the certificate is stopped at the handshake"
    );
}

#[test]
fn plain_http_may_only_listen_on_loopback_and_https_anywhere() {
    for address in ["0.0.0.0:0", "[::]:0", "192.0.2.1:8750"] {
        let refused = Server::bind(address.parse().unwrap(), None);
        assert!(
            matches!(refused, Err(ServeError::PlainHttpOffLoopback(_))),
            "plain HTTP on {address} is refused: {refused:?}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let certificate = self_signed(dir.path(), "office");
    let tls = Tls::from_pem_files(&certificate.cert, &certificate.key).unwrap();
    let server = Server::bind("0.0.0.0:0".parse().unwrap(), Some(tls))
        .expect("HTTPS may listen on every interface");
    assert!(server.url().starts_with("https://0.0.0.0:"));
}

/// Pass: 300 laptops connecting at once to a server too busy to accept them all get their
/// handshake done (they wait in the listening socket's queue); with the system's usual
/// queue of 128, the 130th would wait a second for its handshake to be tried again, and
/// here time out.
#[test]
fn three_hundred_connections_at_once_wait_in_the_queue_rather_than_being_dropped() {
    let server = Server::bind("127.0.0.1:0".parse().unwrap(), None).unwrap();
    // Nothing accepts: every connection stays in the queue.
    let mut held = Vec::new();
    for n in 1..=300 {
        let stream =
            std::net::TcpStream::connect_timeout(&server.local_addr(), Duration::from_millis(2500))
                .unwrap_or_else(|e| panic!("connection {n} was not queued: {e}"));
        held.push(stream);
    }
    assert_eq!(held.len(), 300);
}

/// Runs the command with `args` to its end.
async fn run(args: &[&str]) -> Output {
    let output = Command::new(BINARY)
        .args(args)
        .env_remove("PERMANENCE_HEAD_OFFICE_DB")
        .kill_on_drop(true)
        .output();
    tokio::time::timeout(Duration::from_secs(60), output)
        .await
        .expect("the command ends")
        .expect("the command runs")
}

fn text(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 temporary path")
}

#[tokio::test]
async fn serve_refuses_plain_http_off_loopback_before_touching_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.sqlite3");
    let output = run(&["--db", text(&db), "serve", "--listen", "0.0.0.0:0"]).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(1),
        "a refusal, not a panic: {stderr}"
    );
    assert!(
        stderr.contains("HTTP en clair n'est permis que sur la boucle locale"),
        "{stderr}"
    );
    assert!(stderr.contains("--tls-cert"), "says what to do: {stderr}");
    assert!(!db.exists(), "no database was created");
}

#[tokio::test]
async fn serve_stops_with_a_clear_message_on_an_unusable_certificate_or_key() {
    let dir = tempfile::tempdir().unwrap();
    let one = self_signed(dir.path(), "one");
    let other = self_signed(dir.path(), "other");
    let garbage = dir.path().join("garbage.pem");
    std::fs::write(&garbage, "ceci n'est pas un certificat\n").unwrap();
    let truncated = dir.path().join("truncated.pem");
    let whole = std::fs::read_to_string(&one.cert).unwrap();
    std::fs::write(&truncated, &whole[..whole.len() / 2]).unwrap();
    let missing = dir.path().join("absent.pem");
    let db = dir.path().join("office.sqlite3");
    let cases: [(&Path, &Path, &str); 7] = [
        (&missing, &one.key, "Impossible de lire le certificat"),
        (&one.cert, &missing, "Impossible de lire la clé privée"),
        (
            &garbage,
            &one.key,
            "ne contient aucun certificat PEM lisible",
        ),
        (
            &truncated,
            &one.key,
            "ne contient aucun certificat PEM lisible",
        ),
        (
            &one.key,
            &one.key,
            "ne contient aucun certificat PEM lisible",
        ),
        (
            &one.cert,
            &one.cert,
            "ne contient aucune clé privée PEM lisible",
        ),
        (&one.cert, &other.key, "ne correspond pas au certificat"),
    ];
    for (cert, key, expected) in cases {
        let output = run(&[
            "--db",
            text(&db),
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--tls-cert",
            text(cert),
            "--tls-key",
            text(key),
        ])
        .await;
        let stderr = String::from_utf8_lossy(&output.stderr);
        let case = format!("--tls-cert {} --tls-key {}", cert.display(), key.display());
        assert_eq!(
            output.status.code(),
            Some(1),
            "{case}: a refusal, not a panic: {stderr}"
        );
        assert!(
            stderr.contains(expected),
            "{case}: « {expected} » in {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{case}: {stderr}");
    }
    let output = run(&["--db", text(&db), "serve", "--tls-cert", text(&one.cert)]).await;
    assert!(
        !output.status.success(),
        "a certificate without its key is refused"
    );
}

#[tokio::test]
async fn serve_with_a_certificate_answers_https_on_port_0() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.sqlite3");
    seed(&Store::open(&db).unwrap());
    let certificate = self_signed(dir.path(), "office");
    let mut server = Command::new(BINARY)
        .args([
            "--db",
            text(&db),
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--tls-cert",
            text(&certificate.cert),
            "--tls-key",
            text(&certificate.key),
        ])
        .env_remove("PERMANENCE_HEAD_OFFICE_DB")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("the server starts");
    let mut stdout = BufReader::new(server.stdout.take().expect("its standard output"));
    let mut base = String::new();
    tokio::time::timeout(Duration::from_secs(60), stdout.read_line(&mut base))
        .await
        .expect("the server prints its URL")
        .unwrap();
    let base = base.trim();
    assert!(
        base.starts_with("https://127.0.0.1:"),
        "URL printed: {base}"
    );

    let http = trusting(&certificate.pem);
    let health = http.get(format!("{base}/v1/health")).send().await.unwrap();
    assert_eq!(health.status(), 200, "health over HTTPS");
    let response = http
        .post(format!("{base}/v1/devices"))
        .json(&RegisterRequest {
            login: "claire".into(),
            password: PASSWORD.into(),
            device_id: Uuid::now_v7(),
            device_name: "Portable de test".into(),
        })
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "registration over HTTPS");
    let registered: RegisterResponse = response.json().await.unwrap();
    assert_eq!(registered.platform_code.as_deref(), Some("TA7V"));

    server.kill().await.expect("the server stops");
}

#[test]
fn the_head_office_command_refuses_in_french_without_a_backtrace() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("siege.sqlite3");
    let run = |args: &[&str]| {
        let output = std::process::Command::new(BINARY)
            .arg("--db")
            .arg(&db)
            .args(args)
            .env("RUST_BACKTRACE", "1")
            .output()
            .expect("the command runs");
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    for args in [
        &["user", "disable", "personne"][..],
        &["platform", "add", "x", ""][..],
        &[
            "user", "add", "claire", "--name", "Claire", "--role", "chef",
        ][..],
    ] {
        let (ok, stderr) = run(args);
        assert!(!ok, "{args:?}");
        assert!(stderr.starts_with("erreur : "), "{args:?}: {stderr}");
        assert!(!stderr.contains("Error:"), "{args:?}: {stderr}");
        assert!(!stderr.contains("backtrace"), "{args:?}: {stderr}");
    }
}
