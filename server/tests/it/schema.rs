//! Schema parity: the SQLite and PostgreSQL migrations are written twice, so after migrating both
//! must hold the same tables, columns (type and nullability), keys and indexes. Primary keys and
//! UNIQUE constraints are compared by column list, since their index names differ by design
//! (`sqlite_autoindex_t_N` against `t_pkey`); explicit indexes are compared by name.

use crate::common::fresh_db;
use app::ssr::{Db, DbKind};
use sqlx::{AnyPool, Row};
use std::collections::{BTreeMap, BTreeSet};

/// Deliberate differences: (subject, reason). A subject ending in `*` matches by prefix. An entry
/// that matches nothing fails the test too, so the list only shrinks.
const KNOWN: &[(&str, &str)] = &[
    ("table organisations_fts*", "SQLite searches with an FTS5 virtual table and its shadow tables (0002)"),
    ("index organisations.organisations_search", "PostgreSQL searches with a GIN index on to_tsvector (0002)"),
];

#[derive(Debug, Default)]
struct Table {
    columns: BTreeMap<String, Col>,
    pk: Vec<String>,
    uniques: BTreeSet<Vec<String>>,
    indexes: BTreeMap<String, Index>,
}
#[derive(Debug, PartialEq)]
struct Col {
    ty: String,
    not_null: bool,
}
#[derive(Debug, PartialEq)]
struct Index {
    columns: Vec<String>,
    unique: bool,
    predicate: Option<String>,
}
type Catalog = BTreeMap<String, Table>;

#[tokio::test]
async fn sqlite_and_postgresql_schemas_agree() {
    if std::env::var("PARTICIPA_TEST_PG").is_err() {
        eprintln!("PARTICIPA_TEST_PG unset: schema parity not checked");
        return;
    }
    let (lite, _) = fresh_db(DbKind::Sqlite).await;
    let (pg, _) = fresh_db(DbKind::Postgres).await;
    let (a, b) = (sqlite_catalog(&lite).await, pg_catalog(&pg).await);
    let count = |c: &Catalog, f: fn(&Table) -> usize| c.values().map(f).sum::<usize>();
    let (cols, idx) = (count(&a, |t| t.columns.len()), count(&b, |t| t.indexes.len()));
    eprintln!("schema parity: {} tables, {cols} columns, {idx} PostgreSQL indexes", a.len());
    // Guards against reading nothing: the partial index must come back with its predicate.
    let open = |c: &Catalog| c["official_requests"].indexes["official_requests_open"].predicate.clone();
    assert_eq!((open(&a).as_deref(), open(&b).as_deref()), (Some("status='pending'"), Some("status='pending'")));
    let mut used = vec![false; KNOWN.len()];
    let mut problems: Vec<String> = compare(&a, &b)
        .into_iter()
        .filter(|(subject, _)| {
            let hit = KNOWN.iter().position(|(k, _)| match k.strip_suffix('*') {
                Some(prefix) => subject.starts_with(prefix),
                None => subject == k,
            });
            hit.map(|i| used[i] = true).is_none()
        })
        .map(|(subject, what)| format!("  {subject}: {what}"))
        .collect();
    for ((k, reason), _) in KNOWN.iter().zip(&used).filter(|(_, u)| !**u) {
        problems.push(format!("  {k}: listed in KNOWN ({reason}) but no longer differs; remove it"));
    }
    assert!(problems.is_empty(), "SQLite and PostgreSQL schemas differ ({}):\n{}", problems.len(), problems.join("\n"));
}

/// Every difference as (subject, description), SQLite first.
fn compare(a: &Catalog, b: &Catalog) -> Vec<(String, String)> {
    let mut out = vec![];
    let only = |in_a: bool| if in_a { "only in SQLite" } else { "only in PostgreSQL" }.to_string();
    for name in a.keys().chain(b.keys()).collect::<BTreeSet<_>>() {
        let (ta, tb) = match (a.get(name), b.get(name)) {
            (Some(ta), Some(tb)) => (ta, tb),
            (ta, _) => {
                out.push((format!("table {name}"), only(ta.is_some())));
                continue;
            }
        };
        for col in ta.columns.keys().chain(tb.columns.keys()).collect::<BTreeSet<_>>() {
            let subject = format!("column {name}.{col}");
            match (ta.columns.get(col), tb.columns.get(col)) {
                (Some(ca), Some(cb)) => {
                    if ca.ty != cb.ty {
                        out.push((subject.clone(), format!("type {} in SQLite, {} in PostgreSQL", ca.ty, cb.ty)));
                    }
                    if ca.not_null != cb.not_null {
                        let n = |nn: bool| if nn { "NOT NULL" } else { "nullable" };
                        out.push((subject, format!("{} in SQLite, {} in PostgreSQL", n(ca.not_null), n(cb.not_null))));
                    }
                }
                (ca, _) => out.push((subject, only(ca.is_some()))),
            }
        }
        if ta.pk != tb.pk {
            out.push((
                format!("primary key {name}"),
                format!("({}) in SQLite, ({}) in PostgreSQL", ta.pk.join(", "), tb.pk.join(", ")),
            ));
        }
        for u in ta.uniques.symmetric_difference(&tb.uniques) {
            out.push((format!("unique {name}({})", u.join(", ")), only(ta.uniques.contains(u))));
        }
        for idx in ta.indexes.keys().chain(tb.indexes.keys()).collect::<BTreeSet<_>>() {
            let subject = format!("index {name}.{idx}");
            match (ta.indexes.get(idx), tb.indexes.get(idx)) {
                (Some(ia), Some(ib)) if ia != ib => {
                    out.push((subject, format!("{ia:?} in SQLite, {ib:?} in PostgreSQL")));
                }
                (Some(_), Some(_)) => {}
                (ia, _) => out.push((subject, only(ia.is_some()))),
            }
        }
    }
    out
}

