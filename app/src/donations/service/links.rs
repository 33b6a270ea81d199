//! The signed links mailed to donors: the receipt's, and the one that manages a monthly gift
//! without an account.
use crate::ssr::signing::{Keys, Purpose};

pub fn receipt_token(keys: &Keys, donation_public_id: &str) -> String {
    keys.sign(Purpose::Receipt, donation_public_id)
}

pub fn verify_receipt_token(keys: &Keys, token: &str) -> Option<String> {
    keys.verify(Purpose::Receipt, token)
}

/// The token of the link that manages a monthly gift without an account: the gift, the link's
/// version (a change through the link makes a new one) and when it stops working, signed.
pub fn manage_token(keys: &Keys, gift_public_id: &str, version: i64, now: i64) -> String {
    let expires = now + super::super::rules::GIFT_LINK_LIFETIME_SECS;
    keys.sign(Purpose::Gift, &format!("{gift_public_id}.{version}.{expires}"))
}

/// (gift public id, link version), if the token is ours and has not expired.
pub fn verify_manage_token(keys: &Keys, token: &str, now: i64) -> Option<(String, i64)> {
    let signed = keys.verify(Purpose::Gift, token)?;
    let mut parts = signed.split('.');
    let (id, version, expires) = (parts.next()?, parts.next()?.parse().ok()?, parts.next()?.parse::<i64>().ok()?);
    (expires > now && parts.next().is_none()).then(|| (id.to_string(), version))
}
