//! The `permanence` command line, run as a real process.

use std::process::Command;

fn permanence(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_permanence"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("permanence runs")
}

#[test]
fn demo_data_then_list_and_show_print_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("laptop.sqlite3");
    let out = permanence(
        &db,
        &[
            "demo-data",
            "--dossiers",
            "12",
            "--seed",
            "5",
            "--today",
            "2026-11-26",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = permanence(&db, &["dossier", "list"]);
    assert!(out.status.success());
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON list");
    let list = list.as_array().expect("an array");
    assert_eq!(list.len(), 12);

    let id = list[0]["id"].as_str().unwrap();
    let out = permanence(&db, &["dossier", "show", id]);
    assert!(out.status.success());
    let dossier: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(dossier["id"], id);
    assert!(dossier["holders"][0]["phone"]
        .as_str()
        .unwrap()
        .starts_with("+33"));
}

#[test]
fn demo_data_if_empty_leaves_a_filled_store_alone() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("laptop.sqlite3");
    for _ in 0..2 {
        let out = permanence(&db, &["demo-data", "--dossiers", "3", "--if-empty"]);
        assert!(out.status.success());
    }
    let out = permanence(&db, &["dossier", "list"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        list.as_array().unwrap().len(),
        3,
        "second run added nothing"
    );
}

#[test]
fn a_bad_id_gets_a_french_error_and_a_failure_code() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("laptop.sqlite3");
    let out = permanence(&db, &["dossier", "show", "pas-un-id"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("n'est pas un identifiant de dossier"),
        "{stderr}"
    );

    let out = permanence(
        &db,
        &["dossier", "show", "01936a2e-0000-7000-8000-000000000000"],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Dossier introuvable"));
}

#[test]
fn an_unreadable_database_is_reported_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("laptop.sqlite3");
    std::fs::write(&db, "pas une base").unwrap();
    let out = permanence(&db, &["dossier", "list"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("n'est pas une base de données Permanence")
    );
    assert_eq!(std::fs::read(&db).unwrap(), b"pas une base");
}
