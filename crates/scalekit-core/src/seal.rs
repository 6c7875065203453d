//! Sealed cookies: a value encrypted and authenticated with AES-256-GCM under a key derived for each seal by
//! HKDF-SHA256 from a password and a random salt, with a purpose label (a session cookie and a login-transaction
//! cookie can never be swapped: each opens only for its purpose) and an expiry inside the ciphertext.
//!
//! Format: `v1.{key id}.{base64url(salt ‖ nonce ‖ ciphertext ‖ tag)}`. The key id (the first 8 hex digits of the
//! password's SHA-256) says which password sealed it, so that several can open (rotation: the first seals, all
//! open). The associated data binds the version, the key id and the purpose.

use base64::Engine;
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use ring::hkdf::{Salt, HKDF_SHA256};
use ring::rand::{SecureRandom, SystemRandom};

use crate::config::Secret;
use crate::error::{Error, Result};

const VERSION: &str = "v1";
const SALT_LEN: usize = 16;
const TAG_LEN: usize = 16;
/// The shortest password accepted: 32 characters (256 bits if random; a pass phrase should be longer).
pub const MIN_PASSWORD_CHARS: usize = 32;

/// Why a sealed value did not open. None of these says more than that, on purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnsealError {
    /// Not a sealed value of this format or version.
    Malformed,
    /// Sealed with a password none of ours is.
    UnknownKey,
    /// Tampered with, or sealed for another purpose.
    Forged,
    /// Past its expiry.
    Expired,
}

impl UnsealError {
    pub fn reason(self) -> &'static str {
        match self {
            UnsealError::Malformed => "malformed",
            UnsealError::UnknownKey => "unknown_key",
            UnsealError::Forged => "forged",
            UnsealError::Expired => "expired",
        }
    }
}

struct SealKey {
    id: String,
    password: Secret,
}

/// Seals with the first password, opens with any of them.
pub struct Sealer {
    keys: Vec<SealKey>,
    random: SystemRandom,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sealer").field("key_ids", &self.keys.iter().map(|k| &k.id).collect::<Vec<_>>()).finish()
    }
}

fn b64() -> base64::engine::general_purpose::GeneralPurpose {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
}

impl Sealer {
    /// `passwords`: the first seals; all open. Each must have at least 32 characters.
    pub fn new(passwords: &[String]) -> Result<Self> {
        if passwords.is_empty() {
            return Err(Error::invalid("cookiePassword", "cookiePassword is required: a random string of at least 32 characters (or a list of them, the first sealing)"));
        }
        let mut keys: Vec<SealKey> = Vec::new();
        for (i, password) in passwords.iter().enumerate() {
            if password.chars().count() < MIN_PASSWORD_CHARS {
                let field = if passwords.len() > 1 { format!("cookiePassword[{i}]") } else { "cookiePassword".into() };
                return Err(Error::invalid(field.clone(), format!("{field} must have at least {MIN_PASSWORD_CHARS} characters (a random string: `openssl rand -base64 32`)")));
            }
            let digest = ring::digest::digest(&ring::digest::SHA256, password.as_bytes());
            let id: String = digest.as_ref()[..4].iter().map(|b| format!("{b:02x}")).collect();
            if !keys.iter().any(|k| k.id == id) {
                keys.push(SealKey { id, password: Secret::new(password.clone()) });
            }
        }
        Ok(Sealer { keys, random: SystemRandom::new() })
    }

    /// The key id the first password seals with.
    pub fn key_id(&self) -> &str {
        &self.keys[0].id
    }

    /// A keyed fingerprint of `value` (HMAC-SHA256 under a key derived from the sealing password), base64url:
    /// what a shared store may be keyed by instead of a token itself.
    pub fn fingerprint(&self, value: &str) -> String {
        let salt = Salt::new(HKDF_SHA256, b"scalekit-native fingerprint");
        let prk = salt.extract(self.keys[0].password.expose().as_bytes());
        let okm = prk.expand(&[b"fingerprint v1"], ring::hmac::HMAC_SHA256).expect("an HMAC key from HKDF-SHA256");
        let key = ring::hmac::Key::from(okm);
        b64().encode(&ring::hmac::sign(&key, value.as_bytes()).as_ref()[..24])
    }

    /// `bytes` random bytes from the operating system, base64url.
    pub fn random(&self, bytes: usize) -> String {
        let mut buffer = vec![0u8; bytes];
        self.random.fill(&mut buffer).expect("the operating system's random generator");
        b64().encode(buffer)
    }

    fn key(password: &Secret, salt: &[u8], purpose: &str) -> LessSafeKey {
        let info = format!("scalekit-native seal {VERSION} {purpose}");
        let info = [info.as_bytes()];
        let prk = Salt::new(HKDF_SHA256, salt).extract(password.expose().as_bytes());
        let okm = prk.expand(&info, &AES_256_GCM).expect("a 32-byte key from HKDF-SHA256");
        LessSafeKey::new(UnboundKey::from(okm))
    }

    fn aad(key_id: &str, purpose: &str) -> String {
        format!("{VERSION}.{key_id}.{purpose}")
    }

