//! Where the laptop's secrets are kept: the store's key and the head office's token.
//!
//! - Where the operating system has a credential store (Secret Service on Linux: GNOME
//!   Keyring, KWallet; the Credential Manager on Windows; the Keychain on macOS), the store's
//!   key is 256 random bits kept there, and so is the device's token. Both outlive a reboot.
//! - Where it has none (a bare Linux session: no D-Bus, no Secret Service), the advisor
//!   chooses a passphrase at first start; the key is derived from it with Argon2id and a
//!   random salt, never written, and the passphrase is asked at each start. The token is then
//!   kept in the store itself, which that key encrypts.
//!
//! Invariants: what the key comes from is written beside the store, in `<store>-key.json`
//! (the store's name in the credential store, or the passphrase's salt and cost: nothing
//! secret), before the store is encrypted with it, so that no crash leaves a store whose key
//! cannot be found again. The kernel's keyutils (lost at reboot) is never used.

use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Params, Version};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;
use zeroize::Zeroize;

use crate::store::Store;
use crate::{ApiError, Error, ErrorCode, Result};
use permanence_store::cipher::StoreKey;

/// The service the secrets are kept under in the credential store.
pub const SERVICE: &str = "fr.initiative-france.permanence";

/// The shortest passphrase accepted, in characters.
pub const PASSPHRASE_MIN_CHARS: usize = 8;

/// A store of named secrets: the operating system's, or memory in tests.
pub trait Credentials: Send + Sync {
    /// The secret kept under `name`; `Ok(None)` when there is none. An error means the
    /// credential store does not work here (none on this machine, locked, refused).
    fn get(&self, name: &str) -> std::result::Result<Option<String>, String>;
    fn set(&self, name: &str, secret: &str) -> std::result::Result<(), String>;
    fn delete(&self, name: &str) -> std::result::Result<(), String>;
}

/// The operating system's credential store, through the `keyring` crate.
pub struct OsCredentials;

impl Credentials for OsCredentials {
    fn get(&self, name: &str) -> std::result::Result<Option<String>, String> {
        let entry = keyring::Entry::new(SERVICE, name).map_err(|e| e.to_string())?;
        match entry.get_password() {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(e.to_string()),
        }
    }

    fn set(&self, name: &str, secret: &str) -> std::result::Result<(), String> {
        keyring::Entry::new(SERVICE, name)
            .and_then(|e| e.set_password(secret))
            .map_err(|e| e.to_string())
    }

    fn delete(&self, name: &str) -> std::result::Result<(), String> {
        match keyring::Entry::new(SERVICE, name).and_then(|e| e.delete_credential()) {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(e.to_string()),
        }
    }
}

/// No credential store at all: every call fails, as on a bare Linux session.
pub struct NoCredentials;

impl Credentials for NoCredentials {
    fn get(&self, _: &str) -> std::result::Result<Option<String>, String> {
        Err("aucun trousseau".into())
    }
    fn set(&self, _: &str, _: &str) -> std::result::Result<(), String> {
        Err("aucun trousseau".into())
    }
    fn delete(&self, _: &str) -> std::result::Result<(), String> {
        Err("aucun trousseau".into())
    }
}

/// A credential store in memory, for tests.
#[derive(Default)]
pub struct MemoryCredentials(std::sync::Mutex<std::collections::HashMap<String, String>>);

impl Credentials for MemoryCredentials {
    fn get(&self, name: &str) -> std::result::Result<Option<String>, String> {
        let map = self.0.lock().map_err(|_| "poisoned".to_owned())?;
        Ok(map.get(name).cloned())
    }
    fn set(&self, name: &str, secret: &str) -> std::result::Result<(), String> {
        let mut map = self.0.lock().map_err(|_| "poisoned".to_owned())?;
        map.insert(name.to_owned(), secret.to_owned());
        Ok(())
    }
    fn delete(&self, name: &str) -> std::result::Result<(), String> {
        let mut map = self.0.lock().map_err(|_| "poisoned".to_owned())?;
        map.remove(name);
        Ok(())
    }
}

