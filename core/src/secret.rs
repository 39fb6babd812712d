//! Key material as types: no Clone, no Serialize, zeroed on drop, `Debug` prints `***`.
//! The data key opens the SQLCipher journal; a recovery key is the printable code that can unwrap it.

use std::fmt;

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// Fills `buf` from the operating system's random source.
pub(crate) fn random_bytes(buf: &mut [u8]) -> Result<()> {
    getrandom::getrandom(buf).map_err(|e| Error::Crypto(format!("the system random source failed: {e}")))
}

/// The random 256-bit key the journal database is encrypted with. Never derived from the passphrase.
pub struct DataKey(Zeroizing<[u8; 32]>);

impl DataKey {
    pub(crate) fn generate() -> Result<Self> {
        let mut key = Zeroizing::new([0u8; 32]);
        random_bytes(key.as_mut())?;
        Ok(DataKey(key))
    }

    pub(crate) fn from_slice(bytes: &[u8]) -> Result<Self> {
        let mut key = Zeroizing::new([0u8; 32]);
        if bytes.len() != key.len() {
            return Err(Error::Crypto("an unwrapped data key has the wrong length".into()));
        }
        key.copy_from_slice(bytes);
        Ok(DataKey(key))
    }

    pub(crate) fn expose(&self) -> &[u8; 32] {
        &self.0
    }

    /// The statement that keys a SQLCipher connection with this raw key (no SQLCipher KDF runs on it).
    /// The key as SQLCipher's raw-key literal `x'…'`, for `ATTACH … KEY ?`.
    pub(crate) fn raw_key_literal(&self) -> Zeroizing<String> {
        let mut literal = Zeroizing::new(String::with_capacity(67));
        literal.push_str("x'");
        for byte in self.0.iter() {
            literal.push(char::from(HEX[usize::from(byte >> 4)]));
            literal.push(char::from(HEX[usize::from(byte & 0xf)]));
        }
        literal.push('\'');
        literal
    }

    pub(crate) fn pragma_key(&self) -> Zeroizing<String> {
        let mut hex = Zeroizing::new(String::with_capacity(64));
        for byte in self.0.iter() {
            hex.push(char::from(HEX[usize::from(byte >> 4)]));
            hex.push(char::from(HEX[usize::from(byte & 0xf)]));
        }
        let mut statement = Zeroizing::new(String::with_capacity(90));
        statement.push_str("PRAGMA key = \"x'");
        statement.push_str(&hex);
        statement.push_str("'\";");
        statement
    }
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataKey(***)")
    }
}

/// Crockford's base32 alphabet: no I, L, O or U, so a handwritten code is hard to misread.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const RECOVERY_SECRET_LEN: usize = 16;
const RECOVERY_CHECK_LEN: usize = 4;
const RECOVERY_CHARS: usize = 32;

/// The printable recovery key: 128 random bits and a 32-bit checksum, shown as 8 groups of 4 characters.
pub struct RecoveryKey(Zeroizing<[u8; RECOVERY_SECRET_LEN]>);

impl RecoveryKey {
    pub(crate) fn generate() -> Result<Self> {
        let mut secret = Zeroizing::new([0u8; RECOVERY_SECRET_LEN]);
        random_bytes(secret.as_mut())?;
        Ok(RecoveryKey(secret))
    }

    pub(crate) fn secret(&self) -> &[u8] {
        self.0.as_ref()
    }

    fn checksum(secret: &[u8]) -> [u8; RECOVERY_CHECK_LEN] {
        let digest = Sha256::new().chain_update(b"redress recovery key v1").chain_update(secret).finalize();
        let mut out = [0u8; RECOVERY_CHECK_LEN];
        out.copy_from_slice(&digest[..RECOVERY_CHECK_LEN]);
        out
    }

