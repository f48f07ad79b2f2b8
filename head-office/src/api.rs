//! The versioned HTTP API (`/v1/…`), its OpenAPI description and its error shape.
//!
//! Routes and the OpenAPI document come from one list, `endpoints()`: a handler is served only
//! through its `#[utoipa::path]`, which names its method, path, body and every status it can
//! answer. The document is served at `GET /v1/openapi.json`.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path as AxumPath, Query, State};
use axum::http::{header, HeaderMap, Request, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json, Router};
use permanence_domain::settings::PlatformSettings;
use permanence_domain::{ApiError, ErrorCode};
use permanence_sync::protocol::{
    PullResponse, PushRequest, PushResponse, RegisterRequest, RegisterResponse, PULL_PAGE,
};
use serde::{Deserialize, Serialize};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::OpenApi as Document;
use utoipa::{IntoParams, IntoResponses, Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::office::{Caller, HeadOffice, OfficeError};
use crate::throttle::LoginThrottle;

/// Requests larger than this are refused with 413 before a handler reads them: the limit
/// laptops cut their pushes under.
pub const MAX_BODY_BYTES: usize = permanence_sync::protocol::MAX_PUSH_BYTES;

#[derive(Clone)]
pub struct AppState {
    pub office: Arc<dyn HeadOffice>,
    /// Failed registrations, per login and per address.
    pub logins: Arc<LoginThrottle>,
}

impl AppState {
    pub fn new(office: impl HeadOffice) -> AppState {
        let logins = Arc::new(LoginThrottle::new(office.clock()));
        AppState {
            office: Arc::new(office),
            logins,
        }
    }
}

/// The most logged changes one pull examines.
pub const MAX_PULL_LIMIT: usize = 1000;

/// Where the OpenAPI document is served.
pub const OPENAPI_PATH: &str = "/v1/openapi.json";

/// The name of the bearer-token security scheme in the document (`security(("bearer" = []))`
/// in the paths: the attribute takes only a literal).
const BEARER: &str = "bearer";

/// Every endpoint, each with its OpenAPI description: those anyone may call, then those
/// that need a device's token. Add a route here, never with a bare `.route(…)`: `router()`
/// and `openapi()` are both built from these lists.
fn endpoints() -> (OpenApiRouter<AppState>, OpenApiRouter<AppState>) {
    let open = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(health))
        .routes(routes!(register))
        .routes(routes!(openapi_json));
    let authenticated = OpenApiRouter::new()
        .routes(routes!(push))
        .routes(routes!(pull))
        .routes(routes!(snapshot))
        .routes(routes!(platform_settings, set_platform_settings));
    (open, authenticated)
}

/// The OpenAPI 3 description of the API, as served at [`OPENAPI_PATH`].
pub fn openapi() -> Document {
    let (open, authenticated) = endpoints();
    open.merge(authenticated).into_openapi()
}

pub fn router(state: AppState) -> Router {
    let body_limit = || tower_http::limit::RequestBodyLimitLayer::new(MAX_BODY_BYTES);
    let (open, authenticated) = endpoints();
    // The token is checked before anything else of the request is read (its size, its
    // query, its body): a caller without a valid token learns nothing of how the API
    // validates requests.
    let authenticated = authenticated
        .route_layer(body_limit())
        .route_layer(middleware::from_fn_with_state(state.clone(), authenticate));
    let (routes, document) = open
        .route_layer(body_limit())
        .merge(authenticated)
        .split_for_parts();
    routes
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(Extension(Arc::new(document)))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(json_errors))
        .layer(CatchPanicLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Permanence head office",
        description = "How advisors' laptops sync with the head office. Every error has an \
            `ApiError` body: a stable `code` and a French `message` meant for people. An unknown \
            address answers 404 and a method the address does not take 405, with the same body.",
    ),
    modifiers(&BearerToken),
    components(schemas(ApiError)),
    tags(
        (name = "server", description = "The server's state and this description."),
        (name = "devices", description = "Registering advisors' laptops."),
        (name = "sync", description = "Sending and receiving changes."),
        (name = "platforms", description = "Each platform's settings, held by the head office."),
    ),
)]
struct ApiDoc;

