//! A micro-cache of public pages for anonymous visitors.
//!
//! Why: a consultation with thousands of comments, or a list of thousands of institutions, is the
//! same HTML for every anonymous reader for seconds at a time, and rendering it costs milliseconds
//! of CPU each time. Keeping it for `PAGE_CACHE_MS` (2 s by default) lets one render serve every
//! reader of a busy page.
//!
//! Rules that keep it correct:
//! - only GET requests without a session cookie, for the public reading pages listed in
//!   [`cacheable_path`], and only `200 text/html` responses that set no cookie;
//! - the key is the path with its query and the language cookie;
//! - every write that may change a public page (a non-GET request that is neither a reading server
//!   function nor a write of the person's own rows) and succeeds moves the shared generation on in
//!   the database (`cache_generation`), so entries rendered before it are never served again: here
//!   at once, on the other servers when they next read it (every `CACHE_SYNC_MS`), and at once
//!   wherever the writer's next request lands (its `pcg` cookie names the generation it needs);
//! - after the time-to-live one request renders afresh while the others still get the old page,
//!   so a busy page never stalls every reader at once;
//! - the CSP nonce baked into a cached page is replaced by this response's nonce, so each
//!   response still carries a fresh, unguessable one.
use app::ssr::request::CspNonce;
use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{header, HeaderMap, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use http_body_util::BodyExt;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Pages larger than this are served but not kept.
const MAX_BODY: usize = 4 * 1024 * 1024;
/// When this many pages are kept, the cache starts again from empty.
const MAX_ENTRIES: usize = 4096;

struct Entry {
    generation: u64,
    at: Instant,
    nonce: String,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    refreshing: AtomicBool,
}

#[derive(Clone)]
pub struct PageCache(Arc<Inner>);

struct Inner {
    ttl: Duration,
    entries: Mutex<HashMap<String, Arc<Entry>>>,
    hits: AtomicU64,
    misses: AtomicU64,
    /// The shared-reads cache: the same writes make it start afresh.
    reads: app::ssr::reads::ReadCache,
}

/// What a request found in the cache.
enum Lookup {
    /// Serve this page.
    Hit(Arc<Entry>),
    /// Render it (absent, from before a write, or this request refreshes an expired page).
    Render,
}

impl PageCache {
    /// A cache keeping pages for `ttl_ms` milliseconds; 0 turns it off.
    pub fn new(ttl_ms: u64, reads: app::ssr::reads::ReadCache) -> PageCache {
        PageCache(Arc::new(Inner {
            ttl: Duration::from_millis(ttl_ms),
            entries: Mutex::new(HashMap::new()),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            reads,
        }))
    }

    pub fn enabled(&self) -> bool {
        !self.0.ttl.is_zero()
    }

    /// (hits, misses) since start, for the benchmark and the logs.
    pub fn counts(&self) -> (u64, u64) {
        (self.0.hits.load(Ordering::Relaxed), self.0.misses.load(Ordering::Relaxed))
    }

    /// Forgets every page: something may have changed.
    pub fn invalidate(&self) {
        self.0.reads.invalidate();
    }

    fn lookup(&self, key: &str) -> Lookup {
        let now_gen = self.0.reads.generation();
        let entry = match self.0.entries.lock() {
            Ok(map) => map.get(key).cloned(),
            Err(_) => None,
        };
        let Some(entry) = entry else { return Lookup::Render };
        if entry.generation != now_gen {
            return Lookup::Render;
        }
        if entry.at.elapsed() <= self.0.ttl {
            return Lookup::Hit(entry);
        }
        // Expired: exactly one request refreshes it, the others keep getting the old page.
        if entry.refreshing.compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire).is_ok() {
            Lookup::Render
        } else {
            Lookup::Hit(entry)
        }
    }

    fn store(&self, key: String, entry: Entry) {
        if let Ok(mut map) = self.0.entries.lock() {
            if map.len() >= MAX_ENTRIES && !map.contains_key(&key) {
                map.clear();
            }
            map.insert(key, Arc::new(entry));
        }
    }

    fn forget(&self, key: &str) {
        if let Ok(mut map) = self.0.entries.lock() {
            map.remove(key);
        }
    }
}

