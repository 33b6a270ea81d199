//! Every SQL statement of the organisations feature. Search uses FTS5 on SQLite and the built-in
//! text search on PostgreSQL, over the same folded text, so both return the same results.
use super::{rules, Authority, OrgCard, OrgFilter, OrgProfile, OrgResults};
use crate::ssr::{now, Db, DbKind};
use sqlx::any::AnyRow;
use sqlx::Row;

fn card(r: &AnyRow, domains: Vec<String>) -> Result<OrgCard, sqlx::Error> {
    let verified: Option<i64> = r.try_get("verified_at")?;
    Ok(OrgCard {
        id: r.try_get("id")?,
        slug: r.try_get("slug")?,
        name: r.try_get("name")?,
        legal_form: r.try_get("legal_form")?,
        locality: r.try_get("locality")?,
        county: r.try_get("county")?,
        short_description: r.try_get("short_description")?,
        domains,
        verified: verified.is_some(),
        is_demo: r.try_get::<i64, _>("is_demo")? == 1,
    })
}

async fn domains_of(db: &Db, id: i64) -> Result<Vec<String>, sqlx::Error> {
    let rows = sqlx::query("SELECT domain FROM organisation_domains WHERE org_id = $1 ORDER BY domain")
        .bind(id)
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(|r| r.try_get(0)).collect()
}

const CARD_COLS: &str =
    "o.id, o.slug, o.name, o.legal_form, o.locality, o.county, o.short_description, o.verified_at, o.is_demo";

pub async fn search(db: &Db, f: &OrgFilter) -> Result<OrgResults, sqlx::Error> {
    let terms = rules::query_terms(&f.q);
    // Filters are bound parameters; only the shape of the WHERE clause depends on which are set.
    let mut clauses = vec!["o.status = 'active'".to_string()];
    let mut binds: Vec<String> = Vec::new();
    if !terms.is_empty() {
        binds.push(match db.kind {
            DbKind::Sqlite => terms.iter().map(|t| format!("\"{t}\"*")).collect::<Vec<_>>().join(" "),
            DbKind::Postgres => terms.iter().map(|t| format!("{t}:*")).collect::<Vec<_>>().join(" & "),
        });
        let n = binds.len();
        clauses.push(match db.kind {
            DbKind::Sqlite => {
                format!("o.id IN (SELECT rowid FROM organisations_fts WHERE organisations_fts MATCH ${n})")
            }
            DbKind::Postgres => format!("to_tsvector('simple', o.search_text) @@ to_tsquery('simple', ${n})"),
        });
    }
    if rules::DOMAINS.contains(&f.domain.as_str()) {
        binds.push(f.domain.clone());
        clauses.push(format!(
            "EXISTS (SELECT 1 FROM organisation_domains d WHERE d.org_id = o.id AND d.domain = ${})",
            binds.len()
        ));
    }
    if !f.county.is_empty() {
        binds.push(f.county.clone());
        clauses.push(format!("o.county = ${}", binds.len()));
    }
    if rules::LEGAL_FORMS.contains(&f.form.as_str()) {
        binds.push(f.form.clone());
        clauses.push(format!("o.legal_form = ${}", binds.len()));
    }
    if f.verified {
        clauses.push("o.verified_at IS NOT NULL".into());
    }
    let filter = clauses.join(" AND ");
    let count_sql = format!("SELECT COUNT(*) FROM organisations o WHERE {filter}");
    let mut q = sqlx::query(&count_sql);
    for b in &binds {
        q = q.bind(b.clone());
    }
    let total: i64 = q.fetch_one(&db.pool).await?.try_get(0)?;
    let pages = ((total + rules::PAGE_SIZE - 1) / rules::PAGE_SIZE).max(1);
    let page = f.page.clamp(1, pages);
    let list_sql = format!(
        "SELECT {CARD_COLS} FROM organisations o WHERE {filter} ORDER BY o.verified_at IS NULL, o.name LIMIT {} OFFSET {}",
        rules::PAGE_SIZE,
        (page - 1) * rules::PAGE_SIZE
    );
    let mut q = sqlx::query(&list_sql);
    for b in &binds {
        q = q.bind(b.clone());
    }
    let rows = q.fetch_all(&db.pool).await?;
    let mut cards = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: i64 = r.try_get("id")?;
        cards.push(card(r, domains_of(db, id).await?)?);
    }
    let counties = sqlx::query(
        "SELECT DISTINCT county FROM organisations WHERE status = 'active' AND county <> '' ORDER BY county",
    )
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| r.try_get(0))
    .collect::<Result<Vec<String>, _>>()?;
    Ok(OrgResults { cards, total, page, pages, counties })
}

pub async fn profile(db: &Db, slug: &str) -> Result<Option<OrgProfile>, sqlx::Error> {
    let Some(r) = sqlx::query(&format!(
        "SELECT {CARD_COLS}, o.cui, o.registry_number, o.description, o.website, o.social_url, o.contact_email,
                o.founding_year, o.areas, o.status, o.logo_key, o.logo_alt,
                (SELECT COUNT(*) FROM roles r WHERE r.scope_id = o.id AND r.role IN ('org_admin', 'org_member')) AS members
         FROM organisations o WHERE o.slug = $1"
    ))
    .bind(slug)
    .fetch_optional(&db.pool)
    .await?
    else {
        return Ok(None);
    };
    let id: i64 = r.try_get("id")?;
    let contact: String = r.try_get("contact_email")?;
    Ok(Some(OrgProfile {
        card: card(&r, domains_of(db, id).await?)?,
        cui: r.try_get("cui")?,
        registry_number: r.try_get("registry_number")?,
        description: r.try_get("description")?,
        website: r.try_get("website")?,
        social_url: r.try_get("social_url")?,
        contact_parts: contact.split_once('@').map(|(a, b)| (a.to_string(), b.to_string())),
        founding_year: r.try_get("founding_year")?,
        areas: r.try_get("areas")?,
        logo_url: Some(r.try_get::<String, _>("logo_key")?).filter(|k| !k.is_empty()).map(|k| format!("/media/{k}")),
        logo_alt: r.try_get("logo_alt")?,
        status: r.try_get("status")?,
        members: r.try_get("members")?,
    }))
}