/// Declares the `Authorization: Bearer` token a device receives when it registers.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut Document) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            BEARER,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The token a laptop receives when it registers (POST /v1/devices), \
                         sent as `Authorization: Bearer <token>`.",
                    ))
                    .build(),
            ),
        );
    }
}

/// The refusals of every endpoint that reads a JSON body, answered before its handler runs
/// (by the `Json` extractor and the body limit): listed once, as `JsonBodyRefusals` in the
/// `responses(…)` of such an endpoint.
#[derive(IntoResponses)]
#[expect(dead_code, reason = "never built: it describes responses")]
enum JsonBodyRefusals {
    #[response(status = 400, description = "The body is not readable JSON.")]
    NotJson(ApiError),
    #[response(status = 413, description = "The body is too large.")]
    TooLarge(ApiError),
    #[response(
        status = 415,
        description = "The body is not declared `application/json`."
    )]
    NotDeclaredJson(ApiError),
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
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
            HttpError::from(OfficeError::Core(permanence_domain::Error::Internal(
                e.to_string(),
            )))
        })?
        .map_err(HttpError::from)
}

/// The server's state
///
/// Answers when the server and its database can be used.
#[utoipa::path(
    get,
    path = "/v1/health",
    tag = "server",
    responses(
        (status = 200, description = "The head office answers.", body = Health),
        (status = 500, description = "The head office's database cannot be used.", body = ApiError),
    ),
)]
async fn health(State(state): State<AppState>) -> Result<Json<Health>, HttpError> {
    let office = state.office.clone();
    let schema_version = blocking(move || office.schema_version()).await?;
    Ok(Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        schema_version,
    }))
}

/// Register a laptop
///
/// An advisor registers their laptop with their login and password; the token in the answer
/// (shown once, the server keeps only its hash) then authenticates the laptop's syncs.
/// Registering the same laptop again gives a new token and stops the old one.
#[utoipa::path(
    post,
    path = "/v1/devices",
    tag = "devices",
    request_body = RegisterRequest,
    responses(
        (status = 200, description = "Registered; the token is in the answer.", body = RegisterResponse),
        JsonBodyRefusals,
        (status = 401, description = "Wrong login or password, or a disabled account.", body = ApiError),
        (status = 403, description = "This laptop is registered to another advisor.", body = ApiError),
        (status = 422, description = "The JSON does not follow the request's schema.", body = ApiError),
        (status = 429, description = "Too many failed logins for this login or from this address: try again after `Retry-After` seconds.", body = ApiError,
            headers(("Retry-After" = u64, description = "Seconds to wait before trying again."))),
        (status = 500, description = "Internal error; nothing was done.", body = ApiError),
    ),
)]
async fn register(
    State(state): State<AppState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    Json(request): Json<RegisterRequest>,
) -> Result<Json<RegisterResponse>, HttpError> {
    let address = peer.map(|Extension(ConnectInfo(peer))| peer.ip());
    let login = request.login.clone();
    if let Some(wait) = state.logins.wait(&login, address) {
        return Err(OfficeError::TooManyAttempts {
            wait_secs: wait.as_secs().max(1),
        }
        .into());
    }
    let office = state.office.clone();
    let registered = blocking(move || office.register_device(&request)).await;
    match &registered {
        Ok(_) => state.logins.succeeded(&login),
        Err(error) if error.status == StatusCode::UNAUTHORIZED => {
            state.logins.failed(&login, address)
        }
        Err(_) => {}
    }
    Ok(Json(registered?))
}