/// What the store's key comes from, as written in `<store>-key.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "key", rename_all = "snake_case", deny_unknown_fields)]
enum KeySource {
    /// The key is in the credential store, under `store-key-<store>`.
    CredentialStore { store: Uuid },
    /// The key is Argon2id(passphrase, salt) with these costs. `check` tells a mistyped
    /// passphrase before its key touches the store (a store still plain after a crash would
    /// otherwise be encrypted with it): a hash of the key, which helps no one guess the
    /// passphrase faster than trying it on the store itself.
    Passphrase {
        salt: String,
        memory_kib: u32,
        iterations: u32,
        parallelism: u32,
        check: String,
    },
}

/// Where the device's token goes once the store is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPlace {
    /// The credential store, under the device's id.
    CredentialStore,
    /// The encrypted store itself (passphrase: no credential store on this machine).
    Store,
    /// A store left plain by `PERMANENCE_UNENCRYPTED_STORE` (debug builds, tests): the
    /// credential store when it works, else the caller's fallback, as before encryption.
    Unencrypted,
}

/// The store opened, and where its token goes.
pub struct Opened {
    pub store: Store,
    pub tokens: TokenPlace,
}

/// The outcome of opening: the store, or a passphrase to ask for.
pub enum Opening {
    Opened(Box<Opened>),
    /// No credential store: the advisor's passphrase opens the store. `choosing`: none was
    /// chosen yet (first start), so it is asked twice and must be long enough.
    NeedsPassphrase {
        choosing: bool,
    },
}

/// Where the app stands with its store, for the screens: open, waiting for its passphrase
/// (the lock screen asks for it), or refused with why.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum StoreAccess {
    Open,
    /// The passphrase is asked for; `choosing`: none was chosen yet (first start).
    Passphrase {
        choosing: bool,
    },
    /// The store could not be opened (a newer version's, the credential store locked…).
    Refused {
        error: ApiError,
    },
}

impl StoreAccess {
    /// What a command answers while the store is not open.
    pub fn error(&self) -> ApiError {
        match self {
            StoreAccess::Refused { error } => error.clone(),
            StoreAccess::Passphrase { .. } => ApiError::new(
                ErrorCode::KeyUnavailable,
                "La base est verrouillée : donnez sa phrase de passe.",
            ),
            StoreAccess::Open => ApiError::new(ErrorCode::Internal, "Erreur interne."),
        }
    }
}

/// The file beside the store that says where its key comes from.
pub fn key_file(store: &Path) -> PathBuf {
    let mut name = store.as_os_str().to_owned();
    name.push("-key.json");
    name.into()
}

/// Whether a debug build was told to leave the store plain (`PERMANENCE_UNENCRYPTED_STORE=1`):
/// tests that read the store with plain SQLite. A release build never is.
pub fn unencrypted_by_request() -> bool {
    cfg!(debug_assertions) && std::env::var("PERMANENCE_UNENCRYPTED_STORE").is_ok_and(|v| v == "1")
}

