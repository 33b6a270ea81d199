//! The map's orchestration (server only): who may act, the rules applied, the SQL run through
//! `db`, and what follows (a place's summary refreshed, a mail queued). The `#[server]` functions
//! in `map/mod.rs` and the plain handlers in `map/http.rs` call in here.
use super::MapError;
use crate::accounts::SessionUser;
use crate::error::Problem;
use crate::ssr::forms::FieldProblem;

pub mod audits;
pub mod exports;
pub mod followups;
pub mod imports;
pub mod jobs;
pub mod localities;
pub mod petition;
pub mod photos;
pub mod places;
pub mod reports;

/// Today in Bucharest, as days since 1970-01-01 (legal terms count local calendar days).
pub fn today() -> i64 {
    super::rules::day_of(crate::ssr::now())
}

/// The signed-in person, or "sign in first".
async fn signed_in() -> Result<SessionUser, MapError> {
    crate::accounts::session::current_user().await?.ok_or(MapError(Problem::Unauthenticated))
}

async fn platform_admin() -> Result<SessionUser, MapError> {
    let me = signed_in().await?;
    if me.is_admin() {
        Ok(me)
    } else {
        Err(MapError(Problem::Forbidden))
    }
}

/// Why a plain request (a multipart form, a download) stops short; `http` answers each its way.
#[derive(Debug)]
pub enum Stop {
    /// Back to the form, with these problems next to their fields.
    Back(Vec<FieldProblem>),
    NotFound,
    Forbidden,
    /// Logged; the person sees a plain error.
    Internal(String),
}

impl Stop {
    /// Back to the form with one problem.
    fn back(field: &str, code: &str) -> Stop {
        Stop::Back(vec![FieldProblem::new(field, code)])
    }
}

impl From<sqlx::Error> for Stop {
    fn from(e: sqlx::Error) -> Stop {
        Stop::Internal(e.to_string())
    }
}