/// Authenticates the request by its `Authorization: Bearer` token before its handler or any
/// of its extractors runs, and hands the caller to the handler (`Extension<Caller>`).
async fn authenticate(
    State(state): State<AppState>,
    mut request: Request<Body>,
    next: Next,
) -> Result<Response, HttpError> {
    let caller = caller(&state, request.headers()).await?;
    request.extensions_mut().insert(caller);
    Ok(next.run(request).await)
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

/// Send changes
///
/// At most 1000 changes from the laptop's outbox, numbered without gaps by `device_seq`. A change
/// the head office already holds is answered with its stored result, so a retry is harmless.
#[utoipa::path(
    post,
    path = "/v1/sync/push",
    tag = "sync",
    request_body = PushRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The result of each change.", body = PushResponse),
        JsonBodyRefusals,
        (status = 401, description = "No token, or an unknown or revoked one.", body = ApiError),
        (status = 403, description = "The token is another device's, or a dossier belongs to another platform.", body = ApiError),
        (status = 409, description = "A gap in `device_seq`, or a sequence number already received with other content.", body = ApiError),
        (status = 422, description = "Too many changes in one push, or JSON that does not follow the schema.", body = ApiError),
        (status = 426, description = "This version of Permanence is too old to sync (`schema_version`).", body = ApiError),
        (status = 500, description = "Internal error; nothing was stored.", body = ApiError),
    ),
)]
async fn push(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Json(request): Json<PushRequest>,
) -> Result<Json<PushResponse>, HttpError> {
    let office = state.office.clone();
    Ok(Json(
        blocking(move || office.push(&caller, &request)).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct PullQuery {
    /// The last `server_seq` already received (0 to start from the beginning).
    #[serde(default)]
    #[param(minimum = 0)]
    cursor: i64,
    /// The `cursor_id` received with this cursor: the head office checks it still logs that
    /// change there (409 `cursor_unknown` when it was restored from an older backup).
    at: Option<Uuid>,
    /// `true` on the first pull of a sync: the answer says how many changes remain after
    /// the page (`remaining`), for the laptop to show its progress.
    #[serde(default)]
    count: bool,
    /// How many logged changes to examine, from 1 to 1000 (500 by default).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<usize>,
}

/// Receive changes
///
/// The head office's changes after the cursor, limited to the advisor's platform, and the
/// disagreements a person must settle. Ask again from `next_cursor` while `has_more` is true.
#[utoipa::path(
    get,
    path = "/v1/sync/pull",
    tag = "sync",
    params(PullQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of changes.", body = PullResponse),
        (status = 400, description = "Unreadable query parameters, or out of their bounds (`cursor` ≥ 0, `limit` from 1 to 1000).", body = ApiError),
        (status = 401, description = "No token, or an unknown or revoked one.", body = ApiError),
        (status = 409, description = "`at` does not name the change logged at `cursor`: the head office was restored from an older backup; pull again from 0.", body = ApiError),
        (status = 500, description = "Internal error.", body = ApiError),
    ),
)]
async fn pull(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(query): Query<PullQuery>,
) -> Result<Json<PullResponse>, HttpError> {
    let limit = query.limit.unwrap_or(PULL_PAGE);
    if query.cursor < 0 || !(1..=MAX_PULL_LIMIT).contains(&limit) {
        return Err(HttpError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::BadRequest,
            format!(
                "Paramètres hors limites : cursor doit être positif ou nul et limit compris \
                 entre 1 et {MAX_PULL_LIMIT} (reçus {} et {limit}).",
                query.cursor
            ),
        ));
    }
    let office = state.office.clone();
    Ok(Json(
        blocking(move || {
            let mut page = office.pull(&caller, query.cursor, query.at, limit)?;
            if query.count {
                page.remaining = Some(office.remaining(&caller, page.next_cursor)?);
            }
            Ok::<_, OfficeError>(page)
        })
        .await?,
    ))
}

/// The headers that say where a snapshot stands (`SnapshotInfo`).
pub const SNAPSHOT_CURSOR: &str = "permanence-cursor";
pub const SNAPSHOT_CURSOR_ID: &str = "permanence-cursor-id";
pub const SNAPSHOT_SCHEMA: &str = "permanence-schema";
pub const SNAPSHOT_DOSSIERS: &str = "permanence-dossiers";

/// A zstd-compressed SQLite file.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
struct SnapshotFile(Vec<u8>);

