//! Server-only plumbing the features share: state, database, sessions, rate limits, mail queue.
pub mod csv;
pub mod db;
pub mod forms;
pub mod images;
pub mod mail;
pub mod markdown;
pub mod multipart;
pub mod one_click;
pub mod payments;
pub mod pdf;
pub mod personal;
pub mod rate_limit;
pub mod reads;
pub mod signing;
pub mod storage;

use leptos::config::LeptosOptions;
use std::sync::Arc;

pub use db::{Db, DbKind, PoolSettings};

/// Settings the features need; the server fills them from the environment.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Base URL used in e-mails, e.g. `http://127.0.0.1:3000`.
    pub public_url: String,
    /// Send cookies with `Secure` (true when served over https).
    pub cookie_secure: bool,
    /// How many reverse proxies in front of us append to `X-Forwarded-For` (`TRUST_PROXY`); the
    /// client is the address the outermost trusted one appended. 0 = use the peer address.
    pub proxy_hops: usize,
    /// Sign-in attempts allowed per IP and per account in `login_window_secs`.
    pub login_limit: i64,
    pub login_window_secs: i64,
    /// Registrations and password-reset requests per IP per hour.
    pub signup_limit: i64,
    /// One key per purpose, derived from the server's secret (`SECRET_KEY`).
    pub keys: signing::Keys,
    /// Verified accounts with these e-mails become platform admins (`ADMIN_EMAILS`).
    pub admin_emails: Vec<String>,
    /// How long anonymous visitors may get a kept copy of a public page (ms); 0 = never.
    pub page_cache_ms: u64,
    /// How long rows that every reader sees alike may be reused, signed in or not (ms); 0 = never.
    pub data_cache_ms: u64,
    /// No SMTP server: mail stays in the outbox, readable by admins (a demo or a first install).
    pub outbox_only: bool,
    /// A session unused this long ends (seconds).
    pub idle_timeout_secs: i64,
    /// Who runs this platform and whom it hands data to (the legal pages say so).
    pub operator: Operator,
}

/// The data controller and the outside services this installation uses, from `OPERATOR_NAME`,
/// `OPERATOR_ADDRESS`, `OPERATOR_EMAIL`, `DPO_EMAIL`, `SOURCE_URL`, `S3_*` and the map's tiles.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Operator {
    pub name: String,
    pub address: String,
    pub email: String,
    /// The data-protection officer's address; empty when none is designated.
    pub dpo_email: String,
    /// Where the source of this installation can be had; empty = the `/source` page only.
    pub source_url: String,
    /// The demo's placeholder identity, which the pages mark as not real.
    pub placeholder: bool,
    /// Host of the S3-compatible storage uploads go to; empty = this server's own disk.
    pub storage_host: String,
    /// Origin of the map's tile server; empty = no tiles.
    pub tile_origin: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            public_url: "http://127.0.0.1:3000".into(),
            cookie_secure: false,
            proxy_hops: 0,
            login_limit: 5,
            login_window_secs: 15 * 60,
            signup_limit: 10,
            // No default secret: whoever builds settings without one gets fresh random keys.
            keys: signing::Keys::random(),
            admin_emails: vec![],
            page_cache_ms: 0,
            data_cache_ms: 0,
            outbox_only: true,
            idle_timeout_secs: 14 * 24 * 3600,
            operator: Operator::default(),
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub settings: Arc<Settings>,
    /// Uploaded files (photos, attachments).
    pub store: Arc<storage::Store>,
    /// The payment provider (Stripe, Netopia or the offline test provider) and checkout limits.
    pub payments: payments::Payments,
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> Self {
        s.leptos_options.clone()
    }
}

/// The state provided to every server function and SSR render by `leptos_routes`.
pub fn state() -> AppState {
    leptos::prelude::expect_context::<AppState>()
}

pub fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// A random token, URL-safe, with 256 bits of entropy.
pub fn random_token() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Short random id safe to expose in URLs (128 bits).
pub fn public_id() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Tokens are stored hashed: a database leak must not hand out sessions or reset links.
pub fn sha256_hex(s: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// Request facts the features need: client IP, cookies, headers.
pub mod request {
    use http::request::Parts;
    use leptos::prelude::use_context;

    pub fn parts() -> Option<Parts> {
        use_context::<Parts>()
    }

    pub fn cookie(name: &str) -> Option<String> {
        let parts = parts()?;
        parts
            .headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|p| p.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    }

    /// The client's IP address as the server middleware resolved it.
    pub fn client_ip() -> String {
        parts().and_then(|p| p.extensions.get::<ClientIp>().map(|c| c.0.clone())).unwrap_or_else(|| "unknown".into())
    }

    pub fn user_agent() -> String {
        parts()
            .and_then(|p| p.headers.get(http::header::USER_AGENT)?.to_str().ok().map(|s| s.chars().take(200).collect()))
            .unwrap_or_default()
    }

    /// The language of a plain axum handler's request (multipart forms, downloads), from its cookie.
    pub fn lang_of(headers: &http::HeaderMap) -> crate::i18n::Lang {
        headers
            .get(http::header::COOKIE)
            .and_then(|v| v.to_str().ok())
            .and_then(crate::i18n::lang_from_cookie_header)
            .unwrap_or_default()
    }

    /// Set by the server's middleware for every request.
    #[derive(Clone, Debug)]
    pub struct ClientIp(pub String);

    /// The CSP nonce the server's middleware put in the header for this response.
    #[derive(Clone, Debug)]
    pub struct CspNonce(pub String);
}

/// Adds a header to the response of the current server function or page.
pub fn set_header(name: http::HeaderName, value: &str) {
    if let (Some(opts), Ok(v)) =
        (leptos::prelude::use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(value))
    {
        opts.append_header(name, v);
    }
}
