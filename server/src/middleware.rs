//! Cross-cutting HTTP concerns: request ids and tracing, client IP, CSRF, security headers, health.
use app::ssr::request::{ClientIp, CspNonce};
use app::ssr::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

pub async fn healthz(State(st): State<AppState>) -> Response {
    match st.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}

/// Every request gets an `x-request-id` (kept if a proxy set one) that appears in its log lines.
pub fn with_tracing(router: axum::Router) -> axum::Router {
    let x = header::HeaderName::from_static("x-request-id");
    fn span(req: &Request) -> tracing::Span {
        let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
        tracing::info_span!("http", method = %req.method(), path = %req.uri().path(), request_id = %id)
    }
    router
        .layer(PropagateRequestIdLayer::new(x.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(span as fn(&Request) -> tracing::Span))
        .layer(SetRequestIdLayer::new(x, MakeRequestUuid))
}

/// The client's address behind `hops` trusted proxies: each proxy appends the address it received
/// the request from, so the client is the `hops`-th entry from the right. Entries further left were
/// written by the client and prove nothing.
pub fn forwarded_client(headers: &axum::http::HeaderMap, hops: usize) -> Option<std::net::IpAddr> {
    if hops == 0 {
        return None;
    }
    let list: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    list.len().checked_sub(hops).and_then(|i| list[i].parse().ok())
}

pub async fn client_ip(State(st): State<AppState>, mut req: Request, next: Next) -> Response {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let forwarded = forwarded_client(req.headers(), st.settings.proxy_hops);
    let ip = forwarded.or(peer).map(|ip| ip.to_string()).unwrap_or_else(|| "unknown".into());
    req.extensions_mut().insert(ClientIp(ip));
    req.extensions_mut().insert(app::accounts::session::SessionMemo::default());
    next.run(req).await
}

/// Whether a state-changing request comes from our own pages. Browsers send `Sec-Fetch-Site` or
/// `Origin` on every POST; a request with neither carries no ambient credentials we honour.
pub fn same_origin(method: &Method, headers: &axum::http::HeaderMap, public_url: &str) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site == "same-origin" || site == "none";
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
        let public = public_url.trim_end_matches('/');
        return origin == public || origin == format!("http://{host}") || origin == format!("https://{host}");
    }
    let has_session = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|c| c.split(';').any(|p| p.trim().starts_with("sid=")));
    !has_session
}

pub async fn csrf(State(st): State<AppState>, req: Request, next: Next) -> Response {
    // Payment webhooks and one-click unsubscribe (RFC 8058, posted by mail clients) prove
    // themselves with signatures, not with an origin; neither acts on a session.
    let signed = req.uri().path().starts_with("/webhooks/")
        || req.uri().path() == "/newsletter/one-click"
        || req.uri().path() == "/consultations/one-click";
    if signed || same_origin(req.method(), req.headers(), &st.settings.public_url) {
        next.run(req).await
    } else {
        tracing::warn!(path = %req.uri().path(), "cross-site request refused");
        (StatusCode::FORBIDDEN, "Cross-site request refused / Cerere din alt site refuzată").into_response()
    }
}

/// A server function that refuses (a wrong password, a form with mistakes, a rule that says no)
/// answers with the status that says so, not 500: a refusal is the person's business, not a fault
/// of ours, and is not logged as an error. The body (the translated problem) is unchanged.
pub async fn server_fn_status(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR || !res.headers().contains_key("serverfnerror") {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 256 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
    };
    if let Some(status) = problem_status(&bytes) {
        parts.status = status;
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// The status of a serialised `Problem` (see app::error): None for an internal error.
fn problem_status(body: &[u8]) -> Option<StatusCode> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    let name = match &v {
        serde_json::Value::String(s) => s.as_str(),
        serde_json::Value::Object(m) => m.keys().next()?.as_str(),
        _ => return None,
    };
    Some(match name {
        "Invalid" | "Refused" => StatusCode::UNPROCESSABLE_ENTITY,
        "RateLimited" => StatusCode::TOO_MANY_REQUESTS,
        "Unauthenticated" => StatusCode::UNAUTHORIZED,
        "Forbidden" => StatusCode::FORBIDDEN,
        "NotFound" => StatusCode::NOT_FOUND,
        _ => return None,
    })
}

/// Request bodies: every route gets `limit` bytes; upload routes name their own (larger) limit.
/// A declared `Content-Length` over it is refused before anything is read, and a body without one
/// stops being read at the limit.
pub async fn body_limit(State(limits): State<BodyLimits>, req: Request, next: Next) -> Response {
    let limit = limits.for_path(req.uri().path());
    let declared =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return (StatusCode::PAYLOAD_TOO_LARGE, "Request too large / Cerere prea mare").into_response();
    }
    let (parts, body) = req.into_parts();
    let body = axum::body::Body::new(http_body_util::Limited::new(body, limit));
    next.run(Request::from_parts(parts, body)).await
}