pub async fn slug_taken(db: &Db, slug: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query("SELECT COUNT(*) FROM organisations WHERE slug = $1")
        .bind(slug)
        .fetch_one(&db.pool)
        .await?
        .try_get(0)?;
    Ok(n > 0)
}

pub struct NewOrg {
    pub slug: String,
    pub name: String,
    pub legal_form: String,
    pub cui: Option<String>,
    pub registry_number: String,
    pub locality: String,
    pub county: String,
    pub short_description: String,
    pub website: String,
    pub contact_email: String,
    pub domains: Vec<String>,
}

/// Creates a pending organisation with its creator as admin, in one transaction.
pub async fn create(db: &Db, o: &NewOrg, creator: i64) -> Result<i64, sqlx::Error> {
    let now = now();
    let search = rules::search_text(&[&o.name, &o.short_description, &o.locality, &o.county]);
    let mut tx = db.pool.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO organisations (slug, name, legal_form, cui, registry_number, locality, county, short_description,
            description, website, contact_email, status, is_demo, created_by, created_at, search_text)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10, 'pending', 0, $11, $12, $13) RETURNING id",
    )
    .bind(&o.slug)
    .bind(&o.name)
    .bind(&o.legal_form)
    .bind(o.cui.clone())
    .bind(&o.registry_number)
    .bind(&o.locality)
    .bind(&o.county)
    .bind(&o.short_description)
    .bind(&o.website)
    .bind(&o.contact_email)
    .bind(creator)
    .bind(now)
    .bind(search)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    for d in &o.domains {
        sqlx::query("INSERT INTO organisation_domains (org_id, domain) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(id)
            .bind(d)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(
        "INSERT INTO roles (user_id, role, scope_id, granted_by, granted_at) VALUES ($1, 'org_admin', $2, $1, $3)",
    )
    .bind(creator)
    .bind(id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Returns the slug when the organisation exists. "active" also verifies it (the badge).
pub async fn set_status(db: &Db, id: i64, status: &str) -> Result<Option<String>, sqlx::Error> {
    if !["active", "restricted", "pending"].contains(&status) {
        return Ok(None);
    }
    let verified = (status == "active").then(now);
    let r = sqlx::query(
        "UPDATE organisations SET status = $1, verified_at = COALESCE($2, verified_at) WHERE id = $3 RETURNING slug",
    )
    .bind(status)
    .bind(verified)
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    r.map(|r| r.try_get(0)).transpose()
}

/// Fills the folded search text of rows written before it existed (or by the demo loader).
pub async fn reindex(db: &Db) -> Result<u64, sqlx::Error> {
    let rows =
        sqlx::query("SELECT id, name, short_description, locality, county FROM organisations WHERE search_text = ''")
            .fetch_all(&db.pool)
            .await?;
    for r in &rows {
        let parts: Vec<String> = ["name", "short_description", "locality", "county"]
            .iter()
            .map(|c| r.try_get(*c))
            .collect::<Result<_, _>>()?;
        let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
        sqlx::query("UPDATE organisations SET search_text = $1 WHERE id = $2")
            .bind(rules::search_text(&refs))
            .bind(r.try_get::<i64, _>("id")?)
            .execute(&db.pool)
            .await?;
    }
    Ok(rows.len() as u64)
}

pub async fn set_domains(db: &Db, org_slug: &str, domains: &[&str]) -> Result<(), sqlx::Error> {
    for d in domains {
        sqlx::query(
            "INSERT INTO organisation_domains (org_id, domain) SELECT id, $2 FROM organisations WHERE slug = $1 ON CONFLICT DO NOTHING",
        )
        .bind(org_slug)
        .bind(*d)
        .execute(&db.pool)
        .await?;
    }
    Ok(())
}

const AUTH_COLS: &str = "id, slug, name, kind, locality, county, address, website, officer_name, officer_email, officer_phone, petition_email";

fn authority_row(r: &AnyRow) -> Result<Authority, sqlx::Error> {
    Ok(Authority {
        id: r.try_get("id")?,
        slug: r.try_get("slug")?,
        name: r.try_get("name")?,
        kind: r.try_get("kind")?,
        locality: r.try_get("locality")?,
        county: r.try_get("county")?,
        address: r.try_get("address")?,
        website: r.try_get("website")?,
        officer_name: r.try_get("officer_name")?,
        officer_email: r.try_get("officer_email")?,
        officer_phone: r.try_get("officer_phone")?,
        petition_email: r.try_get("petition_email")?,
    })
}

pub async fn authorities(db: &Db, county: &str) -> Result<Vec<Authority>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {AUTH_COLS} FROM authorities WHERE ($1 = '' OR county = $1) ORDER BY county, name"
    ))
    .bind(county)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(authority_row).collect()
}

pub async fn authority(db: &Db, slug: &str) -> Result<Option<Authority>, sqlx::Error> {
    let r = sqlx::query(&format!("SELECT {AUTH_COLS} FROM authorities WHERE slug = $1"))
        .bind(slug)
        .fetch_optional(&db.pool)
        .await?;
    r.as_ref().map(authority_row).transpose()
}

/// Public fields of every active organisation, for the open-data export.
pub async fn export_rows(db: &Db) -> Result<Vec<OrgProfile>, sqlx::Error> {
    let slugs =
        sqlx::query("SELECT slug FROM organisations WHERE status = 'active' ORDER BY name").fetch_all(&db.pool).await?;
    let mut out = Vec::new();
    for r in &slugs {
        let slug: String = r.try_get(0)?;
        if let Some(p) = profile(db, &slug).await? {
            out.push(p);
        }
    }
    Ok(out)
}

