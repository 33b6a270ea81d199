//! The Participa server: configuration, database, middleware, mail worker, HTTP routes.
pub mod config;
pub mod db;
pub mod demo;
pub mod demo_consultations;
pub mod demo_donations;
pub mod demo_map;
pub mod mail;
pub mod middleware;
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
    let db = Db::connect(&cfg.database_url, cfg.db_max_connections).await?;
    let n = db::migrate(&db).await?;
    tracing::info!(kind = ?db.kind, applied = n, "database ready");
    if cfg.demo {
        demo::load(&db).await?;
    }
    app::orgs::db::reindex(&db).await?;
    Ok(db)
}

/// The larger bodies of the upload routes; every other route gets `MAX_BODY_BYTES` (2 MB).
fn upload_limits() -> Vec<(&'static str, usize)> {
    use app::consultations::files::{MAX_DRAFT_BODY, MAX_PDF_BODY};
    use app::map::handlers::{MAX_BODY, MAX_IMPORT_BODY};
    let image = app::ssr::images::MAX_BYTES + 64 * 1024;
    vec![
        ("/consultations/*/files", MAX_PDF_BODY),
        ("/consultations/*/papers/*", MAX_PDF_BODY),
        ("/consultations/*/draft-file", MAX_DRAFT_BODY),
        ("/map/reports", MAX_BODY),
        ("/map/reports/*/fixed", MAX_BODY),
        ("/map/import/upload", MAX_IMPORT_BODY),
        ("/campaigns/*/cover", image),
        ("/organisations/*/logo", image),
    ]
}

pub fn router(state: AppState) -> Router {
    router_with(state, 2 * 1024 * 1024)
}

pub fn router_with(state: AppState, max_body: usize) -> Router {
    app::init();
    let routes = generate_route_list(app::App);
    let shell_opts = state.leptos_options.clone();
    state.db.reads.set_ttl_ms(state.settings.data_cache_ms);
    let pages = page_cache::PageCache::new(state.settings.page_cache_ms, state.db.reads.clone());
    let router = Router::new()
        .route("/healthz", get(middleware::healthz))
        .route("/media/{*key}", get(app::ssr::storage::serve))
        .route("/organisations.csv", get(app::orgs::export::csv))
        .route("/organisations.json", get(app::orgs::export::json))
        .route("/stories/feed.atom", get(app::orgs::stories::feed))
        .route("/events/{slug}/event.ics", get(app::orgs::events::ics_file))
        .route("/newsletter/one-click", axum::routing::post(app::orgs::newsletter::one_click))
        // Donations: provider webhooks (signed, exempt from the origin check), the test provider's
        // hosted checkout, the organisation's CSV export.
        .route("/webhooks/{provider}", axum::routing::post(payments::webhook))
        .route("/organisations/{slug}/donations.csv", get(app::donations::org::csv))
        .route("/donate/receipt/{token}", get(app::donations::receipt::receipt_file))
        .route("/consultations/{slug}/report.csv", get(app::consultations::report::csv_file))
        .route("/consultations/{slug}/report.pdf", get(app::consultations::report::pdf_file))
        .route("/consultations/one-click", axum::routing::post(app::consultations::server::one_click))
        // Consultation files: PDFs (attachments, minutes, position papers) and the draft as a file;
        // only these routes take large bodies.
        .route(
            "/consultations/{slug}/files",
            axum::routing::post(app::consultations::files::upload_file)
                .layer(axum::extract::DefaultBodyLimit::max(app::consultations::files::MAX_PDF_BODY)),
        )
        .route("/consultations/{slug}/files/{id}", get(app::consultations::files::download))
        .route("/consultations/{slug}/files/{id}/delete", axum::routing::post(app::consultations::files::delete_file))
        .route(
            "/consultations/{slug}/papers/{comment}",
            axum::routing::post(app::consultations::files::upload_paper)
                .layer(axum::extract::DefaultBodyLimit::max(app::consultations::files::MAX_PDF_BODY)),
        )
        .route(
            "/consultations/{slug}/draft-file",
            axum::routing::post(app::consultations::files::upload_draft)
                .layer(axum::extract::DefaultBodyLimit::max(app::consultations::files::MAX_DRAFT_BODY)),
        )
        // Accessibility map: data by bounding box, exports, Leaflet's files, photo forms, petition.
        .route("/map/data.json", get(app::map::handlers::data))
        .route("/map/export.geojson", get(app::map::handlers::export_geojson))
        .route("/map/export.csv", get(app::map::handlers::export_csv))
        .route("/map/petition.pdf", get(app::map::handlers::petition_pdf))
        .route("/vendor/leaflet/{version}/{*file}", get(app::map::handlers::leaflet))
        .route(
            "/map/reports",
            axum::routing::post(app::map::handlers::create_report)
                .layer(axum::extract::DefaultBodyLimit::max(app::map::handlers::MAX_BODY)),
        )
        .route(
            "/map/reports/{id}/fixed",
            axum::routing::post(app::map::handlers::mark_fixed)
                .layer(axum::extract::DefaultBodyLimit::max(app::map::handlers::MAX_BODY)),
        )
        .route(
            "/map/import/upload",
            axum::routing::post(app::map::handlers::upload_import)
                .layer(axum::extract::DefaultBodyLimit::max(app::map::handlers::MAX_IMPORT_BODY)),
        )
        .route(
            "/campaigns/{slug}/cover",
            axum::routing::post(app::donations::org::upload_cover)
                .layer(axum::extract::DefaultBodyLimit::max(app::ssr::images::MAX_BYTES + 64 * 1024)),
        )
        .route(
            "/organisations/{slug}/logo",
            axum::routing::post(app::orgs::profile::upload_logo)
                .layer(axum::extract::DefaultBodyLimit::max(app::ssr::images::MAX_BYTES + 64 * 1024)),
        );
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
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::csrf))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::client_ip))
        // Inside the security headers: a cached page gets this response's CSP nonce.
        .layer(axum::middleware::from_fn_with_state(pages, page_cache::layer))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::security_headers))
        .layer(axum::middleware::from_fn_with_state(limits, middleware::body_limit))
        .layer(tower_http::compression::CompressionLayer::new())
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
