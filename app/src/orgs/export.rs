//! Open data: the public fields of every active organisation as CSV and JSON.
use crate::ssr::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// The organisations as CSV (RFC 4180, formula-safe cells: see `ssr::csv`).
pub async fn csv(State(st): State<AppState>) -> Response {
    match super::db::export_rows(&st.db).await {
        Ok(rows) => {
            use crate::ssr::csv::{Cells, Table};
            let header = [
                "name",
                "legal_form",
                "cui",
                "registry_number",
                "locality",
                "county",
                "domains",
                "website",
                "verified",
                "url",
            ];
            let mut table = Table::new(&header, Cells::Neutralise, true, false);
            for p in rows {
                table.row([
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
                ]);
            }
            let out = table.finish();
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