/// Whether an organisation exists and is active (verified, not restricted).
pub async fn org_is_active(db: &Db, id: i64) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM organisations WHERE id = $1 AND status = 'active'")
        .bind(id)
        .fetch_one(&db.pool)
        .await?;
    Ok(n > 0)
}

pub async fn slug_and_name(db: &Db, id: i64) -> Result<Option<(String, String)>, sqlx::Error> {
    let r = sqlx::query("SELECT slug, name FROM organisations WHERE id = $1").bind(id).fetch_optional(&db.pool).await?;
    r.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
}

pub async fn members(db: &Db, org_id: i64) -> Result<Vec<super::members::Member>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT r.id, r.role, u.display_name FROM roles r JOIN users u ON u.id = r.user_id
         WHERE r.scope_id = $1 AND r.role IN ('org_admin', 'org_member') AND u.deleted_at IS NULL ORDER BY r.role, u.display_name",
    )
    .bind(org_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let role: String = r.try_get("role")?;
            Ok(super::members::Member {
                role_id: r.try_get("id")?,
                name: r.try_get("display_name")?,
                admin: role == "org_admin",
            })
        })
        .collect()
}

pub async fn join_requests(db: &Db, org_id: i64) -> Result<Vec<super::members::JoinRequest>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT j.id, j.message, u.display_name FROM org_join_requests j JOIN users u ON u.id = j.user_id
         WHERE j.org_id = $1 AND j.status = 'pending' ORDER BY j.created_at",
    )
    .bind(org_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(super::members::JoinRequest {
                id: r.try_get("id")?,
                name: r.try_get("display_name")?,
                message: r.try_get("message")?,
            })
        })
        .collect()
}

pub async fn has_join_request(db: &Db, org_id: i64, user_id: i64) -> Result<bool, sqlx::Error> {
    let n: i64 =
        sqlx::query("SELECT COUNT(*) FROM org_join_requests WHERE org_id = $1 AND user_id = $2 AND status = 'pending'")
            .bind(org_id)
            .bind(user_id)
            .fetch_one(&db.pool)
            .await?
            .try_get(0)?;
    Ok(n > 0)
}

/// Files a request to join; true when it is new (the organisation's admins are told only then:
/// asking again updates the message of a pending request, a declined one stays declined for a week).
pub async fn create_join_request(db: &Db, org_id: i64, user_id: i64, message: &str) -> Result<bool, sqlx::Error> {
    let before: Option<String> =
        sqlx::query_scalar("SELECT status FROM org_join_requests WHERE org_id = $1 AND user_id = $2")
            .bind(org_id)
            .bind(user_id)
            .fetch_optional(&db.pool)
            .await?;
    let r = sqlx::query(
        "INSERT INTO org_join_requests (org_id, user_id, message, status, created_at) VALUES ($1, $2, $3, 'pending', $4)
         ON CONFLICT (org_id, user_id) DO UPDATE SET message = excluded.message, status = 'pending', created_at = excluded.created_at
         WHERE org_join_requests.status = 'pending' OR org_join_requests.created_at < $5",
    )
    .bind(org_id)
    .bind(user_id)
    .bind(message)
    .bind(now())
    .bind(now() - 7 * 86_400)
    .execute(&db.pool)
    .await?;
    Ok(r.rows_affected() == 1 && before.as_deref() != Some("pending"))
}

/// Marks a pending request decided; returns the person's id if it was pending for this organisation.
pub async fn decide_join_request(db: &Db, org_id: i64, id: i64, approve: bool) -> Result<Option<i64>, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE org_join_requests SET status = $1, decided_at = $2 WHERE id = $3 AND org_id = $4 AND status = 'pending' RETURNING user_id",
    )
    .bind(if approve { "approved" } else { "declined" })
    .bind(now())
    .bind(id)
    .bind(org_id)
    .fetch_optional(&db.pool)
    .await?;
    r.map(|r| r.try_get(0)).transpose()
}

