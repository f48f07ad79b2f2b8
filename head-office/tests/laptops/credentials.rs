//! Credentials that last, end to end with the `permanence` binary and a real head office:
//! on Linux the store's key and the device's token go to a real Secret Service (GNOME
//! Keyring on a private D-Bus session bus), and a sync in a new process, after the keyring
//! daemon and the bus were restarted as at a reboot, finds them with nothing given by hand;
//! on a machine with no credential store, the passphrase opens the store, which keeps the
//! token.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use permanence_head_office::office::HeadOffice;

use crate::helpers::{cli, HeadOfficeServer, PASSWORD};

/// The keyring's own password, which unlocks it at each start of the daemon.
const KEYRING_PASSWORD: &str = "trousseau de la session";

/// A private session bus with GNOME Keyring on it, as a desktop session has; its keyring
/// files live in `home`, so they outlive a restart of both.
struct KeyringSession {
    bus: Child,
    keyring: Child,
    address: String,
}

impl KeyringSession {
    fn start(home: &Path, generation: u32) -> KeyringSession {
        let runtime = home.join("run");
        std::fs::create_dir_all(&runtime).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700)).unwrap();
        }
        let socket = home.join(format!("bus-{generation}"));
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .arg(format!("--address=unix:path={}", socket.display()))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon (package dbus, installed by scripts/install-deps.sh)");
        let mut address = String::new();
        BufReader::new(bus.stdout.take().unwrap())
            .read_line(&mut address)
            .unwrap();
        let address = address.trim().to_owned();
        assert!(address.starts_with("unix:"), "bus address: {address:?}");
        let mut keyring = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("HOME", home)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_RUNTIME_DIR", &runtime)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon (package gnome-keyring, installed by scripts/install-deps.sh)");
        {
            let mut stdin = keyring.stdin.take().unwrap();
            stdin.write_all(KEYRING_PASSWORD.as_bytes()).unwrap();
        }
        let session = KeyringSession {
            bus,
            keyring,
            address,
        };
        session.wait_for_secret_service();
        session
    }

    /// Until the keyring owns the Secret Service's name on the bus (a bounded number of
    /// looks; no figure of time is asserted).
    fn wait_for_secret_service(&self) {
        for _ in 0..200 {
            let asked = Command::new("dbus-send")
                .args([
                    "--session",
                    "--dest=org.freedesktop.DBus",
                    "--print-reply",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.NameHasOwner",
                    "string:org.freedesktop.secrets",
                ])
                .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
                .output()
                .expect("dbus-send (package dbus)");
            if String::from_utf8_lossy(&asked.stdout).contains("boolean true") {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("GNOME Keyring did not take the Secret Service's name on the bus");
    }

    /// Stops the keyring daemon and the bus, as a reboot does.
    fn stop(mut self) {
        for child in [&mut self.keyring, &mut self.bus] {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for KeyringSession {
    fn drop(&mut self) {
        for child in [&mut self.keyring, &mut self.bus] {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// `permanence --db DB ARGS…` on the session bus `bus` (none: nowhere), with the advisor's
/// password for `register` and nothing else: no token, no passphrase unless in `env`.
fn permanence(db: &Path, args: &[&str], bus: Option<&str>, env: &[(&str, &str)]) -> Output {
    Command::new(cli())
        .arg("--db")
        .arg(db)
        .args(args)
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            bus.unwrap_or("unix:path=/nonexistent/bus"),
        )
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("PERMANENCE_TOKEN")
        .env_remove("PERMANENCE_PASSPHRASE")
        .env_remove("PERMANENCE_UNENCRYPTED_STORE")
        .env("PERMANENCE_PASSWORD", PASSWORD)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn holds(file: &Path, text: &str) -> bool {
    std::fs::read(file)
        .unwrap_or_default()
        .windows(text.len())
        .any(|w| w == text.as_bytes())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

/// Pass: `register` keeps the key and the token in GNOME Keyring (nothing printed, nothing in
/// the clear on disk); after the daemon and the bus are restarted, `sync` in a new process
/// opens the store and reaches the head office with no token or passphrase given; with the
/// keyring gone, the store does not open and says why.
#[test]
fn the_key_and_the_token_outlive_a_restart_of_the_secret_service() {
    let office = HeadOfficeServer::start();
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("permanence.sqlite3");

    let session = KeyringSession::start(home.path(), 1);
    let bus = session.address.clone();
    let made = permanence(&db, &["demo-data", "--dossiers", "3"], Some(&bus), &[]);
    assert!(made.status.success(), "{made:?}");
    let url = office.url();
    let registered = permanence(
        &db,
        &["register", "--server", &url, "--login", "claire"],
        Some(&bus),
        &[],
    );
    assert!(registered.status.success(), "{registered:?}");
    assert!(
        registered.stdout.is_empty(),
        "no token printed: it went to the keyring"
    );
    assert!(
        String::from_utf8_lossy(&registered.stderr).contains("trousseau"),
        "{registered:?}"
    );
    let key_file = std::fs::read_to_string(with_suffix(&db, "-key.json")).unwrap();
    assert!(key_file.contains("credential_store"), "{key_file}");
    for file in [db.clone(), with_suffix(&db, "-wal")] {
        assert!(
            !holds(&file, "SQLite format 3"),
            "{} is encrypted",
            file.display()
        );
        assert!(!holds(&file, "claire"), "{} shows nothing", file.display());
    }
    session.stop();

    // Nothing answers on the bus now: the key cannot be had, and the message says so.
    let without = permanence(&db, &["sync"], Some(&bus), &[]);
    assert!(!without.status.success(), "{without:?}");
    assert!(
        String::from_utf8_lossy(&without.stderr).contains("trousseau"),
        "{without:?}"
    );

    // As after a reboot: a new bus, the keyring daemon started and unlocked again.
    let session = KeyringSession::start(home.path(), 2);
    let synced = permanence(&db, &["sync"], Some(&session.address), &[]);
    assert!(synced.status.success(), "{synced:?}");
    let report: serde_json::Value = serde_json::from_slice(&synced.stdout).unwrap();
    assert_eq!(report["pending"], 0, "every change went up: {report}");
    assert!(
        office.office.change_count().unwrap() > 0,
        "the head office holds the laptop's dossiers"
    );
    session.stop();
}

/// Pass: with no credential store at all, `register` chooses the passphrase's key and keeps
/// the token in the encrypted store; `sync` in a new process needs only the passphrase, and
/// the store's file shows neither the token nor a name.
#[test]
fn without_a_credential_store_the_passphrase_opens_the_store_and_it_keeps_the_token() {
    let office = HeadOfficeServer::start();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("permanence.sqlite3");
    let with = [("PERMANENCE_PASSPHRASE", "la mer à Berck-sur-Mer")];
    let made = permanence(&db, &["demo-data", "--dossiers", "3"], None, &with);
    assert!(made.status.success(), "{made:?}");
    let url = office.url();
    let registered = permanence(
        &db,
        &["register", "--server", &url, "--login", "claire"],
        None,
        &with,
    );
    assert!(registered.status.success(), "{registered:?}");
    assert!(
        registered.stdout.is_empty(),
        "no token printed: {registered:?}"
    );

    let refused = permanence(&db, &["sync"], None, &[]);
    assert!(!refused.status.success(), "no passphrase, no store");
    let synced = permanence(&db, &["sync"], None, &with);
    assert!(synced.status.success(), "{synced:?}");
    let report: serde_json::Value = serde_json::from_slice(&synced.stdout).unwrap();
    assert_eq!(report["pending"], 0, "{report}");
    for file in [db.clone(), with_suffix(&db, "-wal")] {
        assert!(!holds(&file, "SQLite format 3"), "{}", file.display());
    }
}