async fn sqlite_catalog(db: &Db) -> Catalog {
    let p = &db.pool;
    let mut cat = Catalog::new();
    let tables =
        texts(p, "SELECT name AS v FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", None);
    for t in tables.await {
        let mut table = Table::default();
        let sql = r#"SELECT name, type AS ty, "notnull" AS not_null, pk FROM pragma_table_info($1) ORDER BY cid"#;
        let cols = sqlx::query(sql).bind(&t).fetch_all(p).await.unwrap();
        let pk_len = cols.iter().filter(|r| r.get::<i64, _>("pk") > 0).count();
        let mut pk = vec![];
        for r in &cols {
            let (name, ty, pkn) = (lower(r.get("name")), r.get::<String, _>("ty"), r.get::<i64, _>("pk"));
            // A lone INTEGER PRIMARY KEY is the rowid, never NULL though not declared so. Any other
            // primary key column accepts NULL in SQLite unless declared NOT NULL.
            let rowid = pkn == 1 && pk_len == 1 && ty.eq_ignore_ascii_case("INTEGER");
            let not_null = r.get::<i64, _>("not_null") == 1 || rowid;
            table.columns.insert(name.clone(), Col { ty: sqlite_type(&ty), not_null });
            if pkn > 0 {
                pk.push((pkn, name));
            }
        }
        pk.sort();
        table.pk = pk.into_iter().map(|(_, n)| n).collect();
        let sql = r#"SELECT name, "unique" AS is_unique, origin FROM pragma_index_list($1)"#;
        for r in sqlx::query(sql).bind(&t).fetch_all(p).await.unwrap() {
            let name: String = r.get("name");
            let q = "SELECT COALESCE(name, '<expr>') AS v FROM pragma_index_info($1) ORDER BY seqno";
            let columns: Vec<String> = texts(p, q, Some(&name)).await.into_iter().map(lower).collect();
            match r.get::<String, _>("origin").as_str() {
                "pk" => {} // read from table_info above, which also covers the rowid key
                "u" => {
                    table.uniques.insert(columns);
                }
                _ => {
                    let q = "SELECT COALESCE(sql, '') AS v FROM sqlite_master WHERE type = 'index' AND name = $1";
                    let def = texts(p, q, Some(&name)).await.concat();
                    let (_, predicate) = split_index(&def);
                    let unique = r.get::<i64, _>("is_unique") == 1;
                    table.indexes.insert(lower(name), Index { columns, unique, predicate });
                }
            }
        }
        cat.insert(lower(t), table);
    }
    cat
}

async fn pg_catalog(db: &Db) -> Catalog {
    let p = &db.pool;
    let mut cat = Catalog::new();
    let q = "SELECT CAST(table_name AS TEXT) AS v FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'";
    for t in texts(p, q, None).await {
        let mut table = Table::default();
        let q = "SELECT CAST(column_name AS TEXT) AS name, CAST(data_type AS TEXT) AS ty,
                        CAST(is_nullable AS TEXT) AS nullable
                   FROM information_schema.columns
                  WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position";
        for r in sqlx::query(q).bind(&t).fetch_all(p).await.unwrap() {
            let not_null = r.get::<String, _>("nullable") == "NO";
            table.columns.insert(r.get("name"), Col { ty: pg_type(&r.get::<String, _>("ty")), not_null });
        }
        let q = "SELECT CAST(kcu.column_name AS TEXT) AS name, CAST(tc.constraint_type AS TEXT) AS kind,
                        CAST(tc.constraint_name AS TEXT) AS cname
                   FROM information_schema.table_constraints tc
                   JOIN information_schema.key_column_usage kcu
                     ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
                    AND kcu.table_name = tc.table_name
                  WHERE tc.table_schema = current_schema() AND tc.table_name = $1
                    AND tc.constraint_type IN ('PRIMARY KEY', 'UNIQUE')
                  ORDER BY cname, kcu.ordinal_position";
        let mut constraints: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
        for r in sqlx::query(q).bind(&t).fetch_all(p).await.unwrap() {
            let entry = constraints.entry(r.get("cname")).or_insert_with(|| (r.get("kind"), vec![]));
            entry.1.push(r.get("name"));
        }
        for (kind, columns) in constraints.values() {
            if kind == "PRIMARY KEY" {
                table.pk = columns.clone();
            } else {
                table.uniques.insert(columns.clone());
            }
        }
        let q = "SELECT CAST(indexname AS TEXT) AS name, CAST(indexdef AS TEXT) AS def FROM pg_indexes
                  WHERE schemaname = current_schema() AND tablename = $1";
        for r in sqlx::query(q).bind(&t).fetch_all(p).await.unwrap() {
            let (name, def): (String, String) = (r.get("name"), r.get("def"));
            if constraints.contains_key(&name) {
                continue; // backs a PRIMARY KEY or UNIQUE constraint, compared above
            }
            let (columns, predicate) = split_index(&def);
            let unique = def.starts_with("CREATE UNIQUE INDEX");
            table.indexes.insert(name, Index { columns, unique, predicate });
        }
        cat.insert(t, table);
    }
    cat
}

