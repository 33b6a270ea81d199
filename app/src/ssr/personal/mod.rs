//! The registry of personal data: every feature says, at start (`app::init`), where it keeps data
//! about a person, how to export it and what deleting the account does to it. "Download my data"
//! and account deletion walk this list, so they never fall behind a feature, and a test
//! (server/tests/it/personal_data.rs) fails when a column that names a person is in no source.
//! Like the mail kinds, this layer knows no feature: it only holds what they register.
pub mod archive;

use super::storage::Store;
use super::{now, Db};
use serde_json::{Map, Value};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Column, Row};
use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;

/// What a source's functions return: a boxed future, so plain `fn` items fit the `const` lists.
pub type Fut<'a, T> = Pin<Box<dyn Future<Output = Result<T, sqlx::Error>> + Send + 'a>>;

/// Whom the data is about: the account's id and its address as stored (read before anything is
/// changed, since deletion replaces the address).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    pub id: i64,
    pub email: String,
}

impl Person {
    /// The `email` of an account whose address is not confirmed: no stored address equals it (it
    /// has no `@`), so sources that look up by address find nothing of someone else's.
    pub const UNCONFIRMED: &'static str = "(unconfirmed)";
}

/// What deleting the account leaves in a column, for the rows of that person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum After {
    /// Nothing: the rows are deleted, or the value is blanked or replaced.
    Gone,
    /// The rows stay, pointing at the anonymised account (no name, no address): the public record
    /// (comments, reports, decisions taken in office) stays readable, signed "deleted account".
    Anonymised,
    /// Kept as it is while a legal duty or a running contract needs it; the source says which.
    Retained,
}

/// One column that holds or points at a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Covered {
    pub table: &'static str,
    pub column: &'static str,
    pub after: After,
}

impl Covered {
    pub const fn gone(table: &'static str, column: &'static str) -> Covered {
        Covered { table, column, after: After::Gone }
    }
    pub const fn anonymised(table: &'static str, column: &'static str) -> Covered {
        Covered { table, column, after: After::Anonymised }
    }
    pub const fn retained(table: &'static str, column: &'static str) -> Covered {
        Covered { table, column, after: After::Retained }
    }
}

/// Lists the storage keys of the files a person uploaded.
pub type FilesFn = for<'a> fn(&'a Db, &'a Person) -> Fut<'a, Vec<String>>;

/// One kind of personal data, as a feature registers it.
pub struct DataSource {
    /// Its key in the export ("account", "map_reports", …): stable, people and tests read it.
    pub name: &'static str,
    /// The columns it answers for (the coverage test checks every person column is here).
    pub covers: &'static [Covered],
    /// Everything of this kind about the person (JSON: usually an array of rows).
    pub export: for<'a> fn(&'a Db, &'a Person) -> Fut<'a, Value>,
    /// The storage keys of files the person uploaded as themself (put in the ZIP), if any.
    pub files: Option<FilesFn>,
    /// What deleting the account does, inside the caller's transaction; returns the storage keys
    /// to delete once it commits (a file removed before a rollback could not come back).
    pub erase: for<'a> fn(&'a mut AnyConnection, &'a Person) -> Fut<'a, Vec<String>>,
}

static REGISTRY: OnceLock<Vec<&'static DataSource>> = OnceLock::new();

/// Called once at start with every feature's sources, lowest feature first; a second call changes
/// nothing.
pub fn register(lists: &[&'static [DataSource]]) {
    REGISTRY.get_or_init(|| lists.iter().flat_map(|l| l.iter()).collect());
}

/// Every registered source (none before `register`).
pub fn all() -> &'static [&'static DataSource] {
    REGISTRY.get().map(Vec::as_slice).unwrap_or(&[])
}

/// Everything about the person: one key per source, plus when and which files.
pub async fn export_all(db: &Db, person: &Person) -> Result<Value, sqlx::Error> {
    let mut out = Map::new();
    out.insert("exported_at".into(), crate::fmt::iso_utc(now()).into());
    for s in all() {
        out.insert(s.name.into(), (s.export)(db, person).await?);
    }
    out.insert("files".into(), files_of(db, person).await?.into());
    Ok(Value::Object(out))
}

