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

pub async fn client_ip(State(st): State<AppState>, mut req: Request, next: Next) -> Response {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string());
    let forwarded = st
        .settings
        .trust_proxy
        .then(|| req.headers().get("x-forwarded-for")?.to_str().ok()?.split(',').next().map(|s| s.trim().to_string()))
        .flatten();
    let ip = forwarded.or(peer).unwrap_or_else(|| "unknown".into());
    req.extensions_mut().insert(ClientIp(ip));
    req.extensions_mut().insert(app::ssr::auth::SessionMemo::default());
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

pub async fn security_headers(mut req: Request, next: Next) -> Response {
    let nonce = {
        use rand::RngCore;
        let mut b = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut b);
        b.iter().map(|x| format!("{x:02x}")).collect::<String>()
    };
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    // The map's tile server (MAP_TILE_URL) is the only outside origin images come from.
    let tiles = app::map::pages::tile_origin().unwrap_or_default();
    let csp = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data: {tiles}; connect-src 'self'; font-src 'self'; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(v) = HeaderValue::from_str(&csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert("permissions-policy", HeaderValue::from_static("geolocation=(self), camera=(self), microphone=()"));
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
