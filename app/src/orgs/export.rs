//! Open data: the public fields of every active organisation as CSV and JSON.
use crate::ssr::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// One CSV field: quoted when it holds a separator, a quote or a line break; a leading `=`, `+`,
/// `-` or `@` is neutralised so spreadsheets do not run it as a formula.
pub fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

pub async fn csv(State(st): State<AppState>) -> Response {
    match super::db::export_rows(&st.db).await {
        Ok(rows) => {
            let mut out =
                String::from("name,legal_form,cui,registry_number,locality,county,domains,website,verified,url\r\n");
            for p in rows {
                let fields = [
                    p.card.name.clone(),
                    p.card.legal_form.clone(),
                    p.cui.clone().unwrap_or_default(),
                    p.registry_number.clone(),
                    p.card.locality.clone(),
                    p.card.county.clone(),
                    p.card.domains.join(";"),
                    p.website.clone(),
                    p.card.verified.to_string(),
                    format!("{}/organisations/{}", st.settings.public_url.trim_end_matches('/'), p.card.slug),
                ];
                out.push_str(&fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
                out.push_str("\r\n");
            }
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                    (header::CONTENT_DISPOSITION, "attachment; filename=\"participa-organisations.csv\""),
                ],
                out,
            )
                .into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "organisations export");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

pub async fn json(State(st): State<AppState>) -> Response {
    match super::db::export_rows(&st.db).await {
        Ok(rows) => {
            let items: Vec<_> = rows
                .into_iter()
                .map(|p| {
                    serde_json::json!({
                        "name": p.card.name, "slug": p.card.slug, "legal_form": p.card.legal_form, "cui": p.cui,
                        "registry_number": p.registry_number, "locality": p.card.locality, "county": p.card.county,
                        "domains": p.card.domains, "website": p.website, "verified": p.card.verified,
                        "short_description": p.card.short_description, "demo": p.card.is_demo,
                    })
                })
                .collect();
            axum::Json(serde_json::json!({ "organisations": items })).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "organisations export");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn csv_fields_are_quoted_and_formula_safe() {
        assert_eq!(csv_field("Focșani"), "Focșani");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("„Eu, tu și ei”"), "\"„Eu, tu și ei”\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
    }
}
