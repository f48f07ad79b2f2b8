//! What the head office does, behind a trait so that the HTTP handlers do not know which
//! database holds the data (SQLite by default; PostgreSQL can be added as another
//! implementation without touching them).

use permanence_domain::{ErrorCode, FieldErrors};
use permanence_sync::protocol::{
    PullResponse, PushRequest, PushResponse, RegisterRequest, RegisterResponse,
};
use uuid::Uuid;

/// Roles of head-office accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// An advisor of one platform: reads and writes only that platform's dossiers.
    Advisor,
    /// Head-office staff: reads and writes every platform.
    Staff,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Advisor => "advisor",
            Role::Staff => "staff",
            Role::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "advisor" | "conseiller" => Some(Role::Advisor),
            "staff" | "siege" => Some(Role::Staff),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// The device and account behind a request's token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub device_id: Uuid,
    pub account: String,
    pub role: Role,
    /// None for head-office accounts, who see every platform.
    pub platform: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub login: String,
    pub name: String,
    pub password: String,
    pub role: Role,
    pub platform: Option<String>,
}

/// Refusals, each with its HTTP status and French message.
#[derive(Debug, thiserror::Error)]
pub enum OfficeError {
    #[error("Identifiant ou mot de passe incorrect.")]
    BadCredentials,
    #[error("Jeton absent, inconnu ou révoqué : enregistrez à nouveau cet ordinateur.")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("Séquence interrompue : le siège a reçu jusqu'au changement n° {last}.")]
    SequenceGap { last: i64 },
    #[error(
        "Le siège ne connaît pas le point de reprise de cet ordinateur (il a été restauré \
         depuis une sauvegarde) : la réception reprend depuis le début."
    )]
    CursorUnknown,
    #[error(
        "Cette version de Permanence est trop ancienne pour synchroniser (schéma {found}, \
         minimum {min}) : mettez-la à jour ; vos données restent sur l'ordinateur."
    )]
    ClientTooOld { found: i64, min: i64 },
    #[error("Requête invalide.")]
    Invalid(FieldErrors),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error(
        "Trop d'essais de connexion manqués : réessayez dans {} min.",
        wait_secs.div_ceil(60)
    )]
    TooManyAttempts { wait_secs: u64 },
    #[error(transparent)]
    Core(#[from] permanence_domain::Error),
}

impl OfficeError {
    pub fn code(&self) -> ErrorCode {
        match self {
            OfficeError::BadCredentials | OfficeError::Unauthorized => ErrorCode::Unauthorized,
            OfficeError::Forbidden(_) => ErrorCode::Forbidden,
            OfficeError::SequenceGap { .. } => ErrorCode::SequenceGap,
            OfficeError::CursorUnknown => ErrorCode::CursorUnknown,
            OfficeError::ClientTooOld { .. } => ErrorCode::ClientTooOld,
            OfficeError::Invalid(_) => ErrorCode::InvalidInput,
            OfficeError::NotFound(_) => ErrorCode::NotFound,
            OfficeError::Conflict(_) => ErrorCode::NotAllowed,
            OfficeError::TooManyAttempts { .. } => ErrorCode::TooManyAttempts,
            OfficeError::Core(e) => e.code(),
        }
    }
}

impl From<rusqlite::Error> for OfficeError {
    fn from(e: rusqlite::Error) -> Self {
        OfficeError::Core(permanence_domain::Error::Database(e))
    }
}

pub type OfficeResult<T> = Result<T, OfficeError>;

/// Everything the API and the administration commands need from the head office's store.
pub trait HeadOffice: Send + Sync + 'static {
    /// The clock the head office reads its time from.
    fn clock(&self) -> permanence_domain::clock::Clock;
    fn schema_version(&self) -> OfficeResult<i64>;
    fn add_platform(&self, code: &str, name: &str) -> OfficeResult<()>;
    fn add_user(&self, user: &NewUser) -> OfficeResult<()>;
    fn disable_user(&self, login: &str) -> OfficeResult<()>;
    fn revoke_device(&self, device: Uuid) -> OfficeResult<()>;
    fn register_device(&self, request: &RegisterRequest) -> OfficeResult<RegisterResponse>;
    fn authenticate(&self, token: &str) -> OfficeResult<Caller>;
    fn push(&self, caller: &Caller, request: &PushRequest) -> OfficeResult<PushResponse>;
    /// `at` is the `cursor_id` the device received with `cursor`: when the head office logs
    /// another change there, or none, it answers `CursorUnknown`.
    fn pull(
        &self,
        caller: &Caller,
        cursor: i64,
        at: Option<Uuid>,
        limit: usize,
    ) -> OfficeResult<PullResponse>;
    /// How many changes of the caller's scope the log holds after `cursor` (for progress).
    fn remaining(&self, caller: &Caller, cursor: i64) -> OfficeResult<i64>;
    /// How many changes from devices the log holds (for audits and tests).
    fn change_count(&self) -> OfficeResult<i64>;
    /// `platform`'s settings as its laptops have them (None while the head office never set
    /// them). An advisor reads only their own platform's.
    fn platform_settings(
        &self,
        caller: &Caller,
        platform: &str,
    ) -> OfficeResult<Option<permanence_domain::settings::PlatformSettings>>;
    /// Sets `platform`'s settings (head-office staff and administrators only): validated by
    /// the settings' own rules, logged, and received by every laptop of the platform at its
    /// next sync. The dossier numbers' prefix is the platform's code, whatever was sent.
    fn set_platform_settings(
        &self,
        caller: &Caller,
        platform: &str,
        settings: &permanence_domain::settings::PlatformSettings,
    ) -> OfficeResult<permanence_domain::settings::PlatformSettings>;
    /// Writes the caller's platform's current state, brought up to the log, into the new
    /// file `into` (a laptop store's copy), for a new laptop's first sync.
    fn snapshot(
        &self,
        caller: &Caller,
        into: &std::path::Path,
    ) -> OfficeResult<permanence_store::store::SnapshotInfo>;
}
