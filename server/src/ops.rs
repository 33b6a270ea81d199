//! What an operator and a load balancer see: `/readyz`, `/metrics` (Prometheus text), a 503 page
//! while the database is away, and each server's loop that keeps its caches in step with the others.
use app::ssr::{AppState, Db};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Req {
    route: String,
    method: String,
    status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Route {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Job {
    job: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolState {
    state: String,
}

fn latency() -> Histogram {
    // 2 ms … 4 s.
    Histogram::new(exponential_buckets(0.002, 2.0, 12))
}

struct Metrics {
    registry: Registry,
    requests: Family<Req, Counter>,
    latency: Family<Route, Histogram, fn() -> Histogram>,
    job_runs: Family<Job, Counter>,
    job_failures: Family<Job, Counter>,
    pool: Family<PoolState, Gauge>,
    outbox: Gauge,
    /// Route labels seen so far: bounded, so odd URLs cannot grow the registry.
    routes: Mutex<HashSet<String>>,
}

const MAX_ROUTES: usize = 300;

fn metrics() -> &'static Metrics {
    static M: OnceLock<Metrics> = OnceLock::new();
    M.get_or_init(|| {
        let mut registry = Registry::with_prefix("participa");
        let requests = Family::<Req, Counter>::default();
        let latency = Family::<Route, Histogram, fn() -> Histogram>::new_with_constructor(latency as fn() -> Histogram);
        let job_runs = Family::<Job, Counter>::default();
        let job_failures = Family::<Job, Counter>::default();
        let pool = Family::<PoolState, Gauge>::default();
        let outbox = Gauge::default();
        registry.register("http_requests", "HTTP requests by route, method and status", requests.clone());
        registry.register("http_request_duration_seconds", "Time to the response head, by route", latency.clone());
        registry.register("job_runs", "Background job runs", job_runs.clone());
        registry.register("job_failures", "Background job runs that failed", job_failures.clone());
        registry.register("db_pool_connections", "Database pool connections by state", pool.clone());
        registry.register("mail_outbox_queued", "Mails waiting in the outbox", outbox.clone());
        Metrics {
            registry,
            requests,
            latency,
            job_runs,
            job_failures,
            pool,
            outbox,
            routes: Mutex::new(HashSet::new()),
        }
    })
}

/// One background job run, counted by name.
pub fn job_ran(job: &str, ok: bool) {
    let m = metrics();
    let label = Job { job: job.to_string() };
    m.job_runs.get_or_create(&label).inc();
    if !ok {
        m.job_failures.get_or_create(&label).inc();
    }
}

/// The route label of a path: server functions by name, pages by their section, so the set stays
/// small whatever URLs arrive.
fn route_label(path: &str, status: StatusCode) -> String {
    if status == StatusCode::NOT_FOUND {
        return "unmatched".into();
    }
    let label = if path.starts_with("/api/") || path.starts_with("/webhooks/") {
        path.to_string()
    } else {
        let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
        format!("/{first}")
    };
    let Ok(mut seen) = metrics().routes.lock() else { return "other".into() };
    if seen.contains(&label) || (seen.len() < MAX_ROUTES && seen.insert(label.clone())) {
        label
    } else {
        "other".into()
    }
}

pub async fn count_requests(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let method = req.method().as_str().to_string();
    let started = Instant::now();
    let res = next.run(req).await;
    let route = route_label(&path, res.status());
    let m = metrics();
    m.latency.get_or_create(&Route { route: route.clone() }).observe(started.elapsed().as_secs_f64());
    m.requests.get_or_create(&Req { route, method, status: res.status().as_u16().to_string() }).inc();
    res
}

/// What the server's operations endpoints need beside the app state.
#[derive(Clone, Default)]
pub struct Ops {
    pub draining: Draining,
    pub metrics_token: Option<String>,
}

/// Equal without saying where they differ: the digests of both are compared, so the time taken
/// tells nothing about the token.
fn same_token(given: &str, token: &str) -> bool {
    use sha2::{Digest, Sha256};
    Sha256::digest(given.as_bytes()) == Sha256::digest(token.as_bytes())
}

/// `/metrics`: only with the operator's token; without a configured token it does not exist.
pub async fn metrics_page(
    State(st): State<AppState>,
    axum::Extension(ops): axum::Extension<Ops>,
    req: Request,
) -> Response {
    let Some(token) = ops.metrics_token.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if !same_token(given, token) {
        return (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer")], "token required").into_response();
    }
    let m = metrics();
    let size = st.db.pool.size() as i64;
    let idle = st.db.pool.num_idle() as i64;
    m.pool.get_or_create(&PoolState { state: "idle".into() }).set(idle);
    m.pool.get_or_create(&PoolState { state: "used".into() }).set(size - idle);
    if let Ok(n) = app::ssr::mail::queued(&st.db).await {
        m.outbox.set(n);
    }
    let mut body = String::new();
    if prometheus_client::encoding::text::encode(&mut body, &m.registry).is_err() {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    ([(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")], body).into_response()
}

/// Set once SIGTERM arrives: `/readyz` then says no, so the balancer stops sending new requests
/// before the listener closes.
#[derive(Clone, Default)]
pub struct Draining(Arc<AtomicBool>);

impl Draining {
    pub fn start(&self) {
        self.0.store(true, Ordering::Release);
    }
    pub fn on(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }
}

/// `/readyz`: the database answers, every migration this binary knows is applied, and the server
/// is not shutting down.
pub async fn readyz(State(st): State<AppState>, axum::Extension(ops): axum::Extension<Ops>) -> Response {
    if ops.draining.on() {
        return (StatusCode::SERVICE_UNAVAILABLE, "draining").into_response();
    }
    match crate::db::applied(&st.db).await {
        Ok(v) if v >= crate::db::latest() => (StatusCode::OK, "ready").into_response(),
        Ok(v) => (StatusCode::SERVICE_UNAVAILABLE, format!("migration {v} of {}", crate::db::latest())).into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "readiness: database");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}

/// While the database is known to be away, pages and functions answer a short 503 at once (with
/// `Retry-After`) instead of each waiting for a connection; static files and probes still answer.
/// A request already in flight when the outage is found ends the same way: it would otherwise
/// wait for the pool's acquire timeout (its transaction, never committed, rolls back).
pub async fn unavailable(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let exempt = ["/pkg/", "/healthz", "/readyz", "/metrics", "/favicon", "/icons/", "/manifest"]
        .iter()
        .any(|p| path.starts_with(p));
    if exempt {
        return next.run(req).await;
    }
    let lang = req
        .headers()
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(app::i18n::lang_from_cookie_header)
        .unwrap_or_default();
    if st.db.reachable() {
        tokio::select! {
            res = next.run(req) => return res,
            _ = st.db.until_unreachable() => {}
        }
    }
    away_page(lang)
}

fn away_page(lang: app::i18n::Lang) -> Response {
    let (title, text) = match lang {
        app::i18n::Lang::En => {
            ("Temporarily unavailable", "Participa cannot reach its database. Please try again in a moment.")
        }
        _ => (
            "Indisponibil temporar",
            "Participa nu își poate accesa baza de date. Vă rugăm să reîncercați în câteva momente.",
        ),
    };
    let html = format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{title}</title></head><body><main><h1>{title}</h1><p>{text}</p></main></body></html>",
        lang.code()
    );
    let mut res = (StatusCode::SERVICE_UNAVAILABLE, axum::response::Html(html)).into_response();
    res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// Each server's watch over the shared state: every `every`, it reads the shared cache generation
/// (dropping its caches when another server wrote) and, by the same query, whether the database
/// answers at all.
///
/// On PostgreSQL the look goes through a connection of its own, outside the pool: a pool asked for
/// a connection while the database is down keeps retrying until its acquire timeout, so an outage
/// was seen only seconds late, while a lone connection fails at once (the server closes it, a new
/// one is refused) and a busy pool never makes a healthy database look away.
pub async fn watch_db(db: Db, url: String, every: Duration, mut stop: tokio::sync::watch::Receiver<bool>) {
    let mut own: Option<sqlx::AnyConnection> = None;
    loop {
        let ok = match db.kind {
            // An embedded file is away only when reading it fails; a slow look (a busy pool)
            // is not an outage.
            app::ssr::DbKind::Sqlite => {
                !matches!(tokio::time::timeout(Duration::from_secs(2), db.sync_public()).await, Ok(Err(_)))
            }
            app::ssr::DbKind::Postgres => look(&db, &url, &mut own).await,
        };
        db.set_reachable(ok);
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stop.changed() => break,
        }
    }
}

/// One look through the watcher's own connection, opened again after any failure.
async fn look(db: &Db, url: &str, own: &mut Option<sqlx::AnyConnection>) -> bool {
    use sqlx::Connection;
    let limit = Duration::from_secs(2);
    if own.is_none() {
        match tokio::time::timeout(limit, sqlx::AnyConnection::connect(url)).await {
            Ok(Ok(c)) => *own = Some(c),
            Ok(Err(e)) => {
                tracing::debug!(error = %e, "database watch: connect");
                return false;
            }
            Err(_) => return false,
        }
    }
    let Some(conn) = own.as_mut() else { return false };
    match tokio::time::timeout(limit, db.sync_public_on(conn)).await {
        Ok(Ok(_)) => true,
        _ => {
            // A connection that failed once is not trusted again.
            *own = None;
            false
        }
    }
}
