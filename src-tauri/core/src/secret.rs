//! Secrets: the passphrase, the 256-bit database key and the printable recovery key.
//! Each is zeroized on drop and prints nothing in `Debug`.
//!
//! The database key is PBKDF2-HMAC-SHA512 over the passphrase with the file's 16-byte
//! salt and 256,000 iterations: exactly SQLCipher 4's own derivation, so the file also
//! opens in the stock `sqlcipher` shell with the passphrase. Deriving it here lets the
//! keychain hold the derived key (opening then skips the slow derivation) and lets the
//! recovery key be that key written out for print.

use std::fmt;

use data_encoding::BASE32_NOPAD;
use sha2::{Digest, Sha256, Sha512};
use zeroize::{Zeroize, Zeroizing};

use crate::error::VaultError;

/// SQLCipher 4's default, and OWASP's floor for PBKDF2-HMAC-SHA512.
pub const KDF_ITERATIONS: u32 = 256_000;
pub const SALT_LEN: usize = 16;
pub const KEY_LEN: usize = 32;
pub const MIN_PASSPHRASE_CHARS: usize = 10;

/// A passphrase as typed. Zeroized on drop.
#[derive(Clone)]
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    pub fn new(s: impl Into<String>) -> Self {
        Passphrase(Zeroizing::new(s.into()))
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
    /// A new passphrase must have at least [`MIN_PASSPHRASE_CHARS`] characters.
    pub fn check_strength(&self) -> Result<(), VaultError> {
        if self.0.trim().chars().count() < MIN_PASSPHRASE_CHARS {
            return Err(VaultError::WeakPassphrase {
                min: MIN_PASSPHRASE_CHARS,
            });
        }
        Ok(())
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(<hidden>)")
    }
}

/// The 256-bit key SQLCipher encrypts the file with. Zeroized on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct RawKey([u8; KEY_LEN]);

impl Drop for RawKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for RawKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RawKey(<hidden>)")
    }
}

impl RawKey {
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let arr: [u8; KEY_LEN] = bytes.try_into().ok()?;
        Some(RawKey(arr))
    }
    pub fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }
    /// SQLCipher 4's derivation of a key from a passphrase and the file's salt.
    pub fn derive(passphrase: &Passphrase, salt: &[u8; SALT_LEN]) -> Self {
        let mut key = [0u8; KEY_LEN];
        pbkdf2::pbkdf2_hmac::<Sha512>(
            passphrase.expose().as_bytes(),
            salt,
            KDF_ITERATIONS,
            &mut key,
        );
        let k = RawKey(key);
        key.zeroize();
        k
    }
    /// The `PRAGMA key` (or `rekey`) statement for this key, with the salt when creating
    /// a file. Keying also pins the cipher settings to SQLCipher 4's
    /// (`cipher_compatibility = 4`: 4096-byte pages, HMAC-SHA512 per page), so a later
    /// SQLCipher with other defaults still opens every register written today.
    pub(crate) fn pragma(&self, verb: &str, salt: Option<&[u8; SALT_LEN]>) -> Zeroizing<String> {
        let mut hex = Zeroizing::new(hex::encode(self.0));
        if let Some(salt) = salt {
            hex.push_str(&hex::encode(salt));
        }
        let pin = if verb == "key" {
            " PRAGMA cipher_compatibility = 4;"
        } else {
            ""
        };
        Zeroizing::new(format!("PRAGMA {verb} = \"x'{}'\";{pin}", hex.as_str()))
    }
}

/// The printable form of the database key, shown once when a register is created.
/// Base32 (RFC 4648 alphabet, no padding) of the key plus a 2-byte checksum, in groups
/// of four: 55 characters that survive being read aloud or typed from paper.
pub struct RecoveryKey(RawKey);

impl fmt::Debug for RecoveryKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryKey(<hidden>)")
    }
}

impl RecoveryKey {
    pub(crate) fn from_key(key: &RawKey) -> Self {
        RecoveryKey(key.clone())
    }
    pub fn key(&self) -> &RawKey {
        &self.0
    }
    /// The key for print, e.g. `ABCD-EFGH-...`.
    pub fn display(&self) -> Zeroizing<String> {
        let mut bytes = Zeroizing::new(self.0.as_bytes().to_vec());
        bytes.extend_from_slice(&checksum(self.0.as_bytes()));
        let plain = Zeroizing::new(BASE32_NOPAD.encode(&bytes));
        let mut out = Zeroizing::new(String::with_capacity(plain.len() + plain.len() / 4));
        for (i, c) in plain.chars().enumerate() {
            if i > 0 && i % 4 == 0 {
                out.push('-');
            }
            out.push(c);
        }
        out
    }
    /// Parses what a person typed: case, spaces and dashes do not matter; 0/1/8 are read
    /// as O/I/B, the letters they are mistaken for.
    pub fn parse(typed: &str) -> Result<Self, VaultError> {
        let cleaned: Zeroizing<String> = Zeroizing::new(
            typed
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '-')
                .map(|c| match c.to_ascii_uppercase() {
                    '0' => 'O',
                    '1' => 'I',
                    '8' => 'B',
                    other => other,
                })
                .collect(),
        );
        if cleaned.len() != BASE32_NOPAD.encode_len(KEY_LEN + 2) {
            return Err(VaultError::BadRecoveryKey("it is too short or too long"));
        }
        let bytes = Zeroizing::new(BASE32_NOPAD.decode(cleaned.as_bytes()).map_err(|_| {
            VaultError::BadRecoveryKey("it has characters a recovery key never has")
        })?);
        let (key, sum) = bytes.split_at(KEY_LEN);
        if checksum(key) != sum {
            return Err(VaultError::BadRecoveryKey("a character is mistyped"));
        }
        Ok(RecoveryKey(
            RawKey::from_bytes(key).expect("length checked"),
        ))
    }
}

