//! Stripe Checkout over Stripe's HTTP API (form-encoded, as Stripe documents it): one-time
//! `payment` and monthly `subscription` sessions, refunds, subscription changes; webhooks verified
//! with `Stripe-Signature`.
use super::stripe_format::{self as webhook, SigError};
use app::ssr::payments::Event;
use app::ssr::payments::{
    BoxFut, Checkout, CheckoutRequest, PaymentError, PaymentProvider, RefundRequest, WebhookError,
};
use app::types::money::{FeeRule, STRIPE_FEE};
use serde_json::Value;

pub const API_BASE: &str = "https://api.stripe.com";
/// Where Stripe's hosted Checkout pages live.
pub const CHECKOUT_ORIGIN: &str = "https://checkout.stripe.com";

pub struct StripeProvider {
    api_base: String,
    checkout_origin: String,
    secret_key: String,
    webhook_secret: String,
    client: reqwest::Client,
}

impl StripeProvider {
    pub fn new(
        api_base: String,
        checkout_origin: String,
        secret_key: String,
        webhook_secret: String,
    ) -> StripeProvider {
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(20))
            .build()
            .unwrap_or_else(|_| reqwest::Client::new());
        StripeProvider {
            api_base: api_base.trim_end_matches('/').to_string(),
            checkout_origin: checkout_origin.trim_end_matches('/').to_string(),
            secret_key,
            webhook_secret,
            client,
        }
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> Result<Value, PaymentError> {
        let res = req
            .bearer_auth(&self.secret_key)
            .header("Stripe-Version", "2024-06-20")
            .send()
            .await
            .map_err(|e| PaymentError::Unavailable(e.to_string()))?;
        let status = res.status();
        let body: Value = res.json().await.map_err(|e| PaymentError::Unavailable(e.to_string()))?;
        if status.is_success() {
            Ok(body)
        } else {
            let msg = body.pointer("/error/message").and_then(Value::as_str).unwrap_or("error").to_string();
            if status.is_server_error() {
                Err(PaymentError::Unavailable(msg))
            } else {
                Err(PaymentError::Refused(msg))
            }
        }
    }

    async fn post(&self, path: &str, form: &[(String, String)], key: Option<&str>) -> Result<Value, PaymentError> {
        let mut req = self.client.post(format!("{}{path}", self.api_base)).form(form);
        if let Some(k) = key {
            req = req.header("Idempotency-Key", k);
        }
        self.send(req).await
    }
}

fn p(k: &str, v: impl ToString) -> (String, String) {
    (k.to_string(), v.to_string())
}

/// The form Stripe's "Create a Checkout Session" takes for a donation.
pub fn checkout_form(req: &CheckoutRequest) -> Vec<(String, String)> {
    let li = "line_items[0]";
    let mut f = vec![
        p("mode", if req.monthly { "subscription" } else { "payment" }),
        p("success_url", &req.success_url),
        p("cancel_url", &req.cancel_url),
        p("client_reference_id", &req.donation_id),
        p("customer_email", &req.donor_email),
        p("locale", req.lang.code()),
        p("metadata[donation_id]", &req.donation_id),
        p(&format!("{li}[quantity]"), 1),
        p(&format!("{li}[price_data][currency]"), req.currency.to_lowercase()),
        p(&format!("{li}[price_data][unit_amount]"), req.amount),
        p(&format!("{li}[price_data][product_data][name]"), &req.title),
    ];
    if req.monthly {
        f.push(p(&format!("{li}[price_data][recurring][interval]"), "month"));
        f.push(p("subscription_data[metadata][donation_id]", &req.donation_id));
    } else {
        f.push(p("payment_intent_data[metadata][donation_id]", &req.donation_id));
        f.push(p("submit_type", "donate"));
    }
    f
}