/// Opens the laptop store at `path` with its key: from the credential store, or from
/// `passphrase` where there is none (answers `NeedsPassphrase` while it is not given). At
/// the first start the key is made, and a plain store (made before encryption) converted.
pub fn open_store(
    path: &Path,
    credentials: &dyn Credentials,
    passphrase: Option<&str>,
) -> Result<Opening> {
    if unencrypted_by_request() {
        return Ok(Opening::Opened(Box::new(Opened {
            store: Store::open(path)?,
            tokens: TokenPlace::Unencrypted,
        })));
    }
    let info = key_file(path);
    let source = match read_source(&info)? {
        Some(source) => source,
        None => {
            if !permanence_store::db::needs_encrypting(path) && file_len(path) > 0 {
                return Err(Error::KeyUnavailable(format!(
                    "La base {} est chiffrée mais le fichier qui dit où est sa clé ({}) \
                     manque : remettez-le à côté de la base.",
                    path.display(),
                    info.display()
                )));
            }
            match first_key(credentials) {
                Some((store, key)) => {
                    write_source(&info, &KeySource::CredentialStore { store })?;
                    return opened(path, &key, TokenPlace::CredentialStore);
                }
                None => {
                    let Some(passphrase) = passphrase else {
                        return Ok(Opening::NeedsPassphrase { choosing: true });
                    };
                    check_new_passphrase(passphrase)?;
                    let mut salt = [0u8; 16];
                    rand::rng().fill_bytes(&mut salt);
                    let mut source = KeySource::Passphrase {
                        salt: salt.iter().map(|b| format!("{b:02x}")).collect(),
                        memory_kib: 64 * 1024,
                        iterations: 3,
                        parallelism: 1,
                        check: String::new(),
                    };
                    let key = derive(&source, passphrase)?;
                    if let KeySource::Passphrase { check, .. } = &mut source {
                        *check = key_check(&key);
                    }
                    write_source(&info, &source)?;
                    return opened(path, &key, TokenPlace::Store);
                }
            }
        }
    };
    match &source {
        KeySource::CredentialStore { store } => {
            let name = key_name(*store);
            let hex = credentials.get(&name).map_err(|e| {
                Error::KeyUnavailable(format!(
                    "Le trousseau du système ne répond pas ({e}) : ouvrez votre session \
                     habituelle ou déverrouillez le trousseau, puis relancez Permanence."
                ))
            })?;
            let key = hex.as_deref().and_then(StoreKey::from_hex).ok_or_else(|| {
                Error::KeyUnavailable(
                    "La clé de la base n'est pas dans le trousseau de cette session : ouvrez \
                     la session où Permanence a été utilisé jusqu'ici."
                        .into(),
                )
            })?;
            opened(path, &key, TokenPlace::CredentialStore)
        }
        KeySource::Passphrase { check, .. } => match passphrase {
            None => Ok(Opening::NeedsPassphrase { choosing: false }),
            Some(passphrase) => {
                let key = derive(&source, passphrase)?;
                if key_check(&key) != *check {
                    return Err(Error::WrongKey {
                        path: path.to_owned(),
                    });
                }
                opened(path, &key, TokenPlace::Store)
            }
        },
    }
}

fn opened(path: &Path, key: &StoreKey, tokens: TokenPlace) -> Result<Opening> {
    Ok(Opening::Opened(Box::new(Opened {
        store: Store::open_encrypted(path, key)?,
        tokens,
    })))
}

fn key_name(store: Uuid) -> String {
    format!("store-key-{store}")
}

/// A new key kept in the credential store, read back to be sure it is there; `None` when the
/// credential store does not work on this machine.
fn first_key(credentials: &dyn Credentials) -> Option<(Uuid, StoreKey)> {
    let store = Uuid::now_v7();
    let key = StoreKey::generate();
    let name = key_name(store);
    if let Err(e) = credentials.set(&name, &key.to_hex()) {
        tracing::warn!(error = %e, "no credential store: the store's key comes from a passphrase");
        return None;
    }
    match credentials.get(&name) {
        Ok(Some(hex)) if StoreKey::from_hex(&hex).as_ref() == Some(&key) => Some((store, key)),
        other => {
            tracing::warn!(?other, "the credential store did not give the key back");
            let _ = credentials.delete(&name);
            None
        }
    }
}

/// A passphrase chosen at first start: long enough, and not only spaces.
pub fn check_new_passphrase(passphrase: &str) -> Result<()> {
    if passphrase.trim().chars().count() < PASSPHRASE_MIN_CHARS {
        return Err(Error::field(
            "passphrase",
            format!("La phrase de passe doit compter au moins {PASSPHRASE_MIN_CHARS} caractères."),
        ));
    }
    Ok(())
}

/// The key Argon2id derives from the passphrase with the source's salt and costs.
fn derive(source: &KeySource, passphrase: &str) -> Result<StoreKey> {
    let KeySource::Passphrase {
        salt,
        memory_kib,
        iterations,
        parallelism,
        ..
    } = source
    else {
        return Err(Error::Internal("not a passphrase's key".into()));
    };
    let salt = salt_bytes(salt).ok_or_else(|| unreadable_source("sel"))?;
    let params = Params::new(*memory_kib, *iterations, *parallelism, Some(32))
        .map_err(|_| unreadable_source("coûts"))?;
    let mut out = [0u8; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), &salt, &mut out)
        .map_err(|e| Error::Internal(format!("argon2: {e}")))?;
    let key = StoreKey::from_bytes(out);
    out.zeroize();
    Ok(key)
}