/// The storage keys of every file the person uploaded, once each, in source order.
pub async fn files_of(db: &Db, person: &Person) -> Result<Vec<String>, sqlx::Error> {
    let mut keys: Vec<String> = vec![];
    for f in all().iter().filter_map(|s| s.files) {
        for k in f(db, person).await? {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    Ok(keys)
}

/// Deletes the account's personal data: every source in one transaction, the highest feature
/// first (its rows may point at a lower one's; accounts, registered first, anonymises the account
/// row last), then the files the sources let go of. A file that fails to go is logged: the rows
/// no longer name it, and the person is gone either way.
pub async fn erase_all(db: &Db, store: &Store, person: &Person) -> Result<(), sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let mut keys = vec![];
    for s in all().iter().rev() {
        keys.extend((s.erase)(&mut tx, person).await?);
    }
    tx.commit().await?;
    for k in keys {
        if let Err(e) = store.delete(&k).await {
            tracing::error!(error = %e, key = k, "deleting an erased person's file");
        }
    }
    Ok(())
}

/// A query's only parameter (`$1`, used as often as the query needs).
#[derive(Clone, Copy, Debug)]
pub enum Param<'a> {
    Id(i64),
    Text(&'a str),
}

/// The rows of a query as JSON objects, each column read by its name: integers, decimals and text
/// as they are; columns named `…_at` (unix seconds) as ISO times, so people can read them.
pub async fn rows(db: &Db, sql: &str, p: Param<'_>) -> Result<Value, sqlx::Error> {
    let q = sqlx::query(sql);
    let q = match p {
        Param::Id(id) => q.bind(id),
        Param::Text(s) => q.bind(s.to_string()),
    };
    let found = q.fetch_all(&db.pool).await?;
    Ok(Value::Array(found.iter().map(row_json).collect()))
}

/// The first row of a query as a JSON object, or null.
pub async fn one(db: &Db, sql: &str, p: Param<'_>) -> Result<Value, sqlx::Error> {
    Ok(match rows(db, sql, p).await? {
        Value::Array(mut v) if !v.is_empty() => v.swap_remove(0),
        _ => Value::Null,
    })
}

fn row_json(r: &AnyRow) -> Value {
    let mut m = Map::new();
    for c in r.columns() {
        m.insert(c.name().to_string(), cell(r, c.name()));
    }
    Value::Object(m)
}

/// One value by column name. The Any driver refuses a decode of the wrong kind, so the kinds are
/// tried in turn; NULL is null whichever kind is tried first.
fn cell(r: &AnyRow, name: &str) -> Value {
    if let Ok(v) = r.try_get::<Option<i64>, _>(name) {
        return match v {
            Some(t) if name.ends_with("_at") => crate::fmt::iso_utc(t).into(),
            Some(n) => n.into(),
            None => Value::Null,
        };
    }
    if let Ok(v) = r.try_get::<Option<f64>, _>(name) {
        return v.map(Value::from).unwrap_or(Value::Null);
    }
    r.try_get::<Option<String>, _>(name).ok().flatten().map(Value::from).unwrap_or(Value::Null)
}

/// For sources whose rows all stay, attributed to the anonymised account: deletion changes
/// nothing in them (the account row itself is anonymised by accounts).
pub fn keeps<'a>(_: &'a mut AnyConnection, _: &'a Person) -> Fut<'a, Vec<String>> {
    Box::pin(async { Ok(vec![]) })
}

/// A source's `export` from an async call: `export_fn!(|db, person| db::export_x(db, person))`.
/// (A named `fn` inside, so the `const` lists hold plain function pointers.)
macro_rules! export_fn {
    (|$d:ident, $p:ident| $body:expr) => {{
        fn f<'a>(
            $d: &'a $crate::ssr::Db,
            $p: &'a $crate::ssr::personal::Person,
        ) -> $crate::ssr::personal::Fut<'a, serde_json::Value> {
            Box::pin(async move { $body.await })
        }
        f
    }};
}

/// A source's `files`: `files_fn!(|db, person| db::my_keys(db, person))`.
macro_rules! files_fn {
    (|$d:ident, $p:ident| $body:expr) => {{
        fn f<'a>(
            $d: &'a $crate::ssr::Db,
            $p: &'a $crate::ssr::personal::Person,
        ) -> $crate::ssr::personal::Fut<'a, Vec<String>> {
            Box::pin(async move { $body.await })
        }
        Some(f)
    }};
}

/// A source's `erase` from an async call in the transaction that returns `()`
/// (`erase_fn!(|conn, person| …)`), or the storage keys to delete after commit (`keys => …`).
macro_rules! erase_fn {
    (|$c:ident, $p:ident| $body:expr) => {{
        fn f<'a>(
            $c: &'a mut sqlx::AnyConnection,
            $p: &'a $crate::ssr::personal::Person,
        ) -> $crate::ssr::personal::Fut<'a, Vec<String>> {
            Box::pin(async move { $body.await.map(|()| vec![]) })
        }
        f
    }};
    (keys => |$c:ident, $p:ident| $body:expr) => {{
        fn f<'a>(
            $c: &'a mut sqlx::AnyConnection,
            $p: &'a $crate::ssr::personal::Person,
        ) -> $crate::ssr::personal::Fut<'a, Vec<String>> {
            Box::pin(async move { $body.await })
        }
        f
    }};
}

pub(crate) use {erase_fn, export_fn, files_fn};
