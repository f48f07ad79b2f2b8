//! `permanence committee list`, `print` and `committee-pack`, run as real processes on a
//! fresh demo store.

use std::path::Path;
use std::process::{Command, Output};

use crate::helpers::{assert_has, assert_qpdf_clean, flat_text, page_count};

fn permanence(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_permanence"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("PERMANENCE_UNENCRYPTED_STORE", "1")
        .output()
        .expect("permanence runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn committee_list_print_and_pack_work_on_a_fresh_demo_store() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("laptop.sqlite3");
    let out = permanence(
        &db,
        &["demo-data", "--dossiers", "40", "--today", "2026-11-26"],
    );
    assert!(out.status.success(), "{}", stderr(&out));

    let out = permanence(&db, &["committee", "list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let committees: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let upcoming = committees
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            c["held_on"].as_str().unwrap() > "2026-11-26"
                && !c["agenda"].as_array().unwrap().is_empty()
        })
        .expect("an upcoming committee with its agenda");
    let day = upcoming["held_on"].as_str().unwrap();
    let agenda = upcoming["agenda"].as_array().unwrap();

    let pack = dir.path().join("dossier de séance.pdf");
    let out = permanence(
        &db,
        &[
            "committee-pack",
            "--date",
            day,
            "--out",
            pack.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let result: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let pdf = std::fs::read(&pack).unwrap();
    assert_eq!(result["pages"].as_u64().unwrap() as usize, page_count(&pdf));
    assert!(page_count(&pdf) > agenda.len(), "a cover and the summaries");
    assert_qpdf_clean(&pdf);
    let text = flat_text(&pdf);
    for item in agenda {
        assert_has(&text, item["dossier"]["holder_name"].as_str().unwrap());
    }
    assert_has(&stderr(&out), "Dossier de séance du comité du");

    let id = agenda[0]["dossier"]["id"].as_str().unwrap();
    let fiche = dir.path().join("fiche.pdf");
    let out = permanence(&db, &["print", id, "--out", fiche.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let pdf = std::fs::read(&fiche).unwrap();
    assert_qpdf_clean(&pdf);
    assert_has(
        &flat_text(&pdf),
        agenda[0]["dossier"]["number"].as_str().unwrap(),
    );
    assert_has(&stderr(&out), "Fiche de synthèse du dossier");
}

#[test]
fn print_and_pack_errors_are_french_with_a_failure_code() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("laptop.sqlite3");
    let out = permanence(
        &db,
        &["demo-data", "--dossiers", "5", "--today", "2026-11-26"],
    );
    assert!(out.status.success());
    let list: serde_json::Value =
        serde_json::from_slice(&permanence(&db, &["dossier", "list"]).stdout).unwrap();
    let id = list[0]["id"].as_str().unwrap();

    for (args, message) in [
        (
            vec!["print", id],
            "Indiquez le fichier PDF à écrire avec --out",
        ),
        (
            vec!["print", id, "--out", "/nulle/part/fiche.pdf"],
            "Écriture impossible dans /nulle/part/fiche.pdf",
        ),
        (
            vec![
                "print",
                "01936a2e-0000-7000-8000-000000000000",
                "--out",
                "x.pdf",
            ],
            "Dossier introuvable",
        ),
        (
            vec!["committee-pack", "--out", "x.pdf"],
            "Indiquez la date du comité",
        ),
        (
            vec!["committee-pack", "--date", "2026-13-45", "--out", "x.pdf"],
            "erreur",
        ),
        (
            vec!["committee-pack", "--date", "2030-01-08", "--out", "x.pdf"],
            "aucun comité le 08/01/2030",
        ),
    ] {
        let out = permanence(&db, &args);
        assert!(!out.status.success(), "{args:?} fails");
        assert_has(&stderr(&out), message);
    }
    assert!(!Path::new("x.pdf").exists(), "nothing written on failure");
}
