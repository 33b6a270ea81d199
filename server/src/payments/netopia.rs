//! Netopia Payments (API v2): starting a card payment and verifying its IPN. The IPN carries a JWT
//! in `Verification-token` that must be signed with **RS512** by Netopia's key (no other algorithm
//! is accepted, "none" and HMAC included), issued by "NETOPIA Payments", addressed to our POS
//! signature, and whose `sub` is base64(SHA-512(raw body)) — so the body cannot be swapped.
use app::ssr::payments::{
    BoxFut, Checkout, CheckoutRequest, PaymentError, PaymentProvider, RefundRequest, WebhookError,
};
use app::ssr::payments::{Effect, Event};
use app::types::money::{FeeRule, NETOPIA_FEE};
use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{json, Value};
use sha2::{Digest, Sha512};

pub const API_BASE: &str = "https://secure.mobilpay.ro/pay";
/// Where Netopia's hosted card page lives (its `paymentURL`).
pub const CHECKOUT_ORIGIN: &str = "https://secure.netopia-payments.com";
pub const ISSUER: &str = "NETOPIA Payments";

pub struct NetopiaProvider {
    api_base: String,
    checkout_origin: String,
    api_key: String,
    pos_signature: String,
    public_key_pem: Vec<u8>,
    client: reqwest::Client,
}

impl NetopiaProvider {
    pub fn new(
        api_base: String,
        checkout_origin: String,
        api_key: String,
        pos_signature: String,
        public_key_pem: Vec<u8>,
    ) -> NetopiaProvider {
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(20))
            .build()
            .unwrap_or_else(|_| reqwest::Client::new());
        NetopiaProvider {
            api_base: api_base.trim_end_matches('/').into(),
            checkout_origin: checkout_origin.trim_end_matches('/').into(),
            api_key,
            pos_signature,
            public_key_pem,
            client,
        }
    }
}

#[derive(serde::Deserialize)]
struct Claims {
    sub: String,
}

/// Verifies an IPN's `Verification-token` against the raw body.
pub fn verify_ipn(token: &str, body: &[u8], public_key_pem: &[u8], pos_signature: &str) -> Result<(), WebhookError> {
    let key = DecodingKey::from_rsa_pem(public_key_pem).map_err(|_| WebhookError::Forged)?;
    // Pinned: the header's `alg` must be RS512 — HS512 (signed with the public key as a secret)
    // and "none" are refused before any signature is checked.
    let mut v = Validation::new(Algorithm::RS512);
    v.algorithms = vec![Algorithm::RS512];
    v.set_issuer(&[ISSUER]);
    v.set_audience(&[pos_signature]);
    v.set_required_spec_claims(&["iss", "aud", "sub"]);
    v.validate_exp = true;
    let data = jsonwebtoken::decode::<Claims>(token, &key, &v).map_err(|e| match e.kind() {
        jsonwebtoken::errors::ErrorKind::InvalidToken | jsonwebtoken::errors::ErrorKind::Base64(_) => {
            WebhookError::Malformed
        }
        jsonwebtoken::errors::ErrorKind::ExpiredSignature => WebhookError::Stale,
        _ => WebhookError::Forged,
    })?;
    let digest = base64::engine::general_purpose::STANDARD.encode(Sha512::digest(body));
    if data.claims.sub != digest {
        return Err(WebhookError::Forged);
    }
    Ok(())
}

