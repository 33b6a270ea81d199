//! Stripe-format webhooks (Stripe itself and Participa's test provider): the signature on the raw
//! body, and the events Participa acts on, read into one provider-neutral [`Effect`].
use app::ssr::payments::{Effect, Event};
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

/// Stripe's default tolerance between the signed timestamp and now.
pub const TOLERANCE_SECS: i64 = 300;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SigError {
    /// No `t=` or no `v1=` in the header.
    Malformed,
    /// The timestamp is further than the tolerance from now (a replayed delivery).
    Stale,
    /// No `v1` value matches the body.
    Mismatch,
}

fn mac(secret: &str, t: &str, payload: &[u8]) -> Hmac<Sha256> {
    let mut m = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    m.update(t.as_bytes());
    m.update(b".");
    m.update(payload);
    m
}

/// The `Stripe-Signature` header for `payload` signed at `t` (used by the test provider).
pub fn sign(secret: &str, t: i64, payload: &[u8]) -> String {
    let sig = hex::encode(mac(secret, &t.to_string(), payload).finalize().into_bytes());
    format!("t={t},v1={sig}")
}

/// Verifies `Stripe-Signature` on the raw body: HMAC-SHA256 over "t.payload", compared in constant
/// time with **every** `v1` value (several are sent while a secret is being rolled).
pub fn verify(secret: &str, header: &str, payload: &[u8], now: i64) -> Result<i64, SigError> {
    let mut t = None;
    let mut sigs = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => t = Some(v.trim()),
            Some(("v1", v)) => sigs.push(v.trim()),
            _ => {}
        }
    }
    let t_str = t.ok_or(SigError::Malformed)?;
    let ts: i64 = t_str.parse().map_err(|_| SigError::Malformed)?;
    if sigs.is_empty() {
        return Err(SigError::Malformed);
    }
    if (now - ts).abs() > TOLERANCE_SECS {
        return Err(SigError::Stale);
    }
    let expected = mac(secret, t_str, payload);
    let mut ok = false;
    for s in sigs {
        if let Ok(bytes) = hex::decode(s) {
            // `verify_slice` compares in constant time; every value is checked, none short-circuits.
            ok |= expected.clone().verify_slice(&bytes).is_ok();
        }
    }
    if ok {
        Ok(ts)
    } else {
        Err(SigError::Mismatch)
    }
}

fn s(v: &Value, path: &[&str]) -> Option<String> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    match cur {
        Value::String(x) if !x.is_empty() => Some(x.clone()),
        _ => None,
    }
}

fn n(v: &Value, key: &str) -> i64 {
    v.get(key).and_then(Value::as_i64).unwrap_or(0)
}

/// An expandable field: either the id string or the expanded object with an `id`.
fn id_of(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(x) if !x.is_empty() => Some(x.clone()),
        Value::Object(o) => o.get("id").and_then(Value::as_str).map(str::to_string),
        _ => None,
    }
}

