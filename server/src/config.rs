//! Configuration from environment variables (listed in the README). Safe by default: the server
//! refuses to start without a strong secret, and the offline test payment provider is on only when
//! asked for; a demo on a loopback address may run without a secret (random keys for the run).
use app::ssr::signing::{self, Keys};
use app::ssr::Settings;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct S3 {
    pub bucket: String,
    pub endpoint: Option<String>,
    pub region: String,
    pub access_key: Option<String>,
    pub secret_key: Option<String>,
}

/// Which payment provider takes card gifts (`PAYMENTS`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaymentsMode {
    Stripe,
    Netopia,
    /// The offline test provider: a checkout page served by Participa itself; no money moves.
    Test,
    /// No provider configured: campaigns show that online giving is not available yet.
    Off,
}

#[derive(Clone, Debug)]
pub struct Config {
    pub database_url: String,
    pub pool: app::ssr::PoolSettings,
    /// How long start-up waits for a database that is not up yet.
    pub db_wait: std::time::Duration,
    /// `/metrics` answers only with `Authorization: Bearer <METRICS_TOKEN>`; unset, it does not exist.
    pub metrics_token: Option<String>,
    /// How often each server reads the shared cache generation (milliseconds).
    pub cache_sync_ms: u64,
    /// Seconds `/readyz` says "draining" after SIGTERM before the listener closes.
    pub drain_secs: u64,
    /// Seconds in-flight requests get to finish after that.
    pub shutdown_secs: u64,
    /// Newsletter mails queued a minute, across all servers.
    pub newsletter_per_minute: i64,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    /// The first wait (seconds) before a failed mail is tried again; it doubles each time.
    pub mail_retry_secs: i64,
    pub demo: bool,
    pub log_json: bool,
    pub data_dir: String,
    /// S3-compatible storage for uploads; local disk under `DATA_DIR/media` when unset.
    pub s3: Option<S3>,
    pub payments: PaymentsMode,
    /// HTTP request bodies larger than this are refused (upload routes set their own limits).
    pub max_body_bytes: usize,
    pub settings: Settings,
}

/// Why the server will not start with this configuration.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error(
        "SECRET_KEY is not set. Generate one with `openssl rand -hex 32` and set SECRET_KEY (or SECRET_KEY_FILE). \
         Only a demo (DEMO=1) served on a loopback address may start without it"
    )]
    MissingSecret,
    #[error("{0}")]
    WeakSecret(signing::SecretError),
    #[error("SECRET_KEY_FILE {0} cannot be read: {1}")]
    SecretFile(String, String),
    #[error("PAYMENTS={0} is not one of stripe, netopia, test, off")]
    UnknownPayments(String),
    #[error("PAYMENTS={0} needs {1}")]
    PaymentsIncomplete(&'static str, &'static str),
    #[error("PAYMENTS=test (no money moves, anyone can \"pay\") is refused when PUBLIC_URL is https")]
    TestPaymentsInProduction,
    #[error("METRICS_TOKEN must be at least 16 characters (for example `openssl rand -hex 16`)")]
    WeakMetricsToken,
    #[error("TRUST_PROXY must be a number of proxy hops (1, 2 …) or off")]
    BadProxyHops,
}