/// Column 0 (aliased `v`) of every row.
async fn texts(p: &AnyPool, sql: &str, bind: Option<&str>) -> Vec<String> {
    let q = sqlx::query(sql);
    let q = match bind {
        Some(b) => q.bind(b.to_string()),
        None => q,
    };
    q.fetch_all(p).await.unwrap().iter().map(|r| r.get("v")).collect()
}

fn lower(s: String) -> String {
    s.to_lowercase()
}

fn sqlite_type(ty: &str) -> String {
    match ty.to_uppercase().as_str() {
        "INTEGER" | "BIGINT" => "int".into(),
        "TEXT" => "text".into(),
        "REAL" => "real".into(),
        "BLOB" => "blob".into(),
        other => format!("sqlite {other:?}"),
    }
}

/// Every migration uses BIGINT, so a PostgreSQL `integer` is a mismatch, shown as itself.
fn pg_type(ty: &str) -> String {
    match ty {
        "bigint" => "int".into(),
        "text" => "text".into(),
        "double precision" => "real".into(),
        "bytea" => "blob".into(),
        other => format!("postgres {other:?}"),
    }
}

/// The key columns and the normalised WHERE of a `CREATE INDEX … ON t [USING m] (…) [WHERE …]`.
/// Expression keys become `<expr>`, as SQLite's pragma_index_info reports them.
fn split_index(def: &str) -> (Vec<String>, Option<String>) {
    let Some(open) = def.to_lowercase().find(" on ").and_then(|on| def[on..].find('(').map(|i| on + i)) else {
        return (vec![], None);
    };
    let (mut depth, mut close, mut parts, mut start) = (0, def.len(), vec![], open + 1);
    for (i, c) in def.char_indices().skip_while(|(i, _)| *i < open) {
        match c {
            '(' => depth += 1,
            ')' if depth == 1 => {
                close = i;
                break;
            }
            ')' => depth -= 1,
            ',' if depth == 1 => {
                parts.push(&def[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&def[start..close.min(def.len())]);
    let columns = parts
        .iter()
        .map(|c| c.trim().trim_matches('"').to_lowercase())
        .map(|c| if c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_') { c } else { "<expr>".into() })
        .collect();
    let rest = def.get(close + 1..).unwrap_or("").trim_start();
    let predicate = rest.get(..5).filter(|w| w.eq_ignore_ascii_case("where")).map(|_| normalise(&rest[5..]));
    (columns, predicate)
}

/// `((status)::text = 'pending'::text)` ≡ `status = 'pending'`: no casts, parentheses or spaces.
fn normalise(pred: &str) -> String {
    let mut out = String::new();
    let mut chars = pred.to_lowercase().chars().collect::<Vec<_>>().into_iter().peekable();
    while let Some(c) = chars.next() {
        if c == ':' && chars.peek() == Some(&':') {
            chars.next();
            while chars.peek().is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_') {
                chars.next();
            }
        } else if !(c == '(' || c == ')' || c.is_whitespace()) {
            out.push(c);
        }
    }
    out
}

#[test]
fn index_definitions_normalise_alike() {
    let pg = "CREATE UNIQUE INDEX o ON public.t USING btree (user_id, authority_id) WHERE ((status)::text = 'pending'::text)";
    let lite = "CREATE UNIQUE INDEX o ON t(user_id, authority_id)\n  WHERE status = 'pending'";
    assert_eq!(split_index(pg), split_index(lite));
    assert_eq!(split_index(lite).1.as_deref(), Some("status='pending'"));
    let gin = "CREATE INDEX s ON public.o USING gin (to_tsvector('simple'::regconfig, search_text))";
    assert_eq!(split_index(gin), (vec!["<expr>".to_string()], None));
}