/// The public reading pages whose anonymous HTML is the same for everyone.
pub fn cacheable_path(path: &str) -> bool {
    const PREFIXES: [&str; 8] =
        ["/map", "/consultations", "/organisations", "/authorities", "/campaigns", "/stories", "/events", "/about"];
    // Forms and tools under those prefixes carry per-visitor state or redirect anyway.
    const NEVER: [&str; 9] =
        ["edit", "manage", "new", "moderation", "import", "donate", "unsubscribe", "invite", "follow-up"];
    if path == "/" {
        return true;
    }
    let under = PREFIXES.iter().any(|p| path == *p || path.strip_prefix(p).is_some_and(|rest| rest.starts_with('/')));
    under && !path.split('/').any(|segment| NEVER.contains(&segment))
}

fn has_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|c| {
        c.split(';').find_map(|p| p.trim().strip_prefix(name).and_then(|v| v.strip_prefix('=')).map(str::to_string))
    })
}

/// The server functions that only read: the hydrated page calls them with POST as it moves
/// between pages, and counting those as writes would empty both caches at every click.
fn read_only_fn(path: &str) -> bool {
    use app::{accounts as a, consultations as c, donations as d, map as m, orgs as o};
    use leptos::server_fn::ServerFn;
    [
        a::GetMe::PATH,
        c::ListConsultations::PATH,
        c::GetConsultation::PATH,
        c::GetThread::PATH,
        c::GetReport::PATH,
        c::OrgConsultations::PATH,
        m::SearchPlaces::PATH,
        m::GetPlace::PATH,
        m::GetReport::PATH,
        m::OrgReports::PATH,
        m::MapStats::PATH,
        o::SearchOrgs::PATH,
        o::GetOrg::PATH,
        o::ListAuthorities::PATH,
        o::GetAuthority::PATH,
        o::officer::AuthorityContactForm::PATH,
        o::events::ListEvents::PATH,
        o::events::GetEvent::PATH,
        o::stories::ListStories::PATH,
        o::stories::GetStory::PATH,
        d::ListCampaigns::PATH,
        d::GetCampaign::PATH,
        d::OrgCampaignCards::PATH,
    ]
    .contains(&path)
}

/// Writes that change only the person's own rows (their session, language, subscriptions, a
/// pending gift…): no public page shows them, so they leave the caches alone. Most of them are open
/// to anonymous visitors, who must not be able to empty the caches for everyone at will.
fn private_write(path: &str) -> bool {
    use app::{accounts as a, consultations as c, donations as d, orgs as o};
    use leptos::server_fn::ServerFn;
    [
        a::SetLanguage::PATH,
        a::Login::PATH,
        a::Logout::PATH,
        a::Register::PATH,
        a::VerifyEmail::PATH,
        a::ForgotPassword::PATH,
        a::ResetPassword::PATH,
        a::ChangeEmail::PATH,
        a::EndSessions::PATH,
        a::notify::SaveNotifications::PATH,
        o::newsletter::Subscribe::PATH,
        o::newsletter::ConfirmSubscription::PATH,
        o::newsletter::UpdatePreferences::PATH,
        o::newsletter::Unsubscribe::PATH,
        o::officials::RequestOfficial::PATH,
        o::officials::ConfirmWorkEmail::PATH,
        c::ConsultationsUnsubscribe::PATH,
        c::SubscribeNew::PATH,
        d::Donate::PATH,
        d::ChangeGiftAmount::PATH,
        d::GiftAction::PATH,
        "/newsletter/one-click",
        "/consultations/one-click",
    ]
    .contains(&path)
}

/// A request that may change what pages show: a non-GET that is neither a read nor a private write.
fn is_write(method: &Method, path: &str) -> bool {
    let safe = matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    !safe && !read_only_fn(path) && !private_write(path)
}

/// A form sent back with its mistakes (a redirect carrying `__err`) changed nothing.
fn refused(res: &Response) -> bool {
    let failed_form =
        res.headers().get(header::LOCATION).and_then(|l| l.to_str().ok()).is_some_and(|l| l.contains("__err="));
    !(res.status().is_success() || res.status().is_redirection()) || failed_form
}

