//! Turns `locales/*ro.json` and `locales/*en.json` into a `K` enum and one lookup per language,
//! so a key missing from either language is a build error, not a blank on the page.
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

fn flatten(prefix: &str, v: &serde_json::Value, out: &mut BTreeMap<String, String>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                flatten(&key, v, out);
            }
        }
        serde_json::Value::String(s) => {
            out.insert(prefix.to_string(), s.clone());
        }
        other => panic!("locale value for {prefix} must be a string, got {other}"),
    }
}

/// Reads `locales/<lang>.json` and every `locales/<feature>.<lang>.json`, so each feature keeps its
/// strings in a file of its own; a key defined twice is a build error.
fn load(lang: &str) -> BTreeMap<String, String> {
    println!("cargo:rerun-if-changed=locales");
    let mut files: Vec<_> = std::fs::read_dir("locales")
        .expect("locales/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name == format!("{lang}.json") || name.ends_with(&format!(".{lang}.json"))
        })
        .collect();
    files.sort();
    let mut out = BTreeMap::new();
    for path in files {
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let json: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut part = BTreeMap::new();
        flatten("", &json, &mut part);
        for (k, v) in part {
            if out.insert(k.clone(), v).is_some() {
                panic!("translation key {k} is defined twice ({})", path.display());
            }
        }
    }
    out
}

fn ident(key: &str) -> String {
    key.replace(['.', '-'], "_")
}

fn main() {
    let ro = load("ro");
    let en = load("en");
    let missing_en: Vec<_> = ro.keys().filter(|k| !en.contains_key(*k)).collect();
    let missing_ro: Vec<_> = en.keys().filter(|k| !ro.contains_key(*k)).collect();
    if !missing_en.is_empty() || !missing_ro.is_empty() {
        panic!("translation keys missing: in en {missing_en:?}; in ro {missing_ro:?}");
    }
    let mut code = String::new();
    code.push_str("#[allow(non_camel_case_types, clippy::enum_variant_names)]\n");
    code.push_str(
        "#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]\npub enum K {\n",
    );
    for k in ro.keys() {
        writeln!(code, "    {},", ident(k)).unwrap();
    }
    code.push_str("}\n\n");
    for (name, map) in [("ro", &ro), ("en", &en)] {
        writeln!(code, "pub(crate) fn {name}(k: K) -> &'static str {{\n    match k {{").unwrap();
        for (k, v) in map.iter() {
            writeln!(code, "        K::{} => {:?},", ident(k), v).unwrap();
        }
        code.push_str("    }\n}\n\n");
    }
    // A count key `x` may have a singular `x_one` ("{n} comentariu" beside "{n} comentarii").
    code.push_str("pub(crate) fn one(k: K) -> Option<K> {\n    match k {\n");
    for k in ro.keys().filter(|k| ro.contains_key(&format!("{k}_one"))) {
        writeln!(code, "        K::{} => Some(K::{}_one),", ident(k), ident(k)).unwrap();
    }
    code.push_str("        _ => None,\n    }\n}\n");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("i18n_keys.rs");
    std::fs::write(out, code).unwrap();
}
