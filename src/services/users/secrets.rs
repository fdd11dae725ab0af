//! Opaque secrets handed to clients — session cookies, API tokens, calendar feed links — and the one way
//! they are stored: only their SHA-256. The secrets are 256 random bits, so a fast hash is enough (a slow
//! one is for guessable passwords), and a copy of the database holds nothing that opens a door.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};

/// A new secret with a recognisable prefix (so a leaked one is easy to spot and grep for), and its hash.
pub fn new_secret(prefix: &str) -> (String, Vec<u8>) {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source is available");
    let secret = format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes));
    let hash = hash_secret(&secret);
    (secret, hash)
}

pub fn hash_secret(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// Random bytes for a password salt.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the operating system's random source is available");
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_unique_prefixed_and_hash_to_what_is_stored() {
        let (a, hash_a) = new_secret("mosaic_pat_");
        let (b, _) = new_secret("mosaic_pat_");
        assert_ne!(a, b);
        assert!(a.starts_with("mosaic_pat_") && a.len() == "mosaic_pat_".len() + 43);
        assert_eq!(hash_secret(&a), hash_a);
        assert_ne!(hash_secret(&b), hash_a);
    }
}
