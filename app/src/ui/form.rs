//! Form pieces that show a server function's answer: the message next to each field and the
//! value typed before (restored from the error, which also travels in the URL without JavaScript).
use crate::error::{Problem, UserError};
use crate::i18n::{t, use_lang, K};
use leptos::prelude::*;

/// The problem (if any) behind a server action's last answer.
pub fn problem_of<S>(action: ServerAction<S>) -> Signal<Option<Problem>>
where
    S: leptos::server_fn::ServerFn + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
    S::Error: UserError + Send + Sync + 'static,
{
    Signal::derive(move || {
        action.value().with(|v| v.as_ref().and_then(|r| r.as_ref().err()).map(|e| e.problem().clone()))
    })
}

/// One sentence at the top of the form, announced, with links to the wrong fields.
#[component]
pub fn ErrorSummary(problem: Signal<Option<Problem>>) -> impl IntoView {
    let lang = use_lang();
    move || {
        problem.get().map(|p| {
            let links = p
                .form()
                .map(|f| {
                    f.errors
                        .iter()
                        .map(|e| {
                            let href = format!("#f-{}", e.field);
                            let msg = f.error_for(&e.field, lang).unwrap_or_default();
                            view! {
                                <li>
                                    <a href=href>{msg}</a>
                                </li>
                            }
                        })
                        .collect_view()
                })
                .unwrap_or_default();
            view! {
                <div class="error-summary" role="alert" tabindex="-1">
                    <p>{p.message(lang)}</p>
                    <ul>{links}</ul>
                </div>
            }
        })
    }
}

/// A labelled input with its hint and error message wired by `aria-describedby`.
#[component]
pub fn Field(
    problem: Signal<Option<Problem>>,
    name: &'static str,
    label: K,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] hint: Option<K>,
    #[prop(optional)] required: bool,
    /// Value shown before any answer (e.g. the stored profile).
    #[prop(optional, into)]
    initial: Option<String>,
) -> impl IntoView {
    let lang = use_lang();
    let id = format!("f-{name}");
    let err_id = format!("f-{name}-err");
    let hint_id = format!("f-{name}-hint");
    let error = Signal::derive(move || {
        problem.with(|p| p.as_ref().and_then(|p| p.form()).and_then(|f| f.error_for(name, lang)))
    });
    // Passwords are never echoed back.
    let value = Signal::derive({
        let initial = initial.clone();
        move || {
            if kind == "password" {
                return String::new();
            }
            problem
                .with(|p| p.as_ref().and_then(|p| p.kept()).and_then(|f| f.value_of(name)))
                .or_else(|| initial.clone())
                .unwrap_or_default()
        }
    });
    let described = {
        let (hint_id, err_id) = (hint_id.clone(), err_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if error.with(|e| e.is_some()) {
                ids.push(err_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:has-error=move || error.with(|e| e.is_some())>
            <label for=id
                .clone()>
                {t(label)} {required.then(|| view! { <span class="req">" " {t(K::form_required)}</span> })}
            </label>
            {hint
                .map(|h| {
                    view! {
                        <p class="hint" id=hint_id.clone()>
                            {t(h)}
                        </p>
                    }
                })}
            {move || {
                error
                    .get()
                    .map(|e| {
                        view! {
                            <p class="field-error" id=err_id.clone()>
                                {e}
                            </p>
                        }
                    })
            }}
            <input
                id=id.clone()
                name=name
                type=kind
                autocomplete=autocomplete
                required=required
                aria-invalid=move || if error.with(|e| e.is_some()) { "true" } else { "false" }
                aria-describedby=described
                value=value
            />
        </div>
    }
}

/// A field bots fill and people never see: a filled one marks the submission as spam.
#[component]
pub fn Honeypot() -> impl IntoView {
    view! {
        <div class="hp" aria-hidden="true">
            <label for="f-website">"Website"</label>
            <input id="f-website" name="website" type="text" tabindex="-1" autocomplete="off" value="" />
        </div>
    }
}

/// The content of a `<textarea>`, for `inner_html`. Tachys writes a textarea's children
/// unescaped (as it does for script and style), so a kept or stored value holding `</textarea>`
/// would end the field and put markup in the page. The HTML parser drops one newline right after
/// the start tag, so one is added: a value that starts with its own newline keeps it.
pub fn textarea_html(value: impl AsRef<str>) -> String {
    format!("\n{}", crate::text::escape_html(value.as_ref()))
}

/// A labelled multi-line field (Markdown allowed) with its hint and message.
#[component]
pub fn TextArea(
    problem: Signal<Option<Problem>>,
    name: &'static str,
    label: K,
    hint: K,
    /// Value shown before any answer (e.g. the stored text).
    #[prop(optional, into)]
    initial: Option<String>,
) -> impl IntoView {
    let lang = use_lang();
    let id = format!("f-{name}");
    let hint_id = format!("f-{name}-hint");
    let err_id = format!("f-{name}-err");
    let error = Signal::derive(move || {
        problem.with(|p| p.as_ref().and_then(|p| p.form()).and_then(|f| f.error_for(name, lang)))
    });
    let value = move || {
        problem
            .with(|p| p.as_ref().and_then(|p| p.kept()).and_then(|f| f.value_of(name)))
            .or_else(|| initial.clone())
            .unwrap_or_default()
    };
    let described = {
        let (hint_id, err_id) = (hint_id.clone(), err_id.clone());
        move || if error.with(|e| e.is_some()) { format!("{hint_id} {err_id}") } else { hint_id.clone() }
    };
    view! {
        <div class="field" class:has-error=move || error.with(|e| e.is_some())>
            <label for=id.clone()>{t(label)}</label>
            <p class="hint" id=hint_id.clone()>
                {t(hint)}
            </p>
            {move || {
                error
                    .get()
                    .map(|e| {
                        view! {
                            <p class="field-error" id=err_id.clone()>
                                {e}
                            </p>
                        }
                    })
            }}
            <textarea
                id=id.clone()
                name=name
                rows="8"
                aria-describedby=described
                aria-invalid=move || if error.with(|e| e.is_some()) { "true" } else { "false" }
                inner_html=move || textarea_html(value())
            ></textarea>
        </div>
    }
}

/// The problems a plain multipart form was sent back with (`ssr::forms::send_back`): every
/// `error=field:code` of the query (a value may also list several, comma-separated).
pub fn query_errors(q: &leptos_router::params::ParamsMap) -> Vec<(String, String)> {
    q.get_all("error")
        .unwrap_or_default()
        .iter()
        .flat_map(|v| v.split(','))
        .filter_map(|p| p.split_once(':'))
        .map(|(f, c)| (f.trim().to_string(), c.trim().to_string()))
        .filter(|(f, c)| !f.is_empty() && !c.is_empty())
        .collect()
}

/// The code of the problem of `field` in the query, if any.
pub fn query_error(q: &leptos_router::params::ParamsMap, field: &str) -> Option<String> {
    query_errors(q).into_iter().find(|(f, _)| f == field).map(|(_, c)| c)
}
