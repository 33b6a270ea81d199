//! Payment providers (Stripe, Netopia, the offline test provider) behind the app's
//! `PaymentProvider` trait, and the one webhook route they all post to.
pub mod netopia;
pub mod stripe;
pub mod stripe_format;
pub mod test_provider;

use crate::config::PaymentsMode;
use app::ssr::payments::{
    BoxFut, Checkout, CheckoutLimits, CheckoutRequest, Event, PaymentError, PaymentProvider, Payments, RefundRequest,
    WebhookError,
};
use app::ssr::{AppState, Settings};
use app::types::money::FeeRule;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn num(name: &str, default: i64) -> i64 {
    var(name).and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The provider `PAYMENTS` chose (see [`crate::config::PaymentsMode`]); the configuration has
/// already checked that its keys are there.
pub fn from_config(mode: PaymentsMode, settings: &Settings) -> Payments {
    let provider: Arc<dyn PaymentProvider> = match mode {
        PaymentsMode::Stripe => Arc::new(stripe::StripeProvider::new(
            var("STRIPE_API_BASE").unwrap_or_else(|| stripe::API_BASE.into()),
            var("STRIPE_CHECKOUT_ORIGIN").unwrap_or_else(|| stripe::CHECKOUT_ORIGIN.into()),
            var("STRIPE_SECRET_KEY").unwrap_or_default(),
            var("STRIPE_WEBHOOK_SECRET").unwrap_or_default(),
        )),
        PaymentsMode::Netopia => {
            let pem = var("NETOPIA_PUBLIC_KEY").map(|p| std::fs::read_to_string(&p).unwrap_or(p)).unwrap_or_default();
            Arc::new(netopia::NetopiaProvider::new(
                var("NETOPIA_API_BASE").unwrap_or_else(|| netopia::API_BASE.into()),
                var("NETOPIA_CHECKOUT_ORIGIN").unwrap_or_else(|| netopia::CHECKOUT_ORIGIN.into()),
                var("NETOPIA_API_KEY").unwrap_or_default(),
                var("NETOPIA_POS_SIGNATURE").unwrap_or_default(),
                pem.into_bytes(),
            ))
        }
        PaymentsMode::Test => Arc::new(test_provider::TestProvider::new(settings)),
        PaymentsMode::Off => Arc::new(Disabled),
    };
    let d = CheckoutLimits::default();
    Payments {
        provider,
        limits: CheckoutLimits {
            per_ip: num("DONATION_LIMIT_IP", d.per_ip),
            per_email: num("DONATION_LIMIT_EMAIL", d.per_email),
            per_campaign: num("DONATION_LIMIT_CAMPAIGN", d.per_campaign),
        },
    }
}

/// No provider configured: nothing can be paid, and campaign pages say so.
pub struct Disabled;

impl PaymentProvider for Disabled {
    fn name(&self) -> &'static str {
        "none"
    }
    fn enabled(&self) -> bool {
        false
    }
    fn fee_rule(&self) -> FeeRule {
        FeeRule { bps: 0, fixed_bani: 0 }
    }
    fn supports_monthly(&self) -> bool {
        false
    }
    fn supports_refund(&self) -> bool {
        false
    }
    fn create_checkout<'a>(&'a self, _: &'a CheckoutRequest) -> BoxFut<'a, Result<Checkout, PaymentError>> {
        Box::pin(async { Err(PaymentError::Unsupported) })
    }
    fn refund<'a>(&'a self, _: &'a RefundRequest) -> BoxFut<'a, Result<(), PaymentError>> {
        Box::pin(async { Err(PaymentError::Unsupported) })
    }
    fn cancel_subscription<'a>(&'a self, _: &'a str) -> BoxFut<'a, Result<(), PaymentError>> {
        Box::pin(async { Err(PaymentError::Unsupported) })
    }
    fn pause_subscription<'a>(&'a self, _: &'a str, _: bool) -> BoxFut<'a, Result<(), PaymentError>> {
        Box::pin(async { Err(PaymentError::Unsupported) })
    }
    fn change_subscription_amount<'a>(
        &'a self,
        _: &'a str,
        _: i64,
        _: &'a str,
    ) -> BoxFut<'a, Result<(), PaymentError>> {
        Box::pin(async { Err(PaymentError::Unsupported) })
    }
    fn verify_webhook(&self, _: &HeaderMap, _: &[u8], _: i64) -> Result<Vec<Event>, WebhookError> {
        Err(WebhookError::Forged)
    }
}

/// `POST /webhooks/{provider}`: the signature is checked on the raw body before anything is read;
/// every event is applied exactly once (the database refuses a second copy).
pub async fn webhook(
    State(st): State<AppState>,
    Path(provider): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let p = st.payments.provider.clone();
    if provider != p.name() {
        return StatusCode::NOT_FOUND.into_response();
    }
    let events = match p.verify_webhook(&headers, &body, app::ssr::now()) {
        Ok(ev) => ev,
        Err(e) => {
            tracing::warn!(provider = %provider, error = %e, "webhook refused");
            return (StatusCode::BAD_REQUEST, "invalid signature").into_response();
        }
    };
    for ev in &events {
        match app::donations::service::events::apply_event(&st.db, p.name(), ev).await {
            Ok(outcome) => {
                tracing::info!(provider = %provider, event = %ev.id, kind = %ev.kind, ?outcome, "webhook");
                app::donations::service::events::after_event(&st.db, &st.settings, &outcome).await;
            }
            Err(e) => {
                // Not acknowledged: the provider retries, and the unique key makes the retry safe.
                tracing::error!(provider = %provider, event = %ev.id, error = %e, "webhook not applied");
                return (StatusCode::INTERNAL_SERVER_ERROR, "retry").into_response();
            }
        }
    }
    ([(axum::http::header::CONTENT_TYPE, "application/json")], p.webhook_ack()).into_response()
}