/// The key's check: the first 16 bytes of BLAKE2b-512 over a label and the key, in hex.
fn key_check(key: &StoreKey) -> String {
    use blake2::{Blake2b512, Digest};
    let mut hash = Blake2b512::new();
    hash.update(b"permanence store key check\0");
    hash.update(key.as_bytes());
    hash.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The 16 bytes of a salt written as 32 hexadecimal digits.
fn salt_bytes(hex: &str) -> Option<[u8; 16]> {
    if hex.len() != 32 || !hex.is_ascii() {
        return None;
    }
    let mut salt = [0u8; 16];
    for (i, byte) in salt.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(salt)
}

fn unreadable_source(what: &str) -> Error {
    Error::KeyUnavailable(format!(
        "Le fichier qui dit d'où vient la clé de la base est illisible ({what})."
    ))
}

fn file_len(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

fn read_source(info: &Path) -> Result<Option<KeySource>> {
    let text = match std::fs::read_to_string(info) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Error::KeyUnavailable(format!(
                "Le fichier {} ne se lit pas : {e}.",
                info.display()
            )))
        }
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|_| unreadable_source(&info.display().to_string()))
}

/// Writes the key's source whole or not at all (a new file renamed over), readable by its
/// owner only, on disk before the store is encrypted.
fn write_source(info: &Path, source: &KeySource) -> Result<()> {
    use std::io::Write;
    let text = serde_json::to_string_pretty(source).map_err(|e| Error::Internal(e.to_string()))?;
    let mut temp = info.as_os_str().to_owned();
    temp.push(".tmp");
    let temp = PathBuf::from(temp);
    let unwritable = |source| Error::Unwritable {
        path: info.to_owned(),
        source,
    };
    if let Some(dir) = info.parent().filter(|d| !d.as_os_str().is_empty()) {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir).map_err(unwritable)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&temp).map_err(unwritable)?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(unwritable)?;
    std::fs::rename(&temp, info).map_err(unwritable)?;
    #[cfg(unix)]
    if let Some(dir) = info.parent() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(unwritable)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passphrase_gives_the_same_key_with_the_same_salt_and_another_with_another() {
        let source = |salt: &str| KeySource::Passphrase {
            salt: salt.into(),
            memory_kib: 1024,
            iterations: 1,
            parallelism: 1,
            check: String::new(),
        };
        let a = source("00112233445566778899aabbccddeeff");
        let b = source("ffeeddccbbaa99887766554433221100");
        let key = derive(&a, "rivière de Fruges").unwrap();
        assert_eq!(derive(&a, "rivière de Fruges").unwrap(), key);
        assert_ne!(derive(&a, "riviere de Fruges").unwrap(), key);
        assert_ne!(derive(&b, "rivière de Fruges").unwrap(), key);
    }

    #[test]
    fn a_short_passphrase_is_refused_in_french() {
        let err = check_new_passphrase("  court  ").unwrap_err();
        let fields = err.to_api().fields.unwrap();
        assert!(
            fields["passphrase"].contains("au moins 8 caractères"),
            "{fields:?}"
        );
        assert!(check_new_passphrase("une phrase assez longue").is_ok());
    }

    #[test]
    fn the_key_file_says_nothing_secret() {
        let text =
            serde_json::to_string(&KeySource::CredentialStore { store: Uuid::nil() }).unwrap();
        assert_eq!(
            text,
            r#"{"key":"credential_store","store":"00000000-0000-0000-0000-000000000000"}"#
        );
    }

    #[test]
    fn a_bad_salt_is_an_unreadable_key_file_not_a_panic() {
        let source = KeySource::Passphrase {
            salt: "zz".into(),
            memory_kib: 1024,
            iterations: 1,
            parallelism: 1,
            check: String::new(),
        };
        let err = derive(&source, "une phrase assez longue").unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::KeyUnavailable);
    }
}
