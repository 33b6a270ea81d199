//! What the donations feature needs from a payment provider. The server implements it for Stripe,
//! Netopia and the offline test provider; card data never reaches Participa, only the provider's
//! hosted checkout does.
use crate::i18n::Lang;
use crate::types::money::FeeRule;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub type BoxFut<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A checkout to open; every amount was computed by Participa, never taken from the browser.
#[derive(Clone, Debug)]
pub struct CheckoutRequest {
    /// The donation's public id, echoed back in the provider's events as metadata.
    pub donation_id: String,
    /// Sent to the provider so a retried request never opens a second checkout.
    pub idempotency_key: String,
    pub title: String,
    /// The amount charged (the gift plus any fee the donor chose to cover), in bani.
    pub amount: i64,
    pub currency: String,
    pub monthly: bool,
    pub donor_email: String,
    pub donor_name: String,
    pub lang: Lang,
    pub success_url: String,
    pub cancel_url: String,
    /// Where the provider posts its notifications (Netopia asks for it per payment).
    pub notify_url: String,
}

/// The provider's checkout: its reference and the page to send the donor to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkout {
    pub session_ref: String,
    pub redirect_url: String,
}

/// A refund of one payment, by the provider's reference for it.
#[derive(Clone, Debug)]
pub struct RefundRequest {
    pub donation_id: String,
    pub payment_ref: String,
    pub amount: i64,
    pub currency: String,
}

#[derive(Debug, thiserror::Error)]
pub enum PaymentError {
    #[error("the provider refused the request: {0}")]
    Refused(String),
    #[error("the provider could not be reached: {0}")]
    Unavailable(String),
    #[error("this provider does not support that")]
    Unsupported,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum WebhookError {
    #[error("signature missing or malformed")]
    Malformed,
    #[error("signature too old")]
    Stale,
    #[error("signature does not match")]
    Forged,
    #[error("body is not an event")]
    NotAnEvent,
}

pub trait PaymentProvider: Send + Sync {
    /// Stored with every donation and event: `stripe`, `netopia` or `test`.
    fn name(&self) -> &'static str;
    /// The test provider: the UI says "test mode" and no money moves.
    fn test_mode(&self) -> bool {
        false
    }
    /// False when no provider is configured: campaigns say online giving is not available yet.
    fn enabled(&self) -> bool {
        true
    }
    /// Origins of the provider's hosted checkout pages. A donation form may be sent there (the CSP's
    /// `form-action` lists them) and nowhere else (`donate` refuses any other redirect).
    fn checkout_origins(&self) -> Vec<String> {
        vec![]
    }
    /// The provider's published card fee, for "cover the fee".
    fn fee_rule(&self) -> FeeRule;
    fn supports_monthly(&self) -> bool {
        true
    }
    /// Whether [`PaymentProvider::refund`] works: the dashboard offers the button only then, and
    /// the refund action refuses up front with a message the organisation can act on.
    fn supports_refund(&self) -> bool {
        true
    }
    fn create_checkout<'a>(&'a self, req: &'a CheckoutRequest) -> BoxFut<'a, Result<Checkout, PaymentError>>;
    /// Asks the provider to refund; the ledger is reversed when its refund event arrives.
    fn refund<'a>(&'a self, req: &'a RefundRequest) -> BoxFut<'a, Result<(), PaymentError>>;
    fn cancel_subscription<'a>(&'a self, subscription: &'a str) -> BoxFut<'a, Result<(), PaymentError>>;
    fn pause_subscription<'a>(&'a self, subscription: &'a str, paused: bool) -> BoxFut<'a, Result<(), PaymentError>>;
    fn change_subscription_amount<'a>(
        &'a self,
        subscription: &'a str,
        amount: i64,
        currency: &'a str,
    ) -> BoxFut<'a, Result<(), PaymentError>>;
    /// Checks a notification's signature on the raw body and reads it into events.
    fn verify_webhook(&self, headers: &http::HeaderMap, body: &[u8], now: i64) -> Result<Vec<Event>, WebhookError>;
    /// The body the provider expects when a notification was taken.
    fn webhook_ack(&self) -> &'static str {
        "{\"received\":true}"
    }
}

/// The origin (`scheme://host[:port]`) of a URL, lower-cased.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty() && matches!(scheme, "http" | "https")).then(|| format!("{scheme}://{host}").to_ascii_lowercase())
}

/// Whether a checkout URL the provider returned leads to one of its own checkout origins.
pub fn is_checkout_url(provider: &dyn PaymentProvider, url: &str, public_url: &str) -> bool {
    let Some(origin) = origin_of(url) else { return false };
    provider.checkout_origins().iter().any(|o| o.eq_ignore_ascii_case(&origin))
        || origin_of(public_url).is_some_and(|own| own == origin)
}

/// Card-testing defence: checkouts opened per hour by one IP, one e-mail address, one campaign.
#[derive(Clone, Copy, Debug)]
pub struct CheckoutLimits {
    pub per_ip: i64,
    pub per_email: i64,
    pub per_campaign: i64,
}

impl Default for CheckoutLimits {
    fn default() -> Self {
        CheckoutLimits { per_ip: 10, per_email: 5, per_campaign: 300 }
    }
}

#[derive(Clone)]
pub struct Payments {
    pub provider: Arc<dyn PaymentProvider>,
    pub limits: CheckoutLimits,
}

/// What an event means for Participa, whichever provider sent it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// The donor finished checkout; `paid` is false for delayed methods (money arrives later).
    CheckoutCompleted {
        donation: String,
        session: String,
        paid: bool,
        amount: i64,
        currency: String,
        subscription: Option<String>,
        payment: Option<String>,
    },
    AsyncSucceeded {
        donation: String,
        amount: i64,
        currency: String,
        payment: Option<String>,
    },
    Failed {
        donation: String,
    },
    /// The checkout was abandoned or expired.
    Expired {
        donation: String,
    },
    /// A monthly invoice was paid: the first one pays the donation created at checkout, later ones are renewals.
    InvoicePaid {
        invoice: String,
        subscription: String,
        donation: Option<String>,
        first: bool,
        amount: i64,
        currency: String,
        payment: Option<String>,
    },
    InvoiceFailed {
        subscription: String,
        donation: Option<String>,
    },
    SubscriptionEnded {
        subscription: String,
        donation: Option<String>,
    },
    /// A charge was refunded (or a dispute lost): `amount` is what was refunded in total.
    Refunded {
        donation: Option<String>,
        payment: Option<String>,
        amount: i64,
    },
    /// Acknowledged and logged, nothing to do.
    Ignored,
}

/// A parsed event: its id (for idempotency), type and effect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub id: String,
    pub kind: String,
    pub effect: Effect,
}