/// The cookie that carries a writer's generation to whichever server serves their next request.
const GEN_COOKIE: &str = "pcg";

pub async fn layer(State((cache, db)): State<(PageCache, app::ssr::Db)>, req: Request, next: Next) -> Response {
    // This person wrote on a server whose write this one has not seen yet: look now, not later.
    let needs = has_cookie(req.headers(), GEN_COOKIE).and_then(|g| g.parse::<i64>().ok());
    if needs.is_some_and(|g| g > db.reads.shared()) {
        if let Err(e) = db.sync_public().await {
            tracing::warn!(error = %e, "reading the shared cache generation");
            cache.invalidate();
        }
    }
    if is_write(req.method(), req.uri().path()) {
        let mut res = next.run(req).await;
        // A refused request (forbidden, not found, too many, a form with mistakes) changed nothing.
        if !refused(&res) {
            match db.touch_public().await {
                Ok(g) => {
                    let cookie = format!("{GEN_COOKIE}={g}; Path=/; Max-Age=60; HttpOnly; SameSite=Lax");
                    if let Ok(v) = header::HeaderValue::from_str(&cookie) {
                        res.headers_mut().append(header::SET_COOKIE, v);
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "moving the shared cache generation on");
                    cache.invalidate();
                }
            }
        }
        return res;
    }
    if !cache.enabled() {
        return next.run(req).await;
    }
    let anonymous = has_cookie(req.headers(), "sid").is_none();
    if req.method() != Method::GET || !anonymous || !cacheable_path(req.uri().path()) {
        return next.run(req).await;
    }
    let lang = has_cookie(req.headers(), app::i18n::LANG_COOKIE).unwrap_or_default();
    let key = format!("{lang}|{}", req.uri());
    let nonce = req.extensions().get::<CspNonce>().map(|n| n.0.clone()).unwrap_or_default();

    if let Lookup::Hit(entry) = cache.lookup(&key) {
        cache.0.hits.fetch_add(1, Ordering::Relaxed);
        return replay(&entry, &nonce);
    }
    cache.0.misses.fetch_add(1, Ordering::Relaxed);
    let generation = cache.0.reads.generation();
    let res = next.run(req).await;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if res.status() != StatusCode::OK || !html || res.headers().contains_key(header::SET_COOKIE) {
        cache.forget(&key);
        return res;
    }
    let (parts, body) = res.into_parts();
    let (body, whole) = collect(body).await;
    match whole {
        Some(bytes) => {
            cache.store(
                key,
                Entry {
                    generation,
                    at: Instant::now(),
                    nonce,
                    status: parts.status,
                    headers: parts.headers.clone(),
                    body: bytes,
                    refreshing: AtomicBool::new(false),
                },
            );
        }
        None => cache.forget(&key),
    }
    Response::from_parts(parts, body)
}

/// Reads the body up to [`MAX_BODY`]; returns a body to send on, and the whole bytes when they fit.
async fn collect(mut body: Body) -> (Body, Option<Bytes>) {
    let mut chunks: Vec<Bytes> = Vec::new();
    let mut size = 0usize;
    loop {
        match body.frame().await {
            None => break,
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    size += data.len();
                    chunks.push(data);
                    if size > MAX_BODY {
                        // Too big to keep: send what was read, then the rest as it comes.
                        let head = futures_util::stream::iter(chunks.into_iter().map(Ok::<Bytes, axum::Error>));
                        let rest = body.into_data_stream();
                        return (Body::from_stream(futures_util::StreamExt::chain(head, rest)), None);
                    }
                }
            }
            Some(Err(e)) => {
                tracing::warn!(error = %e, "page body failed while caching");
                return ((StatusCode::INTERNAL_SERVER_ERROR).into_response().into_body(), None);
            }
        }
    }
    let bytes = if chunks.len() == 1 {
        chunks.pop().unwrap_or_default()
    } else {
        let mut all = Vec::with_capacity(size);
        for c in &chunks {
            all.extend_from_slice(c);
        }
        Bytes::from(all)
    };
    (Body::from(bytes.clone()), Some(bytes))
}

