//! The offline test provider (on only with `PAYMENTS=test`, never with an https `PUBLIC_URL`): a hosted checkout page
//! served by Participa itself, where the donor picks what happens (success, decline, cancel, pay
//! later), and Stripe-format signed webhooks delivered to Participa's own endpoint over real HTTP,
//! duplicated or out of order on request. Nothing is faked past the provider boundary.
use super::stripe::verify_stripe_format;
use super::stripe_format as webhook;
use app::i18n::{Lang, K};
use app::ssr::payments::Event;
use app::ssr::payments::{
    BoxFut, Checkout, CheckoutRequest, PaymentError, PaymentProvider, RefundRequest, WebhookError,
};
use app::ssr::{AppState, Settings};
use app::types::money::{FeeRule, STRIPE_FEE};
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde_json::{json, Value};
use std::time::Duration;

/// The test provider's webhook secret: its own key derived from the server's secret, so it
/// survives restarts and tells nothing about any other key.
pub fn webhook_secret(settings: &Settings) -> String {
    let key = settings.keys.key(app::ssr::signing::Purpose::TestWebhook);
    format!("whsec_test_{}", &hex::encode(key)[..32])
}

pub struct TestProvider {
    public_url: String,
    secret: String,
    client: reqwest::Client,
}

impl TestProvider {
    pub fn new(settings: &Settings) -> TestProvider {
        TestProvider {
            public_url: settings.public_url.trim_end_matches('/').to_string(),
            secret: webhook_secret(settings),
            client: client(),
        }
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap_or_else(|_| reqwest::Client::new())
}

/// Signs `body` now and POSTs it to the webhook endpoint, retrying a few times like a provider does.
pub async fn deliver(client: &reqwest::Client, url: &str, secret: &str, body: &str) -> bool {
    for attempt in 0..4u64 {
        let sig = webhook::sign(secret, app::ssr::now(), body.as_bytes());
        let res = client
            .post(url)
            .header("content-type", "application/json")
            .header("stripe-signature", sig)
            .body(body.to_string())
            .send()
            .await;
        match res {
            Ok(r) if r.status().is_success() => return true,
            Ok(r) if r.status() == StatusCode::BAD_REQUEST => {
                tracing::warn!(status = %r.status(), "test provider: webhook refused");
                return false;
            }
            Ok(r) => tracing::warn!(status = %r.status(), attempt, "test provider: webhook will be retried"),
            Err(e) => tracing::warn!(error = %e, attempt, "test provider: webhook will be retried"),
        }
        tokio::time::sleep(Duration::from_millis(200 * (attempt + 1))).await;
    }
    false
}

fn event(kind: &str, object: Value) -> String {
    json!({
        "id": format!("evt_test_{}", app::ssr::public_id()),
        "object": "event",
        "type": kind,
        "created": app::ssr::now(),
        "livemode": false,
        "data": { "object": object },
    })
    .to_string()
}

impl PaymentProvider for TestProvider {
    fn name(&self) -> &'static str {
        "test"
    }

    fn test_mode(&self) -> bool {
        true
    }

    fn fee_rule(&self) -> FeeRule {
        STRIPE_FEE
    }

    fn create_checkout<'a>(&'a self, req: &'a CheckoutRequest) -> BoxFut<'a, Result<Checkout, PaymentError>> {
        Box::pin(async move {
            Ok(Checkout {
                session_ref: format!("cs_test_{}", req.donation_id),
                redirect_url: format!("{}/payments/test/checkout/{}", self.public_url, req.donation_id),
            })
        })
    }

    fn refund<'a>(&'a self, req: &'a RefundRequest) -> BoxFut<'a, Result<(), PaymentError>> {
        Box::pin(async move {
            let body = event(
                "charge.refunded",
                json!({
                    "id": format!("ch_test_{}", req.donation_id),
                    "object": "charge",
                    "payment_intent": req.payment_ref,
                    "amount": req.amount,
                    "amount_refunded": req.amount,
                    "currency": req.currency.to_lowercase(),
                    "refunded": true,
                    "metadata": { "donation_id": req.donation_id },
                }),
            );
            spawn_delivery(self.client.clone(), self.webhook_url(), self.secret.clone(), vec![body], None);
            Ok(())
        })
    }