impl PaymentProvider for StripeProvider {
    fn name(&self) -> &'static str {
        "stripe"
    }

    fn fee_rule(&self) -> FeeRule {
        STRIPE_FEE
    }

    fn checkout_origins(&self) -> Vec<String> {
        vec![self.checkout_origin.clone()]
    }

    fn create_checkout<'a>(&'a self, req: &'a CheckoutRequest) -> BoxFut<'a, Result<Checkout, PaymentError>> {
        Box::pin(async move {
            let v = self.post("/v1/checkout/sessions", &checkout_form(req), Some(&req.idempotency_key)).await?;
            let id = v.get("id").and_then(Value::as_str).ok_or(PaymentError::Refused("no session id".into()))?;
            let url = v.get("url").and_then(Value::as_str).ok_or(PaymentError::Refused("no session url".into()))?;
            Ok(Checkout { session_ref: id.into(), redirect_url: url.into() })
        })
    }

    fn refund<'a>(&'a self, req: &'a RefundRequest) -> BoxFut<'a, Result<(), PaymentError>> {
        Box::pin(async move {
            let form = [p("payment_intent", &req.payment_ref), p("metadata[donation_id]", &req.donation_id)];
            self.post("/v1/refunds", &form, Some(&format!("refund-{}", req.donation_id))).await.map(|_| ())
        })
    }

    fn cancel_subscription<'a>(&'a self, subscription: &'a str) -> BoxFut<'a, Result<(), PaymentError>> {
        Box::pin(async move {
            let req = self.client.delete(format!("{}/v1/subscriptions/{subscription}", self.api_base));
            self.send(req).await.map(|_| ())
        })
    }

    fn pause_subscription<'a>(&'a self, subscription: &'a str, paused: bool) -> BoxFut<'a, Result<(), PaymentError>> {
        Box::pin(async move {
            // Pausing voids the invoices of the pause; an empty value lifts it.
            let form =
                if paused { vec![p("pause_collection[behavior]", "void")] } else { vec![p("pause_collection", "")] };
            self.post(&format!("/v1/subscriptions/{subscription}"), &form, None).await.map(|_| ())
        })
    }

    fn change_subscription_amount<'a>(
        &'a self,
        subscription: &'a str,
        amount: i64,
        currency: &'a str,
    ) -> BoxFut<'a, Result<(), PaymentError>> {
        Box::pin(async move {
            let sub = self.send(self.client.get(format!("{}/v1/subscriptions/{subscription}", self.api_base))).await?;
            let item = sub.pointer("/items/data/0/id").and_then(Value::as_str).unwrap_or_default();
            let product = sub.pointer("/items/data/0/price/product").and_then(Value::as_str).unwrap_or_default();
            if item.is_empty() || product.is_empty() {
                return Err(PaymentError::Refused("subscription has no item".into()));
            }
            let form = [
                p("items[0][id]", item),
                p("items[0][price_data][currency]", currency.to_lowercase()),
                p("items[0][price_data][product]", product),
                p("items[0][price_data][unit_amount]", amount),
                p("items[0][price_data][recurring][interval]", "month"),
                p("proration_behavior", "none"),
            ];
            self.post(&format!("/v1/subscriptions/{subscription}"), &form, None).await.map(|_| ())
        })
    }

    fn verify_webhook(&self, headers: &http::HeaderMap, body: &[u8], now: i64) -> Result<Vec<Event>, WebhookError> {
        verify_stripe_format(&self.webhook_secret, headers, body, now)
    }
}

/// Shared by Stripe and the test provider: `Stripe-Signature` on the raw body, then the event.
pub fn verify_stripe_format(
    secret: &str,
    headers: &http::HeaderMap,
    body: &[u8],
    now: i64,
) -> Result<Vec<Event>, WebhookError> {
    if secret.is_empty() {
        return Err(WebhookError::Forged);
    }
    let header = headers.get("stripe-signature").and_then(|v| v.to_str().ok()).ok_or(WebhookError::Malformed)?;
    webhook::verify(secret, header, body, now).map_err(|e| match e {
        SigError::Malformed => WebhookError::Malformed,
        SigError::Stale => WebhookError::Stale,
        SigError::Mismatch => WebhookError::Forged,
    })?;
    webhook::parse_event(body).map(|e| vec![e]).ok_or(WebhookError::NotAnEvent)
}