fn replay(entry: &Entry, nonce: &str) -> Response {
    let body = if entry.nonce.is_empty() || nonce.is_empty() {
        entry.body.clone()
    } else {
        match std::str::from_utf8(&entry.body) {
            Ok(text) => Bytes::from(text.replace(&entry.nonce, nonce)),
            Err(_) => entry.body.clone(),
        }
    };
    let mut res = Response::new(Body::from(body));
    *res.status_mut() = entry.status;
    *res.headers_mut() = entry.headers.clone();
    res.headers_mut().remove(header::CONTENT_LENGTH);
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_reading_pages_are_cacheable() {
        for p in [
            "/",
            "/map",
            "/map/places/12",
            "/consultations/plan-2026",
            "/consultations/plan-2026/report",
            "/campaigns/x",
        ] {
            assert!(cacheable_path(p), "{p}");
        }
        for p in [
            "/account",
            "/admin/outbox",
            "/donate/manage",
            "/campaigns/x/donate",
            "/organisations/x/edit",
            "/consultations/moderation",
            "/consultations/x/manage",
            "/map/import",
            "/mapping",
            "/api/anything",
            "/pkg/participa.js",
        ] {
            assert!(!cacheable_path(p), "{p}");
        }
    }

    #[test]
    fn writes_are_recognised() {
        assert!(is_write(&Method::POST, "/x"));
        assert!(is_write(&Method::DELETE, "/x"));
        // A link with a token is read, not acted on: the action is the form it shows.
        assert!(!is_write(&Method::GET, "/account/verify"));
        // Reading server functions called by the hydrated page are not writes; nor are writes of
        // a person's own rows; the others are.
        use leptos::server_fn::ServerFn;
        assert!(!is_write(&Method::POST, app::consultations::GetConsultation::PATH));
        assert!(!is_write(&Method::POST, app::map::SearchPlaces::PATH));
        assert!(is_write(&Method::POST, app::consultations::PostComment::PATH));
        assert!(!is_write(&Method::POST, app::accounts::SetLanguage::PATH));
        assert!(!is_write(&Method::POST, app::accounts::Login::PATH));
        assert!(is_write(&Method::POST, "/webhooks/stripe"));
    }

    #[test]
    fn cookies_are_read_by_exact_name() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, "xsid=1; lang=en".parse().unwrap());
        assert_eq!(has_cookie(&h, "sid"), None);
        assert_eq!(has_cookie(&h, "lang").as_deref(), Some("en"));
    }

    fn entry(generation: u64, age: Duration) -> Entry {
        Entry {
            generation,
            at: Instant::now() - age,
            nonce: "n0nce".into(),
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: Bytes::from_static(b"<script nonce=\"n0nce\"></script>"),
            refreshing: AtomicBool::new(false),
        }
    }

    #[test]
    fn a_write_hides_older_pages_and_one_request_refreshes_an_expired_one() {
        let c = PageCache::new(1000, Default::default());
        c.store("k".into(), entry(0, Duration::ZERO));
        assert!(matches!(c.lookup("k"), Lookup::Hit(_)));
        c.invalidate();
        assert!(matches!(c.lookup("k"), Lookup::Render));

        let c = PageCache::new(1000, Default::default());
        c.store("k".into(), entry(0, Duration::from_secs(5)));
        assert!(matches!(c.lookup("k"), Lookup::Render), "the first reader refreshes");
        assert!(matches!(c.lookup("k"), Lookup::Hit(_)), "the others get the old page meanwhile");
    }

    #[test]
    fn a_replayed_page_carries_this_responses_nonce() {
        let res = replay(&entry(0, Duration::ZERO), "fresh");
        let body = futures_util::FutureExt::now_or_never(res.into_body().collect()).and_then(Result::ok);
        let text = body.map(|b| String::from_utf8_lossy(&b.to_bytes()).to_string()).unwrap_or_default();
        assert_eq!(text, "<script nonce=\"fresh\"></script>");
    }
}