fn checksum(key: &[u8]) -> [u8; 2] {
    let d = Sha256::digest(key);
    [d[0], d[1]]
}

/// A 256-bit key derived from `secret` for one purpose named by `label`
/// (HMAC-SHA256(secret, label)): the journal's and the suppression list's keys.
pub(crate) fn derive_key(secret: &[u8], label: &[u8]) -> Zeroizing<[u8; KEY_LEN]> {
    use hmac::{Hmac, Mac};
    let mut m = Hmac::<sha2::Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    m.update(label);
    let mut k = Zeroizing::new([0u8; KEY_LEN]);
    k.copy_from_slice(&m.finalize().into_bytes());
    k
}

/// A fresh random salt for a new file.
pub(crate) fn new_salt() -> [u8; SALT_LEN] {
    let mut salt = [0u8; SALT_LEN];
    rand::fill(&mut salt);
    salt
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_print_nothing_in_debug() {
        let p = Passphrase::new("correct horse battery staple");
        let k = RawKey::derive(&p, &[7u8; SALT_LEN]);
        let r = RecoveryKey::from_key(&k);
        let printed = format!("{p:?} {k:?} {r:?} {p:#?}");
        assert!(!printed.contains("horse"));
        assert!(!printed.contains(&hex::encode(k.as_bytes())[..8]));
        assert!(!printed.contains(&r.display()[..9]));
    }

    #[test]
    fn derivation_is_sqlcipher4_pbkdf2_sha512() {
        // Known answer: PBKDF2-HMAC-SHA512("password", "salt", 1 iteration) starts 867f70cf.
        let mut out = [0u8; 4];
        pbkdf2::pbkdf2_hmac::<Sha512>(b"password", b"salt", 1, &mut out);
        assert_eq!(hex::encode(out), "867f70cf");
        assert_eq!(KDF_ITERATIONS, 256_000);
        let a = RawKey::derive(&Passphrase::new("a passphrase"), &[1; SALT_LEN]);
        let b = RawKey::derive(&Passphrase::new("a passphrase"), &[2; SALT_LEN]);
        assert_ne!(a, b, "the salt changes the key");
    }

    #[test]
    fn recovery_key_round_trips_and_catches_typos() {
        let key = RawKey::from_bytes(&[0xA5; KEY_LEN]).unwrap();
        let rk = RecoveryKey::from_key(&key);
        let shown = rk.display();
        assert_eq!(shown.len(), 55 + 13, "55 characters in groups of four");
        let typed = shown.to_lowercase().replace('-', " ");
        assert_eq!(RecoveryKey::parse(&typed).unwrap().key(), &key);
        // One character changed is caught by the checksum.
        let mut chars: Vec<char> = shown.chars().collect();
        chars[5] = if chars[5] == 'Q' { 'R' } else { 'Q' };
        let typo: String = chars.into_iter().collect();
        assert!(matches!(
            RecoveryKey::parse(&typo),
            Err(VaultError::BadRecoveryKey(_))
        ));
        assert!(RecoveryKey::parse("ABCD").is_err());
        assert!(RecoveryKey::parse("not a key!").is_err());
    }

    /// Golden vectors: the printed form of two fixed keys, computed independently
    /// (Python's `base64.b32encode` of the key and the first two bytes of its SHA-256).
    /// A change of alphabet, grouping or checksum fails here, where a round trip would
    /// pass and every recovery key printed so far would stop working.
    #[test]
    fn recovery_keys_print_and_parse_as_they_always_have() {
        let vectors: [([u8; KEY_LEN], &str); 2] = [
            (
                [0xA5; KEY_LEN],
                "UWS2-LJNF-UWS2-LJNF-UWS2-LJNF-UWS2-LJNF-UWS2-LJNF-UWS2-LJNF-UWS7-ZCY",
            ),
            (
                std::array::from_fn(|i| i as u8),
                "AAAQ-EAYE-AUDA-OCAJ-BIFQ-YDIO-B4IB-CEQT-CQKR-MFYY-DENB-WHA5-DYPW-GDI",
            ),
        ];
        for (bytes, printed) in vectors {
            let key = RawKey::from_bytes(&bytes).unwrap();
            assert_eq!(RecoveryKey::from_key(&key).display().as_str(), printed);
            assert_eq!(RecoveryKey::parse(printed).unwrap().key(), &key);
        }
        // As typed from paper: lower case, spaces, and 0/1/8 for O/I/B.
        let typed = "uws2 ljnf uws2 ljnf uws2 ljnf uws2 ljnf uws2 ljnf uws2 ljnf uws7 zcy";
        assert_eq!(
            RecoveryKey::parse(typed).unwrap().key().as_bytes(),
            &[0xA5; KEY_LEN]
        );
        let misread = "AAAQ-EAYE-AUDA-0CAJ-8IFQ-YDI0-B41B-CEQT-CQKR-MFYY-DENB-WHA5-DYPW-GD1";
        assert_eq!(
            RecoveryKey::parse(misread).unwrap().key().as_bytes(),
            &std::array::from_fn::<u8, KEY_LEN, _>(|i| i as u8)
        );
    }

    #[test]
    fn short_passphrases_are_refused() {
        assert!(Passphrase::new("short").check_strength().is_err());
        assert!(Passphrase::new("long enough pass").check_strength().is_ok());
    }
}
