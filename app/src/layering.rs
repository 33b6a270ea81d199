//! Architecture lint: the shared layer (ssr, ui, i18n, types, text, fmt, calendar, error) imports no
//! feature, and a feature imports only the features below it: accounts ← orgs ← {consultations,
//! donations, map}, accounts ← legal. `site/` assembles everything; `lib.rs` is not checked. The
//! sources are read as text, so the rule holds for `crate::x`, `$crate::x`, `crate::{x, …}` and
//! `super::…::x` alike.

use std::collections::BTreeSet;

const SHARED: &[&str] = &["ssr", "ui", "i18n", "types", "text", "fmt", "calendar", "error"];
/// `#[macro_export]` macros live at the crate root and may be named from anywhere.
const ROOT_MACROS: &[&str] = &["feature_error"];

/// Today's violations as (file, name). Each is allowed only while it still occurs, so the list
/// only shrinks (issue #14 removes them one by one).
const KNOWN: &[(&str, &str)] = &[];

/// May a file in `layer` name the top-level module `name`?
fn allowed(layer: &str, name: &str) -> bool {
    if name == "*" {
        return false; // a glob from the root hides what it imports
    }
    if name == layer || SHARED.contains(&name) || ROOT_MACROS.contains(&name) {
        return true;
    }
    match layer {
        "orgs" => name == "accounts",
        "consultations" | "donations" | "map" => name == "accounts" || name == "orgs",
        // The legal pages read the session lifetime they state.
        "legal" => name == "accounts",
        "site" => true,
        _ => false, // shared, accounts, and any layer not classified yet
    }
}

