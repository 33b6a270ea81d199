//! Payment providers (Stripe, Netopia, the offline test provider) behind the app's
//! `PaymentProvider` trait, and the one webhook route they all post to.
pub mod netopia;
pub mod stripe;
pub mod test_provider;

use app::ssr::payments::{CheckoutLimits, PaymentProvider, Payments};
use app::ssr::{AppState, Settings};
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

/// Stripe when `STRIPE_SECRET_KEY` is set, else Netopia when `NETOPIA_API_KEY` is set, else the
/// test provider (no money moves; the UI says "test mode").
pub fn from_env(settings: &Settings) -> Payments {
    let provider: Arc<dyn PaymentProvider> = if let Some(key) = var("STRIPE_SECRET_KEY") {
        Arc::new(stripe::StripeProvider::new(
            var("STRIPE_API_BASE").unwrap_or_else(|| stripe::API_BASE.into()),
            key,
            var("STRIPE_WEBHOOK_SECRET").unwrap_or_default(),
        ))
    } else if let Some(key) = var("NETOPIA_API_KEY") {
        let pem = var("NETOPIA_PUBLIC_KEY").map(|p| std::fs::read_to_string(&p).unwrap_or(p)).unwrap_or_default();
        Arc::new(netopia::NetopiaProvider::new(
            var("NETOPIA_API_BASE").unwrap_or_else(|| netopia::API_BASE.into()),
            key,
            var("NETOPIA_POS_SIGNATURE").unwrap_or_default(),
            pem.into_bytes(),
        ))
    } else {
        Arc::new(test_provider::TestProvider::new(settings))
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
        match app::donations::db::apply_event(&st.db, p.name(), ev).await {
            Ok(outcome) => {
                tracing::info!(provider = %provider, event = %ev.id, kind = %ev.kind, ?outcome, "webhook");
                app::donations::after_event(&st.db, &st.settings, &outcome).await;
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
