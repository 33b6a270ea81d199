//! One server secret, one key per purpose, one way to sign links.
//!
//! The operator gives one secret (`SECRET_KEY`, at least 32 random bytes). Each purpose gets its own
//! key derived from it with HMAC-SHA256 under a label, so a token made for one purpose (a receipt
//! link, say) is worthless for another (a gift link), and no purpose ever sees the secret itself.
//! Links are `<id>.<signature>`: an HMAC over the purpose and the id, compared in constant time.
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// What a key is for. Adding a purpose adds a label; an existing label must never change, or
/// every link already mailed stops working.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Newsletter preferences links.
    Newsletter,
    /// One-click unsubscribe links (consultation follows and subscriptions).
    Unsubscribe,
    /// Links to a donation's receipt.
    Receipt,
    /// Links that manage a monthly gift.
    Gift,
    /// The signed moment a form was served (minimum fill time against bots).
    FormTiming,
    /// Hashes of IP addresses kept as consent evidence (never the address itself).
    IpHash,
    /// The offline test payment provider's webhook secret.
    TestWebhook,
    /// Single-use links sent to an official's work address.
    WorkEmail,
    /// Encryption of secrets kept in the database (payment credentials).
    SecretsAtRest,
    /// "Has it been fixed?" links mailed to the person who reported a map problem.
    MapFollowup,
}

impl Purpose {
    const ALL: [Purpose; 10] = [
        Purpose::Newsletter,
        Purpose::Unsubscribe,
        Purpose::Receipt,
        Purpose::Gift,
        Purpose::FormTiming,
        Purpose::IpHash,
        Purpose::TestWebhook,
        Purpose::WorkEmail,
        Purpose::SecretsAtRest,
        Purpose::MapFollowup,
    ];

    fn label(self) -> &'static str {
        match self {
            Purpose::Newsletter => "participa/v1/newsletter",
            Purpose::Unsubscribe => "participa/v1/unsubscribe",
            Purpose::Receipt => "participa/v1/receipt",
            Purpose::Gift => "participa/v1/gift",
            Purpose::FormTiming => "participa/v1/form-timing",
            Purpose::IpHash => "participa/v1/ip-hash",
            Purpose::TestWebhook => "participa/v1/test-webhook",
            Purpose::WorkEmail => "participa/v1/work-email",
            Purpose::SecretsAtRest => "participa/v1/secrets-at-rest",
            Purpose::MapFollowup => "participa/v1/map-followup",
        }
    }
}

/// The smallest secret the server accepts.
pub const MIN_SECRET_BYTES: usize = 32;

/// Why a secret was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    #[error("SECRET_KEY must be at least {MIN_SECRET_BYTES} random bytes, written as hex (64+ characters) or base64 (43+ characters)")]
    TooShort,
    #[error("SECRET_KEY is not random enough (too few distinct bytes)")]
    LowEntropy,
}

/// Reads an operator's secret: hex, or base64 (standard or URL-safe, padded or not).
pub fn parse_secret(raw: &str) -> Result<Vec<u8>, SecretError> {
    use base64::Engine;
    let s = raw.trim();
    let bytes = if s.len().is_multiple_of(2) && s.bytes().all(|b| b.is_ascii_hexdigit()) {
        hex::decode(s).ok()
    } else {
        let engines = [
            base64::engine::general_purpose::STANDARD,
            base64::engine::general_purpose::STANDARD_NO_PAD,
            base64::engine::general_purpose::URL_SAFE,
            base64::engine::general_purpose::URL_SAFE_NO_PAD,
        ];
        engines.iter().find_map(|e| e.decode(s).ok())
    };
    let bytes = bytes.ok_or(SecretError::TooShort)?;
    if bytes.len() < MIN_SECRET_BYTES {
        return Err(SecretError::TooShort);
    }
    // 32 random bytes have ~31 distinct values; a typed pattern ("aaaa…", "0101…") has a few.
    let mut seen = [false; 256];
    bytes.iter().for_each(|b| seen[*b as usize] = true);
    if seen.iter().filter(|s| **s).count() < 16 {
        return Err(SecretError::LowEntropy);
    }
    Ok(bytes)
}