/// A platform's settings
///
/// The loan rules, schemes, territory, summary template and logo every laptop of the
/// platform receives with its sync (`null` while the head office never set them). An advisor
/// reads only their own platform's.
#[utoipa::path(
    get,
    path = "/v1/platforms/{code}/settings",
    tag = "platforms",
    params(("code" = String, Path, description = "The platform's code, e.g. `TA7V`.")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The platform's settings, or `null`.", body = Option<PlatformSettings>),
        (status = 401, description = "No token, or an unknown or revoked one.", body = ApiError),
        (status = 403, description = "An advisor asked for another platform's settings.", body = ApiError),
        (status = 404, description = "No such platform.", body = ApiError),
        (status = 500, description = "Internal error.", body = ApiError),
    ),
)]
async fn platform_settings(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    AxumPath(code): AxumPath<String>,
) -> Result<Json<Option<PlatformSettings>>, HttpError> {
    let office = state.office.clone();
    Ok(Json(
        blocking(move || office.platform_settings(&caller, &code)).await?,
    ))
}

/// Set a platform's settings
///
/// Head-office staff and administrators only. Checked by the same rules as the laptop's
/// settings form; every laptop of the platform receives them at its next sync, where they
/// show read-only. The numbers' prefix (`code`) is the platform's code and the advisor's
/// name stays each laptop's own, whatever is sent.
#[utoipa::path(
    put,
    path = "/v1/platforms/{code}/settings",
    tag = "platforms",
    params(("code" = String, Path, description = "The platform's code, e.g. `TA7V`.")),
    request_body = PlatformSettings,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The settings as laptops will receive them.", body = PlatformSettings),
        JsonBodyRefusals,
        (status = 401, description = "No token, or an unknown or revoked one.", body = ApiError),
        (status = 403, description = "An advisor's account: settings are set by the head office's staff.", body = ApiError),
        (status = 404, description = "No such platform.", body = ApiError),
        (status = 422, description = "Settings the rules refuse (`fields` says which and why), or JSON that does not follow the schema.", body = ApiError),
        (status = 500, description = "Internal error; nothing was stored.", body = ApiError),
    ),
)]
async fn set_platform_settings(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    AxumPath(code): AxumPath<String>,
    Json(settings): Json<PlatformSettings>,
) -> Result<Json<PlatformSettings>, HttpError> {
    let office = state.office.clone();
    Ok(Json(
        blocking(move || office.set_platform_settings(&caller, &code, &settings)).await?,
    ))
}

/// Receive the platform's state
///
/// The advisor's platform's current state, as the head office materialises it from its log,
/// in one file: a laptop store's copy (SQLite), compressed with zstd. A new laptop adopts it
/// and pulls from the cursor given in `Permanence-Cursor` (and `Permanence-Cursor-Id`) on,
/// instead of the whole log. The file's schema is `Permanence-Schema`: a laptop of another
/// schema pulls the log instead.
#[utoipa::path(
    get,
    path = "/v1/sync/snapshot",
    tag = "sync",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The platform's state.", content_type = "application/zstd", body = SnapshotFile,
            headers(
                ("permanence-cursor" = i64, description = "The last `server_seq` the state includes: pull from there."),
                ("permanence-cursor-id" = String, description = "The change logged at that cursor, sent back as `at` (absent at 0)."),
                ("permanence-schema" = i64, description = "The laptop schema of the file."),
                ("permanence-dossiers" = i64, description = "How many dossiers the state holds."),
            )),
        (status = 401, description = "No token, or an unknown or revoked one.", body = ApiError),
        (status = 404, description = "A head-office account has no platform's state to receive: it pulls the log.", body = ApiError),
        (status = 500, description = "Internal error.", body = ApiError),
    ),
)]
async fn snapshot(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Response, HttpError> {
    let office = state.office.clone();
    let (info, file, length) = blocking(move || {
        let core = |e: std::io::Error| {
            OfficeError::Core(permanence_domain::Error::Internal(format!(
                "snapshot file: {e}"
            )))
        };
        let scratch = tempfile::tempdir().map_err(core)?;
        let raw = scratch.path().join("state.sqlite3");
        let info = office.snapshot(&caller, &raw)?;
        // Compressed into a file no one else can open (already unlinked), streamed from it.
        let mut packed = tempfile::tempfile().map_err(core)?;
        let mut encoder = zstd::Encoder::new(&mut packed, SNAPSHOT_LEVEL).map_err(core)?;
        std::io::copy(&mut std::fs::File::open(&raw).map_err(core)?, &mut encoder).map_err(core)?;
        encoder.finish().map_err(core)?;
        drop(scratch);
        use std::io::Seek;
        let length = packed.stream_position().map_err(core)?;
        packed.rewind().map_err(core)?;
        Ok((info, packed, length))
    })
    .await?;
    let body = Body::from_stream(tokio_util::io::ReaderStream::new(
        tokio::fs::File::from_std(file),
    ));
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    let mut put = |name: &'static str, value: String| {
        if let Ok(value) = header::HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    };
    put(header::CONTENT_TYPE.as_str(), "application/zstd".into());
    put(header::CONTENT_LENGTH.as_str(), length.to_string());
    put(SNAPSHOT_CURSOR, info.cursor.to_string());
    if let Some(id) = info.cursor_id {
        put(SNAPSHOT_CURSOR_ID, id.to_string());
    }
    put(SNAPSHOT_SCHEMA, info.schema_version.to_string());
    put(SNAPSHOT_DOSSIERS, info.dossiers.to_string());
    Ok(response)
}