/// Netopia's payment status codes (API v2, as its SDKs name them: 1 new, 2 opened, 3 paid,
/// 4 canceled, 5 confirmed, 6 pending, 7 scheduled, 8 credit, 9 chargeback init, 10 chargeback
/// accept, 11 error, 12 declined, 13 fraud, 14 pending auth, 15 3-D Secure auth, 16 chargeback
/// representment, 17 reversed, …) → what they mean for a donation.
pub fn effect_of(status: i64, donation: String, amount: i64, currency: String, ntp_id: String) -> Effect {
    match status {
        // Paid (captured) and confirmed: the money is taken. Both may arrive; the second is late.
        3 | 5 => Effect::AsyncSucceeded { donation, amount, currency, payment: Some(ntp_id) },
        // Canceled (voided) by the payer or the merchant.
        4 => Effect::Expired { donation },
        // Declined by the bank, or an error while paying: the donor may retry.
        11 | 12 => Effect::Failed { donation },
        // Credit (refunded) and an accepted chargeback (a lost dispute): the ledger is reversed.
        8 | 10 => Effect::Refunded { donation: Some(donation), payment: Some(ntp_id), amount },
        // In progress (opened, pending, 3-D Secure, fraud review, chargeback opened or represented,
        // reversed authorisations, …): acknowledged and logged; the final status follows.
        _ => Effect::Ignored,
    }
}

/// Lei with decimals as Netopia sends them ("51.78") → bani, without floats.
pub fn lei_to_bani(v: &Value) -> Option<i64> {
    let s = match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => return None,
    };
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    let frac = format!("{frac:0<2}");
    if frac.len() > 2 && frac[2..].chars().any(|c| c != '0') {
        return None;
    }
    Some(whole.parse::<i64>().ok()? * 100 + frac[..2].parse::<i64>().ok()?)
}

/// Reads an IPN body into an event (Netopia has no event id: payment id + status is one).
pub fn parse_ipn(body: &[u8]) -> Option<Event> {
    let v: Value = serde_json::from_slice(body).ok()?;
    let donation = v.pointer("/order/orderID")?.as_str()?.to_string();
    let pay = v.get("payment")?;
    let ntp = pay.get("ntpID").and_then(Value::as_str).unwrap_or_default().to_string();
    let status = pay.get("status").and_then(Value::as_i64)?;
    let amount = lei_to_bani(pay.get("amount")?)?;
    let currency = pay.get("currency").and_then(Value::as_str).unwrap_or("RON").to_string();
    Some(Event {
        id: format!("{ntp}:{status}"),
        kind: format!("ipn.status.{status}"),
        effect: effect_of(status, donation, amount, currency, ntp),
    })
}

