//! SQL of the catalogue: organisations and authorities. Search uses FTS5 on SQLite and the
//! built-in text search on PostgreSQL, over the same folded text, so both return the same results.
/// A checked registration is what `create` stores.
pub use super::rules::NewOrg;
use super::rules::{self, ProfileUpdate};
use super::{Authority, OrgCard, OrgFilter, OrgProfile, OrgResults};
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
    rows.iter().map(|r| r.try_get("domain")).collect()
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
    let count_sql = format!("SELECT COUNT(*) AS n FROM organisations o WHERE {filter}");
    let mut q = sqlx::query(&count_sql);
    for b in &binds {
        q = q.bind(b.clone());
    }
    let total: i64 = q.fetch_one(&db.pool).await?.try_get("n")?;
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
    .map(|r| r.try_get("county"))
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
    let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM organisations WHERE slug = $1")
        .bind(slug)
        .fetch_one(&db.pool)
        .await?
        .try_get("n")?;
    Ok(n > 0)
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
    .try_get("id")?;
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

/// Sets the status, and the verification time when one is given (kept otherwise); returns the
/// slug when the organisation exists.
pub async fn set_status(db: &Db, id: i64, status: &str, verified: Option<i64>) -> Result<Option<String>, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE organisations SET status = $1, verified_at = COALESCE($2, verified_at) WHERE id = $3 RETURNING slug",
    )
    .bind(status)
    .bind(verified)
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    r.map(|r| r.try_get("slug")).transpose()
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

/// Public fields of every active organisation, for the open-data export.
pub async fn export_rows(db: &Db) -> Result<Vec<OrgProfile>, sqlx::Error> {
    let slugs =
        sqlx::query("SELECT slug FROM organisations WHERE status = 'active' ORDER BY name").fetch_all(&db.pool).await?;
    let mut out = Vec::new();
    for r in &slugs {
        let slug: String = r.try_get("slug")?;
        if let Some(p) = profile(db, &slug).await? {
            out.push(p);
        }
    }
    Ok(out)
}

/// Whether an organisation exists and is active (verified, not restricted).
pub async fn org_is_active(db: &Db, id: i64) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) AS n FROM organisations WHERE id = $1 AND status = 'active'")
        .bind(id)
        .fetch_one(&db.pool)
        .await?;
    Ok(n > 0)
}

pub async fn slug_and_name(db: &Db, id: i64) -> Result<Option<(String, String)>, sqlx::Error> {
    let r = sqlx::query("SELECT slug, name FROM organisations WHERE id = $1").bind(id).fetch_optional(&db.pool).await?;
    r.map(|r| Ok((r.try_get("slug")?, r.try_get("name")?))).transpose()
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
        .map(|r| r.try_get("logo_key"))
        .transpose()?;
    sqlx::query("UPDATE organisations SET logo_key = $1, logo_alt = $2 WHERE id = $3")
        .bind(key)
        .bind(alt)
        .bind(org_id)
        .execute(&db.pool)
        .await?;
    Ok(old.filter(|k| !k.is_empty()))
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

pub async fn authority_slug(db: &Db, id: i64) -> Result<Option<String>, sqlx::Error> {
    let r = sqlx::query("SELECT slug FROM authorities WHERE id = $1").bind(id).fetch_optional(&db.pool).await?;
    r.map(|r| r.try_get("slug")).transpose()
}

/// Organisations the person registered ("download my data"); they stay when the account goes:
/// they belong to their members.
pub async fn personal_orgs_created(
    db: &Db,
    p: &crate::ssr::personal::Person,
) -> Result<serde_json::Value, sqlx::Error> {
    use crate::ssr::personal::{rows, Param};
    rows(db, "SELECT slug, name, created_at FROM organisations WHERE created_by = $1 ORDER BY id", Param::Id(p.id))
        .await
}
