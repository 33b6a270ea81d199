//! The registry covers every column that names a person: read from the schema itself (SQLite's
//! `pragma_table_info`, PostgreSQL's `information_schema.columns`), each such column is in a
//! registered source or excluded here with its reason. An exclusion that matches nothing fails
//! too, so the list only shrinks; so does a source naming a column the schema does not have.
use crate::common::{backends, fresh_db};
use app::ssr::personal::{self, After};
use app::ssr::{Db, DbKind};
use sqlx::Row;
use std::collections::BTreeSet;

/// Columns that name or reach a person but are in no source, and why.
const EXCLUDED: &[(&str, &str, &str)] = &[
    (
        "authorities",
        "officer_name",
        "the authority's transparency officer: a public office's work contact, published under Legea 52; no account",
    ),
    (
        "authorities",
        "officer_email",
        "the authority's transparency officer: a public office's work contact, published under Legea 52; no account",
    ),
    (
        "authorities",
        "officer_phone",
        "the authority's transparency officer: a public office's work contact, published under Legea 52; no account",
    ),
    ("authorities", "petition_email", "the authority's registry address, published for petitions"),
    (
        "consultations",
        "officer_contact",
        "the consultation's contact for Legea 52 questions: a public office, as published",
    ),
    ("organisations", "contact_email", "the organisation's own public contact address, not a person's account"),
    ("rate_limits", "key", "counters keyed by address or account for one window at most, purged within a day"),
];

/// Does the column's name say it holds or points at a person? Ids of accounts (`…user_id`,
/// `…_by`, reporter/actor/author), addresses, names, hashes of their IPs, devices, phones.
pub fn names_a_person(table: &str, column: &str) -> bool {
    let c = column;
    c.ends_with("user_id")
        || c.ends_with("_by")
        || matches!(c, "reporter_id" | "actor_id" | "author_id" | "to_addr" | "display_name" | "user_agent")
        || c.starts_with("donor_")
        || c.starts_with("officer_")
        || c.contains("email")
        || c.contains("ip_hash")
        || c.contains("phone")
        || (table, c) == ("rate_limits", "key")
}

/// Every (table, column) of the database.
pub async fn columns(db: &Db) -> BTreeSet<(String, String)> {
    let sql = match db.kind {
        DbKind::Sqlite => {
            "SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p
             WHERE m.type = 'table' AND instr(m.name, 'sqlite_') <> 1 AND instr(m.name, '_fts') = 0"
        }
        DbKind::Postgres => {
            "SELECT CAST(table_name AS TEXT) AS t, CAST(column_name AS TEXT) AS c FROM information_schema.columns
             WHERE table_schema = current_schema()"
        }
    };
    let rows = sqlx::query(sql).fetch_all(&db.pool).await.unwrap();
    rows.iter().map(|r| (r.get::<String, _>("t").to_lowercase(), r.get::<String, _>("c").to_lowercase())).collect()
}

/// Every column a registered source covers, with what deletion leaves in it.
pub fn covered() -> Vec<(&'static str, &'static str, After, &'static str)> {
    app::init();
    personal::all().iter().flat_map(|s| s.covers.iter().map(move |c| (c.table, c.column, c.after, s.name))).collect()
}

#[tokio::test]
async fn every_person_column_is_in_a_registered_source_or_excluded() {
    let covered = covered();
    assert!(covered.len() > 40, "the registry looks empty: {}", covered.len());
    for kind in backends() {
        let (db, _) = fresh_db(kind).await;
        let schema = columns(&db).await;
        let mut problems = vec![];
        let mut seen = BTreeSet::new();
        for (t, c, _, source) in &covered {
            if !schema.contains(&(t.to_string(), c.to_string())) {
                problems.push(format!("  {t}.{c}: covered by `{source}` but not in the schema"));
            }
            if !seen.insert((*t, *c)) {
                problems.push(format!("  {t}.{c}: covered twice (again by `{source}`)"));
            }
        }
        let person: Vec<&(String, String)> = schema.iter().filter(|(t, c)| names_a_person(t, c)).collect();
        assert!(person.len() > 40, "{kind:?}: only {} person columns found", person.len());
        for (t, c) in &person {
            let is_covered = seen.contains(&(t.as_str(), c.as_str()));
            let excluded = EXCLUDED.iter().any(|(et, ec, _)| et == t && ec == c);
            match (is_covered, excluded) {
                (false, false) => problems.push(format!(
                    "  {t}.{c}: names a person but no registered source covers it; add it to the feature's \
                     PERSONAL_DATA (export and erase), or to EXCLUDED here with the reason"
                )),
                (true, true) => problems.push(format!("  {t}.{c}: both covered and excluded; remove the exclusion")),
                _ => {}
            }
        }
        for (t, c, why) in EXCLUDED {
            if !person.iter().any(|(pt, pc)| pt == t && pc == c) {
                problems.push(format!("  {t}.{c}: excluded ({why}) but no such person column; remove it"));
            }
        }
        eprintln!(
            "personal data on {kind:?}: {} person columns, {} covered, {} excluded",
            person.len(),
            covered.len(),
            EXCLUDED.len()
        );
        assert!(problems.is_empty(), "{kind:?}: personal data not accounted for:\n{}", problems.join("\n"));
    }
}

#[test]
fn the_filter_finds_what_names_a_person() {
    assert!(names_a_person("x", "user_id") && names_a_person("x", "answered_by") && names_a_person("x", "donor_name"));
    assert!(names_a_person("x", "work_email") && names_a_person("x", "consent_ip_hash"));
    assert!(!names_a_person("x", "org_id") && !names_a_person("x", "title") && !names_a_person("x", "subscriber_id"));
}