    fn cancel_subscription<'a>(&'a self, subscription: &'a str) -> BoxFut<'a, Result<(), PaymentError>> {
        Box::pin(async move {
            let body = event(
                "customer.subscription.deleted",
                json!({ "id": subscription, "object": "subscription", "status": "canceled", "metadata": {} }),
            );
            spawn_delivery(self.client.clone(), self.webhook_url(), self.secret.clone(), vec![body], None);
            Ok(())
        })
    }

    fn pause_subscription<'a>(&'a self, _subscription: &'a str, _paused: bool) -> BoxFut<'a, Result<(), PaymentError>> {
        Box::pin(async { Ok(()) })
    }

    fn change_subscription_amount<'a>(
        &'a self,
        _subscription: &'a str,
        _amount: i64,
        _currency: &'a str,
    ) -> BoxFut<'a, Result<(), PaymentError>> {
        Box::pin(async { Ok(()) })
    }

    fn verify_webhook(&self, headers: &HeaderMap, body: &[u8], now: i64) -> Result<Vec<Event>, WebhookError> {
        verify_stripe_format(&self.secret, headers, body, now)
    }
}

impl TestProvider {
    fn webhook_url(&self) -> String {
        format!("{}/webhooks/test", self.public_url)
    }
}

/// Delivers in the background, so the hosted page answers at once; `later` is sent after a pause
/// (a delayed payment method).
fn spawn_delivery(client: reqwest::Client, url: String, secret: String, now: Vec<String>, later: Option<String>) {
    tokio::spawn(async move {
        for body in now {
            deliver(&client, &url, &secret, &body).await;
        }
        if let Some(body) = later {
            tokio::time::sleep(Duration::from_millis(1500)).await;
            deliver(&client, &url, &secret, &body).await;
        }
    });
}

/// What the donor chose on the hosted page.
#[derive(serde::Deserialize)]
pub struct Choice {
    outcome: String,
    #[serde(default)]
    twice: Option<String>,
    #[serde(default)]
    reversed: Option<String>,
}

/// The Stripe-format events a checkout with `outcome` produces, in the order Stripe sends them;
/// the second list is delivered later (the delayed payment).
pub fn events_for(d: &app::donations::db::DonationRow, session: &str, outcome: &str) -> (Vec<String>, Option<String>) {
    let pid = &d.public_id;
    let sub = d.monthly.then(|| format!("sub_test_{pid}"));
    let pi = format!("pi_test_{pid}");
    let cur = d.currency.to_lowercase();
    let session_obj = |status: &str| {
        json!({
            "id": session, "object": "checkout.session", "mode": if d.monthly { "subscription" } else { "payment" },
            "amount_total": d.total_bani, "currency": cur, "payment_status": status, "status": "complete",
            "client_reference_id": pid, "metadata": { "donation_id": pid },
            "payment_intent": if d.monthly { Value::Null } else { json!(pi) }, "subscription": sub,
        })
    };
    let invoice = || {
        event(
            "invoice.paid",
            json!({
                "id": format!("in_test_{pid}"), "object": "invoice", "billing_reason": "subscription_create",
                "subscription": sub, "amount_paid": d.total_bani, "currency": cur, "payment_intent": pi,
                "subscription_details": { "metadata": { "donation_id": pid } },
            }),
        )
    };
    match outcome {
        "success" => {
            let mut v = vec![event("checkout.session.completed", session_obj("paid"))];
            if d.monthly {
                v.push(invoice());
            }
            (v, None)
        }
        "later" => {
            let first = vec![event("checkout.session.completed", session_obj("unpaid"))];
            let later = if d.monthly {
                invoice()
            } else {
                event("checkout.session.async_payment_succeeded", session_obj("paid"))
            };
            (first, Some(later))
        }
        "decline" => (
            vec![event(
                "payment_intent.payment_failed",
                json!({ "id": pi, "object": "payment_intent", "status": "requires_payment_method", "metadata": { "donation_id": pid },
                        "last_payment_error": { "code": "card_declined" } }),
            )],
            None,
        ),
        _ => (vec![event("checkout.session.expired", session_obj("unpaid"))], None),
    }
}