/// A fresh random secret, hex-encoded (what `run.sh` writes for the demo).
pub fn generate_secret() -> String {
    use rand::RngCore;
    let mut b = [0u8; MIN_SECRET_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

/// The per-purpose keys derived from the server's secret.
#[derive(Clone)]
pub struct Keys {
    keys: [[u8; 32]; Purpose::ALL.len()],
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(…)")
    }
}

impl Keys {
    pub fn derive(secret: &[u8]) -> Keys {
        let mut keys = [[0u8; 32]; Purpose::ALL.len()];
        for (slot, p) in keys.iter_mut().zip(Purpose::ALL) {
            let mut m = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
            m.update(p.label().as_bytes());
            slot.copy_from_slice(&m.finalize().into_bytes());
        }
        Keys { keys }
    }

    /// Keys from a fresh random secret: what tests and a loopback demo without a secret get.
    pub fn random() -> Keys {
        let secret = generate_secret();
        Keys::derive(secret.as_bytes())
    }

    /// The raw key of one purpose (for protocols that need bytes: webhook secrets, encryption).
    pub fn key(&self, p: Purpose) -> &[u8; 32] {
        let i = Purpose::ALL.iter().position(|q| *q == p).unwrap_or(0);
        &self.keys[i]
    }

    fn mac(&self, p: Purpose, msg: &str) -> Hmac<Sha256> {
        let mut m = Hmac::<Sha256>::new_from_slice(self.key(p)).expect("HMAC takes any key length");
        m.update(msg.as_bytes());
        m
    }

    /// `<id>.<signature>` (128 bits of signature, hex).
    pub fn sign(&self, p: Purpose, id: &str) -> String {
        let sig = hex::encode(self.mac(p, id).finalize().into_bytes());
        format!("{id}.{}", &sig[..32])
    }

    /// The id, if `token` was signed for `p` by this server.
    pub fn verify(&self, p: Purpose, token: &str) -> Option<String> {
        let (id, sig) = token.trim().rsplit_once('.')?;
        if id.is_empty() || id.len() > 200 {
            return None;
        }
        let bytes = hex::decode(sig).ok()?;
        if bytes.len() != 16 {
            return None;
        }
        self.mac(p, id).verify_truncated_left(&bytes).ok()?;
        Some(id.to_string())
    }

    /// A keyed hash (hex), e.g. of an IP address kept as evidence.
    pub fn hash(&self, p: Purpose, data: &str) -> String {
        hex::encode(self.mac(p, data).finalize().into_bytes())
    }
}

/// Evidence of where consent came from, without keeping the IP address itself.
pub fn ip_hash(keys: &Keys, ip: &str) -> String {
    keys.hash(Purpose::IpHash, ip)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_bound_to_secret_purpose_and_id() {
        let k1 = Keys::derive(&[7u8; 32]);
        let k2 = Keys::derive(&[8u8; 32]);
        let t = k1.sign(Purpose::Gift, "abc123");
        assert_eq!(k1.verify(Purpose::Gift, &t).as_deref(), Some("abc123"));
        assert_eq!(k2.verify(Purpose::Gift, &t), None, "another secret");
        assert_eq!(k1.verify(Purpose::Receipt, &t), None, "another purpose");
        assert_eq!(k1.verify(Purpose::Gift, &t.replacen("abc123", "abc124", 1)), None, "another id");
        assert_eq!(k1.verify(Purpose::Gift, "abc123"), None);
        assert_eq!(k1.verify(Purpose::Gift, "abc123.zz"), None);
    }

    #[test]
    fn every_purpose_has_its_own_key() {
        let k = Keys::derive(b"0123456789abcdef0123456789abcdef");
        for (i, a) in Purpose::ALL.iter().enumerate() {
            for b in &Purpose::ALL[i + 1..] {
                assert_ne!(k.key(*a), k.key(*b), "{a:?} and {b:?} share a key");
                assert_ne!(a.label(), b.label());
            }
        }
        assert_ne!(ip_hash(&k, "127.0.0.1"), ip_hash(&Keys::random(), "127.0.0.1"));
    }

    #[test]
    fn weak_secrets_are_refused() {
        assert_eq!(parse_secret(""), Err(SecretError::TooShort));
        assert_eq!(parse_secret("participa"), Err(SecretError::TooShort));
        assert_eq!(parse_secret(&"ab".repeat(16)), Err(SecretError::TooShort), "16 bytes");
        assert_eq!(parse_secret(&"00".repeat(32)), Err(SecretError::LowEntropy));
        assert_eq!(parse_secret(&"0102".repeat(16)), Err(SecretError::LowEntropy));
        let good = generate_secret();
        assert_eq!(parse_secret(&good).map(|b| b.len()), Ok(32));
        use base64::Engine;
        let b64 = base64::engine::general_purpose::STANDARD.encode(hex::decode(&good).unwrap());
        assert_eq!(parse_secret(&b64).map(|b| b.len()), Ok(32));
    }
}
