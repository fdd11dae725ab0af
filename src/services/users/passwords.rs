//! Password hashing with Argon2id (the `argon2` crate, RustCrypto) at its default cost, which follows
//! the OWASP recommendation (19 MiB, two passes). Hashing runs on the blocking pool: it is tens of
//! milliseconds of CPU that would otherwise stall every other request on the same worker thread.

use super::secrets::random_bytes;
use crate::store::{DomainError, DomainResult};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use std::sync::OnceLock;

pub const MIN_LENGTH: usize = 10;

pub fn check_strength(password: &str) -> DomainResult<()> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(DomainError::invalid("password", format!("must be at least {MIN_LENGTH} characters")));
    }
    if length > 1000 {
        return Err(DomainError::invalid("password", "must be at most 1000 characters"));
    }
    Ok(())
}

pub async fn hash(password: &str) -> DomainResult<String> {
    let password = password.to_string();
    blocking(move || hash_now(&password)).await
}

/// Whether `password` matches `stored`. With no stored hash (an unknown email) it still spends the same
/// time on a stand-in, so the answer's timing does not reveal which emails have accounts.
pub async fn verify(password: &str, stored: Option<String>) -> DomainResult<bool> {
    let password = password.to_string();
    blocking(move || {
        let stored = stored.as_deref().unwrap_or_else(|| stand_in_hash());
        let Ok(parsed) = PasswordHash::new(stored) else {
            return false;
        };
        Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok()
    })
    .await
}

fn hash_now(password: &str) -> String {
    let salt = SaltString::encode_b64(&random_bytes::<16>()).expect("16 bytes make a valid salt");
    Argon2::default().hash_password(password.as_bytes(), &salt).expect("argon2 hashes any password").to_string()
}

fn stand_in_hash() -> &'static str {
    static STAND_IN: OnceLock<String> = OnceLock::new();
    STAND_IN.get_or_init(|| hash_now("a password nobody has"))
}

async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> DomainResult<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| DomainError::Database(sqlx::Error::Protocol(format!("password hashing: {e}"))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_passwords_are_refused_naming_the_field() {
        let err = check_strength("short").unwrap_err();
        assert!(matches!(err, DomainError::Invalid { ref field, .. } if field == "password"));
        assert!(check_strength("long enough password").is_ok());
    }

    #[test]
    fn a_hash_verifies_its_password_only() {
        let stored = hash_now("correct horse battery");
        let parsed = PasswordHash::new(&stored).unwrap();
        assert!(Argon2::default().verify_password(b"correct horse battery", &parsed).is_ok());
        assert!(Argon2::default().verify_password(b"correct horse batterY", &parsed).is_err());
        assert!(stored.starts_with("$argon2id$"));
    }
}