    /// The code to write down, e.g. `7K3M-…` (8 groups of 4). Shown once at creation.
    pub fn display(&self) -> Zeroizing<String> {
        let mut bytes = Zeroizing::new([0u8; RECOVERY_SECRET_LEN + RECOVERY_CHECK_LEN]);
        bytes[..RECOVERY_SECRET_LEN].copy_from_slice(self.0.as_ref());
        bytes[RECOVERY_SECRET_LEN..].copy_from_slice(&Self::checksum(self.0.as_ref()));
        let mut out = Zeroizing::new(String::with_capacity(40));
        let mut acc: u64 = 0;
        let mut bits = 0u32;
        let mut written = 0usize;
        for byte in bytes.iter() {
            acc = (acc << 8) | u64::from(*byte);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                let index = ((acc >> bits) & 31) as usize;
                if written > 0 && written.is_multiple_of(4) {
                    out.push('-');
                }
                out.push(char::from(CROCKFORD[index]));
                written += 1;
            }
        }
        out
    }

    /// Reads a typed code: case, spaces and dashes are ignored, O is read as 0 and I/L as 1; a typo is caught by
    /// the checksum before any key derivation runs.
    pub fn parse(input: &str) -> Result<Self> {
        let mut values = Zeroizing::new(Vec::with_capacity(RECOVERY_CHARS));
        for c in input.chars() {
            let c = c.to_ascii_uppercase();
            let c = match c {
                '-' | ' ' | '\t' | '\n' | '\r' => continue,
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            };
            match CROCKFORD.iter().position(|a| char::from(*a) == c) {
                Some(v) => values.push(v as u8),
                None => return Err(Error::invalid(
                    "recovery key",
                    "may hold only the letters and digits printed on it (groups of 4 separated by dashes)",
                )),
            }
        }
        if values.len() != RECOVERY_CHARS {
            return Err(Error::invalid(
                "recovery key",
                format!("must be 32 characters (8 groups of 4); {} were given", values.len()),
            ));
        }
        let mut bytes = Zeroizing::new([0u8; RECOVERY_SECRET_LEN + RECOVERY_CHECK_LEN]);
        let mut acc: u64 = 0;
        let mut bits = 0u32;
        let mut n = 0usize;
        for v in values.iter() {
            acc = (acc << 5) | u64::from(*v);
            bits += 5;
            if bits >= 8 {
                bits -= 8;
                bytes[n] = ((acc >> bits) & 0xff) as u8;
                n += 1;
            }
        }
        let (secret, check) = bytes.split_at(RECOVERY_SECRET_LEN);
        if Self::checksum(secret) != check {
            return Err(Error::invalid(
                "recovery key",
                "has a typo: its checksum does not match; compare each group with what you wrote down",
            ));
        }
        let mut out = Zeroizing::new([0u8; RECOVERY_SECRET_LEN]);
        out.copy_from_slice(secret);
        Ok(RecoveryKey(out))
    }
}

impl fmt::Debug for RecoveryKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryKey(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_key_round_trips_and_catches_a_typo() {
        let key = RecoveryKey::generate().unwrap();
        let shown = key.display();
        assert_eq!(shown.len(), 32 + 7, "8 groups of 4 with 7 dashes");
        let parsed = RecoveryKey::parse(&shown.to_lowercase()).unwrap();
        assert_eq!(parsed.secret(), key.secret());
        // Change one character: the checksum must catch it.
        let mut typo: Vec<char> = shown.chars().collect();
        typo[5] = if typo[5] == 'A' { 'B' } else { 'A' };
        let typo: String = typo.into_iter().collect();
        let err = RecoveryKey::parse(&typo).unwrap_err().to_string();
        assert!(err.contains("typo"), "a one-character typo must be reported as such: {err}");
    }

    #[test]
    fn debug_never_prints_key_material() {
        let key = DataKey::generate().unwrap();
        assert_eq!(format!("{key:?}"), "DataKey(***)");
        let rk = RecoveryKey::generate().unwrap();
        assert_eq!(format!("{rk:?}"), "RecoveryKey(***)");
    }

    #[test]
    fn pragma_key_is_a_raw_hex_key() {
        let key = DataKey::from_slice(&[0xAB; 32]).unwrap();
        let s = key.pragma_key();
        assert!(s.starts_with("PRAGMA key = \"x'ABAB"));
        assert!(s.ends_with("'\";"));
        assert_eq!(s.len(), "PRAGMA key = \"x'".len() + 64 + 3);
    }
}
