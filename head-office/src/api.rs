//! The versioned HTTP API (`/v1/…`) and its error shape.

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, Request, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use permanence::{ApiError, ErrorCode};
use serde::{Deserialize, Serialize};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

use crate::store::Store;

/// Requests larger than this are refused with 413 before a handler reads them.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/v1/health", get(health))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            MAX_BODY_BYTES,
        ))
        .layer(middleware::from_fn(json_errors))
        .layer(CatchPanicLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
    pub version: String,
    pub schema_version: i64,
}

async fn health(State(state): State<AppState>) -> Result<Json<Health>, HttpError> {
    let schema_version = state.store.schema_version()?;
    Ok(Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        schema_version,
    }))
}

async fn not_found(uri: Uri) -> HttpError {
    HttpError::new(
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
        format!("Adresse inconnue : {}.", uri.path()),
    )
}

async fn method_not_allowed() -> HttpError {
    HttpError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::MethodNotAllowed,
        "Méthode non permise pour cette adresse.",
    )
}

/// An error as the API sends it: a status and the shared `{ code, message, fields? }` body.
#[derive(Debug)]
pub struct HttpError {
    pub status: StatusCode,
    pub body: ApiError,
}

impl HttpError {
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            status,
            body: ApiError::new(code, message),
        }
    }
}

impl From<permanence::Error> for HttpError {
    fn from(err: permanence::Error) -> Self {
        let status = match err.code() {
            ErrorCode::InvalidInput => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::NotFound => StatusCode::NOT_FOUND,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        HttpError {
            status,
            body: err.to_api(),
        }
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

/// Whatever produced an error response (a layer, an extractor, a caught panic), the client
/// gets the JSON shape: bodies that are not already JSON are replaced by one.
async fn json_errors(request: Request<Body>, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (code, message) = match status {
        StatusCode::PAYLOAD_TOO_LARGE => (
            ErrorCode::PayloadTooLarge,
            format!("Requête trop volumineuse (au plus {MAX_BODY_BYTES} octets)."),
        ),
        StatusCode::METHOD_NOT_ALLOWED => (
            ErrorCode::MethodNotAllowed,
            "Méthode non permise pour cette adresse.".to_owned(),
        ),
        s if s.is_client_error() => (ErrorCode::BadRequest, "Requête mal formée.".to_owned()),
        _ => {
            tracing::error!(%status, "internal error response");
            (
                ErrorCode::Internal,
                "Erreur interne du serveur : l'opération n'a pas été faite.".to_owned(),
            )
        }
    };
    HttpError::new(status, code, message).into_response()
}
