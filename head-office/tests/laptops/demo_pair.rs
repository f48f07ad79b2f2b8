//! `make run`'s working pair (`scripts/demo-pair.sh`), run as `make run` runs it against the
//! real `permanence-head-office serve` and the real command line: the demo platform and its
//! advisor's account on the head office, the demo dossiers coming from the head office, and
//! the laptop store registered and synced down with nothing pending; run again, nothing more.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::helpers::cli;

const OFFICE: &str = env!("CARGO_BIN_EXE_permanence-head-office");

/// A `serve` process on a free port, stopped when dropped.
struct Serving {
    child: Child,
    url: String,
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(db: &Path) -> Serving {
    let mut child = Command::new(OFFICE)
        .arg("--db")
        .arg(db)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the head office starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("its standard output"))
        .read_line(&mut line)
        .expect("it prints its URL");
    Serving {
        child,
        url: line.trim().to_owned(),
    }
}

/// Runs the script; its standard output (the token, where there is no keyring).
fn pair(office_db: &Path, url: &str, laptop_db: &Path) -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/demo-pair.sh");
    let bin_dir: PathBuf = cli().parent().expect("the binaries' folder").to_owned();
    let output = Command::new("bash")
        .arg(script)
        .arg(office_db)
        .arg(url)
        .arg(laptop_db)
        .env("PERMANENCE_BIN_DIR", bin_dir)
        .env("PERMANENCE_DEMO_DOSSIERS", "12")
        // Plain stores, whatever keyring this machine has (the store's key and the token's
        // place are the `credentials` tests'); the token then comes back on standard output.
        .env("PERMANENCE_UNENCRYPTED_STORE", "1")
        .env_remove("PERMANENCE_PASSPHRASE")
        .env_remove("PERMANENCE_TOKEN")
        .env_remove("PERMANENCE_PASSWORD")
        .stdin(Stdio::null())
        .output()
        .expect("the script runs");
    assert!(
        output.status.success(),
        "demo-pair.sh failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

fn json(command: &mut Command) -> serde_json::Value {
    let output = command.stdin(Stdio::null()).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn laptop(db: &Path, args: &[&str]) -> serde_json::Value {
    json(
        Command::new(cli())
            .arg("--db")
            .arg(db)
            .args(args)
            .env("PERMANENCE_UNENCRYPTED_STORE", "1"),
    )
}

fn office_dossiers(db: &Path) -> usize {
    json(
        Command::new(OFFICE)
            .arg("--db")
            .arg(db)
            .args(["dossier", "list", "--platform", "TA7V"]),
    )
    .as_array()
    .expect("a list")
    .len()
}

#[test]
fn make_run_gives_a_laptop_registered_and_synced_down_from_a_head_office_holding_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let office_db = dir.path().join("head-office.sqlite3");
    let laptop_db = dir.path().join("permanence.sqlite3");
    let office = serve(&office_db);

    let token = pair(&office_db, &office.url, &laptop_db);

    let held = office_dossiers(&office_db);
    assert!(
        held >= 12,
        "the head office holds the demo dossiers: {held}"
    );
    let status = laptop(&laptop_db, &["status"]);
    assert_eq!(status["server_url"], office.url.as_str(), "{status}");
    assert_eq!(status["advisor"], "Claire Dumont", "{status}");
    assert_eq!(status["pending_changes"], 0, "nothing pending: {status}");
    assert!(status["last_sync_at"].is_string(), "synced: {status}");
    // Where no keyring keeps it, the laptop's token comes out for the app (PERMANENCE_TOKEN):
    // it syncs with it.
    if !token.is_empty() {
        let synced = Command::new(cli())
            .arg("--db")
            .arg(&laptop_db)
            .arg("sync")
            .env("PERMANENCE_UNENCRYPTED_STORE", "1")
            .env("PERMANENCE_TOKEN", &token)
            .output()
            .unwrap();
        assert!(
            synced.status.success(),
            "the token printed is the laptop's: {}",
            String::from_utf8_lossy(&synced.stderr)
        );
    }
    let mine = laptop(&laptop_db, &["dossier", "list"]);
    assert_eq!(
        mine.as_array().map(Vec::len),
        Some(held),
        "the laptop has the head office's dossiers"
    );

    // Again, as a second `make run`: nothing added, still nothing pending.
    pair(&office_db, &office.url, &laptop_db);
    assert_eq!(office_dossiers(&office_db), held, "no second demo");
    let again = laptop(&laptop_db, &["status"]);
    assert_eq!(again["pending_changes"], 0, "{again}");
    assert_eq!(again["device_id"], status["device_id"], "the same laptop");
}

#[test]
fn a_laptop_store_with_its_own_demo_dossiers_is_set_aside_not_pushed() {
    let dir = tempfile::tempdir().unwrap();
    let office_db = dir.path().join("head-office.sqlite3");
    let laptop_db = dir.path().join("permanence.sqlite3");
    let office = serve(&office_db);
    // A store filled by `make run` before the head office held the demo.
    let filled = Command::new(cli())
        .arg("--db")
        .arg(&laptop_db)
        .args(["demo-data", "--dossiers", "3", "--seed", "7"])
        .env("PERMANENCE_UNENCRYPTED_STORE", "1")
        .output()
        .unwrap();
    assert!(filled.status.success(), "{filled:?}");

    pair(&office_db, &office.url, &laptop_db);

    let held = office_dossiers(&office_db);
    let mine = laptop(&laptop_db, &["dossier", "list"]);
    assert_eq!(
        mine.as_array().map(Vec::len),
        Some(held),
        "only the head office's"
    );
    assert_eq!(laptop(&laptop_db, &["status"])["pending_changes"], 0);
    let aside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("permanence.sqlite3.avant-siege-"))
        .collect();
    assert!(!aside.is_empty(), "the old store is kept beside: {aside:?}");
}
