//! The versioned HTTP API (`/v1/…`) and its error shape.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{header, HeaderMap, Request, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use permanence::sync::protocol::{
    PullResponse, PushRequest, PushResponse, RegisterRequest, RegisterResponse, MAX_BATCH,
};
use permanence::{ApiError, ErrorCode};
use serde::{Deserialize, Serialize};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

use crate::office::{Caller, HeadOffice, OfficeError};

/// Requests larger than this are refused with 413 before a handler reads them.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

#[derive(Clone)]
pub struct AppState {
    pub office: Arc<dyn HeadOffice>,
}

impl AppState {
    pub fn new(office: impl HeadOffice) -> AppState {
        AppState {
            office: Arc::new(office),
        }
    }
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/v1/health", get(health))
        .route("/v1/devices", post(register))
        .route("/v1/sync/push", post(push))
        .route("/v1/sync/pull", get(pull))
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

/// Runs a store call off the async threads.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, OfficeError> + Send + 'static,
) -> Result<T, HttpError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| {
            HttpError::from(OfficeError::Core(permanence::Error::Internal(
                e.to_string(),
            )))
        })?
        .map_err(HttpError::from)
}

async fn health(State(state): State<AppState>) -> Result<Json<Health>, HttpError> {
    let office = state.office.clone();
    let schema_version = blocking(move || office.schema_version()).await?;
    Ok(Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        schema_version,
    }))
}

async fn register(
    State(state): State<AppState>,
    Json(request): Json<RegisterRequest>,
) -> Result<Json<RegisterResponse>, HttpError> {
    let office = state.office.clone();
    Ok(Json(
        blocking(move || office.register_device(&request)).await?,
    ))
}

/// The caller behind the `Authorization: Bearer` token.
async fn caller(state: &AppState, headers: &HeaderMap) -> Result<Caller, HttpError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(OfficeError::Unauthorized)?
        .to_owned();
    let office = state.office.clone();
    blocking(move || office.authenticate(&token)).await
}

async fn push(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(request): Json<PushRequest>,
) -> Result<Json<PushResponse>, HttpError> {
    let caller = caller(&state, &headers).await?;
    let office = state.office.clone();
    Ok(Json(
        blocking(move || office.push(&caller, &request)).await?,
    ))
}

#[derive(Debug, Deserialize)]
struct PullQuery {
    #[serde(default)]
    cursor: i64,
    limit: Option<usize>,
}

async fn pull(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<PullQuery>,
) -> Result<Json<PullResponse>, HttpError> {
    let caller = caller(&state, &headers).await?;
    let office = state.office.clone();
    let limit = query.limit.unwrap_or(MAX_BATCH * 5);
    Ok(Json(
        blocking(move || office.pull(&caller, query.cursor.max(0), limit)).await?,
    ))
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

impl From<OfficeError> for HttpError {
    fn from(err: OfficeError) -> Self {
        let status = match &err {
            OfficeError::BadCredentials | OfficeError::Unauthorized => StatusCode::UNAUTHORIZED,
            OfficeError::Forbidden(_) => StatusCode::FORBIDDEN,
            OfficeError::SequenceGap { .. } | OfficeError::Conflict(_) => StatusCode::CONFLICT,
            OfficeError::ClientTooOld { .. } => StatusCode::UPGRADE_REQUIRED,
            OfficeError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            OfficeError::NotFound(_) => StatusCode::NOT_FOUND,
            OfficeError::Core(e) => match e.code() {
                ErrorCode::InvalidInput => StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::NotFound => StatusCode::NOT_FOUND,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            },
        };
        let body = match err {
            OfficeError::Core(e) => e.to_api(),
            OfficeError::Invalid(fields) => ApiError {
                fields: Some(fields),
                ..ApiError::new(ErrorCode::InvalidInput, "Requête invalide.")
            },
            other => ApiError::new(other.code(), other.to_string()),
        };
        HttpError { status, body }
    }
}

impl From<permanence::Error> for HttpError {
    fn from(err: permanence::Error) -> Self {
        OfficeError::Core(err).into()
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
        s if s.is_client_error() => (
            ErrorCode::BadRequest,
            "Requête mal formée : le corps doit être du JSON conforme à l'API.".to_owned(),
        ),
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
