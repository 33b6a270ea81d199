//! Plain multipart forms (uploads that work without JavaScript) send the person back the same way
//! everywhere: to the form, with each problem as `error=field:code` and what they typed kept in the
//! query (`ui::form::query_errors` reads it), or as JSON for an island that uploads by script.
use crate::i18n::Lang;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderMap, StatusCode};

/// A form problem: which field, which message (a code the page translates).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct FieldProblem {
    pub field: String,
    pub code: String,
}

impl FieldProblem {
    pub fn new(field: &str, code: &str) -> FieldProblem {
        FieldProblem { field: field.into(), code: code.into() }
    }
}

/// The request came from script that wants JSON answers (the upload island), not from a plain form.
pub fn wants_json(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("application/json"))
}

/// Success: a redirect for a plain form, `{ "redirect": … }` for script.
pub fn done(headers: &HeaderMap, to: &str) -> Response {
    if wants_json(headers) {
        axum::Json(serde_json::json!({ "redirect": to })).into_response()
    } else {
        (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
    }
}

/// Back to the form at `path` (and `#anchor`) with the problems and the text kept; for script, 422
/// with each problem's message in the person's language (`message` translates a code).
pub fn send_back(
    headers: &HeaderMap,
    path: &str,
    anchor: Option<&str>,
    errors: &[FieldProblem],
    keep: &[(&str, &str)],
    message: impl Fn(Lang, &str) -> String,
) -> Response {
    if wants_json(headers) {
        let lang = super::request::lang_of(headers);
        let list: Vec<_> =
            errors.iter().map(|e| serde_json::json!({ "field": e.field, "message": message(lang, &e.code) })).collect();
        return (StatusCode::UNPROCESSABLE_ENTITY, axum::Json(serde_json::json!({ "errors": list }))).into_response();
    }
    let enc = crate::text::encode_query;
    let mut q: Vec<String> = errors.iter().map(|e| format!("error={}:{}", enc(&e.field), enc(&e.code))).collect();
    for (k, v) in keep {
        if !v.is_empty() {
            q.push(format!("{k}={}", crate::text::encode_query(v)));
        }
    }
    let sep = if path.contains('?') { '&' } else { '?' };
    let query = if q.is_empty() { String::new() } else { format!("{sep}{}", q.join("&")) };
    let anchor = anchor.map(|a| format!("#{a}")).unwrap_or_default();
    (StatusCode::SEE_OTHER, [(header::LOCATION, format!("{path}{query}{anchor}"))]).into_response()
}
