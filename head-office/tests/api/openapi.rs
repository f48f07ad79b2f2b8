//! The OpenAPI document describes exactly the routes the router serves, each with the
//! statuses it answers and the shared error body, and is served at /v1/openapi.json.

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use permanence_head_office::api::{openapi, OPENAPI_PATH};
use serde_json::Value;
use tower::ServiceExt;

use crate::helpers::{app, spawn_app};

/// The methods a route may take; HEAD follows GET in axum and is left out.
const METHODS: [Method; 5] = [
    Method::GET,
    Method::POST,
    Method::PUT,
    Method::PATCH,
    Method::DELETE,
];

/// The paths the router holds. axum does not list its routes, but its `Debug` output shows
/// them: the quoted strings starting with `/` in its `path_router`, before the
/// `fallback_router` where axum keeps its own catch-all paths.
fn served_paths() -> BTreeSet<String> {
    let dump = format!("{:?}", app());
    let (routes, _fallbacks) = dump
        .split_once("fallback_router")
        .unwrap_or_else(|| panic!("axum's Router Debug output has changed: {dump}"));
    let paths: BTreeSet<String> = routes
        .split('"')
        .skip(1)
        .step_by(2)
        .filter(|text| text.starts_with('/'))
        .map(str::to_owned)
        .collect();
    assert!(
        paths.contains("/v1/health"),
        "axum's Router Debug output should show its paths; has it changed? {dump}"
    );
    paths
}

/// `(METHOD, path)` for every method the router answers on `path` with something else than
/// 405. The requests have no body and no token, so no handler changes anything.
async fn served_operations() -> BTreeSet<(String, String)> {
    let mut operations = BTreeSet::new();
    for path in served_paths() {
        for method in METHODS {
            let request = Request::builder()
                .method(method.clone())
                .uri(&path)
                .body(Body::empty())
                .unwrap();
            let response = app().oneshot(request).await.unwrap();
            if response.status() != StatusCode::METHOD_NOT_ALLOWED {
                operations.insert((method.to_string(), path.clone()));
            }
        }
    }
    operations
}

fn documented_operations(document: &Value) -> BTreeSet<(String, String)> {
    let mut operations = BTreeSet::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for method in METHODS {
            if item.get(method.as_str().to_lowercase()).is_some() {
                operations.insert((method.to_string(), path.clone()));
            }
        }
    }
    operations
}

fn document() -> Value {
    serde_json::to_value(openapi()).expect("the document serialises")
}

#[tokio::test]
async fn every_route_the_router_serves_is_in_the_openapi_document() {
    let served = served_operations().await;
    let documented = documented_operations(&document());
    let undocumented: Vec<_> = served.difference(&documented).collect();
    assert!(
        undocumented.is_empty(),
        "routes served but missing from the OpenAPI document: {undocumented:?}"
    );
    let unserved: Vec<_> = documented.difference(&served).collect();
    assert!(
        unserved.is_empty(),
        "routes in the OpenAPI document that the router does not serve: {unserved:?}"
    );
    for endpoint in [
        ("GET", "/v1/health"),
        ("POST", "/v1/devices"),
        ("POST", "/v1/sync/push"),
        ("GET", "/v1/sync/pull"),
        ("GET", "/v1/sync/snapshot"),
        ("GET", "/v1/platforms/{code}/settings"),
        ("PUT", "/v1/platforms/{code}/settings"),
        ("GET", OPENAPI_PATH),
    ] {
        let endpoint = (endpoint.0.to_owned(), endpoint.1.to_owned());
        assert!(served.contains(&endpoint), "{endpoint:?} is served");
    }
}