/// Every top-level module a file names, as (line, name): the first segment after `crate::`, each
/// top-level segment of `crate::{…}`, and whatever a chain of `super::` reaches the root with.
fn names(path: &str, src: &str) -> Vec<(usize, String)> {
    let s: Vec<char> = strip(src).chars().collect();
    let base: Vec<&str> = match path.trim_end_matches(".rs").trim_end_matches("/mod") {
        "lib" => vec![],
        p => p.split('/').collect(),
    };
    let line_of = |p: usize| s[..p].iter().filter(|c| **c == '\n').count() + 1;
    let (mut out, mut depth, mut inline, mut pending) = (vec![], 0usize, Vec::<usize>::new(), false);
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            '{' => {
                depth += 1;
                if std::mem::take(&mut pending) {
                    inline.push(depth);
                }
            }
            '}' => {
                if inline.last() == Some(&depth) {
                    inline.pop();
                }
                depth = depth.saturating_sub(1);
            }
            // A word after `::` continues a path (`super::super`) rather than starting one.
            c if is_ident(c) && (i == 0 || !is_ident(s[i - 1])) && !after_sep(&s, i) => {
                let (word, end) = ident(&s, i);
                let reached = match word.as_str() {
                    // `mod x {` opens an inline module: one more segment for `super` to climb.
                    "mod" => {
                        let (m, e) = ident(&s, skip_ws(&s, end));
                        pending = !m.is_empty() && s.get(skip_ws(&s, e)) == Some(&'{');
                        None
                    }
                    "crate" => sep(&s, end),
                    "super" => {
                        let (mut k, mut at) = (1, sep(&s, end));
                        while let Some(j) = at.filter(|j| ident(&s, *j).0 == "super") {
                            (k, at) = (k + 1, sep(&s, ident(&s, j).1));
                        }
                        at.filter(|_| k == base.len() + inline.len())
                    }
                    _ => None,
                };
                if let Some(j) = reached {
                    out.extend(targets(&s, j).into_iter().map(|(p, n)| (line_of(p), n)));
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// What follows a root path at `j`: `*`, an identifier, or a `{…}` group's top-level segments.
fn targets(s: &[char], j: usize) -> Vec<(usize, String)> {
    match s.get(j) {
        Some('*') => vec![(j, "*".into())],
        Some('{') => {
            let (mut out, mut depth, mut start, mut k) = (vec![], 0, true, j);
            while k < s.len() {
                match s[k] {
                    '{' => (depth, start) = (depth + 1, depth == 0),
                    '}' if depth == 1 => break,
                    '}' => depth -= 1,
                    ',' if depth == 1 => start = true,
                    '*' if depth == 1 && start => {
                        out.push((k, "*".into()));
                        start = false;
                    }
                    c if depth == 1 && start && is_ident(c) => {
                        let (w, e) = ident(s, k);
                        if w != "self" {
                            out.push((k, w));
                        }
                        (start, k) = (false, e);
                        continue;
                    }
                    _ => {}
                }
                k += 1;
            }
            out
        }
        _ => {
            let (w, _) = ident(s, j);
            if w.is_empty() {
                vec![]
            } else {
                vec![(j, w)]
            }
        }
    }
}

/// The source with comments and string/char literals blanked (newlines kept, so lines stay right):
/// doc comments and messages mention paths such as "crate::accounts".
fn strip(src: &str) -> String {
    let c: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let blank = |out: &mut String, from: &[char]| out.extend(from.iter().map(|&x| if x == '\n' { '\n' } else { ' ' }));
    let mut i = 0;
    while i < c.len() {
        let at = |k: usize| c.get(k).copied().unwrap_or('\0');
        let after_ident = i > 0 && is_ident(c[i - 1]);
        let end = if at(i) == '/' && at(i + 1) == '/' {
            (i..c.len()).find(|&k| c[k] == '\n').unwrap_or(c.len())
        } else if at(i) == '/' && at(i + 1) == '*' {
            let (mut k, mut nest) = (i + 2, 1);
            while k < c.len() && nest > 0 {
                match (at(k), at(k + 1)) {
                    ('/', '*') => (nest, k) = (nest + 1, k + 2),
                    ('*', '/') => (nest, k) = (nest - 1, k + 2),
                    _ => k += 1,
                }
            }
            k
        } else if at(i) == 'r'
            && (!after_ident || (at(i - 1) == 'b' && (i < 2 || !is_ident(c[i - 2]))))
            && matches!(at(i + 1), '"' | '#')
            && (i + 1..c.len()).find(|&k| c[k] != '#').is_some_and(|k| c[k] == '"')
        {
            let hashes = (i + 1..c.len()).take_while(|&k| c[k] == '#').count();
            let close: Vec<char> = std::iter::once('"').chain(std::iter::repeat_n('#', hashes)).collect();
            let open = i + 2 + hashes;
            (open..c.len()).find(|&k| c[k..].starts_with(&close)).map_or(c.len(), |k| k + close.len())
        } else if at(i) == '"' {
            let mut k = i + 1;
            while k < c.len() && c[k] != '"' {
                k += if c[k] == '\\' { 2 } else { 1 };
            }
            k + 1
        } else if at(i) == '\'' && at(i + 1) == '\\' {
            (i + 2..c.len()).find(|&k| c[k] == '\'').map_or(c.len(), |k| k + 1)
        } else if at(i) == '\'' && at(i + 2) == '\'' {
            i + 3 // a char literal; `'a` without a closing quote is a lifetime
        } else {
            out.push(c[i]);
            i += 1;
            continue;
        };
        let end = end.min(c.len());
        blank(&mut out, &c[i..end]);
        i = end;
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}
fn ident(s: &[char], i: usize) -> (String, usize) {
    let end = (i..s.len()).find(|&k| !is_ident(s[k])).unwrap_or(s.len());
    (s[i.min(end)..end].iter().collect(), end)
}
fn skip_ws(s: &[char], i: usize) -> usize {
    (i..s.len()).find(|&k| !s[k].is_whitespace()).unwrap_or(s.len())
}
fn after_sep(s: &[char], i: usize) -> bool {
    let before: String = s[..i].iter().rev().skip_while(|c| c.is_whitespace()).take(2).collect();
    before == "::"
}
/// After `crate`/`super` at `i`: the position past `::` (and spaces), if a path follows.
fn sep(s: &[char], i: usize) -> Option<usize> {
    let j = skip_ws(s, i);
    (s.get(j) == Some(&':') && s.get(j + 1) == Some(&':')).then(|| skip_ws(s, j + 2))
}

/// The violations of one file, as (line, name).
fn check(path: &str, src: &str) -> Vec<(usize, String)> {
    let layer = path.split(['/', '.']).next().unwrap_or_default();
    if path == "lib.rs" {
        return vec![];
    }
    names(path, src).into_iter().filter(|(_, n)| !allowed(layer, n)).collect()
}

fn sources(dir: &std::path::Path, rel: &str, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = format!("{rel}{}", entry.file_name().to_string_lossy());
        if entry.file_type().unwrap().is_dir() {
            sources(&entry.path(), &format!("{name}/"), out);
        } else if name.ends_with(".rs") {
            out.push((name, std::fs::read_to_string(entry.path()).unwrap()));
        }
    }
}

#[test]
fn features_import_only_downwards() {
    let mut files = vec![];
    sources(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), "", &mut files);
    files.sort();
    assert!(files.len() > 60, "only {} files scanned", files.len());
    let layers =
        [SHARED, &["accounts", "orgs", "consultations", "donations", "map", "legal", "site", "lib", "layering"]];
    let mut problems = vec![];
    let mut seen = BTreeSet::new();
    for (path, src) in &files {
        let layer = path.split(['/', '.']).next().unwrap();
        if !layers.concat().contains(&layer) {
            problems.push(format!("{path}: top-level module `{layer}` has no layer; add it to layering.rs"));
        }
        for (line, name) in check(path, src) {
            if KNOWN.contains(&(path.as_str(), name.as_str())) {
                seen.insert((path.as_str(), name));
            } else {
                problems.push(format!("{path}:{line}: crate::{name}: {layer} may not import {name}"));
            }
        }
    }
    for (path, name) in KNOWN.iter().filter(|(p, n)| !seen.contains(&(*p, n.to_string()))) {
        problems.push(format!("{path}: no longer imports {name}; remove it from KNOWN in layering.rs"));
    }
    assert!(problems.is_empty(), "layering violations ({}):\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn the_lint_sees_every_form_of_path() {
    let v = |path, src| check(path, src).into_iter().map(|(_, n)| n).collect::<Vec<_>>();
    assert_eq!(v("ssr/x.rs", "use crate::accounts::db;"), ["accounts"]);
    assert_eq!(v("ui/mod.rs", "use crate::{i18n::t, accounts::{GetMe, Me}};"), ["accounts"]);
    assert_eq!(v("ssr/x.rs", "mod tests { use super::super::super::map; }"), ["map"]);
    assert_eq!(v("ssr/x.rs", "use super :: super :: {map, ssr};"), ["map"]);
    assert_eq!(v("orgs/pages.rs", "view! { <crate::donations::org::OrgCampaigns/> }"), ["donations"]);
    assert_eq!(v("map/x.rs", "use crate::consultations as c;"), ["consultations"]);
    assert_eq!(v("types.rs", "use super::*;"), ["*"]);
    assert_eq!(v("accounts/x.rs", "fn f<'a>(x: &'a str) -> char { '}'; crate::orgs::x() }"), ["orgs"]);
    assert_eq!(check("ssr/x.rs", "\n\nuse crate::map;")[0].0, 3);
}

#[test]
fn the_lint_allows_what_the_layers_allow() {
    assert!(check("orgs/members/mod.rs", "use crate::accounts::SessionUser;").is_empty());
    assert!(check("map/x.rs", "use crate::{orgs::x, accounts, ssr::db, feature_error};").is_empty());
    assert!(check("error.rs", "$crate::error::FormState").is_empty());
    assert!(check("ssr/x.rs", "// crate::accounts in a comment\n/* crate::map /* nested */ */").is_empty());
    assert!(check("ssr/x.rs", r##"let s = "crate::map"; let r = r#"crate::map"#; let b = b"crate::map";"##).is_empty());
    assert!(check("ssr/storage.rs", "mod tests { fn t() { super::super::public_id(); } }").is_empty());
    assert!(check("site/mod.rs", "use crate::{map, donations, consultations};").is_empty());
    assert!(check("lib.rs", "use crate::map;").is_empty());
}

/// Tachys writes a `<textarea>`'s children unescaped, so a value given as children could close the
/// field; every textarea takes its value through `inner_html=textarea_html(…)` and has no children.
#[test]
fn no_textarea_takes_its_value_as_children() {
    let mut files = vec![];
    sources(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), "", &mut files);
    let mut problems = vec![];
    for (path, src) in files.iter().filter(|(p, _)| p != "layering.rs") {
        for (at, _) in src.match_indices("</textarea>") {
            let line_start = src[..at].rfind('\n').map_or(0, |n| n + 1);
            let before = src[..at].trim_end();
            if src[line_start..at].trim_start().starts_with("//") {
                continue; // prose about the tag, in a comment
            }
            if !before.ends_with('>') || before.ends_with("=>") {
                let line = src[..at].matches('\n').count() + 1;
                problems.push(format!("{path}:{line}: a <textarea> with children; use inner_html=textarea_html(…)"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn textarea_content_is_escaped_and_keeps_a_leading_newline() {
    use crate::ui::form::textarea_html;
    assert_eq!(textarea_html("a</textarea><script>x</script>"), "\na&lt;/textarea&gt;&lt;script&gt;x&lt;/script&gt;");
    assert_eq!(textarea_html("\nb & c"), "\n\nb &amp; c");
}
