//! The `permanence` command line, run as a real process.

use std::process::Command;

fn permanence(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_permanence"))
        .arg("--db")
        .arg(db)
        .args(args)
        // These tests read the store back with plain SQLite (`tests/store_key.rs` and the
        // head office's `credentials` tests run it encrypted).
        .env("PERMANENCE_UNENCRYPTED_STORE", "1")
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

#[test]
fn list_filters_by_search_and_status() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("laptop.sqlite3");
    let out = permanence(
        &db,
        &[
            "demo-data",
            "--dossiers",
            "25",
            "--seed",
            "9",
            "--today",
            "2026-11-26",
        ],
    );
    assert!(out.status.success());
    let all: serde_json::Value =
        serde_json::from_slice(&permanence(&db, &["dossier", "list"]).stdout).unwrap();
    let name = all[0]["holder_name"].as_str().unwrap().to_owned();
    let last = name.split(' ').next_back().unwrap().to_lowercase();
    let out = permanence(&db, &["dossier", "list", "--search", &last]);
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(found
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["holder_name"] == name.as_str()));

    let out = permanence(&db, &["dossier", "list", "--status", "instruction"]);
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(found
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["status"] == "instruction"));

    let out = permanence(&db, &["dossier", "list", "--status", "enterré"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Statut inconnu"));
}

#[test]
fn export_then_import_gives_the_same_dossier_on_another_laptop() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.sqlite3");
    let b = dir.path().join("b.sqlite3");
    let file = dir.path().join("dossier.json");
    permanence(
        &a,
        &[
            "demo-data",
            "--dossiers",
            "20",
            "--seed",
            "4",
            "--today",
            "2026-11-26",
        ],
    );
    let list: serde_json::Value = serde_json::from_slice(
        &permanence(&a, &["dossier", "list", "--status", "pret_pour_comite"]).stdout,
    )
    .unwrap();
    let id = list[0]["id"]
        .as_str()
        .expect("a dossier ready for committee")
        .to_owned();
    let out = permanence(
        &a,
        &["dossier", "export", &id, "--out", file.to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = permanence(&b, &["dossier", "import", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let original: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let imported: serde_json::Value =
        serde_json::from_slice(&permanence(&b, &["dossier", "show", &id]).stdout).unwrap();
    for key in [
        "number",
        "status",
        "holders",
        "business",
        "financing",
        "forecast",
        "documents",
        "notes",
        "analysis",
        "committee_date",
    ] {
        assert_eq!(
            imported[key], original[key],
            "{key} survives the round trip"
        );
    }

    // Importing it again is refused, and changes nothing.
    let out = permanence(&b, &["dossier", "import", file.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("déjà dans cette base"));
}

/// The first of five demo dossiers (seed 4, 26/11/2026) made in the store at `db`, exported.
fn exported_demo_dossier(db: &std::path::Path) -> serde_json::Value {
    permanence(
        db,
        &[
            "demo-data",
            "--dossiers",
            "5",
            "--seed",
            "4",
            "--today",
            "2026-11-26",
        ],
    );
    let list: serde_json::Value =
        serde_json::from_slice(&permanence(db, &["dossier", "list"]).stdout).unwrap();
    let id = list[0]["id"].as_str().unwrap();
    serde_json::from_slice(&permanence(db, &["dossier", "export", id]).stdout).unwrap()
}

#[test]
fn a_bad_import_is_refused_with_its_field_errors_and_imports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.sqlite3");
    let b = dir.path().join("b.sqlite3");
    let file = dir.path().join("dossier.json");
    let mut json = exported_demo_dossier(&a);
    json["business"]["siret"] = serde_json::json!("73282932000079");
    json["holders"][0]["phone"] = serde_json::json!("12");
    std::fs::write(&file, json.to_string()).unwrap();

    let out = permanence(&b, &["dossier", "import", file.to_str().unwrap()]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("holders.0.phone"), "{stderr}");
    let empty: serde_json::Value =
        serde_json::from_slice(&permanence(&b, &["dossier", "list"]).stdout).unwrap();
    assert_eq!(empty.as_array().unwrap().len(), 0, "nothing imported");

    json["holders"][0]["phone"] = serde_json::json!("03 21 04 56 78");
    std::fs::write(&file, json.to_string()).unwrap();
    let out = permanence(&b, &["dossier", "import", file.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("business.siret") && stderr.contains("SIRET"),
        "{stderr}"
    );
}

#[test]
fn dossier_set_saves_a_field_as_the_form_does_and_refuses_a_bad_value_in_french() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("laptop.sqlite3");
    assert!(permanence(&db, &["demo-data", "--dossiers", "2"])
        .status
        .success());
    let out = permanence(&db, &["dossier", "list"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = list[0]["id"].as_str().unwrap().to_owned();

    let out = permanence(
        &db,
        &[
            "dossier",
            "set",
            &id,
            "business",
            "siret",
            "732 829 320 00074",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dossier: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        dossier["business"]["siret"], "73282932000074",
        "stored digits"
    );

    let out = permanence(
        &db,
        &[
            "dossier",
            "set",
            &id,
            "business",
            "siret",
            "732 829 320 00079",
        ],
    );
    assert!(!out.status.success(), "a bad SIRET fails");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("SIRET"), "French message: {stderr}");
    let out = permanence(&db, &["dossier", "show", &id]);
    let dossier: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        dossier["business"]["siret"], "73282932000074",
        "the refused value changed nothing"
    );

    let out = permanence(&db, &["dossier", "set", &id, "garage", "name", "x"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("n'est pas une partie du dossier"));
}

/// Pass: registering with a head office that cannot be reached fails with a French message
/// that says the registration (not a sync) failed, and why; an unreadable certificate file
/// is named; the laptop stays unregistered, so `sync` says to register first.
#[test]
fn a_failed_registration_says_so_and_leaves_the_laptop_unregistered() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("laptop.sqlite3");
    let register = |extra: &[&str]| {
        let mut args = vec![
            "register",
            "--server",
            "http://127.0.0.1:9",
            "--login",
            "claire",
        ];
        args.extend_from_slice(extra);
        Command::new(env!("CARGO_BIN_EXE_permanence"))
            .arg("--db")
            .arg(&db)
            .args(&args)
            .env("PERMANENCE_UNENCRYPTED_STORE", "1")
            .env("PERMANENCE_PASSWORD", "un mot de passe")
            .output()
            .expect("permanence runs")
    };

    let out = register(&[]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Enregistrement impossible"), "{stderr}");
    assert!(stderr.contains("Siège injoignable"), "{stderr}");

    // Without its scheme, the head office on this machine is tried over http://, and named.
    let out = Command::new(env!("CARGO_BIN_EXE_permanence"))
        .arg("--db")
        .arg(&db)
        .args(["register", "--login", "claire"])
        .env("PERMANENCE_HEAD_OFFICE_URL", "127.0.0.1:9")
        .env("PERMANENCE_UNENCRYPTED_STORE", "1")
        .env("PERMANENCE_PASSWORD", "un mot de passe")
        .output()
        .expect("permanence runs");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("Siège injoignable à http://127.0.0.1:9 (connexion impossible)"),
        "the address from PERMANENCE_HEAD_OFFICE_URL, completed and named: {stderr}"
    );

    let out = register(&["--ca-cert", "/nulle/part/autorite.pem"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("Impossible de lire le certificat /nulle/part/autorite.pem"),
        "{stderr}"
    );

    let out = permanence(&db, &["sync"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("lancez `permanence register`"), "{stderr}");

    let out = permanence(&db, &["status"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        status["server_url"],
        serde_json::Value::Null,
        "still unregistered"
    );
    assert_eq!(status["pending_changes"], 0);
}

/// Pass: an imported amount of -0,50 € (-50 cents in the file) is refused as negative, like
/// -1,50 €; before, the division that wrote it as euros lost its sign and imported +0,50 €.
#[test]
fn an_imported_negative_amount_under_one_euro_is_refused_not_made_positive() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.sqlite3");
    let b = dir.path().join("b.sqlite3");
    let file = dir.path().join("dossier.json");
    let mut json = exported_demo_dossier(&a);
    assert!(
        json["financing"][0]["amount_cents"].is_i64(),
        "the demo dossier has a financing line: {}",
        json["financing"]
    );
    for cents in [-50, -150] {
        json["financing"][0]["amount_cents"] = serde_json::json!(cents);
        std::fs::write(&file, json.to_string()).unwrap();
        let out = permanence(&b, &["dossier", "import", file.to_str().unwrap()]);
        assert!(!out.status.success(), "{cents} cents imported");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("amount_cents"), "{cents}: {stderr}");
    }
    let empty: serde_json::Value =
        serde_json::from_slice(&permanence(&b, &["dossier", "list"]).stdout).unwrap();
    assert_eq!(empty.as_array().unwrap().len(), 0, "nothing imported");
}

#[test]
fn checkpoints_due_lists_a_month_in_french_and_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("laptop.sqlite3");
    let out = permanence(&db, &["checkpoints", "due", "--month", "2026-12"]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[]");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "Aucun point de suivi à faire en décembre 2026."
    );

    // A repaying business that started on 15 December 2025: its first checkpoint.
    let out = permanence(
        &db,
        &[
            "demo-data",
            "--dossiers",
            "30",
            "--seed",
            "7",
            "--today",
            "2026-11-26",
        ],
    );
    assert!(out.status.success());
    let out = permanence(&db, &["dossier", "list", "--status", "en_remboursement"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let repaying = &list.as_array().unwrap()[0];
    let id = repaying["id"].as_str().unwrap();
    let out = permanence(
        &db,
        &["dossier", "set", id, "business", "start_on", "15/12/2025"],
    );
    assert!(out.status.success());
    let out = permanence(&db, &["checkpoints", "due", "--month", "01/2027"]);
    assert!(out.status.success());
    let due: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ours: Vec<&serde_json::Value> = due
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["dossier_id"] == id)
        .collect();
    assert_eq!(ours.len(), 1, "{due}");
    assert_eq!(ours[0]["month"], 12);
    assert_eq!(ours[0]["due_on"], "2026-12-15");
    assert_eq!(ours[0]["overdue"], true);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("Points de suivi à faire en janvier 2027 : "),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "{} {} : point à 12 mois, prévu le 15/12/2026 (en retard)",
            repaying["number"].as_str().unwrap(),
            repaying["holder_name"].as_str().unwrap()
        )),
        "{stderr}"
    );

    let out = permanence(&db, &["checkpoints", "due", "--month", "décembre"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("n'est pas un mois"));
}

#[test]
fn repayments_import_tells_in_french_what_it_did_and_refuses_a_bad_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.sqlite3");
    let statement = dir.path().join("releve.csv");
    std::fs::write(
        &statement,
        "Date;Libellé;Montant\n02/11/2026;REMISE CHEQUE 4412871;250,00\n03/11/2026;FRAIS;-12,50\n",
    )
    .unwrap();

    let out = permanence(&db, &["repayments", "import", statement.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains(
            "Relevé importé : 0 remboursement(s) enregistré(s), 0 déjà importé(s), 1 non \
             rapproché(s), 1 ignoré(s) (débits)."
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("ligne 2 : 02/11/2026 250\u{a0}€ « REMISE CHEQUE 4412871 » : Aucun prêt"),
        "{stderr}"
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["not_matched"][0]["line"], 2);

    // A layout of its own is refused, naming its columns, until it is mapped.
    std::fs::write(&statement, "Jour;Texte;Somme\n02/11/2026;VIR;1,00\n").unwrap();
    let out = permanence(&db, &["repayments", "import", statement.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("Relevé refusé, rien n'a été importé")
            && stderr.contains("« Jour », « Texte », « Somme »"),
        "{stderr}"
    );
    let mapped = [
        "repayments",
        "mapping",
        "Banque du Nord",
        "--date",
        "Jour",
        "--label",
        "Texte",
        "--amount",
        "Somme",
    ];
    assert!(permanence(&db, &mapped).status.success());
    let out = permanence(
        &db,
        &[
            "repayments",
            "import",
            statement.to_str().unwrap(),
            "--mapping",
            "Banque du Nord",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("1 non rapproché(s)"), "{stderr}");
}

#[test]
fn indicators_give_the_stores_figures_as_json_or_a_french_report() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.sqlite3");
    let made = permanence(
        &db,
        &["demo-data", "--dossiers", "40", "--today", "2026-06-30"],
    );
    assert!(made.status.success());
    let json = permanence(&db, &["indicators", "--year", "2026", "--json"]);
    assert!(
        json.status.success(),
        "{}",
        String::from_utf8_lossy(&json.stderr)
    );
    let theirs: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let store = permanence::store::Store::open(&db).unwrap();
    let mine = serde_json::to_value(store.indicators(2026, None).unwrap()).unwrap();
    assert_eq!(theirs, mine);
    assert!(theirs["current"]["welcomed"]["count"].as_i64().unwrap() > 0);

    let report = permanence(
        &db,
        &["indicators", "--year", "2026", "--until", "30/06/2026"],
    );
    let text = String::from_utf8(report.stdout).unwrap();
    assert!(
        text.starts_with("Indicateurs du 01/01/2026 au 30/06/2026"),
        "{text}"
    );
    assert!(text.contains("Montant engagé"), "{text}");

    let bad = permanence(&db, &["indicators", "--year", "2026", "--until", "demain"]);
    assert!(!bad.status.success());
    let message = String::from_utf8_lossy(&bad.stderr);
    assert!(message.contains("until"), "{message}");
}

/// A store of demo dossiers as of 30 June 2026, for the report and the export.
fn demo_store(dir: &std::path::Path) -> std::path::PathBuf {
    let db = dir.join("p.sqlite3");
    let made = permanence(
        &db,
        &["demo-data", "--dossiers", "40", "--today", "2026-06-30"],
    );
    assert!(made.status.success());
    db
}

/// Text as `pdftotext` gives it, with every kind of space made one plain space.
fn plain(text: &str) -> String {
    text.replace(['\u{202f}', '\u{a0}', '\n'], " ")
        .replace('’', "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" %", "%")
        .replace(" €", "€")
}

#[test]
fn report_writes_the_annual_report_with_the_stores_figures_and_breakdowns() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_store(dir.path());
    let out = dir.path().join("rapport.pdf");
    let run = permanence(
        &db,
        &["report", "--year", "2026", "--out", out.to_str().unwrap()],
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(
        stderr.contains("Rapport d'activité 2026 enregistré"),
        "{stderr}"
    );
    let text = Command::new("pdftotext")
        .args(["-layout"])
        .arg(&out)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/install-deps.sh");
    let text = plain(&String::from_utf8_lossy(&text.stdout));
    assert!(text.contains("Rapport d'activité 2026"), "{text}");

    let store = permanence::store::Store::open(&db).unwrap();
    let report = store.activity_report(2026, None).unwrap();
    for row in report.indicators.rows() {
        let line = plain(&format!("{} {} {}", row.label, row.now, row.before));
        assert!(text.contains(&line), "« {line} » in {text}");
    }
    assert!(!report.by_epci.groups.is_empty());
    for group in report.by_epci.groups.iter().chain(&report.by_sector.groups) {
        // A long label wraps in its cell: its start is enough.
        let start: String = plain(&group.label).chars().take(16).collect();
        assert!(text.contains(&start), "{start:?} in {text}");
    }
    for title in [
        "Parcours des porteurs de projet",
        "Par intercommunalité",
        "Par secteur",
    ] {
        assert!(text.contains(title), "{title} in {text}");
    }

    let part = permanence(
        &db,
        &[
            "report",
            "--year",
            "2026",
            "--until",
            "31/03/2026",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(part.status.success());

    let nowhere = dir.path().join("absent").join("rapport.pdf");
    let refused = permanence(
        &db,
        &[
            "report",
            "--year",
            "2026",
            "--out",
            nowhere.to_str().unwrap(),
        ],
    );
    assert_eq!(refused.status.code(), Some(1));
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(message.contains("Écriture impossible"), "{message}");
    let missing = permanence(&db, &["report", "--year", "2026"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("--out"));
}

#[test]
fn export_writes_every_table_of_the_year_as_the_store_holds_it() {
    use calamine::{open_workbook, Data, DataType, Reader, Xlsx};
    use chrono::Datelike;
    use std::collections::BTreeSet;

    let dir = tempfile::tempdir().unwrap();
    let db = demo_store(dir.path());
    let out = dir.path().join("export.xlsx");
    let run = permanence(
        &db,
        &["export", "--year", "2026", "--out", out.to_str().unwrap()],
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );

    // What the store says, read through its ordinary API.
    let store = permanence::store::Store::open(&db).unwrap();
    let page = store
        .list_dossiers(&permanence::store::DossierQuery {
            limit: Some(1000),
            ..Default::default()
        })
        .unwrap();
    let mut numbers = BTreeSet::new();
    let mut loans = Vec::new();
    for item in &page.items {
        let d = store.get_dossier(item.id).unwrap();
        let financed = d.committee_date.is_some_and(|day| day.year() == 2026)
            && matches!(
                d.decision,
                Some(permanence::codes::Decision::Accord)
                    | Some(permanence::codes::Decision::AccordSousConditions)
            );
        let moved = d
            .loans
            .iter()
            .any(|l| l.movements.iter().any(|m| m.on.year() == 2026));
        if financed || moved {
            numbers.insert(d.number.clone());
            loans.extend(store.loan_views(d.id).unwrap());
        }
    }
    assert!(!loans.is_empty(), "the demo's year has loans");
    // Loans are exported as they stand at the year's end, or today for the year under way.
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 12, 31)
        .unwrap()
        .min(store.clock().today());
    let grace = store.settings().loan_rules.grace_days;
    let at_year_end = |view: &permanence::store::LoanView| view.loan.state(as_of, grace);

    let mut book: Xlsx<_> = open_workbook(&out).unwrap();
    let text = |c: &Data| c.to_string();
    let number = |c: &Data| c.as_f64().unwrap_or(f64::NAN);
    let euros = |c: &Data| (number(c) * 100.0).round() as i64;
    let sheet = |book: &mut Xlsx<_>, name: &str| -> Vec<Vec<Data>> {
        let range = book.worksheet_range(name).unwrap();
        range.rows().skip(1).map(|r| r.to_vec()).collect()
    };

    let dossiers = sheet(&mut book, "Dossiers");
    let got: BTreeSet<String> = dossiers.iter().map(|r| text(&r[0])).collect();
    assert_eq!(got, numbers);
    assert_eq!(dossiers.len(), numbers.len());

    let loan_rows = sheet(&mut book, "Prêts");
    assert_eq!(loan_rows.len(), loans.len());
    for view in &loans {
        let row = loan_rows
            .iter()
            .find(|r| text(&r[1]) == view.loan.reference)
            .unwrap_or_else(|| panic!("loan {} exported", view.loan.reference));
        let state = at_year_end(view);
        assert_eq!(euros(&row[3]), view.loan.amount_cents);
        assert_eq!(number(&row[4]) as i64, view.loan.months);
        assert_eq!(
            row[6].as_datetime().map(|t| t.date()),
            Some(view.loan.signed_on)
        );
        assert_eq!(euros(&row[7]), state.disbursed_cents);
        assert_eq!(euros(&row[8]), state.repaid_cents);
        assert_eq!(euros(&row[9]), state.outstanding_cents);
        assert_eq!(euros(&row[10]), state.overdue_cents);
        assert_eq!(text(&row[12]), state.status.label());
    }

    let instalments = sheet(&mut book, "Échéances");
    let expected: usize = loans
        .iter()
        .map(|v| at_year_end(v).schedule.map_or(0, |s| s.instalments.len()))
        .sum();
    assert_eq!(instalments.len(), expected);
    for view in &loans {
        let state = at_year_end(view);
        for i in state.schedule.iter().flat_map(|s| &s.instalments) {
            let row = instalments
                .iter()
                .find(|r| {
                    text(&r[1]) == view.loan.reference
                        && number(&r[2]) as i64 == i.instalment.number
                })
                .unwrap();
            assert_eq!(
                row[3].as_datetime().map(|t| t.date()),
                Some(i.instalment.due_on)
            );
            assert_eq!(euros(&row[4]), i.instalment.amount_cents);
            assert_eq!(euros(&row[5]), i.paid_cents);
        }
    }

    let movements = sheet(&mut book, "Mouvements");
    for view in &loans {
        let mine: Vec<_> = view
            .loan
            .movements
            .iter()
            .filter(|m| m.on.year() == 2026)
            .collect();
        let rows: Vec<_> = movements
            .iter()
            .filter(|r| text(&r[1]) == view.loan.reference)
            .collect();
        assert_eq!(rows.len(), mine.len(), "{}", view.loan.reference);
        assert_eq!(
            rows.iter().map(|r| euros(&r[4])).sum::<i64>(),
            mine.iter().map(|m| m.amount_cents).sum::<i64>()
        );
    }

    // The same tables as French CSV files, the first where asked and the others beside it.
    let csv = dir.path().join("export.csv");
    let run = permanence(
        &db,
        &["export", "--year", "2026", "--out", csv.to_str().unwrap()],
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    for (file, rows) in [
        ("export.csv", dossiers.len()),
        ("export-prets.csv", loan_rows.len()),
        ("export-echeances.csv", instalments.len()),
        ("export-mouvements.csv", movements.len()),
    ] {
        let bytes = std::fs::read(dir.path().join(file)).unwrap();
        let content = String::from_utf8(bytes).unwrap();
        assert!(content.starts_with('\u{feff}'), "{file} has a BOM");
        assert!(content.lines().next().unwrap().contains(';'));
        assert_eq!(content.lines().count(), rows + 1, "{file}");
    }

    let refused = permanence(&db, &["export", "--year", "2026", "--out", "export.pdf"]);
    assert_eq!(refused.status.code(), Some(1));
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(
        message.contains(".xlsx") && message.contains(".csv"),
        "{message}"
    );
}

#[test]
fn the_2016_annual_reports_dossiers_give_its_figures_back_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.sqlite3");
    let made = permanence(&db, &["demo-data", "--figures-2016"]);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let json = permanence(&db, &["indicators", "--year", "2016", "--json"]);
    assert!(json.status.success());
    let i: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let now = &i["current"];
    let figure = |path: &[&str]| {
        path.iter()
            .fold(now, |v, key| &v[*key])
            .as_i64()
            .unwrap_or_else(|| panic!("{path:?} in {now}"))
    };
    assert_eq!(figure(&["honour_loans"]), 126, "126 holders supported");
    assert_eq!(figure(&["businesses_supported"]), 100);
    assert_eq!(figure(&["jobs_created"]), 357);
    assert_eq!(figure(&["committed_cents"]), 867_000_00);
    assert_eq!(
        figure(&["bank_loans_cents"]),
        9_537_000_00,
        "over 9.5 M€ raised"
    );
    assert_eq!((now["leverage"].as_f64().unwrap() * 10.0).round(), 110.0);
    assert_eq!(
        figure(&["survival", "rate_bp"]),
        9_100,
        "91 % after three years"
    );
    assert_eq!(
        figure(&["capture", "rate_bp"]),
        3_003,
        "30 % of the territory"
    );
    assert_eq!(i["activity_change_bp"].as_i64(), Some(2_000), "+20 %");
    // The French report says the same.
    let report = permanence(&db, &["indicators", "--year", "2016"]);
    let text = String::from_utf8(report.stdout).unwrap();
    for shown in [
        "867\u{202f}000\u{a0}€",
        "1 pour 11",
        "91\u{a0}%",
        "+20\u{a0}%",
    ] {
        assert!(text.contains(shown), "{shown} in {text}");
    }
}