impl PaymentProvider for NetopiaProvider {
    fn name(&self) -> &'static str {
        "netopia"
    }

    fn fee_rule(&self) -> FeeRule {
        NETOPIA_FEE
    }

    fn checkout_origins(&self) -> Vec<String> {
        // The API host serves the card page too on older POS accounts.
        let api = app::ssr::payments::origin_of(&self.api_base);
        std::iter::once(self.checkout_origin.clone()).chain(api).collect()
    }

    /// Recurring card payments need Netopia's token agreement; monthly gifts go through Stripe.
    fn supports_monthly(&self) -> bool {
        false
    }

    /// This adapter does not call a refund API: a Netopia payment is refunded in Netopia's admin
    /// panel, and the IPN for the credit (status 8) then reverses the ledger here.
    fn supports_refund(&self) -> bool {
        false
    }

    fn create_checkout<'a>(&'a self, req: &'a CheckoutRequest) -> BoxFut<'a, Result<Checkout, PaymentError>> {
        Box::pin(async move {
            if req.monthly {
                return Err(PaymentError::Unsupported);
            }
            let (first, last) = req.donor_name.split_once(' ').unwrap_or((&req.donor_name, ""));
            let body = json!({
                "config": {
                    "notifyUrl": req.notify_url,
                    "redirectUrl": req.success_url,
                    "language": req.lang.code(),
                },
                "payment": { "options": { "installments": 0, "bonus": 0 } },
                "order": {
                    "posSignature": self.pos_signature,
                    "dateTime": app::fmt::iso_utc(app::ssr::now()),
                    "description": req.title,
                    "orderID": req.donation_id,
                    "amount": format!("{}.{:02}", req.amount / 100, req.amount % 100).parse::<f64>().unwrap_or(0.0),
                    "currency": req.currency,
                    "billing": { "email": req.donor_email, "firstName": first, "lastName": last },
                },
            });
            let res = self
                .client
                .post(format!("{}/payment/card/start", self.api_base))
                .header("Authorization", &self.api_key)
                .json(&body)
                .send()
                .await
                .map_err(|e| PaymentError::Unavailable(e.to_string()))?;
            let ok = res.status().is_success();
            let v: Value = res.json().await.map_err(|e| PaymentError::Unavailable(e.to_string()))?;
            let url = v.pointer("/payment/paymentURL").and_then(Value::as_str).filter(|_| ok);
            let ntp = v.pointer("/payment/ntpID").and_then(Value::as_str);
            match (url, ntp) {
                (Some(u), Some(n)) => Ok(Checkout { session_ref: n.into(), redirect_url: u.into() }),
                _ => Err(PaymentError::Refused(
                    v.pointer("/error/message").and_then(Value::as_str).unwrap_or("error").into(),
                )),
            }
        })
    }

    fn refund<'a>(&'a self, _req: &'a RefundRequest) -> BoxFut<'a, Result<(), PaymentError>> {
        Box::pin(async { Err(PaymentError::Unsupported) })
    }

    fn cancel_subscription<'a>(&'a self, _s: &'a str) -> BoxFut<'a, Result<(), PaymentError>> {
        Box::pin(async { Err(PaymentError::Unsupported) })
    }

    fn pause_subscription<'a>(&'a self, _s: &'a str, _p: bool) -> BoxFut<'a, Result<(), PaymentError>> {
        Box::pin(async { Err(PaymentError::Unsupported) })
    }

    fn change_subscription_amount<'a>(
        &'a self,
        _s: &'a str,
        _a: i64,
        _c: &'a str,
    ) -> BoxFut<'a, Result<(), PaymentError>> {
        Box::pin(async { Err(PaymentError::Unsupported) })
    }

    fn verify_webhook(&self, headers: &http::HeaderMap, body: &[u8], _now: i64) -> Result<Vec<Event>, WebhookError> {
        let token = headers.get("verification-token").and_then(|v| v.to_str().ok()).ok_or(WebhookError::Malformed)?;
        verify_ipn(token, body, &self.public_key_pem, &self.pos_signature)?;
        parse_ipn(body).map(|e| vec![e]).ok_or(WebhookError::NotAnEvent)
    }

    fn webhook_ack(&self) -> &'static str {
        "{\"errorType\":0,\"errorCode\":null,\"errorMessage\":\"\"}"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_lei_become_bani() {
        assert_eq!(lei_to_bani(&json!(51.78)), Some(5178));
        assert_eq!(lei_to_bani(&json!("50")), Some(5000));
        assert_eq!(lei_to_bani(&json!("50.5")), Some(5050));
        assert_eq!(lei_to_bani(&json!("50.505")), None);
        assert_eq!(lei_to_bani(&json!(null)), None);
    }

    #[test]
    fn ipn_statuses() {
        let body = br#"{"order":{"orderID":"d1"},"payment":{"amount":51.78,"currency":"RON","ntpID":"n1","status":3}}"#;
        let e = parse_ipn(body).unwrap();
        assert_eq!(e.id, "n1:3");
        assert!(matches!(e.effect, Effect::AsyncSucceeded { amount: 5178, .. }));
        let of = |s| effect_of(s, "d".into(), 1, "RON".into(), "n".into());
        assert!(matches!(of(5), Effect::AsyncSucceeded { .. }), "confirmed");
        assert!(matches!(of(4), Effect::Expired { .. }), "canceled");
        assert!(matches!(of(12), Effect::Failed { .. }), "declined");
        assert!(matches!(of(11), Effect::Failed { .. }), "error");
        assert!(matches!(of(8), Effect::Refunded { .. }), "credit");
        assert!(matches!(of(10), Effect::Refunded { .. }), "chargeback accepted");
        for pending in [1, 2, 6, 9, 13, 14, 15, 16, 17] {
            assert_eq!(of(pending), Effect::Ignored, "status {pending}");
        }
    }
}