/// Removes a member's role in this organisation, unless it is the last admin. Returns false then.
pub async fn remove_member(db: &Db, org_id: i64, role_id: i64) -> Result<bool, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let r =
        sqlx::query("SELECT role FROM roles WHERE id = $1 AND scope_id = $2 AND role IN ('org_admin', 'org_member')")
            .bind(role_id)
            .bind(org_id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some(r) = r else { return Ok(true) };
    let role: String = r.try_get(0)?;
    if role == "org_admin" {
        let admins: i64 = sqlx::query("SELECT COUNT(*) FROM roles WHERE scope_id = $1 AND role = 'org_admin'")
            .bind(org_id)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        if admins <= 1 {
            return Ok(false);
        }
    }
    sqlx::query("DELETE FROM roles WHERE id = $1").bind(role_id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(true)
}

pub async fn create_invite(
    db: &Db,
    hash: &str,
    org_id: i64,
    email: &str,
    role: &str,
    by: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO org_invites (token_hash, org_id, email, role, invited_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(hash)
    .bind(org_id)
    .bind(email)
    .bind(role)
    .bind(by)
    .bind(now())
    .bind(expires_at)
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub enum InviteOutcome {
    Accepted { org_id: i64, role: String },
    OtherAccount,
    Invalid,
}

/// Uses an invitation once, only from the account with the invited address.
pub async fn take_invite(db: &Db, hash: &str, email: &str) -> Result<InviteOutcome, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let Some(r) =
        sqlx::query("SELECT org_id, email, role, expires_at, accepted_at FROM org_invites WHERE token_hash = $1")
            .bind(hash)
            .fetch_optional(&mut *tx)
            .await?
    else {
        return Ok(InviteOutcome::Invalid);
    };
    let now = now();
    if !crate::accounts::rules::token_usable(r.try_get("expires_at")?, r.try_get("accepted_at")?, now) {
        return Ok(InviteOutcome::Invalid);
    }
    if r.try_get::<String, _>("email")? != email {
        return Ok(InviteOutcome::OtherAccount);
    }
    let done = sqlx::query("UPDATE org_invites SET accepted_at = $1 WHERE token_hash = $2 AND accepted_at IS NULL")
        .bind(now)
        .bind(hash)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() != 1 {
        return Ok(InviteOutcome::Invalid);
    }
    tx.commit().await?;
    Ok(InviteOutcome::Accepted { org_id: r.try_get("org_id")?, role: r.try_get("role")? })
}

pub struct NewSubscriber {
    pub email: String,
    pub lang: String,
    pub topics: String,
    pub county: String,
    pub consent_version: String,
    pub consent_at: i64,
    pub consent_ip_hash: String,
    pub confirm_hash: String,
}

pub enum Upserted {
    NeedsConfirmation,
    /// The subscriber's public id.
    AlreadyConfirmed(String),
}

/// A new or returning subscriber gets a fresh confirmation; a confirmed one is left as it is.
pub async fn upsert_subscriber(db: &Db, s: &NewSubscriber) -> Result<Upserted, sqlx::Error> {
    let existing = sqlx::query("SELECT public_id, status FROM newsletter_subscribers WHERE email = $1")
        .bind(&s.email)
        .fetch_optional(&db.pool)
        .await?;
    if let Some(r) = &existing {
        if r.try_get::<String, _>("status")? == "confirmed" {
            return Ok(Upserted::AlreadyConfirmed(r.try_get("public_id")?));
        }
    }
    sqlx::query(
        "INSERT INTO newsletter_subscribers (email, lang, topics, county, status, consent_version, consent_at, consent_ip_hash, confirm_hash, created_at, public_id)
         VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8, $6, $9)
         ON CONFLICT (email) DO UPDATE SET lang = excluded.lang, topics = excluded.topics, county = excluded.county, status = 'pending',
           consent_version = excluded.consent_version, consent_at = excluded.consent_at, consent_ip_hash = excluded.consent_ip_hash,
           confirm_hash = excluded.confirm_hash, unsubscribed_at = NULL",
    )
    .bind(&s.email)
    .bind(&s.lang)
    .bind(&s.topics)
    .bind(&s.county)
    .bind(&s.consent_version)
    .bind(s.consent_at)
    .bind(&s.consent_ip_hash)
    .bind(&s.confirm_hash)
    .bind(crate::ssr::public_id())
    .execute(&db.pool)
    .await?;
    Ok(Upserted::NeedsConfirmation)
}

/// Confirms by the mailed link (once); returns (public id, email, language).
pub async fn confirm_subscriber(db: &Db, confirm_hash: &str) -> Result<Option<(String, String, String)>, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE newsletter_subscribers SET status = 'confirmed', confirmed_at = $1, confirm_hash = NULL
         WHERE confirm_hash = $2 AND status = 'pending' AND created_at > $3 RETURNING public_id, email, lang",
    )
    .bind(now())
    .bind(confirm_hash)
    .bind(now() - 7 * 86_400)
    .fetch_optional(&db.pool)
    .await?;
    r.map(|r| Ok((r.try_get("public_id")?, r.try_get("email")?, r.try_get("lang")?))).transpose()
}

/// The subscriber behind a public id (from a signed link).
pub async fn subscriber_by_public(db: &Db, public_id: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar::<_, i64>("SELECT id FROM newsletter_subscribers WHERE public_id = $1")
        .bind(public_id)
        .fetch_optional(&db.pool)
        .await
}

pub async fn preferences(db: &Db, id: i64) -> Result<Option<super::newsletter::Preferences>, sqlx::Error> {
    let r = sqlx::query("SELECT email, topics, county, status FROM newsletter_subscribers WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    r.map(|r| {
        let topics: String = r.try_get("topics")?;
        Ok(super::newsletter::Preferences {
            email: crate::types::mask_email(&r.try_get::<String, _>("email")?),
            topics: topics.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect(),
            county: r.try_get("county")?,
            status: r.try_get("status")?,
        })
    })
    .transpose()
}