/// The body limit of every route: a default, and the upload routes' own.
#[derive(Clone)]
pub struct BodyLimits {
    pub default: usize,
    /// (path pattern with `*` for one segment, limit), checked in order.
    pub routes: std::sync::Arc<Vec<(&'static str, usize)>>,
}

impl BodyLimits {
    pub fn for_path(&self, path: &str) -> usize {
        let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
        self.routes
            .iter()
            .find(|(pattern, _)| {
                let pat: Vec<&str> = pattern.trim_matches('/').split('/').collect();
                pat.len() == segs.len() && pat.iter().zip(&segs).all(|(p, s)| *p == "*" || p == s)
            })
            .map(|(_, n)| *n)
            .unwrap_or(self.default)
    }
}

pub async fn security_headers(State(st): State<AppState>, mut req: Request, next: Next) -> Response {
    let nonce = {
        use rand::RngCore;
        let mut b = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut b);
        b.iter().map(|x| format!("{x:02x}")).collect::<String>()
    };
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    // The map's tile server (MAP_TILE_URL) is the only outside origin images come from; the
    // payment provider's hosted checkout the only one a form may lead to (the donate form's
    // redirect, with or without JavaScript).
    let tiles = app::map::pages::tile_origin().unwrap_or_default();
    let checkout = st.payments.provider.checkout_origins().join(" ");
    let csp = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data: {tiles}; connect-src 'self'; font-src 'self'; object-src 'none'; \
         base-uri 'self'; form-action 'self' {checkout}; frame-ancestors 'none'"
    );
    if let Ok(v) = HeaderValue::from_str(&csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert("permissions-policy", HeaderValue::from_static("geolocation=(self), camera=(self), microphone=()"));
    if st.settings.cookie_secure {
        // Served over https: browsers keep to https for a year, subdomains included.
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderMap;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn the_client_is_what_the_trusted_proxy_appended() {
        let h = headers(&[("x-forwarded-for", "6.6.6.6, 203.0.113.9")]);
        assert_eq!(forwarded_client(&h, 1), "203.0.113.9".parse().ok());
        assert_eq!(forwarded_client(&h, 2), "6.6.6.6".parse().ok());
        assert_eq!(forwarded_client(&h, 3), None, "fewer entries than proxies: use the peer");
        assert_eq!(forwarded_client(&h, 0), None);
        assert_eq!(forwarded_client(&headers(&[("x-forwarded-for", "not-an-ip")]), 1), None);
    }

    #[test]
    fn refusals_get_their_own_status() {
        assert_eq!(problem_status(br#"{"Invalid":{"errors":[],"values":[]}}"#), Some(StatusCode::UNPROCESSABLE_ENTITY));
        assert_eq!(problem_status(br#"{"RateLimited":{"retry_after_secs":5}}"#), Some(StatusCode::TOO_MANY_REQUESTS));
        assert_eq!(problem_status(br#""Forbidden""#), Some(StatusCode::FORBIDDEN));
        assert_eq!(problem_status(br#""Internal""#), None);
        assert_eq!(problem_status(b"garbage"), None);
    }

    #[test]
    fn body_limits_by_route() {
        let l = BodyLimits {
            default: 10,
            routes: std::sync::Arc::new(vec![("/map/reports/*/fixed", 99), ("/map/reports", 50)]),
        };
        assert_eq!(l.for_path("/map/reports"), 50);
        assert_eq!(l.for_path("/map/reports/12/fixed"), 99);
        assert_eq!(l.for_path("/map/reports/12"), 10);
        assert_eq!(l.for_path("/api/login123"), 10);
    }

    #[test]
    fn csrf_rules() {
        let url = "http://127.0.0.1:3000";
        assert!(same_origin(&Method::GET, &headers(&[("sec-fetch-site", "cross-site")]), url));
        assert!(same_origin(&Method::POST, &headers(&[("sec-fetch-site", "same-origin")]), url));
        assert!(!same_origin(&Method::POST, &headers(&[("sec-fetch-site", "cross-site")]), url));
        assert!(!same_origin(&Method::POST, &headers(&[("sec-fetch-site", "same-site")]), url));
        assert!(same_origin(&Method::POST, &headers(&[("origin", url), ("host", "127.0.0.1:3000")]), url));
        assert!(!same_origin(
            &Method::POST,
            &headers(&[("origin", "https://evil.example"), ("host", "127.0.0.1:3000")]),
            url
        ));
        assert!(!same_origin(&Method::POST, &headers(&[("cookie", "sid=abc")]), url));
        assert!(same_origin(&Method::POST, &headers(&[]), url));
    }
}
