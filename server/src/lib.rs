//! The Participa server: configuration, database, middleware, mail worker, HTTP routes.
pub mod config;
pub mod db;
pub mod demo;
pub mod demo_consultations;
pub mod demo_donations;
pub mod demo_map;
pub mod mail;
pub mod middleware;
pub mod ops;
pub mod page_cache;
pub mod payments;
pub mod storage;

use app::ssr::{AppState, Db};
use axum::{routing::get, Router};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::sync::Arc;

pub use config::Config;

/// In the library so the binary, the HTTP tests and the benchmarks all run on it (see Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Connects, migrates and (optionally) loads demo data.
pub async fn prepare_db(cfg: &Config) -> Result<Db, Box<dyn std::error::Error>> {
    app::init();
    if let Some(dir) = cfg.sqlite_dir() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(&dir)?;
        }
    }
    let db = Db::connect_waiting(&cfg.database_url, cfg.pool, cfg.db_wait).await?;
    let lock = db::StartLock::take(&db).await?;
    let n = db::migrate(&db).await?;
    tracing::info!(kind = ?db.kind, applied = n, "database ready");
    if cfg.demo {
        demo::load(&db).await?;
    }
    app::orgs::db::reindex(&db).await?;
    lock.release().await?;
    Ok(db)
}

/// The larger bodies of the upload routes (each feature names its own); every other route gets
/// `MAX_BODY_BYTES` (2 MB).
fn upload_limits() -> Vec<(&'static str, usize)> {
    [
        app::orgs::http::BODY_LIMITS,
        app::donations::http::BODY_LIMITS,
        app::consultations::http::BODY_LIMITS,
        app::map::http::BODY_LIMITS,
    ]
    .concat()
}

pub fn router(state: AppState) -> Router {
    router_with(state, 2 * 1024 * 1024)
}

pub fn router_with(state: AppState, max_body: usize) -> Router {
    router_ops(state, max_body, ops::Ops::default())
}

/// The app's routes, listed once per process. Listing them runs the app with resource loading
/// suppressed through a process-wide flag (leptos_server's `SuppressResourceLoad`): a resource
/// first polled by another server of this process meanwhile would wait forever (leptos issue
/// 4773). One binary runs one server, but the tests and the cluster benchmark start many.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(app::App)).clone()
}

pub fn router_ops(state: AppState, max_body: usize, ops: ops::Ops) -> Router {
    app::init();
    let routes = route_list();
    let shell_opts = state.leptos_options.clone();
    state.db.reads.set_ttl_ms(state.settings.data_cache_ms);
    let pages = page_cache::PageCache::new(state.settings.page_cache_ms, state.db.reads.clone());
    let router = Router::new()
        .route("/healthz", get(middleware::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics_page))
        .route("/media/{*key}", get(app::ssr::storage::serve))
        // Provider webhooks: signed, exempt from the origin check.
        .route("/webhooks/{provider}", axum::routing::post(payments::webhook))
        .merge(app::accounts::http::routes())
        .merge(app::orgs::http::routes())
        .merge(app::donations::http::routes())
        .merge(app::consultations::http::routes())
        .merge(app::map::http::routes());
    // The offline test provider's checkout page exists only when it is the provider.
    let router = if state.payments.provider.test_mode() {
        router.route(
            "/payments/test/checkout/{id}",
            get(payments::test_provider::checkout_page).post(payments::test_provider::checkout_submit),
        )
    } else {
        router
    };
    let limits = middleware::BodyLimits { default: max_body, routes: Arc::new(upload_limits()) };
    let router = router
        .leptos_routes(&state, routes, move || app::shell(shell_opts.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(app::shell))
        .layer(axum::middleware::from_fn(middleware::server_fn_status))
        .layer(axum::middleware::from_fn_with_state(state.clone(), ops::unavailable))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::csrf))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::client_ip))
        // Inside the security headers: a cached page gets this response's CSP nonce.
        .layer(axum::middleware::from_fn_with_state((pages, state.db.clone()), page_cache::layer))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::security_headers))
        .layer(axum::middleware::from_fn_with_state(limits, middleware::body_limit))
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(axum::middleware::from_fn(ops::count_requests))
        .layer(axum::Extension(ops))
        .with_state(state);
    middleware::with_tracing(router)
}

pub fn state(cfg: &Config, db: Db, leptos_options: LeptosOptions) -> Result<AppState, std::io::Error> {
    let store = storage::open(cfg)?;
    Ok(AppState {
        leptos_options,
        db,
        settings: Arc::new(cfg.settings.clone()),
        store: Arc::new(store),
        payments: payments::from_config(cfg.payments, &cfg.settings),
    })
}