pub async fn update_preferences(db: &Db, id: i64, topics: &str, county: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE newsletter_subscribers SET topics = $1, county = $2 WHERE id = $3")
        .bind(topics)
        .bind(county)
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

pub async fn unsubscribe(db: &Db, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE newsletter_subscribers SET status = 'unsubscribed', unsubscribed_at = $1 WHERE id = $2 AND status <> 'unsubscribed'")
        .bind(now())
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

const EVENT_COLS: &str = "e.id, e.slug, e.title, e.kind, e.starts_at, e.ends_at, e.place, o.name AS org_name";

fn event_card(r: &AnyRow) -> Result<super::events::EventCard, sqlx::Error> {
    Ok(super::events::EventCard {
        id: r.try_get("id")?,
        slug: r.try_get("slug")?,
        title: r.try_get("title")?,
        kind: r.try_get("kind")?,
        starts_at: r.try_get("starts_at")?,
        ends_at: r.try_get("ends_at")?,
        place: r.try_get("place")?,
        org_name: r.try_get("org_name")?,
    })
}

pub async fn events(db: &Db, now: i64) -> Result<super::events::EventLists, sqlx::Error> {
    let up = sqlx::query(&format!(
        "SELECT {EVENT_COLS} FROM events e LEFT JOIN organisations o ON o.id = e.org_id WHERE e.ends_at >= $1 ORDER BY e.starts_at LIMIT 50"
    ))
    .bind(now)
    .fetch_all(&db.pool)
    .await?;
    let past = sqlx::query(&format!(
        "SELECT {EVENT_COLS} FROM events e LEFT JOIN organisations o ON o.id = e.org_id WHERE e.ends_at < $1 ORDER BY e.starts_at DESC LIMIT 50"
    ))
    .bind(now)
    .fetch_all(&db.pool)
    .await?;
    Ok(super::events::EventLists {
        upcoming: up.iter().map(event_card).collect::<Result<_, _>>()?,
        past: past.iter().map(event_card).collect::<Result<_, _>>()?,
    })
}

pub async fn event(db: &Db, slug: &str, user: Option<i64>) -> Result<Option<super::events::EventView>, sqlx::Error> {
    let Some(r) = sqlx::query(&format!(
        "SELECT {EVENT_COLS}, e.description, e.online_url, e.capacity, e.materials,
            (SELECT COUNT(*) FROM event_registrations x WHERE x.event_id = e.id AND x.status = 'confirmed') AS confirmed,
            (SELECT COUNT(*) FROM event_registrations x WHERE x.event_id = e.id AND x.status = 'waitlisted') AS waitlisted,
            (SELECT x.status FROM event_registrations x WHERE x.event_id = e.id AND x.user_id = $2) AS my_status
         FROM events e LEFT JOIN organisations o ON o.id = e.org_id WHERE e.slug = $1"
    ))
    .bind(slug)
    .bind(user.unwrap_or(-1))
    .fetch_optional(&db.pool)
    .await?
    else {
        return Ok(None);
    };
    let card = event_card(&r)?;
    Ok(Some(super::events::EventView {
        past: card.starts_at < now(),
        card,
        description: r.try_get("description")?,
        online_url: r.try_get("online_url")?,
        capacity: r.try_get("capacity")?,
        confirmed: r.try_get("confirmed")?,
        waitlisted: r.try_get("waitlisted")?,
        materials: r.try_get("materials")?,
        my_status: r.try_get("my_status")?,
        signed_in: user.is_some(),
    }))
}

/// Registers (or re-registers) in one transaction; None when the event has started or is unknown.
pub async fn register_for_event(
    db: &Db,
    event_id: i64,
    user_id: i64,
    now: i64,
) -> Result<Option<(super::events::Seat, super::events::EventCard)>, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    if db.kind == DbKind::Postgres {
        // Serialise seat counting per event, so two people cannot take the last seat at once.
        sqlx::query("SELECT CAST(1 AS BIGINT) FROM pg_advisory_xact_lock($1)").bind(event_id).execute(&mut *tx).await?;
    }
    let Some(r) = sqlx::query(&format!(
        "SELECT {EVENT_COLS}, e.capacity FROM events e LEFT JOIN organisations o ON o.id = e.org_id WHERE e.id = $1"
    ))
    .bind(event_id)
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(None);
    };
    let card = event_card(&r)?;
    if card.starts_at <= now {
        return Ok(None);
    }
    let existing: Option<String> =
        sqlx::query("SELECT status FROM event_registrations WHERE event_id = $1 AND user_id = $2")
            .bind(event_id)
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| r.try_get(0))
            .transpose()?;
    if let Some(s) = existing.as_deref().filter(|s| *s != "cancelled") {
        let seat = if s == "confirmed" { super::events::Seat::Confirmed } else { super::events::Seat::Waitlisted };
        return Ok(Some((seat, card)));
    }
    let confirmed: i64 =
        sqlx::query("SELECT COUNT(*) FROM event_registrations WHERE event_id = $1 AND status = 'confirmed'")
            .bind(event_id)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
    let seat = super::events::seat_for(r.try_get("capacity")?, confirmed);
    sqlx::query(
        "INSERT INTO event_registrations (event_id, user_id, status, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (event_id, user_id) DO UPDATE SET status = excluded.status, created_at = excluded.created_at, reminder_sent_at = NULL",
    )
    .bind(event_id)
    .bind(user_id)
    .bind(seat.code())
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some((seat, card)))
}

/// Cancels; frees the seat for the earliest on the waiting list. Returns the slug and who moved up.
pub async fn cancel_event_registration(
    db: &Db,
    event_id: i64,
    user_id: i64,
) -> Result<Option<(String, Vec<(String, String, String)>)>, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    if db.kind == DbKind::Postgres {
        sqlx::query("SELECT CAST(1 AS BIGINT) FROM pg_advisory_xact_lock($1)").bind(event_id).execute(&mut *tx).await?;
    }
    let Some(ev) = sqlx::query("SELECT slug, title, capacity FROM events WHERE id = $1")
        .bind(event_id)
        .fetch_optional(&mut *tx)
        .await?
    else {
        return Ok(None);
    };
    let done = sqlx::query("UPDATE event_registrations SET status = 'cancelled' WHERE event_id = $1 AND user_id = $2 AND status <> 'cancelled'")
        .bind(event_id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Ok(None);
    }
    let count = |status: &'static str| {
        sqlx::query("SELECT COUNT(*) FROM event_registrations WHERE event_id = $1 AND status = $2")
            .bind(event_id)
            .bind(status)
    };
    let confirmed: i64 = count("confirmed").fetch_one(&mut *tx).await?.try_get(0)?;
    let waiting: i64 = count("waitlisted").fetch_one(&mut *tx).await?.try_get(0)?;
    let n = super::events::to_promote(ev.try_get("capacity")?, confirmed, waiting);
    let movers = sqlx::query(
        "SELECT r.id, u.email, u.lang FROM event_registrations r JOIN users u ON u.id = r.user_id
         WHERE r.event_id = $1 AND r.status = 'waitlisted' ORDER BY r.created_at, r.id LIMIT $2",
    )
    .bind(event_id)
    .bind(n)
    .fetch_all(&mut *tx)
    .await?;
    let title: String = ev.try_get("title")?;
    let mut promoted = Vec::new();
    for m in &movers {
        sqlx::query("UPDATE event_registrations SET status = 'confirmed' WHERE id = $1")
            .bind(m.try_get::<i64, _>("id")?)
            .execute(&mut *tx)
            .await?;
        promoted.push((m.try_get("email")?, m.try_get("lang")?, title.clone()));
    }
    tx.commit().await?;
    Ok(Some((ev.try_get("slug")?, promoted)))
}

pub struct DueReminder {
    pub registration_id: i64,
    pub email: String,
    pub lang: String,
    pub title: String,
    pub slug: String,
    pub starts_at: i64,
}

