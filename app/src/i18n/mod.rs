//! Romanian first, English second. Strings live in `app/locales/*.json`; `build.rs` turns the
//! keys into the `K` enum, so a missing translation fails the build.
use serde::{Deserialize, Serialize};

include!(concat!(env!("OUT_DIR"), "/i18n_keys.rs"));

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Lang {
    #[default]
    Ro,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Ro, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ro => "ro",
            Lang::En => "en",
        }
    }

    /// Unknown codes fall back to Romanian, the platform's default.
    pub fn from_code(code: &str) -> Lang {
        match code.trim().to_ascii_lowercase().as_str() {
            "en" => Lang::En,
            _ => Lang::Ro,
        }
    }

    pub fn t(self, k: K) -> &'static str {
        match self {
            Lang::Ro => ro(k),
            Lang::En => en(k),
        }
    }

    /// A string with `{name}` placeholders filled in.
    pub fn tf(self, k: K, args: &[(&str, &str)]) -> String {
        fill(self.t(k), args)
    }

    /// A count template (`"{n} comentarii"`) filled in. One takes the key's singular (`x_one`)
    /// when it has one; Romanian puts "de" between a number from 20 up and its noun, except after
    /// ...01–...19: "19 comentarii", "20 de comentarii", "101 comentarii", "120 de comentarii".
    pub fn count(self, k: K, n: impl std::fmt::Display) -> String {
        let n = n.to_string();
        if let (Ok(1), Some(single)) = (n.parse::<u64>(), one(k)) {
            return fill(self.t(single), &[("n", &n)]);
        }
        let de = self == Lang::Ro && n.parse::<u64>().is_ok_and(|v| v != 0 && !(1..=19).contains(&(v % 100)));
        if de {
            fill(&self.t(k).replacen("{n} ", "{n} de ", 1), &[("n", &n)])
        } else {
            fill(self.t(k), &[("n", &n)])
        }
    }

    /// Name of the language in itself, for the switcher.
    pub fn endonym(self) -> &'static str {
        match self {
            Lang::Ro => "Română",
            Lang::En => "English",
        }
    }
}

pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// The language of the current page, provided once by `App`.
pub fn use_lang() -> Lang {
    // Islands hydrate without the server's context; they read `<html lang>` instead.
    leptos::prelude::use_context::<Lang>().unwrap_or_else(detect_lang)
}

/// The language of this request (its `lang` cookie), for mail and pages made on the server.
#[cfg(feature = "ssr")]
pub fn request_lang() -> Lang {
    crate::ssr::request::cookie(LANG_COOKIE).map(|c| Lang::from_code(&c)).unwrap_or_default()
}

/// The language of this page load: the `lang` cookie on the server, the `<html lang>` in the browser.
pub fn detect_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        request_lang()
    }
    #[cfg(not(feature = "ssr"))]
    {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|e| e.get_attribute("lang"))
            .map(|l| Lang::from_code(&l))
            .unwrap_or_default()
    }
}

/// Shorthand used by every component: `t(K::nav_home)`.
pub fn t(k: K) -> &'static str {
    use_lang().t(k)
}

/// A count in the page's language: `tn(K::orgs_count, 20)` is "20 de organizații".
pub fn tn(k: K, n: impl std::fmt::Display) -> String {
    use_lang().count(k, n)
}

pub const LANG_COOKIE: &str = "lang";

/// Reads the `lang` cookie out of a Cookie header value.
pub fn lang_from_cookie_header(header: &str) -> Option<Lang> {
    header
        .split(';')
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| *k == LANG_COOKIE)
        .map(|(_, v)| Lang::from_code(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_text_in_both_languages() {
        // build.rs refuses missing keys; here we refuse empty ones.
        for lang in Lang::ALL {
            assert!(!lang.t(K::site_name).is_empty());
        }
    }

    #[test]
    fn cookie_parsing_defaults_to_romanian() {
        assert_eq!(lang_from_cookie_header("a=b; lang=en"), Some(Lang::En));
        assert_eq!(lang_from_cookie_header("lang=xx"), Some(Lang::Ro));
        assert_eq!(lang_from_cookie_header("sid=1"), None);
    }

    #[test]
    fn romanian_counts_take_de_from_twenty() {
        let c = |n: i64| Lang::Ro.count(K::orgs_count, n);
        assert_eq!(c(2), "2 organizații");
        assert_eq!(c(19), "19 organizații");
        assert_eq!(c(20), "20 de organizații");
        assert_eq!(c(101), "101 organizații");
        assert_eq!(c(120), "120 de organizații");
        assert_eq!(Lang::Ro.count(K::consultations_answered_n, "25"), "Au primit răspuns 25 de comentarii.");
        assert_eq!(Lang::En.count(K::orgs_count, 20), "20 organisations");
    }

    #[test]
    fn one_takes_the_singular() {
        assert_eq!(Lang::Ro.count(K::consultations_comment_count, 1), "1 comentariu");
        assert_eq!(Lang::En.count(K::consultations_comment_count, 1), "1 comment");
        assert_eq!(Lang::Ro.count(K::consultations_comment_count, 0), "0 comentarii");
        assert_eq!(Lang::Ro.count(K::map_import_commit_n, 1), "Importați această instituție");
        assert_eq!(Lang::Ro.count(K::orgs_count, 21), "21 de organizații", "only one itself is singular");
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(fill("în {n} minute", &[("n", "5")]), "în 5 minute");
    }
}