    /// Seals `plaintext` for `purpose`, to open until `expires_at` (unix seconds).
    pub fn seal(&self, purpose: &str, plaintext: &[u8], expires_at: u64) -> String {
        let key = &self.keys[0];
        let mut salt = [0u8; SALT_LEN];
        let mut nonce = [0u8; NONCE_LEN];
        self.random.fill(&mut salt).expect("the operating system's random generator");
        self.random.fill(&mut nonce).expect("the operating system's random generator");
        let mut in_out = Vec::with_capacity(8 + plaintext.len() + TAG_LEN);
        in_out.extend_from_slice(&expires_at.to_be_bytes());
        in_out.extend_from_slice(plaintext);
        Self::key(&key.password, &salt, purpose)
            .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::from(Self::aad(&key.id, purpose).as_bytes()), &mut in_out)
            .expect("AES-256-GCM sealing");
        let mut sealed = Vec::with_capacity(SALT_LEN + NONCE_LEN + in_out.len());
        sealed.extend_from_slice(&salt);
        sealed.extend_from_slice(&nonce);
        sealed.extend_from_slice(&in_out);
        format!("{VERSION}.{}.{}", key.id, b64().encode(sealed))
    }

    /// Opens a value sealed for `purpose` by any of the passwords, at `now` (unix seconds).
    pub fn unseal(&self, purpose: &str, sealed: &str, now: u64) -> std::result::Result<Vec<u8>, UnsealError> {
        let mut parts = sealed.trim().splitn(3, '.');
        let (Some(VERSION), Some(key_id), Some(body)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(UnsealError::Malformed);
        };
        let bytes = b64().decode(body).map_err(|_| UnsealError::Malformed)?;
        if bytes.len() < SALT_LEN + NONCE_LEN + 8 + TAG_LEN {
            return Err(UnsealError::Malformed);
        }
        let key = self.keys.iter().find(|k| k.id == key_id).ok_or(UnsealError::UnknownKey)?;
        let (salt, rest) = bytes.split_at(SALT_LEN);
        let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| UnsealError::Malformed)?;
        let mut in_out = ciphertext.to_vec();
        let plain = Self::key(&key.password, salt, purpose).open_in_place(nonce, Aad::from(Self::aad(key_id, purpose).as_bytes()), &mut in_out).map_err(|_| UnsealError::Forged)?;
        let (expiry, value) = plain.split_at(8);
        if u64::from_be_bytes(expiry.try_into().expect("8 bytes")) <= now {
            return Err(UnsealError::Expired);
        }
        Ok(value.to_vec())
    }
}

/// Whether two strings are equal, in time that depends only on their lengths.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "an-example-password-of-32-chars!";
    const B: &str = "another-example-password-32-ch!!";

    fn sealer(passwords: &[&str]) -> Sealer {
        Sealer::new(&passwords.iter().map(|p| (*p).to_owned()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn seals_and_opens_for_its_purpose_only() {
        let s = sealer(&[A]);
        let sealed = s.seal("session", b"hello", 2_000);
        assert!(sealed.starts_with(&format!("v1.{}.", s.key_id())));
        assert_eq!(s.unseal("session", &sealed, 1_000).unwrap(), b"hello");
        assert_eq!(s.unseal("login-transaction", &sealed, 1_000), Err(UnsealError::Forged), "another purpose");
        assert_eq!(s.unseal("session", &sealed, 2_000), Err(UnsealError::Expired));
        assert_ne!(s.seal("session", b"hello", 2_000), sealed, "a fresh salt and nonce each time");
    }

    #[test]
    fn tampering_and_garbage_are_refused() {
        let s = sealer(&[A]);
        let sealed = s.seal("session", b"{\"admin\":false}", 2_000);
        let mut bytes = sealed.clone().into_bytes();
        let last = bytes.len() - 5;
        bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
        assert_eq!(s.unseal("session", &String::from_utf8(bytes).unwrap(), 1_000), Err(UnsealError::Forged));
        for garbage in ["", "v1", "v1.x", "v2.abcd.AAAA", "v1.00000000.AAAA", "v1.zz.!!!!", "{\"admin\":true}"] {
            assert!(s.unseal("session", garbage, 1_000).is_err(), "{garbage}");
        }
        let other_key = sealer(&[B]).seal("session", b"x", 2_000);
        assert_eq!(s.unseal("session", &other_key, 1_000), Err(UnsealError::UnknownKey));
    }

    #[test]
    fn rotation_the_first_seals_all_open() {
        let old = sealer(&[A]).seal("session", b"old", 2_000);
        let rotated = sealer(&[B, A]);
        assert_eq!(rotated.unseal("session", &old, 1_000).unwrap(), b"old");
        let new = rotated.seal("session", b"new", 2_000);
        assert_eq!(sealer(&[B]).unseal("session", &new, 1_000).unwrap(), b"new");
        assert_eq!(sealer(&[A]).unseal("session", &new, 1_000), Err(UnsealError::UnknownKey));
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(matches!(Sealer::new(&["short".into()]), Err(Error::InvalidInput { field, .. }) if field == "cookiePassword"));
        assert!(matches!(Sealer::new(&[A.into(), "short".into()]), Err(Error::InvalidInput { field, .. }) if field == "cookiePassword[1]"));
        assert!(Sealer::new(&[]).is_err());
    }

    #[test]
    fn fingerprints_are_keyed_and_stable() {
        let (a, b) = (sealer(&[A]), sealer(&[B]));
        assert_eq!(a.fingerprint("rt_1"), a.fingerprint("rt_1"));
        assert_ne!(a.fingerprint("rt_1"), a.fingerprint("rt_2"));
        assert_ne!(a.fingerprint("rt_1"), b.fingerprint("rt_1"), "another password, another fingerprint");
    }

    #[test]
    fn constant_time_equality() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "abcd"));
    }
}