/// Reads a Stripe event body. `None` when it is not an event at all.
pub fn parse_event(body: &[u8]) -> Option<Event> {
    let v: Value = serde_json::from_slice(body).ok()?;
    let id = s(&v, &["id"])?;
    let kind = s(&v, &["type"])?;
    let o = v.get("data")?.get("object")?;
    let donation = || s(o, &["metadata", "donation_id"]).or_else(|| s(o, &["client_reference_id"]));
    let currency = || o.get("currency").and_then(Value::as_str).unwrap_or("").to_ascii_uppercase();
    let effect = match kind.as_str() {
        "checkout.session.completed" | "checkout.session.async_payment_succeeded" => {
            let Some(donation) = donation() else { return Some(Event { id, kind, effect: Effect::Ignored }) };
            let amount = n(o, "amount_total");
            let payment = id_of(o, "payment_intent");
            if kind == "checkout.session.completed" {
                Effect::CheckoutCompleted {
                    donation,
                    session: s(o, &["id"]).unwrap_or_default(),
                    paid: matches!(
                        o.get("payment_status").and_then(Value::as_str),
                        Some("paid" | "no_payment_required")
                    ),
                    amount,
                    currency: currency(),
                    subscription: id_of(o, "subscription"),
                    payment,
                }
            } else {
                Effect::AsyncSucceeded { donation, amount, currency: currency(), payment }
            }
        }
        "checkout.session.async_payment_failed" | "payment_intent.payment_failed" => match donation() {
            Some(donation) => Effect::Failed { donation },
            None => Effect::Ignored,
        },
        "checkout.session.expired" => match donation() {
            Some(donation) => Effect::Expired { donation },
            None => Effect::Ignored,
        },
        "invoice.paid" | "invoice.payment_failed" => {
            // The subscription's metadata is copied onto the invoice (older and newer API shapes).
            let meta_donation = s(o, &["subscription_details", "metadata", "donation_id"])
                .or_else(|| s(o, &["parent", "subscription_details", "metadata", "donation_id"]));
            let subscription = id_of(o, "subscription")
                .or_else(|| s(o, &["parent", "subscription_details", "subscription"]))
                .unwrap_or_default();
            if subscription.is_empty() {
                Effect::Ignored
            } else if kind == "invoice.paid" {
                Effect::InvoicePaid {
                    invoice: s(o, &["id"]).unwrap_or_default(),
                    subscription,
                    donation: meta_donation,
                    first: o.get("billing_reason").and_then(Value::as_str) == Some("subscription_create"),
                    amount: n(o, "amount_paid"),
                    currency: currency(),
                    payment: id_of(o, "payment_intent"),
                }
            } else {
                Effect::InvoiceFailed { subscription, donation: meta_donation }
            }
        }
        "customer.subscription.deleted" => Effect::SubscriptionEnded {
            subscription: s(o, &["id"]).unwrap_or_default(),
            donation: s(o, &["metadata", "donation_id"]),
        },
        "charge.refunded" => Effect::Refunded {
            donation: s(o, &["metadata", "donation_id"]),
            payment: id_of(o, "payment_intent"),
            amount: n(o, "amount_refunded"),
        },
        "charge.dispute.closed" if o.get("status").and_then(Value::as_str) == Some("lost") => Effect::Refunded {
            donation: s(o, &["metadata", "donation_id"]),
            payment: id_of(o, "payment_intent"),
            amount: n(o, "amount"),
        },
        _ => Effect::Ignored,
    };
    Some(Event { id, kind, effect })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_test_secret";
    const BODY: &[u8] = br#"{"id":"evt_1","type":"checkout.session.completed"}"#;

    #[test]
    fn a_valid_signature_verifies() {
        let h = sign(SECRET, 1_700_000_000, BODY);
        assert_eq!(verify(SECRET, &h, BODY, 1_700_000_010), Ok(1_700_000_000));
    }

    #[test]
    fn a_tampered_body_fails() {
        let h = sign(SECRET, 1_700_000_000, BODY);
        let tampered = br#"{"id":"evt_1","type":"checkout.session.completed "}"#;
        assert_eq!(verify(SECRET, &h, tampered, 1_700_000_000), Err(SigError::Mismatch));
    }

    #[test]
    fn a_wrong_secret_fails() {
        let h = sign("whsec_other", 1_700_000_000, BODY);
        assert_eq!(verify(SECRET, &h, BODY, 1_700_000_000), Err(SigError::Mismatch));
    }

    #[test]
    fn an_old_or_future_timestamp_fails() {
        let h = sign(SECRET, 1_700_000_000, BODY);
        assert_eq!(verify(SECRET, &h, BODY, 1_700_000_000 + 301), Err(SigError::Stale));
        assert_eq!(verify(SECRET, &h, BODY, 1_700_000_000 - 301), Err(SigError::Stale));
        assert!(verify(SECRET, &h, BODY, 1_700_000_000 + 300).is_ok());
        // Changing the timestamp to look fresh breaks the signature.
        let moved = h.replace("t=1700000000", "t=1700000400");
        assert_eq!(verify(SECRET, &moved, BODY, 1_700_000_400), Err(SigError::Mismatch));
    }

    #[test]
    fn any_of_several_v1_values_may_match() {
        let good = sign(SECRET, 1_700_000_000, BODY);
        let good_sig = good.split_once("v1=").unwrap().1;
        let bad_sig = "0".repeat(64);
        let first = format!("t=1700000000,v1={good_sig},v1={bad_sig},v0=abc");
        let last = format!("t=1700000000,v1={bad_sig},v1=nothex,v1={good_sig}");
        assert!(verify(SECRET, &first, BODY, 1_700_000_000).is_ok());
        assert!(verify(SECRET, &last, BODY, 1_700_000_000).is_ok());
        let none = format!("t=1700000000,v1={bad_sig},v0={good_sig}");
        assert_eq!(verify(SECRET, &none, BODY, 1_700_000_000), Err(SigError::Mismatch), "v0 never counts");
    }

    #[test]
    fn malformed_headers_fail() {
        assert_eq!(verify(SECRET, "", BODY, 0), Err(SigError::Malformed));
        assert_eq!(verify(SECRET, "t=abc,v1=00", BODY, 0), Err(SigError::Malformed));
        assert_eq!(verify(SECRET, "t=1700000000", BODY, 1_700_000_000), Err(SigError::Malformed));
    }

    #[test]
    fn events_are_read_into_effects() {
        let body = br#"{"id":"evt_9","type":"checkout.session.completed","data":{"object":{"id":"cs_1","amount_total":5178,"currency":"ron","payment_status":"unpaid","metadata":{"donation_id":"d1"},"payment_intent":{"id":"pi_1"},"subscription":null}}}"#;
        let e = parse_event(body).unwrap();
        assert_eq!(e.id, "evt_9");
        assert_eq!(
            e.effect,
            Effect::CheckoutCompleted {
                donation: "d1".into(),
                session: "cs_1".into(),
                paid: false,
                amount: 5178,
                currency: "RON".into(),
                subscription: None,
                payment: Some("pi_1".into())
            }
        );
        let inv = br#"{"id":"evt_2","type":"invoice.paid","data":{"object":{"id":"in_1","subscription":"sub_1","billing_reason":"subscription_cycle","amount_paid":5000,"currency":"ron","subscription_details":{"metadata":{"donation_id":"d1"}}}}}"#;
        assert!(matches!(parse_event(inv).unwrap().effect, Effect::InvoicePaid { first: false, amount: 5000, .. }));
        let other = br#"{"id":"evt_3","type":"customer.created","data":{"object":{}}}"#;
        assert_eq!(parse_event(other).unwrap().effect, Effect::Ignored);
        assert_eq!(parse_event(b"not json"), None);
    }
}
