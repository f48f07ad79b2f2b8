//! Where a laptop keeps its head-office token: the operating system's credential store, or,
//! on a machine with none, the store itself once a passphrase's key encrypts it (so that a
//! copied database file gives no access to the head office either way). Tests use the
//! in-memory keystore.

use std::collections::HashMap;
use std::sync::Mutex;

use uuid::Uuid;

use crate::error::{Error, Result};

pub trait Keystore: Send + Sync {
    fn get(&self, device: Uuid) -> Result<Option<String>>;
    fn set(&self, device: Uuid, token: &str) -> Result<()>;
    fn delete(&self, device: Uuid) -> Result<()>;
}

#[cfg(feature = "keyring")]
const SERVICE: &str = "fr.initiative-france.permanence";

/// The operating system's credential store (Secret Service on Linux, the Credential Manager on
/// Windows, the Keychain on macOS; see `credentials`).
#[cfg(feature = "keyring")]
pub struct OsKeyring;

#[cfg(feature = "keyring")]
impl Keystore for OsKeyring {
    fn get(&self, device: Uuid) -> Result<Option<String>> {
        let entry = keyring::Entry::new(SERVICE, &device.to_string()).map_err(keyring_error)?;
        match entry.get_password() {
            Ok(token) => Ok(Some(token)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keyring_error(e)),
        }
    }

    fn set(&self, device: Uuid, token: &str) -> Result<()> {
        keyring::Entry::new(SERVICE, &device.to_string())
            .and_then(|e| e.set_password(token))
            .map_err(keyring_error)
    }

    fn delete(&self, device: Uuid) -> Result<()> {
        match keyring::Entry::new(SERVICE, &device.to_string()).and_then(|e| e.delete_credential())
        {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keyring_error(e)),
        }
    }
}

#[cfg(feature = "keyring")]
fn keyring_error(e: keyring::Error) -> Error {
    Error::Internal(format!("keyring: {e}"))
}

/// The token kept in the store, encrypted with a passphrase's key (`credentials`): on a
/// machine with no credential store.
pub struct StoreKeystore(pub std::sync::Arc<Mutex<crate::store::Store>>);

impl StoreKeystore {
    fn store(&self) -> Result<std::sync::MutexGuard<'_, crate::store::Store>> {
        self.0
            .lock()
            .map_err(|_| Error::Internal("store lock".into()))
    }
}

impl Keystore for StoreKeystore {
    fn get(&self, device: Uuid) -> Result<Option<String>> {
        let store = self.store()?;
        if store.device_id()? != device {
            return Ok(None);
        }
        store.kept_token()
    }

    fn set(&self, device: Uuid, token: &str) -> Result<()> {
        let store = self.store()?;
        if store.device_id()? != device {
            return Err(Error::Internal("a token for another device".into()));
        }
        store.keep_token(token)
    }

    fn delete(&self, _device: Uuid) -> Result<()> {
        self.store()?.forget_token()
    }
}

/// A keystore that forgets everything with the process.
#[derive(Default)]
pub struct MemoryKeystore(Mutex<HashMap<Uuid, String>>);

impl Keystore for MemoryKeystore {
    fn get(&self, device: Uuid) -> Result<Option<String>> {
        Ok(self
            .0
            .lock()
            .map_err(|_| Error::Internal("keystore lock".into()))?
            .get(&device)
            .cloned())
    }

    fn set(&self, device: Uuid, token: &str) -> Result<()> {
        self.0
            .lock()
            .map_err(|_| Error::Internal("keystore lock".into()))?
            .insert(device, token.to_owned());
        Ok(())
    }

    fn delete(&self, device: Uuid) -> Result<()> {
        self.0
            .lock()
            .map_err(|_| Error::Internal("keystore lock".into()))?
            .remove(&device);
        Ok(())
    }
}

/// The operating system's keyring when it works; otherwise memory, so that a machine without
/// a keyring service can still sync (the token must then be entered again after a restart).
#[cfg(feature = "keyring")]
pub struct FallbackKeystore {
    os: OsKeyring,
    memory: MemoryKeystore,
}

#[cfg(feature = "keyring")]
impl Default for FallbackKeystore {
    fn default() -> Self {
        FallbackKeystore {
            os: OsKeyring,
            memory: MemoryKeystore::default(),
        }
    }
}

#[cfg(feature = "keyring")]
impl Keystore for FallbackKeystore {
    fn get(&self, device: Uuid) -> Result<Option<String>> {
        match self.memory.get(device)? {
            Some(token) => Ok(Some(token)),
            None => Ok(self.os.get(device).unwrap_or(None)),
        }
    }

    fn set(&self, device: Uuid, token: &str) -> Result<()> {
        if let Err(e) = self.os.set(device, token) {
            tracing::warn!(error = %e, "no keyring: the token is kept in memory only");
            self.memory.set(device, token)?;
        }
        Ok(())
    }

    fn delete(&self, device: Uuid) -> Result<()> {
        self.memory.delete(device)?;
        self.os.delete(device)
    }
}
