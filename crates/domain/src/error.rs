//! The core's one error type, and the shape every error takes once it leaves Rust:
//! `{ code, message, fields? }` over IPC, HTTP and the command line.
//!
//! `code` is stable so the UI can match on it, `message` is French for people, `fields` maps a
//! form field (`holders.0.last_name`) to its French message. Internal details are logged and
//! never shown.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Per-field French messages, keyed by the field's path in the submitted form.
pub type FieldErrors = BTreeMap<String, String>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("Le formulaire contient des erreurs.")]
    Invalid(FieldErrors),

    #[error("{what} introuvable : {id}.")]
    NotFound { what: &'static str, id: String },

    #[error(
        "La base de données {path} a été créée par une version plus récente de Permanence \
         (schéma {found}, cette version connaît le schéma {supported}). Mettez Permanence à jour ; \
         rien n'a été modifié."
    )]
    DatabaseTooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },

    #[error(
        "Le fichier {path} n'est pas une base de données Permanence lisible ; rien n'a été modifié."
    )]
    DatabaseUnreadable {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },

    #[error(
        "Le fichier {} n'est pas une base de données Permanence (il appartient à un autre \
         programme) ; rien n'a été modifié.",
        path.display()
    )]
    NotPermanence { path: PathBuf },

    /// An encrypted store that the key given does not open: a wrong passphrase, or a key
    /// that is not this store's.
    #[error(
        "La base {} est chiffrée et cette clé ne l'ouvre pas (phrase de passe incorrecte, ou \
         clé d'un autre ordinateur) ; rien n'a été modifié.",
        path.display()
    )]
    WrongKey { path: PathBuf },

    /// The store's key cannot be had: the system's credential store is locked or gone, or no
    /// passphrase was given. The message says which and what to do.
    #[error("{0}")]
    KeyUnavailable(String),

    /// A move the rules do not allow now, with every reason in French.
    #[error("{what} : {}", reasons.join(" ; "))]
    Refused { what: String, reasons: Vec<String> },

    /// A file the person chose (or the app's own print folder) could not be written.
    #[error(
        "Le fichier {} n'a pas pu être enregistré : {}.",
        path.display(),
        io_reason(source)
    )]
    Unwritable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The system has no application to open a PDF with (to print it from there).
    #[error(
        "Aucune application n'a pu ouvrir le PDF pour l'imprimer. Il est enregistré dans {} : \
         ouvrez-le avec votre lecteur de PDF.",
        path.display()
    )]
    NoViewer { path: PathBuf },

    /// SQLite's own failure: a full disk, a read-only or busy file each say so; anything else
    /// is internal.
    #[error("{}", storage_message(.0))]
    Database(#[from] rusqlite::Error),

    #[error("Erreur interne : l'opération n'a pas été faite.")]
    Internal(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Stable error codes shared by the core, the app and the head-office API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    InvalidInput,
    NotAllowed,
    NotFound,
    DatabaseTooNew,
    DatabaseUnreadable,
    /// The key given does not open the encrypted store (a wrong passphrase).
    WrongKey,
    /// The store's key cannot be had (credential store locked, no passphrase given).
    KeyUnavailable,
    BadRequest,
    Unauthorized,
    Forbidden,
    SequenceGap,
    /// A pull's cursor the head office no longer holds (restored from an older backup): the
    /// laptop pulls again from the start.
    CursorUnknown,
    ClientTooOld,
    Unreachable,
    MethodNotAllowed,
    PayloadTooLarge,
    TooManyAttempts,
    ClockAhead,
    StorageFull,
    StorageReadOnly,
    StorageBusy,
    Unwritable,
    NoViewer,
    Internal,
}

/// What an error looks like outside Rust.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<BTreeMap<String, String>>))]
    pub fields: Option<FieldErrors>,
    /// Why a move was refused, one French sentence each; empty otherwise.
    #[serde(default)]
    pub reasons: Vec<String>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            fields: None,
            reasons: Vec::new(),
        }
    }
}

impl Error {
    /// The reasons of a refusal, or nothing.
    pub fn reasons(&self) -> &[String] {
        match self {
            Error::Refused { reasons, .. } => reasons,
            _ => &[],
        }
    }

    /// A validation error on a single field.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid(FieldErrors::from([(field.into(), message.into())]))
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Invalid(_) => ErrorCode::InvalidInput,
            Error::Refused { .. } => ErrorCode::NotAllowed,
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::DatabaseTooNew { .. } => ErrorCode::DatabaseTooNew,
            Error::DatabaseUnreadable { .. } | Error::NotPermanence { .. } => {
                ErrorCode::DatabaseUnreadable
            }
            Error::WrongKey { .. } => ErrorCode::WrongKey,
            Error::KeyUnavailable(_) => ErrorCode::KeyUnavailable,
            Error::Unwritable { .. } => ErrorCode::Unwritable,
            Error::NoViewer { .. } => ErrorCode::NoViewer,
            Error::Database(e) => storage_code(e),
            Error::Internal(_) => ErrorCode::Internal,
        }
    }

    /// The shape shown to people. Internal errors are logged here with their detail.
    pub fn to_api(&self) -> ApiError {
        match self {
            Error::Database(e) => tracing::error!(error = %e, "database error"),
            Error::Internal(detail) => tracing::error!(%detail, "internal error"),
            Error::Unwritable { path, source } => {
                tracing::warn!(path = %path.display(), error = %source, "file not written")
            }
            _ => {}
        }
        ApiError {
            code: self.code(),
            message: self.to_string(),
            fields: match self {
                Error::Invalid(fields) => Some(fields.clone()),
                _ => None,
            },
            reasons: self.reasons().to_vec(),
        }
    }
}