use app::ssr::request::lang_of;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// `GET /payments/test/checkout/{id}`: the hosted page, in the donor's language.
pub async fn checkout_page(State(st): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let lang = lang_of(&headers);
    let d = match app::donations::db::donation_by_public(&st.db, &id).await {
        Ok(Some(d)) if d.provider == "test" && d.status == "pending" => d,
        Ok(_) => {
            return (
                StatusCode::NOT_FOUND,
                Html(page(lang, &format!("<p>{}</p>", esc(lang.t(K::donations_checkout_expired))))),
            )
                .into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "test checkout");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let option = |value: &str, label: K, checked: bool| {
        format!(
            "<div class=\"check\"><input type=\"radio\" id=\"o-{value}\" name=\"outcome\" value=\"{value}\"{}><label for=\"o-{value}\">{}</label></div>",
            if checked { " checked" } else { "" },
            esc(lang.t(label))
        )
    };
    let body = format!(
        "<p class=\"test-mode\" role=\"note\"><strong>{tm}</strong> {tmt}</p>
         <p class=\"lead\">{title}</p>
         <p>{amount_label}: <strong class=\"checkout-amount\">{amount}</strong>{monthly}</p>
         <form method=\"post\" class=\"form\">
           <fieldset class=\"field\"><legend>{intro}</legend>{o1}{o2}{o3}{o4}</fieldset>
           <div class=\"check\"><input type=\"checkbox\" id=\"twice\" name=\"twice\" value=\"1\"><label for=\"twice\">{twice}</label></div>
           <div class=\"check\"><input type=\"checkbox\" id=\"reversed\" name=\"reversed\" value=\"1\"><label for=\"reversed\">{reversed}</label></div>
           <button type=\"submit\" class=\"button big\">{pay}</button>
         </form>",
        tm = esc(lang.t(K::donations_test_mode)),
        tmt = esc(lang.t(K::donations_test_mode_text)),
        title = esc(&format!("{} · {}", d.campaign_title, d.org_name)),
        amount_label = esc(lang.t(K::donations_checkout_amount)),
        amount = esc(&app::fmt::lei(lang, d.total_bani)),
        monthly = if d.monthly { format!(" ({})", esc(lang.t(K::donations_monthly))) } else { String::new() },
        intro = esc(lang.t(K::donations_checkout_intro)),
        o1 = option("success", K::donations_outcome_success, true),
        o2 = option("decline", K::donations_outcome_decline, false),
        o3 = option("cancel", K::donations_outcome_cancel, false),
        o4 = option("later", K::donations_outcome_later, false),
        twice = esc(lang.t(K::donations_deliver_twice)),
        reversed = esc(lang.t(K::donations_deliver_reversed)),
        pay = esc(lang.t(K::donations_checkout_pay)),
    );
    Html(page(lang, &body)).into_response()
}

fn page(lang: Lang, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"{code}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">
         <title>{title}</title><link rel=\"stylesheet\" href=\"/pkg/participa.css\"><link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\"></head>
         <body><main id=\"main\" class=\"wrap test-checkout\"><h1>{title}</h1>{body}</main></body></html>",
        code = lang.code(),
        title = esc(lang.t(K::donations_checkout_title)),
    )
}

/// `POST /payments/test/checkout/{id}`: sends the chosen events and returns the donor to Participa.
pub async fn checkout_submit(State(st): State<AppState>, Path(id): Path<String>, Form(c): Form<Choice>) -> Response {
    let d = match app::donations::db::donation_by_public(&st.db, &id).await {
        Ok(Some(d)) if d.provider == "test" => d,
        Ok(_) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "test checkout");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let base = st.settings.public_url.trim_end_matches('/').to_string();
    let back = format!("/donate/return/{}", d.public_id);
    if d.status != "pending" {
        return Redirect::to(&back).into_response();
    }
    let session = format!("cs_test_{}", d.public_id);
    let (mut now, later) = events_for(&d, &session, &c.outcome);
    if c.reversed.is_some() {
        now.reverse();
    }
    if c.twice.is_some() {
        now = now.into_iter().flat_map(|e| [e.clone(), e]).collect();
    }
    let later = later.map(|l| if c.twice.is_some() { vec![l.clone(), l] } else { vec![l] });
    let secret = webhook_secret(&st.settings);
    let url = format!("{base}/webhooks/test");
    tokio::spawn(async move {
        let client = client();
        for body in now {
            deliver(&client, &url, &secret, &body).await;
        }
        if let Some(later) = later {
            tokio::time::sleep(Duration::from_millis(1500)).await;
            for body in later {
                deliver(&client, &url, &secret, &body).await;
            }
        }
    });
    let target = if matches!(c.outcome.as_str(), "success" | "later") { back } else { format!("{back}?cancelled=1") };
    Redirect::to(&target).into_response()
}
