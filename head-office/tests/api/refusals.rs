//! Malformed requests get a JSON `{ code, message }` with the right status, never a panic or
//! an empty body.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::helpers::app;

async fn send(request: Request<Body>) -> (StatusCode, serde_json::Value) {
    let response = app().oneshot(request).await.unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned());
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(
        content_type.as_deref(),
        Some("application/json"),
        "JSON error body for {status}"
    );
    (status, serde_json::from_slice(&bytes).expect("valid JSON"))
}

#[tokio::test]
async fn an_unknown_address_is_a_json_404() {
    let (status, body) = send(
        Request::get("/v1/nothing-here")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["code"], "not_found");
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("/v1/nothing-here"));
}

#[tokio::test]
async fn a_wrong_method_is_a_json_405() {
    let (status, body) = send(Request::delete("/v1/health").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(body["code"], "method_not_allowed");
}

#[tokio::test]
async fn an_oversized_body_is_a_json_413() {
    let big = vec![b'x'; permanence_head_office::api::MAX_BODY_BYTES + 1];
    let request = Request::post("/v1/devices")
        .header("content-length", big.len())
        .body(Body::from(big))
        .unwrap();
    let (status, body) = send(request).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["code"], "payload_too_large");
}

#[tokio::test]
async fn garbage_bytes_in_the_path_are_refused_cleanly() {
    let (status, body) = send(
        Request::get("/v1/%FF%FE/../health?x=%ZZ")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(status.is_client_error(), "{status}");
    assert!(body["message"].as_str().is_some());
}

/// The status and JSON body of a response from the real server.
async fn status_and_body(response: reqwest::Response) -> (u16, serde_json::Value) {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(
        content_type.as_deref(),
        Some("application/json"),
        "{status}"
    );
    (status, response.json().await.expect("a JSON body"))
}

#[tokio::test]
async fn a_push_without_a_token_is_refused_before_its_body_is_read() {
    for body in [
        Body::from("{ ceci n'est pas du JSON"),
        Body::from(r#"{"device_id": 42}"#),
        Body::from(vec![0xFFu8; 64]),
    ] {
        let (status, error) = send(
            Request::post("/v1/sync/push")
                .header("content-type", "application/json")
                .body(body)
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{error}");
        assert_eq!(error["code"], "unauthorized");
    }
}

#[tokio::test]
async fn an_unauthenticated_caller_learns_nothing_of_sizes_queries_or_content_types() {
    let big = vec![b'x'; permanence_head_office::api::MAX_BODY_BYTES + 1];
    let requests = [
        Request::post("/v1/sync/push")
            .header("content-length", big.len())
            .header("authorization", "Bearer pas-un-jeton")
            .body(Body::from(big))
            .unwrap(),
        Request::post("/v1/sync/push")
            .header("content-type", "text/plain")
            .body(Body::from("bonjour"))
            .unwrap(),
        Request::get("/v1/sync/pull?cursor=abc&limit=-1")
            .body(Body::empty())
            .unwrap(),
    ];
    for request in requests {
        let what = format!("{} {}", request.method(), request.uri());
        let (status, error) = send(request).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{what}: {error}");
        assert_eq!(error["code"], "unauthorized", "{what}");
    }
}

#[tokio::test]
async fn an_authenticated_push_with_a_garbage_body_is_refused_as_malformed() {
    let app = crate::helpers::spawn_app().await;
    let laptop = app.device("claire").await;
    let response = app
        .http
        .post(app.url("/v1/sync/push"))
        .bearer_auth(&laptop.token)
        .header("content-type", "application/json")
        .body("{ ceci n'est pas du JSON")
        .send()
        .await
        .unwrap();
    let (status, error) = status_and_body(response).await;
    assert_eq!(status, 400, "{error}");
    // Over the network too, without a token the same body is a 401.
    let response = app
        .http
        .post(app.url("/v1/sync/push"))
        .header("content-type", "application/json")
        .body("{ ceci n'est pas du JSON")
        .send()
        .await
        .unwrap();
    let (status, error) = status_and_body(response).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (401, Some("unauthorized"))
    );
}

#[tokio::test]
async fn a_device_seq_of_zero_or_below_is_refused_as_invalid_and_stores_nothing() {
    let app = crate::helpers::spawn_app().await;
    let laptop = app.device("claire").await;
    for seq in [0, -1, i64::MIN] {
        let mut change = laptop.create_dossier(uuid::Uuid::now_v7());
        change.device_seq = seq;
        let response = app.push_raw(&laptop, vec![change]).await;
        let (status, error) = status_and_body(response).await;
        assert_eq!(
            (status, error["code"].as_str()),
            (422, Some("invalid_input")),
            "{seq}"
        );
        assert!(error["fields"]["changes"]
            .as_str()
            .is_some_and(|m| m.contains("commencent à 1")));
    }
    assert!(
        app.pull(&laptop, 0).await.changes.is_empty(),
        "nothing stored"
    );
}

#[tokio::test]
async fn a_pull_out_of_its_bounds_is_refused_with_the_bounds() {
    let app = crate::helpers::spawn_app().await;
    let laptop = app.device("claire").await;
    for query in [
        "limit=0",
        "limit=1001",
        "limit=5000",
        "cursor=-5",
        "cursor=-1&limit=10",
    ] {
        let response = app.pull_query(&laptop.token, query).await;
        let (status, error) = status_and_body(response).await;
        assert_eq!(
            (status, error["code"].as_str()),
            (400, Some("bad_request")),
            "{query}"
        );
        assert!(
            error["message"]
                .as_str()
                .is_some_and(|m| m.contains("entre 1 et 1000")),
            "{query}: {error}"
        );
    }
    for query in ["limit=1", "limit=1000", "cursor=0"] {
        let response = app.pull_query(&laptop.token, query).await;
        assert_eq!(response.status(), 200, "{query}");
    }
}

#[tokio::test]
async fn a_device_name_too_long_or_with_hidden_characters_is_refused_at_registration() {
    let app = crate::helpers::spawn_app().await;
    for name in [
        "x".repeat(200_000),
        "Portable\u{0}".into(),
        "\u{202E}elbatroP".into(),
    ] {
        let response = app
            .http
            .post(app.url("/v1/devices"))
            .json(&serde_json::json!({
                "login": "claire",
                "password": crate::helpers::PASSWORD,
                "device_id": uuid::Uuid::now_v7(),
                "device_name": name,
            }))
            .send()
            .await
            .unwrap();
        let (status, error) = status_and_body(response).await;
        assert_eq!(
            (status, error["code"].as_str()),
            (422, Some("invalid_input"))
        );
        assert!(error["fields"]["device_name"].as_str().is_some(), "{error}");
    }
}
