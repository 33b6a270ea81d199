//! Configuration from environment variables, each with a default (listed in the README).
use app::ssr::Settings;

#[derive(Clone, Debug)]
pub struct S3 {
    pub bucket: String,
    pub endpoint: Option<String>,
    pub region: String,
    pub access_key: Option<String>,
    pub secret_key: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Config {
    pub database_url: String,
    pub db_max_connections: u32,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub demo: bool,
    pub log_json: bool,
    pub data_dir: String,
    /// S3-compatible storage for uploads; local disk under `DATA_DIR/media` when unset.
    pub s3: Option<S3>,
    pub settings: Settings,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn num<T: std::str::FromStr>(name: &str, default: T) -> T {
    var(name).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn flag(name: &str) -> bool {
    matches!(var(name).as_deref(), Some("1" | "true" | "yes" | "on"))
}

impl Config {
    pub fn from_env() -> Config {
        let data_dir = var("DATA_DIR").unwrap_or_else(|| "data".into());
        let database_url = var("DATABASE_URL").unwrap_or_else(|| format!("sqlite://{data_dir}/participa.db?mode=rwc"));
        let site_addr = var("LEPTOS_SITE_ADDR").unwrap_or_else(|| "127.0.0.1:3000".into());
        let public_url = var("PUBLIC_URL").unwrap_or_else(|| format!("http://{site_addr}"));
        let defaults = Settings::default();
        let settings = Settings {
            cookie_secure: public_url.starts_with("https://"),
            public_url,
            trust_proxy: flag("TRUST_PROXY"),
            login_limit: num("LOGIN_LIMIT", defaults.login_limit),
            login_window_secs: num("LOGIN_WINDOW_SECS", defaults.login_window_secs),
            signup_limit: num("SIGNUP_LIMIT", defaults.signup_limit),
            ip_hash_key: var("SECRET_KEY").unwrap_or(defaults.ip_hash_key),
            admin_emails: var("ADMIN_EMAILS")
                .map(|v| v.split(',').map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty()).collect())
                .unwrap_or_default(),
            page_cache_ms: num("PAGE_CACHE_MS", 2000),
            data_cache_ms: num("DATA_CACHE_MS", 2000),
        };
        Config {
            database_url,
            db_max_connections: num("DB_MAX_CONNECTIONS", 16),
            smtp_url: var("SMTP_URL"),
            mail_from: var("MAIL_FROM").unwrap_or_else(|| "Participa <no-reply@participa.local>".into()),
            demo: flag("DEMO"),
            log_json: var("LOG_FORMAT").as_deref() == Some("json"),
            s3: var("S3_BUCKET").map(|bucket| S3 {
                bucket,
                endpoint: var("S3_ENDPOINT"),
                region: var("S3_REGION").unwrap_or_else(|| "us-east-1".into()),
                access_key: var("S3_ACCESS_KEY_ID"),
                secret_key: var("S3_SECRET_ACCESS_KEY"),
            }),
            data_dir,
            settings,
        }
    }

    /// The directory of an SQLite database file, created on start.
    pub fn sqlite_dir(&self) -> Option<std::path::PathBuf> {
        let rest = self.database_url.strip_prefix("sqlite://").or_else(|| self.database_url.strip_prefix("sqlite:"))?;
        let path = rest.split('?').next()?;
        std::path::Path::new(path).parent().map(|p| p.to_path_buf())
    }
}
