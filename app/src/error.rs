//! What a failed form or request tells the person: field messages next to the fields, the values
//! they typed (so nothing is lost, even without JavaScript), or one translated sentence.
use crate::i18n::{Lang, K};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub msg: K,
    #[serde(default)]
    pub args: Vec<(String, String)>,
}

/// Field errors plus the submitted values (never passwords) to put back into the form.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FormState {
    pub errors: Vec<FieldError>,
    pub values: Vec<(String, String)>,
}

impl FormState {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn value(mut self, field: &str, v: &str) -> Self {
        self.values.push((field.to_string(), v.to_string()));
        self
    }

    pub fn add(&mut self, field: &str, msg: K) {
        self.errors.push(FieldError { field: field.into(), msg, args: vec![] });
    }

    pub fn add_with(&mut self, field: &str, msg: K, args: &[(&str, &str)]) {
        let args = args.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        self.errors.push(FieldError { field: field.into(), msg, args });
    }

    /// Records the result of a parse: the value if it parsed, the message next to the field if not.
    pub fn check<T>(&mut self, field: &str, r: Result<T, K>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(k) => {
                self.add(field, k);
                None
            }
        }
    }

    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn error_for(&self, field: &str, lang: Lang) -> Option<String> {
        self.errors.iter().find(|e| e.field == field).map(|e| {
            let args: Vec<(&str, &str)> = e.args.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            lang.tf(e.msg, &args)
        })
    }

    pub fn value_of(&self, field: &str) -> Option<String> {
        self.values.iter().find(|(f, _)| f == field).map(|(_, v)| v.clone())
    }
}

/// "Try again in N minutes", minutes rounded up, with the Romanian plural ("un minut",
/// "15 minute", "20 de minute").
pub fn rate_limited_text(lang: Lang, retry_after_secs: i64) -> String {
    let minutes = ((retry_after_secs + 59) / 60).max(1);
    let key = match minutes {
        1 => K::err_rate_limited_one,
        n if lang == Lang::Ro && !(1..=19).contains(&(n % 100)) => K::err_rate_limited_other,
        _ => K::err_rate_limited,
    };
    lang.tf(key, &[("n", &minutes.to_string())])
}

/// The common failures every feature shares; each feature wraps it in its own error type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Problem {
    Invalid(FormState),
    /// Too many attempts; `kept` holds what was typed, so the form comes back filled.
    RateLimited {
        retry_after_secs: i64,
        #[serde(default)]
        kept: FormState,
    },
    Unauthenticated,
    Forbidden,
    NotFound,
    /// A message key with its arguments (a rule of the feature said no).
    Refused(K),
    /// Something broke on our side; details are in the server log, not on the page.
    Internal,
}

impl Problem {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Problem::Invalid(_) => lang.t(K::err_form).to_string(),
            Problem::RateLimited { retry_after_secs, .. } => rate_limited_text(lang, *retry_after_secs),
            Problem::Unauthenticated => lang.t(K::err_sign_in_required).to_string(),
            Problem::Forbidden => lang.t(K::err_forbidden).to_string(),
            Problem::NotFound => lang.t(K::err_not_found).to_string(),
            Problem::Refused(k) => lang.t(*k).to_string(),
            Problem::Internal => lang.t(K::err_internal).to_string(),
        }
    }

    pub fn form(&self) -> Option<&FormState> {
        match self {
            Problem::Invalid(f) => Some(f),
            _ => None,
        }
    }

    /// The values to put back into the form, whatever went wrong.
    pub fn kept(&self) -> Option<&FormState> {
        match self {
            Problem::Invalid(f) | Problem::RateLimited { kept: f, .. } => Some(f),
            _ => None,
        }
    }

    pub fn rate_limited(retry_after_secs: i64, kept: FormState) -> Problem {
        Problem::RateLimited { retry_after_secs, kept }
    }
}

/// Implemented by each feature's error type so the shared form components can show it.
pub trait UserError {
    fn problem(&self) -> &Problem;
}

/// Declares a feature error type: a newtype over [`Problem`] that crosses the server-function
/// boundary as JSON (also inside the URL when a form is posted without JavaScript).
#[macro_export]
macro_rules! feature_error {
    ($name:ident) => {
        #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct $name(pub $crate::error::Problem);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.0.message($crate::i18n::Lang::En))
            }
        }

        impl std::error::Error for $name {}

        impl $crate::error::UserError for $name {
            fn problem(&self) -> &$crate::error::Problem {
                &self.0
            }
        }

        impl leptos::server_fn::error::FromServerFnError for $name {
            type Encoder = leptos::server_fn::codec::JsonEncoding;

            fn from_server_fn_error(e: leptos::server_fn::error::ServerFnErrorErr) -> Self {
                #[cfg(feature = "ssr")]
                tracing::warn!(error = %e, "server function transport error");
                let _ = e;
                $name($crate::error::Problem::Internal)
            }
        }

        impl From<$crate::error::Problem> for $name {
            fn from(p: $crate::error::Problem) -> Self {
                $name(p)
            }
        }

        impl From<$crate::error::FormState> for $name {
            fn from(f: $crate::error::FormState) -> Self {
                $name($crate::error::Problem::Invalid(f))
            }
        }

        #[cfg(feature = "ssr")]
        impl From<sqlx::Error> for $name {
            fn from(e: sqlx::Error) -> Self {
                tracing::error!(error = %e, "database error");
                $name($crate::error::Problem::Internal)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limit_message_rounds_minutes_up() {
        let p = Problem::rate_limited(61, FormState::new());
        assert!(p.message(Lang::Ro).contains('2'), "{}", p.message(Lang::Ro));
        let p = Problem::rate_limited(5, FormState::new().value("email", "a@b.ro"));
        assert_eq!(p.kept().and_then(|f| f.value_of("email")).as_deref(), Some("a@b.ro"));
        assert_eq!(p.message(Lang::En), "Too many attempts. Try again in a minute.");
        assert_eq!(rate_limited_text(Lang::Ro, 60), "Prea multe încercări. Încercați din nou peste un minut.");
        assert_eq!(rate_limited_text(Lang::Ro, 15 * 60), "Prea multe încercări. Încercați din nou peste 15 minute.");
        assert_eq!(
            rate_limited_text(Lang::Ro, 45 * 60 - 30),
            "Prea multe încercări. Încercați din nou peste 45 de minute."
        );
        assert_eq!(rate_limited_text(Lang::En, 45 * 60), "Too many attempts. Try again in 45 minutes.");
    }

    #[test]
    fn form_state_keeps_values_and_errors() {
        let mut f = FormState::new().value("email", "ana@");
        assert_eq!(f.check::<()>("email", Err(K::err_email_invalid)), None);
        assert!(!f.is_ok());
        assert_eq!(f.value_of("email").as_deref(), Some("ana@"));
        assert!(f.error_for("email", Lang::Ro).is_some());
        assert!(f.error_for("name", Lang::Ro).is_none());
    }
}