/// zstd's level for snapshots: level 3 (zstd's default) packs a store about fivefold at a
/// few hundred MB/s on one core; higher levels cost far more time for a few percent.
const SNAPSHOT_LEVEL: i32 = 3;

/// This description
///
/// The OpenAPI 3 description of the API.
#[utoipa::path(
    get,
    path = OPENAPI_PATH,
    tag = "server",
    responses(
        (status = 200, description = "The OpenAPI document.", content_type = "application/json", body = Object),
        (status = 500, description = "Internal error.", body = ApiError),
    ),
)]
async fn openapi_json(
    Extension(document): Extension<Arc<Document>>,
) -> Result<Response, HttpError> {
    let json = document.to_pretty_json().map_err(|e| {
        HttpError::from(permanence_domain::Error::Internal(format!(
            "OpenAPI document: {e}"
        )))
    })?;
    Ok(([(header::CONTENT_TYPE, "application/json")], json).into_response())
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

/// An error as the API sends it: a status and the shared `{ code, message, fields? }` body,
/// with the seconds to wait (`Retry-After`) when there is a wait.
#[derive(Debug)]
pub struct HttpError {
    pub status: StatusCode,
    pub body: ApiError,
    pub retry_after: Option<u64>,
}

impl HttpError {
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            status,
            body: ApiError::new(code, message),
            retry_after: None,
        }
    }
}

impl From<OfficeError> for HttpError {
    fn from(err: OfficeError) -> Self {
        let status = match &err {
            OfficeError::BadCredentials | OfficeError::Unauthorized => StatusCode::UNAUTHORIZED,
            OfficeError::Forbidden(_) => StatusCode::FORBIDDEN,
            OfficeError::SequenceGap { .. }
            | OfficeError::CursorUnknown
            | OfficeError::Conflict(_) => StatusCode::CONFLICT,
            OfficeError::ClientTooOld { .. } => StatusCode::UPGRADE_REQUIRED,
            OfficeError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            OfficeError::NotFound(_) => StatusCode::NOT_FOUND,
            OfficeError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            OfficeError::Core(e) => match e.code() {
                ErrorCode::InvalidInput => StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::NotFound => StatusCode::NOT_FOUND,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            },
        };
        let retry_after = match &err {
            OfficeError::TooManyAttempts { wait_secs } => Some(*wait_secs),
            _ => None,
        };
        let body = match err {
            OfficeError::Core(e) => e.to_api(),
            OfficeError::Invalid(fields) => ApiError {
                fields: Some(fields),
                ..ApiError::new(ErrorCode::InvalidInput, "Requête invalide.")
            },
            other => ApiError::new(other.code(), other.to_string()),
        };
        HttpError {
            status,
            body,
            retry_after,
        }
    }
}

impl From<permanence_domain::Error> for HttpError {
    fn from(err: permanence_domain::Error) -> Self {
        OfficeError::Core(err).into()
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body)).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
        }
        response
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