pub async fn due_event_reminders(db: &Db, now: i64, until: i64) -> Result<Vec<DueReminder>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT r.id, u.email, u.lang, e.title, e.slug, e.starts_at FROM event_registrations r
         JOIN events e ON e.id = r.event_id JOIN users u ON u.id = r.user_id
         WHERE r.status = 'confirmed' AND r.reminder_sent_at IS NULL AND e.starts_at > $1 AND e.starts_at <= $2 AND u.deleted_at IS NULL",
    )
    .bind(now)
    .bind(until)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(DueReminder {
                registration_id: r.try_get("id")?,
                email: r.try_get("email")?,
                lang: r.try_get("lang")?,
                title: r.try_get("title")?,
                slug: r.try_get("slug")?,
                starts_at: r.try_get("starts_at")?,
            })
        })
        .collect()
}

pub async fn mark_reminded(db: &Db, registration_id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE event_registrations SET reminder_sent_at = $1 WHERE id = $2")
        .bind(now)
        .bind(registration_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

pub struct NewEvent {
    pub slug: String,
    pub org_id: i64,
    pub title: String,
    pub description: String,
    pub kind: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub place: String,
    pub online_url: String,
    pub capacity: i64,
    pub created_by: i64,
}

pub async fn create_event(db: &Db, e: &NewEvent) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO events (slug, org_id, title, description, kind, starts_at, ends_at, place, online_url, capacity, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(&e.slug)
    .bind(e.org_id)
    .bind(&e.title)
    .bind(&e.description)
    .bind(&e.kind)
    .bind(e.starts_at)
    .bind(e.ends_at)
    .bind(&e.place)
    .bind(&e.online_url)
    .bind(e.capacity)
    .bind(e.created_by)
    .bind(now())
    .fetch_one(&db.pool)
    .await?
    .try_get(0)
}

const STORY_COLS: &str = "s.slug, s.title, s.summary, s.domain, s.locality, s.published_at, o.name AS org_name";

fn story_card(r: &AnyRow) -> Result<super::stories::StoryCard, sqlx::Error> {
    Ok(super::stories::StoryCard {
        slug: r.try_get("slug")?,
        title: r.try_get("title")?,
        summary: r.try_get("summary")?,
        domain: r.try_get("domain")?,
        locality: r.try_get("locality")?,
        org_name: r.try_get("org_name")?,
        published_at: r.try_get("published_at")?,
    })
}

pub async fn stories(db: &Db, org_id: i64, limit: i64) -> Result<Vec<super::stories::StoryCard>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {STORY_COLS} FROM stories s LEFT JOIN organisations o ON o.id = s.org_id
         WHERE ($1 = 0 OR s.org_id = $1) ORDER BY s.published_at DESC, s.id DESC LIMIT $2"
    ))
    .bind(org_id)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(story_card).collect()
}

pub async fn story(db: &Db, slug: &str) -> Result<Option<(super::stories::StoryCard, String)>, sqlx::Error> {
    let r = sqlx::query(&format!(
        "SELECT {STORY_COLS}, s.body_md FROM stories s LEFT JOIN organisations o ON o.id = s.org_id WHERE s.slug = $1"
    ))
    .bind(slug)
    .fetch_optional(&db.pool)
    .await?;
    r.map(|r| Ok((story_card(&r)?, r.try_get("body_md")?))).transpose()
}

#[allow(clippy::too_many_arguments)]
pub async fn create_story(
    db: &Db,
    slug: &str,
    org_id: i64,
    title: &str,
    summary: &str,
    body: &str,
    domain: &str,
    locality: &str,
    by: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO stories (slug, org_id, title, summary, body_md, domain, locality, published_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(slug)
    .bind(org_id)
    .bind(title)
    .bind(summary)
    .bind(body)
    .bind(domain)
    .bind(locality)
    .bind(now())
    .bind(by)
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub async fn create_issue(
    db: &Db,
    subject: &str,
    body: &str,
    topic: &str,
    county: &str,
    by: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO newsletter_issues (subject, body_md, topic, county, status, created_by, created_at) VALUES ($1, $2, $3, $4, 'draft', $5, $6) RETURNING id",
    )
    .bind(subject)
    .bind(body)
    .bind(topic)
    .bind(county)
    .bind(by)
    .bind(now())
    .fetch_one(&db.pool)
    .await?
    .try_get(0)
}

/// Subscribers an issue is for: confirmed, with the topic (if any) and in the county (if any).
const SEGMENT: &str =
    "s.status = 'confirmed' AND (i.topic = '' OR (',' || s.topics || ',') LIKE ('%,' || i.topic || ',%'))
    AND (i.county = '' OR s.county = i.county)";

pub async fn issues(db: &Db) -> Result<Vec<super::newsletter::IssueRow>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT i.id, i.subject, i.body_md, i.topic, i.county, i.status, i.created_at,
            (SELECT COUNT(*) FROM newsletter_deliveries d WHERE d.issue_id = i.id) AS sent,
            (SELECT COUNT(*) FROM newsletter_subscribers s WHERE {SEGMENT}) AS audience,
            (SELECT COUNT(*) FROM newsletter_deliveries d JOIN newsletter_subscribers s ON s.id = d.subscriber_id
               WHERE d.issue_id = i.id AND s.status = 'unsubscribed') AS unsubscribed,
            (SELECT COUNT(*) FROM newsletter_deliveries d JOIN mail_outbox m ON m.id = d.mail_id
               WHERE d.issue_id = i.id AND m.status = 'bounced') AS bounced
         FROM newsletter_issues i ORDER BY i.id DESC LIMIT 50"
    ))
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(super::newsletter::IssueRow {
                id: r.try_get("id")?,
                subject: r.try_get("subject")?,
                html: crate::ssr::markdown::render(&r.try_get::<String, _>("body_md")?),
                topic: r.try_get("topic")?,
                county: r.try_get("county")?,
                status: r.try_get("status")?,
                sent: r.try_get("sent")?,
                audience: r.try_get("audience")?,
                unsubscribed: r.try_get("unsubscribed")?,
                bounced: r.try_get("bounced")?,
            })
        })
        .collect()
}

