//! `server` starts Participa; `server create-admin --email E` makes a platform admin (password from
//! stdin); `server --demo` also loads the demo dataset.
use app::ssr::now;
use leptos::prelude::get_configuration;
use server::{prepare_db, state, Config};
use std::io::Read;
use std::net::SocketAddr;

fn init_tracing(json: bool) {
    use tracing_subscriber::{fmt, EnvFilter};
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    if json {
        fmt().with_env_filter(filter).json().init();
    } else {
        fmt().with_env_filter(filter).init();
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    init_tracing(std::env::var("LOG_FORMAT").as_deref() == Ok("json"));
    if args.iter().any(|a| a == "--demo") {
        std::env::set_var("DEMO", "1");
    }
    let cfg = match Config::from_env() {
        Ok(cfg) => cfg,
        Err(e) => {
            tracing::error!(error = %e, "configuration refused");
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let code = match args.first().map(String::as_str) {
        Some("create-admin") => create_admin(&cfg, &args[1..]).await,
        Some("migrate") => prepare_db(&cfg).await.map(|_| ()),
        _ => serve(cfg).await,
    };
    if let Err(e) = code {
        tracing::error!(error = %e, "stopped");
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

/// `output-name` in the workspace metadata for cargo-leptos.
const OUTPUT_NAME: &str = "participa";

async fn serve(cfg: Config) -> Result<(), Box<dyn std::error::Error>> {
    let db = prepare_db(&cfg).await?;
    let mut conf = get_configuration(None)?;
    // cargo-leptos compiles the name in, but a registry crate built once without it (a plain `cargo
    // build`) stays cached without it; an empty name would point every page at `/pkg/.js`.
    if conf.leptos_options.output_name.is_empty() {
        conf.leptos_options.output_name = OUTPUT_NAME.into();
    }
    let addr = conf.leptos_options.site_addr;
    let st = state(&cfg, db.clone(), conf.leptos_options)?;
    let ops = server::ops::Ops { draining: Default::default(), metrics_token: cfg.metrics_token.clone() };
    let app = server::router_ops(st, cfg.max_body_bytes, ops.clone());

    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let transport = server::mail::Transport::from_config(cfg.smtp_url.as_deref(), &cfg.mail_from)?;
    let mail_task = tokio::spawn(server::mail::worker(db.clone(), transport, cfg.mail_retry_secs, stop_rx.clone()));
    let every = std::time::Duration::from_millis(cfg.cache_sync_ms);
    let watch_task = tokio::spawn(server::ops::watch_db(db.clone(), cfg.database_url.clone(), every, stop_rx.clone()));
    let purge_task = tokio::spawn(purge_loop(db.clone(), cfg.settings.clone(), cfg.newsletter_per_minute, stop_rx));

    let listener = tokio::net::TcpListener::bind(&addr).await?;
    tracing::info!("Participa listening on http://{addr}");
    // SIGTERM: say "not ready" for DRAIN_SECS so the balancer stops sending, then stop accepting,
    // then give requests in flight SHUTDOWN_SECS to finish.
    let (signalled_tx, mut signalled) = tokio::sync::watch::channel(false);
    let (drain, grace) = (cfg.drain_secs, cfg.shutdown_secs);
    let draining = ops.draining.clone();
    let drained = async move {
        shutdown_signal().await;
        draining.start();
        tracing::info!(seconds = drain, "draining");
        tokio::time::sleep(std::time::Duration::from_secs(drain)).await;
        let _ = signalled_tx.send(true);
    };
    let server =
        axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).with_graceful_shutdown(drained);
    let deadline = async move {
        let _ = signalled.wait_for(|s| *s).await;
        tokio::time::sleep(std::time::Duration::from_secs(grace)).await;
    };
    tokio::select! {
        r = server => r?,
        _ = deadline => tracing::warn!(seconds = grace, "requests still running at the deadline; stopping anyway"),
    }
    let _ = stop_tx.send(true);
    let _ = tokio::join!(mail_task, purge_task, watch_task);
    db.pool.close().await;
    tracing::info!("stopped cleanly");
    Ok(())
}

/// One job run: counted in `/metrics`, logged when it did something or failed.
fn report<T: std::fmt::Debug + Default + PartialEq, E: std::fmt::Display>(job: &'static str, r: Result<T, E>) -> T {
    server::ops::job_ran(job, r.is_ok());
    match r {
        Ok(v) => {
            if v != T::default() {
                tracing::info!(job, done = ?v, "job");
            }
            v
        }
        Err(e) => {
            tracing::warn!(job, error = %e, "job failed");
            T::default()
        }
    }
}

/// Periodic jobs, run by every server each minute; each claims its units of work in the database
/// before acting, so several servers never do one twice (the README lists how each claims).
async fn purge_loop(
    db: app::ssr::Db,
    settings: app::ssr::Settings,
    newsletter_per_minute: i64,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let public_url = settings.public_url.clone();
    let mut tick = 0u64;
    loop {
        if tick.is_multiple_of(60) {
            report("purge_sessions", app::accounts::db::purge_expired(&db).await);
            report("purge_outbox", server::mail::purge(&db).await);
            report("purge_feedback", app::legal::db::purge_feedback(&db, app::ssr::now()).await);
            // Abandoned checkouts are cancelled; what never paid forgets its donor after 30 days.
            report("checkout_housekeeping", app::donations::service::housekeeping::tidy_checkouts(&db).await);
        }
        report("event_reminders", app::orgs::events::send_reminders(&db, &public_url).await);
        report(
            "newsletter",
            app::orgs::newsletter::send_batch(&db, &settings.keys, &public_url, newsletter_per_minute).await,
        );
        // Consultations close at the end of their window (public pages change); followers hear
        // when one closes soon.
        let (closed, _) = report("consultations", app::consultations::service::jobs::run_jobs(&db, &settings).await);
        // OG 27/2002 deadlines that passed: flag the report (its place's page changes) and tell its
        // organisation, once.
        let overdue = report("overdue_petitions", app::map::notify_overdue(&db, &public_url).await);
        // Four weeks after an answer, the reporter is asked once whether it was fixed.
        report("report_followups", app::map::send_followups(&db, &settings).await);
        if closed + overdue > 0 {
            report("cache_generation", db.touch_public().await);
        }
        tick += 1;
        tokio::select! {
            _ = tokio::time::sleep(std::time::Duration::from_secs(60)) => {}
            _ = stop.changed() => break,
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}

/// `create-admin --email E [--name N]`; the password is read from stdin, never from a default.
async fn create_admin(cfg: &Config, args: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let get = |flag: &str| args.windows(2).find(|w| w[0] == flag).map(|w| w[1].clone());
    let email =
        app::types::Email::parse(&get("--email").ok_or("--email is required")?).map_err(|_| "invalid e-mail")?;
    let name = get("--name").unwrap_or_else(|| "Administrator".into());
    let mut password = String::new();
    std::io::stdin().read_to_string(&mut password)?;
    let password = password.trim_end_matches(['\n', '\r']).to_string();
    app::types::check_password(&password).map_err(|_| "password too weak: at least 10 characters, mixed kinds")?;
    let db = prepare_db(cfg).await?;
    let hash = {
        use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
        argon2::Argon2::default()
            .hash_password(password.as_bytes(), &SaltString::generate(&mut OsRng))
            .map_err(|e| e.to_string())?
            .to_string()
    };
    let id = match app::accounts::db::find_user_by_email(&db, email.as_str()).await? {
        Some(u) => {
            app::accounts::db::set_password(&db, u.id, &hash).await?;
            u.id
        }
        None => app::accounts::db::create_user(&db, email.as_str(), &hash, &name, "ro").await?,
    };
    app::accounts::db::mark_verified(&db, id).await?;
    app::accounts::db::grant_role(&db, id, app::accounts::rules::RoleKind::Admin, 0, id).await?;
    println!("admin ready: {} (user {id}) at {}", email, now());
    Ok(())
}
