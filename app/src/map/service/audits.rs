//! Audits: a signed-in resident's, or a verified one from a moderator or the organisation.
use super::super::{db, rules};
use super::{signed_in, today, MapError};
use crate::error::{FormState, Problem};
use crate::i18n::K;
use std::collections::HashMap;

/// Adds an audit and refreshes the place's rating. Fields arrive as `audit[<field>]`: "yes" /
/// "no" / "" (unknown) or a number; problems come back next to their fields with the values kept.
pub async fn save(place_id: i64, checked_on: &str, audit: &HashMap<String, String>) -> Result<(), MapError> {
    let st = crate::ssr::state();
    let me = signed_in().await?;
    if !me.verified {
        return Err(MapError(Problem::Refused(K::err_verify_first)));
    }
    if let Some(wait) = crate::ssr::rate_limit::hit(&st.db, &format!("map.audit:{}", me.id), 30, 3600).await? {
        return Err(MapError(Problem::rate_limited(wait, FormState::new())));
    }
    let (org_id, authority_id) = db::place_owners(&st.db, place_id).await?.ok_or(MapError(Problem::NotFound))?;
    let mut form = FormState::new().value("checked_on", checked_on);
    for (k, v) in audit {
        form = form.value(&format!("audit[{k}]"), v);
    }
    let parsed = rules::parse_audit(audit, &mut form);
    let today = today();
    let day = rules::check_audit_day(checked_on, today);
    if day.is_none() {
        form.add("checked_on", K::map_err_date);
    }
    if !form.is_ok() {
        return Err(form.into());
    }
    let verified = rules::actor_for(Some(&me), org_id, authority_id, None).may_verify_audit();
    db::insert_audit(&st.db, place_id, &parsed, day.unwrap_or(today), verified, me.id).await?;
    super::places::refresh(&st.db, place_id, today).await?;
    Ok(())
}
