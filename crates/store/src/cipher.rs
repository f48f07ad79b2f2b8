//! The laptop store's key: 256 random bits, given to SQLCipher raw (`PRAGMA key =
//! "x'…'"`), so that opening the store derives nothing (a passphrase, where one is used, is
//! stretched once by the caller, never at each open).
//!
//! Invariants: a key never appears in a `Debug` output or a log, and its bytes are zeroed
//! when it is dropped; the only text made of it is the SQL that hands it to SQLCipher.

use std::fmt;

use rand::RngCore;
use rusqlite::Connection;
use zeroize::Zeroize;

use permanence_domain::error::{Error, Result};

/// The 32 bytes that encrypt a store.
#[derive(Clone, PartialEq, Eq)]
pub struct StoreKey([u8; 32]);

impl StoreKey {
    /// A new random key (the operating system's random source).
    pub fn generate() -> StoreKey {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        StoreKey(bytes)
    }

    pub fn from_bytes(bytes: [u8; 32]) -> StoreKey {
        StoreKey(bytes)
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The key as 64 lowercase hexadecimal digits, as a credential store keeps it.
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// A key kept as 64 hexadecimal digits; `None` for anything else.
    pub fn from_hex(text: &str) -> Option<StoreKey> {
        let text = text.trim().as_bytes();
        if text.len() != 64 {
            return None;
        }
        let mut bytes = [0u8; 32];
        for (i, pair) in text.chunks(2).enumerate() {
            let digits = std::str::from_utf8(pair).ok()?;
            bytes[i] = u8::from_str_radix(digits, 16).ok()?;
        }
        Some(StoreKey(bytes))
    }

    /// SQLCipher's raw-key literal: `"x'<64 hex>'"` (double-quoted, as its documentation
    /// writes it), which skips the key derivation.
    pub(crate) fn literal(&self) -> String {
        format!("\"x'{}'\"", self.to_hex())
    }

    /// Keys `conn`: must come before anything reads the file.
    pub(crate) fn apply(&self, conn: &Connection) -> Result<()> {
        // A wrong key is told by the error it gives (`Error::WrongKey`), not by SQLCipher's
        // own lines on standard error. After the key: keying first sets SQLCipher's default
        // logging (warnings to standard error), once per process.
        conn.execute_batch(&format!(
            "PRAGMA key = {}; PRAGMA cipher_log_level = NONE;",
            self.literal()
        ))
        .map_err(|e| Error::Internal(format!("cannot key the store: {e}")))?;
        // Only a SQLCipher build answers this: without it the key would be silently ignored
        // and the store written in the clear.
        let version: Option<String> = conn
            .query_row("PRAGMA cipher_version", [], |r| r.get(0))
            .ok();
        if version.is_none() {
            return Err(Error::Internal(
                "this build of SQLite cannot encrypt (no SQLCipher)".into(),
            ));
        }
        Ok(())
    }
}

impl fmt::Debug for StoreKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StoreKey(…)")
    }
}

impl Drop for StoreKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_goes_to_hex_and_back() {
        let key = StoreKey::generate();
        let hex = key.to_hex();
        assert_eq!(hex.len(), 64);
        assert_eq!(StoreKey::from_hex(&hex), Some(key));
    }

    #[test]
    fn text_that_is_not_64_hex_digits_is_no_key() {
        assert_eq!(StoreKey::from_hex(""), None);
        assert_eq!(StoreKey::from_hex(&"g".repeat(64)), None);
        assert_eq!(StoreKey::from_hex(&"a".repeat(63)), None);
        assert_eq!(StoreKey::from_hex("é".repeat(32).as_str()), None);
    }

    #[test]
    fn a_key_is_not_shown_by_debug() {
        let key = StoreKey::from_bytes([0xab; 32]);
        assert!(!format!("{key:?}").contains("ab"));
    }

    #[test]
    fn two_new_keys_differ() {
        assert_ne!(StoreKey::generate(), StoreKey::generate());
    }
}
