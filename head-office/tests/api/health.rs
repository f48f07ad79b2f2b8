use crate::helpers::spawn_app;

#[tokio::test]
async fn health_answers_ok_with_the_migrated_schema_over_a_real_socket() {
    let app = spawn_app().await;
    let response = reqwest::get(app.url("/v1/health")).await.unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(
        body["schema_version"],
        permanence_head_office::store::HEAD_OFFICE_SCHEMA.latest()
    );
}

#[test]
fn a_newer_head_office_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ho.sqlite3");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let err = permanence_head_office::store::Store::open(&path)
        .err()
        .expect("refused");
    assert_eq!(err.code(), permanence::ErrorCode::DatabaseTooNew);
}

#[test]
fn a_laptop_store_or_another_programs_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    // A laptop's store is not a head office's, however alike.
    let laptop = dir.path().join("permanence.sqlite3");
    drop(permanence::store::Store::open(&laptop).unwrap());
    let other = dir.path().join("autre.sqlite3");
    {
        let conn = rusqlite::Connection::open(&other).unwrap();
        conn.execute_batch("CREATE TABLE facture (montant INTEGER);")
            .unwrap();
    }
    for path in [laptop, other] {
        let before = std::fs::read(&path).unwrap();
        let err = permanence_head_office::store::Store::open(&path)
            .err()
            .expect("refused");
        assert_eq!(err.code(), permanence::ErrorCode::DatabaseUnreadable);
        assert!(err.to_string().contains("rien n'a été modifié"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), before, "{}", path.display());
    }
}