fn is_loopback_addr(addr: &str) -> bool {
    let host = addr.rsplit_once(':').map(|(h, _)| h).unwrap_or(addr).trim_matches(['[', ']']);
    host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn is_loopback_url(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("http://") else { return false };
    is_loopback_addr(rest.split('/').next().unwrap_or(""))
}

/// The operator's identity for the legal pages. A demo without `OPERATOR_NAME` shows a placeholder
/// the pages mark as not real; any other install without it says the operator is not configured.
fn operator(var: &dyn Fn(&str) -> Option<String>, demo: bool) -> app::ssr::Operator {
    let placeholder = demo && var("OPERATOR_NAME").is_none();
    let (name, address, email) = if placeholder {
        ("Asociația Exemplu (demo)", "Strada Exemplului 1, Focșani, Vrancea (demo)", "operator@exemplu.invalid")
    } else {
        ("", "", "")
    };
    if !demo && var("OPERATOR_NAME").is_none() {
        tracing::warn!("OPERATOR_NAME is not set: the privacy notice and the other legal pages name no operator");
    }
    let host = |url: String| url.split("://").nth(1).unwrap_or(&url).split('/').next().unwrap_or("").to_string();
    app::ssr::Operator {
        name: var("OPERATOR_NAME").unwrap_or_else(|| name.into()),
        address: var("OPERATOR_ADDRESS").unwrap_or_else(|| address.into()),
        email: var("OPERATOR_EMAIL").unwrap_or_else(|| email.into()),
        dpo_email: var("DPO_EMAIL").unwrap_or_default(),
        source_url: var("SOURCE_URL").unwrap_or_default(),
        placeholder,
        storage_host: match (var("S3_BUCKET"), var("S3_ENDPOINT")) {
            (None, _) => String::new(),
            (Some(_), Some(endpoint)) => host(endpoint),
            (Some(_), None) => format!("s3.{}.amazonaws.com", var("S3_REGION").unwrap_or_else(|| "us-east-1".into())),
        },
        tile_origin: app::map::pages::tile_origin().unwrap_or_default(),
    }
}

impl Config {
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_vars(|name| std::env::var(name).ok())
    }

    /// The configuration from a source of variables (the environment, or a test's map).
    pub fn from_vars(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let var = |name: &str| get(name).filter(|v| !v.trim().is_empty());
        let flag = |name: &str| matches!(var(name).as_deref(), Some("1" | "true" | "yes" | "on"));
        fn num<T: std::str::FromStr>(v: Option<String>, default: T) -> T {
            v.and_then(|v| v.trim().parse().ok()).unwrap_or(default)
        }
        let data_dir = var("DATA_DIR").unwrap_or_else(|| "data".into());
        let database_url = var("DATABASE_URL").unwrap_or_else(|| format!("sqlite://{data_dir}/participa.db?mode=rwc"));
        let site_addr = var("LEPTOS_SITE_ADDR").unwrap_or_else(|| "127.0.0.1:3000".into());
        let public_url = var("PUBLIC_URL").unwrap_or_else(|| format!("http://{site_addr}"));
        let demo = flag("DEMO");
        let loopback_demo = demo && is_loopback_addr(&site_addr) && is_loopback_url(&public_url);

        let secret = match (var("SECRET_KEY"), var("SECRET_KEY_FILE")) {
            (Some(s), _) => Some(s),
            (None, Some(path)) => {
                Some(std::fs::read_to_string(&path).map_err(|e| ConfigError::SecretFile(path.clone(), e.to_string()))?)
            }
            (None, None) => None,
        };
        let keys = match secret {
            Some(s) => Keys::derive(&signing::parse_secret(&s).map_err(ConfigError::WeakSecret)?),
            None if loopback_demo => {
                tracing::warn!(
                    "no SECRET_KEY: a loopback demo runs with random keys, so mailed links end with this run"
                );
                Keys::random()
            }
            None => return Err(ConfigError::MissingSecret),
        };

        let https = public_url.starts_with("https://");
        let payments = match var("PAYMENTS").map(|v| v.trim().to_ascii_lowercase()) {
            Some(v) if v == "stripe" => PaymentsMode::Stripe,
            Some(v) if v == "netopia" => PaymentsMode::Netopia,
            Some(v) if v == "test" => PaymentsMode::Test,
            Some(v) if v == "off" => PaymentsMode::Off,
            Some(v) => return Err(ConfigError::UnknownPayments(v)),
            None if var("STRIPE_SECRET_KEY").is_some() => PaymentsMode::Stripe,
            None if var("NETOPIA_API_KEY").is_some() => PaymentsMode::Netopia,
            None => PaymentsMode::Off,
        };
        match payments {
            PaymentsMode::Test if https => return Err(ConfigError::TestPaymentsInProduction),
            PaymentsMode::Stripe if var("STRIPE_SECRET_KEY").is_none() || var("STRIPE_WEBHOOK_SECRET").is_none() => {
                return Err(ConfigError::PaymentsIncomplete("stripe", "STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET"))
            }
            PaymentsMode::Netopia if var("NETOPIA_API_KEY").is_none() || var("NETOPIA_POS_SIGNATURE").is_none() => {
                return Err(ConfigError::PaymentsIncomplete("netopia", "NETOPIA_API_KEY and NETOPIA_POS_SIGNATURE"))
            }
            _ => {}
        }

        let proxy_hops = match var("TRUST_PROXY").map(|v| v.trim().to_ascii_lowercase()) {
            None => 0,
            Some(v) if matches!(v.as_str(), "0" | "off" | "false" | "no") => 0,
            Some(v) if matches!(v.as_str(), "true" | "yes" | "on") => 1,
            Some(v) => v.parse::<usize>().ok().filter(|n| *n <= 8).ok_or(ConfigError::BadProxyHops)?,
        };
        let smtp_url = var("SMTP_URL");
        let metrics_token = var("METRICS_TOKEN");
        if metrics_token.as_ref().is_some_and(|t| t.len() < 16) {
            return Err(ConfigError::WeakMetricsToken);
        }
        let defaults = Settings::default();
        let settings = Settings {
            cookie_secure: https,
            public_url,
            proxy_hops,
            login_limit: num(var("LOGIN_LIMIT"), defaults.login_limit),
            login_window_secs: num(var("LOGIN_WINDOW_SECS"), defaults.login_window_secs),
            signup_limit: num(var("SIGNUP_LIMIT"), defaults.signup_limit),
            keys,
            admin_emails: var("ADMIN_EMAILS")
                .map(|v| v.split(',').map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty()).collect())
                .unwrap_or_default(),
            page_cache_ms: num(var("PAGE_CACHE_MS"), 2000),
            data_cache_ms: num(var("DATA_CACHE_MS"), 2000),
            outbox_only: smtp_url.is_none(),
            // At least an hour: a session in use is marked every five minutes.
            idle_timeout_secs: num(var("SESSION_IDLE_SECS"), defaults.idle_timeout_secs)
                .clamp(3600, app::accounts::rules::MAX_IDLE_SECS),
            operator: operator(&var, demo),
        };
        Ok(Config {
            database_url,
            pool: app::ssr::PoolSettings {
                max_connections: num(var("DB_MAX_CONNECTIONS"), 16),
                min_connections: num(var("DB_MIN_CONNECTIONS"), 0),
                acquire_timeout: Duration::from_millis(num(var("DB_ACQUIRE_TIMEOUT_MS"), 5000)),
                idle_timeout: Duration::from_secs(num(var("DB_IDLE_TIMEOUT_SECS"), 600)),
            },
            db_wait: Duration::from_secs(num(var("DB_WAIT_SECS"), 60)),
            metrics_token,
            cache_sync_ms: num(var("CACHE_SYNC_MS"), 250).max(20),
            drain_secs: num(var("DRAIN_SECS"), 5),
            shutdown_secs: num(var("SHUTDOWN_SECS"), 25),
            newsletter_per_minute: num(var("NEWSLETTER_PER_MINUTE"), 200),
            smtp_url,
            mail_from: var("MAIL_FROM").unwrap_or_else(|| "Participa <no-reply@participa.local>".into()),
            mail_retry_secs: num(var("MAIL_RETRY_SECS"), crate::mail::RETRY_SECS).clamp(1, 3600),
            demo,
            log_json: var("LOG_FORMAT").as_deref() == Some("json"),
            s3: var("S3_BUCKET").map(|bucket| S3 {
                bucket,
                endpoint: var("S3_ENDPOINT"),
                region: var("S3_REGION").unwrap_or_else(|| "us-east-1".into()),
                access_key: var("S3_ACCESS_KEY_ID"),
                secret_key: var("S3_SECRET_ACCESS_KEY"),
            }),
            payments,
            max_body_bytes: num(var("MAX_BODY_BYTES"), 2 * 1024 * 1024),
            data_dir,
            settings,
        })
    }

    /// The directory of an SQLite database file, created on start.
    pub fn sqlite_dir(&self) -> Option<std::path::PathBuf> {
        let rest = self.database_url.strip_prefix("sqlite://").or_else(|| self.database_url.strip_prefix("sqlite:"))?;
        let path = rest.split('?').next()?;
        std::path::Path::new(path).parent().map(|p| p.to_path_buf())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_vars(|k| map.get(k).cloned())
    }

    const KEY: &str = "5f1c0a9e3b7d2c4e8a6f0b1d3c5e7a9b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c";

    #[test]
    fn a_secret_is_required_except_for_a_loopback_demo() {
        assert_eq!(config(&[]).err(), Some(ConfigError::MissingSecret), "no demo");
        assert_eq!(
            config(&[("DEMO", "1"), ("LEPTOS_SITE_ADDR", "0.0.0.0:3000")]).err(),
            Some(ConfigError::MissingSecret),
            "a demo open to the network"
        );
        assert_eq!(
            config(&[("DEMO", "1"), ("PUBLIC_URL", "https://participa.example")]).err(),
            Some(ConfigError::MissingSecret),
            "a demo with a public address"
        );
        assert!(config(&[("DEMO", "1")]).is_ok(), "the loopback demo");
        assert!(config(&[("SECRET_KEY", KEY), ("PUBLIC_URL", "https://participa.example")]).is_ok());
        assert!(matches!(config(&[("SECRET_KEY", "participa")]), Err(ConfigError::WeakSecret(_))));
        assert!(matches!(config(&[("SECRET_KEY", &"ab".repeat(32))]), Err(ConfigError::WeakSecret(_))));
    }

    #[test]
    fn payments_are_on_only_when_asked_and_never_test_over_https() {
        let with = |extra: &[(&'static str, &'static str)]| {
            let mut v = vec![("SECRET_KEY", KEY)];
            v.extend_from_slice(extra);
            config(&v)
        };
        assert_eq!(with(&[]).unwrap().payments, PaymentsMode::Off);
        assert_eq!(with(&[("PAYMENTS", "test")]).unwrap().payments, PaymentsMode::Test);
        assert_eq!(
            with(&[("PAYMENTS", "test"), ("PUBLIC_URL", "https://participa.example")]).err(),
            Some(ConfigError::TestPaymentsInProduction)
        );
        assert!(matches!(with(&[("PAYMENTS", "stripe")]), Err(ConfigError::PaymentsIncomplete(..))));
        let stripe = with(&[("STRIPE_SECRET_KEY", "sk_live_x"), ("STRIPE_WEBHOOK_SECRET", "whsec_x")]).unwrap();
        assert_eq!(stripe.payments, PaymentsMode::Stripe);
        assert!(matches!(with(&[("PAYMENTS", "paypal")]), Err(ConfigError::UnknownPayments(_))));
    }

    #[test]
    fn the_operator_comes_from_the_environment_or_is_a_marked_placeholder_in_a_demo() {
        let op = config(&[("DEMO", "1")]).unwrap().settings.operator;
        assert!(op.placeholder && op.name.contains("demo") && op.dpo_email.is_empty() && op.source_url.is_empty());
        let op = config(&[
            ("SECRET_KEY", KEY),
            ("OPERATOR_NAME", "Asociația Participa"),
            ("OPERATOR_ADDRESS", "Str. Unirii 1, Focșani"),
            ("OPERATOR_EMAIL", "date@participa.ro"),
            ("DPO_EMAIL", "dpo@participa.ro"),
            ("SOURCE_URL", "https://git.example.ro/participa"),
            ("S3_BUCKET", "media"),
            ("S3_ENDPOINT", "https://s3.furnizor.ro"),
        ])
        .unwrap()
        .settings
        .operator;
        assert!(!op.placeholder);
        assert_eq!(
            (op.name.as_str(), op.email.as_str(), op.dpo_email.as_str()),
            ("Asociația Participa", "date@participa.ro", "dpo@participa.ro")
        );
        assert_eq!(op.source_url, "https://git.example.ro/participa");
        assert_eq!(op.storage_host, "s3.furnizor.ro");
        let op = config(&[("SECRET_KEY", KEY)]).unwrap().settings.operator;
        assert!(!op.placeholder && op.name.is_empty() && op.storage_host.is_empty(), "not configured, not invented");
    }

    #[test]
    fn proxy_hops() {
        let hops = |v: &'static str| config(&[("SECRET_KEY", KEY), ("TRUST_PROXY", v)]).map(|c| c.settings.proxy_hops);
        assert_eq!(hops("1"), Ok(1));
        assert_eq!(hops("true"), Ok(1));
        assert_eq!(hops("2"), Ok(2));
        assert_eq!(hops("off"), Ok(0));
        assert_eq!(hops("many"), Err(ConfigError::BadProxyHops));
    }

    #[test]
    fn mail_retry_base() {
        let retry = |pairs: &[(&str, &str)]| {
            let mut v = vec![("SECRET_KEY", KEY)];
            v.extend_from_slice(pairs);
            config(&v).unwrap().mail_retry_secs
        };
        assert_eq!(retry(&[]), 30, "the default");
        assert_eq!(retry(&[("MAIL_RETRY_SECS", "1")]), 1);
        assert_eq!(retry(&[("MAIL_RETRY_SECS", "0")]), 1, "at least a second");
        assert_eq!(retry(&[("MAIL_RETRY_SECS", "soon")]), 30, "unreadable: the default");
    }

    #[test]
    fn loopback_detection() {
        assert!(is_loopback_addr("127.0.0.1:3000"));
        assert!(is_loopback_addr("[::1]:3000"));
        assert!(is_loopback_addr("localhost:80"));
        assert!(!is_loopback_addr("0.0.0.0:3000"));
        assert!(!is_loopback_addr("10.0.0.5:3000"));
        assert!(is_loopback_url("http://127.0.0.1:3000/"));
        assert!(!is_loopback_url("https://127.0.0.1:3000"));
        assert!(!is_loopback_url("http://participa.ro"));
    }
}