#[test]
fn each_endpoint_documents_its_refusals_with_the_error_body() {
    let document = document();
    let expected: [(&str, &str, &[u16]); 7] = [
        ("get", "/v1/health", &[200, 500]),
        (
            "post",
            "/v1/devices",
            &[200, 400, 401, 403, 413, 415, 422, 429, 500],
        ),
        (
            "post",
            "/v1/sync/push",
            &[200, 400, 401, 403, 409, 413, 415, 422, 426, 500],
        ),
        ("get", "/v1/sync/pull", &[200, 400, 401, 409, 500]),
        ("get", "/v1/sync/snapshot", &[200, 401, 404, 500]),
        (
            "get",
            "/v1/platforms/{code}/settings",
            &[200, 401, 403, 404, 500],
        ),
        (
            "put",
            "/v1/platforms/{code}/settings",
            &[200, 400, 401, 403, 404, 413, 415, 422, 500],
        ),
    ];
    for (method, path, statuses) in expected {
        let responses = document["paths"][path][method]["responses"]
            .as_object()
            .unwrap_or_else(|| panic!("{method} {path} has responses"));
        let documented: Vec<u16> = responses.keys().map(|k| k.parse().unwrap()).collect();
        assert_eq!(documented, statuses, "statuses of {method} {path}");
        for (status, response) in responses {
            if status.starts_with('2') {
                continue;
            }
            assert_eq!(
                response["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/ApiError",
                "{method} {path} {status} has the error body"
            );
        }
    }
}

#[test]
fn push_and_pull_require_the_bearer_token_and_registering_does_not() {
    let document = document();
    let scheme = &document["components"]["securitySchemes"]["bearer"];
    assert_eq!(scheme["type"], "http", "bearer scheme declared: {scheme}");
    assert_eq!(scheme["scheme"], "bearer");
    for (method, path) in [
        ("post", "/v1/sync/push"),
        ("get", "/v1/sync/pull"),
        ("get", "/v1/sync/snapshot"),
        ("get", "/v1/platforms/{code}/settings"),
        ("put", "/v1/platforms/{code}/settings"),
    ] {
        assert_eq!(
            document["paths"][path][method]["security"],
            serde_json::json!([{ "bearer": [] }]),
            "{method} {path} requires the token"
        );
    }
    for (method, path) in [("post", "/v1/devices"), ("get", "/v1/health")] {
        assert!(
            document["paths"][path][method].get("security").is_none(),
            "{method} {path} needs no token"
        );
    }
}

/// Every `$ref` in `value`, recursively.
fn references(value: &Value, found: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("$ref", Value::String(target)) => {
                        found.insert(target.clone());
                    }
                    _ => references(value, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| references(item, found)),
        _ => {}
    }
}

#[test]
fn every_schema_the_document_refers_to_is_in_it() {
    let document = document();
    let mut found = BTreeSet::new();
    references(&document, &mut found);
    assert!(
        found.contains("#/components/schemas/PushRequest"),
        "request bodies are described: {found:?}"
    );
    for target in found {
        let name = target
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("a reference to a schema: {target}"));
        assert!(
            document["components"]["schemas"].get(name).is_some(),
            "{target} is defined in the document"
        );
    }
}

#[tokio::test]
async fn the_openapi_document_is_served_over_a_real_socket_and_names_the_endpoints() {
    let app = spawn_app().await;
    let response = reqwest::get(app.url(OPENAPI_PATH)).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/json",
        "served as JSON"
    );
    let text = response.text().await.unwrap();
    // Read back with an OpenAPI reader that is not the one that wrote it.
    let spec = oas3::from_json(&text).expect("the served document parses as OpenAPI 3.1");
    assert!(spec.openapi.starts_with("3.1"), "OpenAPI {}", spec.openapi);
    let operations: BTreeSet<(String, String, String)> = spec
        .operations()
        .map(|(path, method, operation)| {
            let id = operation.operation_id.clone().unwrap_or_default();
            (method.to_string(), path, id)
        })
        .collect();
    let expected = [
        ("GET", "/v1/health", "health"),
        ("POST", "/v1/devices", "register"),
        ("POST", "/v1/sync/push", "push"),
        ("GET", "/v1/sync/pull", "pull"),
        ("GET", "/v1/sync/snapshot", "snapshot"),
        ("GET", "/v1/platforms/{code}/settings", "platform_settings"),
        (
            "PUT",
            "/v1/platforms/{code}/settings",
            "set_platform_settings",
        ),
        ("GET", "/v1/openapi.json", "openapi_json"),
    ]
    .map(|(m, p, id)| (m.to_owned(), p.to_owned(), id.to_owned()));
    assert_eq!(operations, BTreeSet::from(expected));
    let push = spec
        .operations()
        .find(|(path, _, _)| path == "/v1/sync/push")
        .map(|(_, _, operation)| operation)
        .expect("push is described");
    assert!(push.request_body.is_some(), "push describes its body");
    assert!(!push.security.is_empty(), "push names its security");
}
