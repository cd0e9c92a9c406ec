//! Password hashing (Argon2id, the crate's default parameters), verification with the same
//! work whether or not the account exists, and generated passwords.

use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::Rng;

pub const MIN_LENGTH: usize = 10;

/// Why a new password is refused, in Indonesian for pages and the command line.
pub fn check_policy(password: &str) -> Result<(), &'static str> {
    if password.chars().count() < MIN_LENGTH {
        return Err("Kata sandi minimal 10 karakter.");
    }
    if password.trim() != password {
        return Err("Kata sandi tidak boleh diawali atau diakhiri spasi.");
    }
    Ok(())
}

/// Hashes a password into a PHC string. CPU-heavy: call from a blocking thread.
pub fn hash(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters cannot fail")
        .to_string()
}

/// A hash of a random password, verified against when the username does not exist so that
/// a missing account takes as long as a wrong password.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| hash(&generate()));

/// Checks `password` against `stored`, or against a dummy hash when there is no account.
/// CPU-heavy: call from a blocking thread.
pub fn verify(password: &str, stored: Option<&str>) -> bool {
    let (phc, real) = match stored {
        Some(s) => (s, true),
        None => (DUMMY_HASH.as_str(), false),
    };
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    let ok = Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok();
    ok && real
}

/// A random password of 16 characters, without look-alikes (0/O, 1/l/I), so it can be read
/// aloud or copied from a printout.
pub fn generate() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rngs::OsRng;
    (0..16)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_only_the_right_password() {
        let h = hash("kata-sandi-panjang");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("kata-sandi-panjang", Some(&h)));
        assert!(!verify("kata-sandi-salah!", Some(&h)));
        assert!(!verify("kata-sandi-panjang", None));
        assert!(!verify("apa saja", Some("bukan hash")));
    }

    #[test]
    fn policy_wants_ten_characters() {
        assert!(check_policy("123456789").is_err());
        assert!(check_policy("1234567890").is_ok());
        assert!(check_policy(" 1234567890").is_err());
    }

    #[test]
    fn generated_passwords_are_long_and_differ() {
        let a = generate();
        assert_eq!(a.len(), 16);
        assert!(check_policy(&a).is_ok());
        assert_ne!(a, generate());
    }
}