pub async fn set_issue_status(db: &Db, id: i64, from: &str, to: &str) -> Result<bool, sqlx::Error> {
    let r = sqlx::query("UPDATE newsletter_issues SET status = $1 WHERE id = $2 AND status = $3")
        .bind(to)
        .bind(id)
        .bind(from)
        .execute(&db.pool)
        .await?;
    Ok(r.rows_affected() == 1)
}

pub struct Recipient {
    pub subscriber_id: i64,
    pub public_id: String,
    pub email: String,
    pub lang: String,
}

pub struct SendingIssue {
    pub id: i64,
    pub subject: String,
    pub body_md: String,
}

pub async fn sending_issues(db: &Db) -> Result<Vec<SendingIssue>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, subject, body_md FROM newsletter_issues WHERE status = 'sending' ORDER BY id")
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(SendingIssue { id: r.try_get("id")?, subject: r.try_get("subject")?, body_md: r.try_get("body_md")? })
        })
        .collect()
}

/// The next recipients not yet sent this issue (so a restart resumes where it stopped).
pub async fn next_recipients(db: &Db, issue_id: i64, batch: i64) -> Result<Vec<Recipient>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT s.id, s.public_id, s.email, s.lang FROM newsletter_subscribers s, newsletter_issues i
         WHERE i.id = $1 AND {SEGMENT}
           AND NOT EXISTS (SELECT 1 FROM newsletter_deliveries d WHERE d.issue_id = i.id AND d.subscriber_id = s.id)
         ORDER BY s.id LIMIT $2"
    ))
    .bind(issue_id)
    .bind(batch)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Recipient {
                subscriber_id: r.try_get("id")?,
                public_id: r.try_get("public_id")?,
                email: r.try_get("email")?,
                lang: r.try_get("lang")?,
            })
        })
        .collect()
}

/// Records one delivery and queues its mail in one transaction; false if it was already done.
pub async fn deliver_issue_mail(
    db: &Db,
    issue_id: i64,
    subscriber_id: i64,
    mail: &crate::ssr::mail::Mail,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let r = sqlx::query("INSERT INTO newsletter_deliveries (issue_id, subscriber_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(issue_id)
        .bind(subscriber_id)
        .bind(now())
        .execute(&mut *tx)
        .await?;
    if r.rows_affected() == 0 {
        return Ok(false);
    }
    let mail_id: i64 = sqlx::query(
        "INSERT INTO mail_outbox (to_addr, subject, body_text, body_html, kind, unsubscribe_url, status, attempts, next_attempt_at, created_at)
         VALUES ($1, $2, $3, $4, 'newsletter', $5, 'queued', 0, $6, $6) RETURNING id",
    )
    .bind(&mail.to)
    .bind(&mail.subject)
    .bind(&mail.text)
    .bind(&mail.html)
    .bind(mail.unsubscribe_url.clone())
    .bind(now())
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    sqlx::query("UPDATE newsletter_deliveries SET mail_id = $1 WHERE issue_id = $2 AND subscriber_id = $3")
        .bind(mail_id)
        .bind(issue_id)
        .bind(subscriber_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

pub async fn finish_issue(db: &Db, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE newsletter_issues SET status = 'sent', sent_at = $1 WHERE id = $2 AND status = 'sending'")
        .bind(now())
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

pub async fn issue_body(db: &Db, id: i64) -> Result<Option<String>, sqlx::Error> {
    let r =
        sqlx::query("SELECT body_md FROM newsletter_issues WHERE id = $1").bind(id).fetch_optional(&db.pool).await?;
    r.map(|r| r.try_get(0)).transpose()
}

/// Addresses and languages of an organisation's admins (for mail about their organisation).
pub async fn admin_contacts(db: &Db, org_id: i64) -> Result<Vec<(String, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT u.email, u.lang FROM roles r JOIN users u ON u.id = r.user_id
         WHERE r.scope_id = $1 AND r.role = 'org_admin' AND u.deleted_at IS NULL",
    )
    .bind(org_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| Ok((r.try_get("email")?, r.try_get("lang")?))).collect()
}

pub async fn authority_slug(db: &Db, id: i64) -> Result<Option<String>, sqlx::Error> {
    let r = sqlx::query("SELECT slug FROM authorities WHERE id = $1").bind(id).fetch_optional(&db.pool).await?;
    r.map(|r| r.try_get("slug")).transpose()
}

pub async fn official_request_pending(db: &Db, user_id: i64, authority_id: i64) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query(
        "SELECT COUNT(*) FROM official_requests WHERE user_id = $1 AND authority_id = $2 AND status = 'pending'",
    )
    .bind(user_id)
    .bind(authority_id)
    .fetch_one(&db.pool)
    .await?
    .try_get(0)?;
    Ok(n > 0)
}

/// Files a request; false when one is already waiting (the partial unique index decides).
pub async fn create_official_request(
    db: &Db,
    user_id: i64,
    authority_id: i64,
    position: &str,
    work_email: &str,
    message: &str,
    work_token_hash: &str,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "INSERT INTO official_requests (user_id, authority_id, position, work_email, message, status, created_at, work_token_hash)
         VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7) ON CONFLICT DO NOTHING",
    )
    .bind(user_id)
    .bind(authority_id)
    .bind(position)
    .bind(work_email)
    .bind(message)
    .bind(now())
    .bind(work_token_hash)
    .execute(&db.pool)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// The link mailed to the work address was followed (once, within two days): the address is proven.
/// Returns the authority's slug.
pub async fn confirm_work_email(db: &Db, token_hash: &str) -> Result<Option<String>, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE official_requests SET work_verified_at = $1, work_token_hash = NULL
         WHERE work_token_hash = $2 AND status = 'pending' AND created_at > $3 RETURNING authority_id",
    )
    .bind(now())
    .bind(token_hash)
    .bind(now() - 2 * 86_400)
    .fetch_optional(&db.pool)
    .await?;
    match r {
        Some(r) => authority_slug(db, r.try_get("authority_id")?).await,
        None => Ok(None),
    }
}

