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
    let request = Request::post("/v1/health")
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
