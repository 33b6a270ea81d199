//! Links that act without an account (manage a monthly gift, download a receipt): an id and an
//! HMAC-SHA256 over a purpose and that id, keyed with the server's secret and compared in constant time.
use hmac::{Hmac, Mac};
use sha2::Sha256;

fn mac(key: &str, purpose: &str, id: &str) -> Hmac<Sha256> {
    let mut m = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes any key length");
    m.update(purpose.as_bytes());
    m.update(b":");
    m.update(id.as_bytes());
    m
}

/// `<id>.<signature>` (128 bits of signature, hex).
pub fn sign(key: &str, purpose: &str, id: &str) -> String {
    let sig = hex::encode(mac(key, purpose, id).finalize().into_bytes());
    format!("{id}.{}", &sig[..32])
}

/// The id, if `token` was signed with `key` for `purpose`.
pub fn verify(key: &str, purpose: &str, token: &str) -> Option<String> {
    let (id, sig) = token.trim().rsplit_once('.')?;
    if id.is_empty() || id.len() > 100 {
        return None;
    }
    let bytes = hex::decode(sig).ok()?;
    if bytes.len() != 16 {
        return None;
    }
    mac(key, purpose, id).verify_truncated_left(&bytes).ok()?;
    Some(id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_bound_to_key_purpose_and_id() {
        let t = sign("k1", "gift", "abc123");
        assert_eq!(verify("k1", "gift", &t).as_deref(), Some("abc123"));
        assert_eq!(verify("k2", "gift", &t), None, "another key");
        assert_eq!(verify("k1", "receipt", &t), None, "another purpose");
        assert_eq!(verify("k1", "gift", &t.replacen("abc123", "abc124", 1)), None, "another id");
        assert_eq!(verify("k1", "gift", "abc123"), None);
        assert_eq!(verify("k1", "gift", "abc123.zz"), None);
    }
}