pub async fn pending_official_requests(db: &Db) -> Result<Vec<super::officials::OfficialRequest>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT q.id, u.display_name, u.email, a.name, a.slug, a.website, q.position, q.work_email, q.message, q.created_at,
                q.work_verified_at
         FROM official_requests q JOIN users u ON u.id = q.user_id JOIN authorities a ON a.id = q.authority_id
         WHERE q.status = 'pending' ORDER BY q.created_at",
    )
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let work_email: String = r.try_get("work_email")?;
            let website: String = r.try_get("website")?;
            let work_verified = r.try_get::<Option<i64>, _>("work_verified_at")?.is_some();
            Ok(super::officials::OfficialRequest {
                work_verified,
                id: r.try_get("id")?,
                user_name: r.try_get("display_name")?,
                user_email: r.try_get("email")?,
                authority_name: r.try_get("name")?,
                authority_slug: r.try_get("slug")?,
                position: r.try_get("position")?,
                domain_matches: work_verified && super::officials::email_at_domain(&work_email, &website),
                work_email,
                message: r.try_get("message")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

pub struct OfficialDecision {
    pub email: String,
    pub lang: String,
    pub authority_name: String,
    pub authority_slug: String,
}

/// Decides a pending request once; approval grants the official role for that authority in the same
/// transaction. None when the request is not pending (already decided or unknown).
pub async fn decide_official_request(
    db: &Db,
    id: i64,
    approve: bool,
    note: &str,
    by: i64,
) -> Result<Option<OfficialDecision>, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    // Approval only once the work address is proven; declining is always possible.
    let r = sqlx::query(
        "UPDATE official_requests SET status = $1, decided_by = $2, decided_at = $3, decision_note = $4
         WHERE id = $5 AND status = 'pending' AND ($1 = 'declined' OR work_verified_at IS NOT NULL)",
    )
    .bind(if approve { "approved" } else { "declined" })
    .bind(by)
    .bind(now())
    .bind(note)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if r.rows_affected() != 1 {
        return Ok(None);
    }
    let row = sqlx::query(
        "SELECT q.user_id, q.authority_id, u.email, u.lang, a.name, a.slug FROM official_requests q
         JOIN users u ON u.id = q.user_id JOIN authorities a ON a.id = q.authority_id WHERE q.id = $1",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    if approve {
        sqlx::query(
            "INSERT INTO roles (user_id, role, scope_id, granted_by, granted_at) VALUES ($1, 'official', $2, $3, $4)
             ON CONFLICT (user_id, role, scope_id) DO NOTHING",
        )
        .bind(row.try_get::<i64, _>("user_id")?)
        .bind(row.try_get::<i64, _>("authority_id")?)
        .bind(by)
        .bind(now())
        .execute(&mut *tx)
        .await?;
    }
    let d = OfficialDecision {
        email: row.try_get("email")?,
        lang: row.try_get("lang")?,
        authority_name: row.try_get("name")?,
        authority_slug: row.try_get("slug")?,
    };
    tx.commit().await?;
    Ok(Some(d))
}

/// A hard bounce: the address does not exist, so the newsletter stops writing to it.
pub async fn mark_bounced(db: &Db, email: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE newsletter_subscribers SET status = 'bounced' WHERE email = $1 AND status = 'confirmed'")
        .bind(email.trim().to_lowercase())
        .execute(&db.pool)
        .await?;
    Ok(())
}

pub struct ProfileUpdate {
    pub short_description: String,
    pub description: String,
    pub website: String,
    pub social_url: String,
    pub areas: String,
    pub founding_year: Option<i64>,
    pub contact_email: String,
}

/// Saves the editable profile and refreshes the search text; returns the slug.
pub async fn update_profile(db: &Db, org_id: i64, u: &ProfileUpdate) -> Result<Option<String>, sqlx::Error> {
    let Some(r) = sqlx::query("SELECT slug, name, locality, county FROM organisations WHERE id = $1")
        .bind(org_id)
        .fetch_optional(&db.pool)
        .await?
    else {
        return Ok(None);
    };
    let (slug, name, locality, county): (String, String, String, String) =
        (r.try_get("slug")?, r.try_get("name")?, r.try_get("locality")?, r.try_get("county")?);
    let search = rules::search_text(&[&name, &u.short_description, &locality, &county, &u.areas]);
    sqlx::query(
        "UPDATE organisations SET short_description = $1, description = $2, website = $3, social_url = $4, areas = $5,
            founding_year = $6, contact_email = $7, search_text = $8 WHERE id = $9",
    )
    .bind(&u.short_description)
    .bind(&u.description)
    .bind(&u.website)
    .bind(&u.social_url)
    .bind(&u.areas)
    .bind(u.founding_year)
    .bind(&u.contact_email)
    .bind(search)
    .bind(org_id)
    .execute(&db.pool)
    .await?;
    Ok(Some(slug))
}

/// Sets the logo and returns the key of the one it replaces, so its file can be removed.
pub async fn set_logo(db: &Db, org_id: i64, key: &str, alt: &str) -> Result<Option<String>, sqlx::Error> {
    let old: Option<String> = sqlx::query("SELECT logo_key FROM organisations WHERE id = $1")
        .bind(org_id)
        .fetch_optional(&db.pool)
        .await?
        .map(|r| r.try_get(0))
        .transpose()?;
    sqlx::query("UPDATE organisations SET logo_key = $1, logo_alt = $2 WHERE id = $3")
        .bind(key)
        .bind(alt)
        .bind(org_id)
        .execute(&db.pool)
        .await?;
    Ok(old.filter(|k| !k.is_empty()))
}