/// The code of a SQLite failure: the store's own condition when it is one a person can act on.
impl Error {
    /// The store itself failed (full, read-only, busy, unreadable disk or file), rather than
    /// the data given to it: a sync stops there instead of setting a change aside, and the
    /// failure has its own code (`storage_code`) where it has one.
    pub fn is_storage_failure(&self) -> bool {
        use rusqlite::ErrorCode::*;
        match self {
            Error::Database(rusqlite::Error::SqliteFailure(e, _)) => matches!(
                e.code,
                DiskFull
                    | SystemIoFailure
                    | ReadOnly
                    | DatabaseBusy
                    | DatabaseLocked
                    | CannotOpen
                    | OutOfMemory
                    | DatabaseCorrupt
                    | NotADatabase
                    | FileLockingProtocolFailed
            ),
            _ => false,
        }
    }
}

/// The stable code of a storage failure the advisor can act on.
fn storage_code(error: &rusqlite::Error) -> ErrorCode {
    use rusqlite::ErrorCode as Sqlite;
    match error {
        rusqlite::Error::SqliteFailure(e, _) => match e.code {
            Sqlite::DiskFull => ErrorCode::StorageFull,
            Sqlite::ReadOnly => ErrorCode::StorageReadOnly,
            Sqlite::DatabaseBusy | Sqlite::DatabaseLocked => ErrorCode::StorageBusy,
            _ => ErrorCode::Internal,
        },
        _ => ErrorCode::Internal,
    }
}

fn storage_message(error: &rusqlite::Error) -> &'static str {
    match storage_code(error) {
        ErrorCode::StorageFull => {
            "Le disque est plein : rien n'a été enregistré. Libérez de la place, puis \
             recommencez."
        }
        ErrorCode::StorageReadOnly => {
            "La base de données est en lecture seule : rien n'a été enregistré. Vérifiez les \
             droits sur le fichier et le disque."
        }
        ErrorCode::StorageBusy => {
            "La base de données est occupée par un autre programme : rien n'a été enregistré. \
             Réessayez dans un instant."
        }
        _ => "Erreur interne : l'opération n'a pas été faite.",
    }
}

/// Why a file could not be written, in French (the system's own text is English).
fn io_reason(error: &std::io::Error) -> &'static str {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::PermissionDenied => "accès refusé",
        ErrorKind::NotFound => "le répertoire n'existe pas",
        ErrorKind::StorageFull => "le disque est plein",
        ErrorKind::ReadOnlyFilesystem => "le disque est en lecture seule",
        ErrorKind::IsADirectory => "c'est un répertoire",
        ErrorKind::AlreadyExists => "un fichier de ce nom existe déjà",
        ErrorKind::NotADirectory => "le chemin ne mène pas à un répertoire",
        _ => "erreur du système de fichiers",
    }
}

impl From<Error> for ApiError {
    fn from(err: Error) -> Self {
        err.to_api()
    }
}

impl Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_api().serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A real failure of SQLite's, turned into the core's error.
    fn failure(setup: &str, conn: &rusqlite::Connection) -> Error {
        conn.execute_batch(setup).unwrap();
        Error::from(
            conn.execute("INSERT INTO t VALUES (randomblob(100000))", [])
                .unwrap_err(),
        )
    }

    #[test]
    fn a_full_disk_a_read_only_store_and_a_busy_one_each_say_so_in_french() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.sqlite3");
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE t (x BLOB);").unwrap();

        let full = failure("PRAGMA max_page_count = 2;", &conn);
        assert_eq!(full.code(), ErrorCode::StorageFull);
        assert!(
            full.to_string().starts_with("Le disque est plein"),
            "{full}"
        );

        let read_only = failure(
            "PRAGMA max_page_count = 1000000; PRAGMA query_only = 1;",
            &conn,
        );
        assert_eq!(read_only.code(), ErrorCode::StorageReadOnly);
        assert!(
            read_only.to_string().contains("lecture seule"),
            "{read_only}"
        );

        conn.execute_batch("PRAGMA query_only = 0;").unwrap();
        let other = rusqlite::Connection::open(&path).unwrap();
        other.execute_batch("BEGIN EXCLUSIVE;").unwrap();
        conn.busy_timeout(std::time::Duration::ZERO).unwrap();
        let busy = failure("", &conn);
        assert_eq!(busy.code(), ErrorCode::StorageBusy);
        assert!(busy.to_string().contains("occupée"), "{busy}");

        let internal = Error::from(rusqlite::Error::QueryReturnedNoRows);
        assert_eq!(internal.code(), ErrorCode::Internal);
        assert_eq!(
            internal.to_string(),
            "Erreur interne : l'opération n'a pas été faite."
        );
    }

    #[test]
    fn invalid_input_serialises_with_its_fields() {
        let err = Error::field("holders.0.last_name", "Le nom est obligatoire.");
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(json["code"], "invalid_input");
        assert_eq!(json["message"], "Le formulaire contient des erreurs.");
        assert_eq!(
            json["fields"]["holders.0.last_name"],
            "Le nom est obligatoire."
        );
    }

    #[test]
    fn a_file_not_written_says_where_and_why_in_french() {
        let err = Error::Unwritable {
            path: PathBuf::from("/media/cle/fiche.pdf"),
            source: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        };
        let api = err.to_api();
        assert_eq!(api.code, ErrorCode::Unwritable);
        assert_eq!(
            api.message,
            "Le fichier /media/cle/fiche.pdf n'a pas pu être enregistré : accès refusé."
        );
    }

    #[test]
    fn internal_errors_hide_their_detail() {
        let err = Error::Internal("disk on fire at /secret/path".into());
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(json["code"], "internal");
        assert!(!json["message"].as_str().unwrap().contains("/secret"));
        assert!(
            json.get("fields").is_none(),
            "no fields key when there are none"
        );
    }
}
