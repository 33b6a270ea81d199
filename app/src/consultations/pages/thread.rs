//! The comments on one article (or on the whole draft): threads three levels deep, sorting and
//! paging, and the forms — every one a plain POST that works without JavaScript.
use super::comment::comment_item;
use super::*;
use crate::consultations::rules::Stance;
use crate::error::Problem;
use crate::ui::form::textarea_html;

/// The thread's server actions, shared by every comment's forms.
#[derive(Clone, Copy)]
pub(super) struct Actions {
    pub(super) post: ServerAction<PostComment>,
    pub(super) edit: ServerAction<EditComment>,
    pub(super) delete: ServerAction<DeleteComment>,
    pub(super) support: ServerAction<ToggleSupport>,
    pub(super) report: ServerAction<ReportComment>,
    pub(super) moderate: ServerAction<ModerateComment>,
}

/// The problem of a form, only when it was this form (several forms post to the same function).
pub(super) fn problem_for(p: Signal<Option<Problem>>, key: String) -> Signal<Option<Problem>> {
    Signal::derive(move || {
        p.get().filter(|p| {
            let kept = p.kept().and_then(|f| f.value_of("form_key"));
            kept.as_deref() == Some(key.as_str()) || (kept.is_none() && key == "new")
        })
    })
}

pub(super) fn kept(p: Signal<Option<Problem>>, field: &'static str) -> String {
    p.with_untracked(|p| p.as_ref().and_then(|p| p.kept()).and_then(|f| f.value_of(field))).unwrap_or_default()
}

#[component]
pub(super) fn FormMessage(problem: Signal<Option<Problem>>) -> impl IntoView {
    let lang = use_lang();
    move || {
        problem.get().map(|p| {
            let fields = p
                .form()
                .map(|f| f.errors.iter().filter_map(|e| f.error_for(&e.field, lang)).collect::<Vec<_>>().join(" "))
                .unwrap_or_default();
            view! {
                <div class="error-summary" role="alert">
                    <p>{p.message(lang)} " " {fields}</p>
                </div>
            }
        })
    }
}

fn scope_href(slug: &str, scope: &str, sort: &str, page: i64) -> String {
    format!("/consultations/{slug}/comments?scope={scope}&sort={sort}&page={page}")
}

#[component]
pub fn ThreadView() -> impl IntoView {
    let params = use_params_map();
    let q = use_query_map();
    let key = move || {
        (
            params.with(|p| p.get("slug").unwrap_or_default()),
            q.with(|q| q.get("scope").unwrap_or_else(|| "general".into())),
            q.with(|q| q.get("sort").unwrap_or_default()),
            q.with(|q| q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1)),
        )
    };
    let data = Resource::new(key, |(slug, scope, sort, page)| get_thread(slug, scope, sort, page));
    let actions = Actions {
        post: ServerAction::new(),
        edit: ServerAction::new(),
        delete: ServerAction::new(),
        support: ServerAction::new(),
        report: ServerAction::new(),
        moderate: ServerAction::new(),
    };
    provide_context(actions);
    let lang = use_lang();
    view! {
        {move || {
            q.with(|q| q.get("posted"))
                .map(|reg| view! { <Notice text=fill(t(K::consultations_posted), &[("reg", &reg)]) /> })
        }}
        {move || {
            q.with(|q| q.get("reported").is_some()).then(|| view! { <Notice text=t(K::consultations_reported) /> })
        }}
        {move || {
            q.with(|q| q.get("paper").is_some()).then(|| view! { <Notice text=t(K::consultations_paper_added) /> })
        }}
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => {
                        view! {
                            <PageTitle k=K::consultations_comments />
                            <h1>{t(K::notfound_title)}</h1>
                            <p role="alert">{e.0.message(lang)}</p>
                        }
                            .into_any()
                    }
                    Ok(th) => thread_view(th).into_any(),
                }
            })}
        </Transition>
    }
}

fn thread_view(th: ThreadPage) -> impl IntoView {
    let slug = th.card.slug.clone();
    let heading = match &th.unit {
        Some(u) if u.title.is_empty() => u.label.clone(),
        Some(u) if u.label.is_empty() => u.title.clone(),
        Some(u) => format!("{} – {}", u.label, u.title),
        None if th.scope == "all" => t(K::consultations_all_comments).to_string(),
        None => t(K::consultations_whole_draft).to_string(),
    };
    let heading = if heading.is_empty() { t(K::consultations_preamble).to_string() } else { heading };
    let title = format!("{heading} · {} · {}", th.card.title, t(K::site_name));
    let scope = th.scope.clone();
    let sort_links = ["newest", "supported", "article"]
        .into_iter()
        .filter(|s| *s != "article" || scope == "all")
        .map(|s| {
            let label = match s {
                "newest" => t(K::consultations_sort_newest),
                "supported" => t(K::consultations_sort_supported),
                _ => t(K::consultations_sort_article),
            };
            let cur = (th.sort == s).then_some("page");
            view! {
                <li>
                    <a href=scope_href(&slug, &scope, s, 1) aria-current=cur>
                        {label}
                    </a>
                </li>
            }
        })
        .collect_view();
    let pager = crate::ui::pager::pager(t(K::pager_label).to_string(), th.page, th.pages, |p| {
        scope_href(&slug, &scope, &th.sort, p)
    });
    let unit_text = th.unit.clone().map(|u| {
        view! {
            <div class="unit-text">
                {u
                    .paragraphs
                    .into_iter()
                    .map(|p| {
                        view! {
                            <p class="para">
                                <span class="para-label">{p.label}</span>
                                " "
                                <span class="pre-line">{p.text}</span>
                            </p>
                        }
                    })
                    .collect_view()}
            </div>
        }
    });
    let ctx = Ctx {
        slug: slug.clone(),
        viewer: th.viewer.clone(),
        open: th.open,
        form_token: th.form_token.clone(),
        scope: scope.clone(),
    };
    let form = new_comment_form(&th, ctx.clone());
    let count = tn(K::consultations_comment_count, th.total);
    view! {
        <crate::ui::DataTitle text=title />
        <p class="breadcrumb">
            <a href=format!("/consultations/{slug}")>{th.card.title.clone()}</a>
        </p>
        <h1>{heading}</h1>
        {unit_text}
        <section aria-labelledby="comments-h">
            <h2 id="comments-h">{t(K::consultations_comments)}</h2>
            <p role="status">{count}</p>
            <nav aria-label=t(K::consultations_sort_label) class="tabs">
                <ul>{sort_links}</ul>
            </nav>
            <ol class="comments">{th.comments.into_iter().map(|c| comment_item(c, ctx.clone())).collect_view()}</ol>
            {pager}
        </section>
        {form}
    }
}

/// What every comment of the thread needs to know about the page.
#[derive(Clone)]
pub(super) struct Ctx {
    pub(super) slug: String,
    pub(super) viewer: Viewer,
    pub(super) open: bool,
    pub(super) form_token: String,
    pub(super) scope: String,
}

fn new_comment_form(th: &ThreadPage, ctx: Ctx) -> AnyView {
    if th.scope == "all" || th.unit.as_ref().is_some_and(|u| !u.kind.commentable()) {
        return ().into_any();
    }
    if !th.open {
        return view! {
            <p class="notice" id="comment-form">
                {t(K::consultations_comments_closed)}
            </p>
        }
        .into_any();
    }
    if !th.viewer.signed_in {
        let next = format!("/account/login?next=/consultations/{}/comments%3Fscope%3D{}", ctx.slug, ctx.scope);
        return view! {
            <p id="comment-form">
                <a class="button" href=next>
                    {t(K::consultations_sign_in_to_comment)}
                </a>
            </p>
        }
        .into_any();
    }
    let paragraphs: Vec<String> = th
        .unit
        .as_ref()
        .map(|u| u.paragraphs.iter().filter(|p| !p.label.is_empty()).map(|p| p.label.clone()).collect())
        .unwrap_or_default();
    let with_alternative = th.unit.is_some();
    view! {
        <section aria-labelledby="comment-form-h" id="comment-form" class="comment-form">
            <h2 id="comment-form-h">{t(K::consultations_add_comment)}</h2>
            {(!th.viewer.verified).then(|| view! { <p class="notice">{t(K::consultations_unverified_note)}</p> })}
            <CommentForm ctx parent=None paragraphs with_alternative key="new".to_string() />
        </section>
    }
    .into_any()
}

/// The comment form (new comment or reply).
#[component]
pub(super) fn CommentForm(
    ctx: Ctx,
    parent: Option<i64>,
    paragraphs: Vec<String>,
    with_alternative: bool,
    key: String,
) -> impl IntoView {
    let a = expect_context::<Actions>();
    let lang = use_lang();
    let p = problem_for(problem_of(a.post), key.clone());
    let sfx = parent.map(|id| format!("-r{id}")).unwrap_or_default();
    let err = move |f: &'static str| p.with(|p| p.as_ref().and_then(|p| p.form()).and_then(|s| s.error_for(f, lang)));
    let body_id = format!("f-body{sfx}");
    let alt_id = format!("f-alternative{sfx}");
    let par_id = format!("f-paragraph{sfx}");
    let org_id = format!("f-org{sfx}");
    let kept_stance = kept(p, "stance");
    let body_err_id = format!("{body_id}-err");
    view! {
        <ActionForm action=a.post attr:class="form" attr:novalidate=true>
            <FormMessage problem=p />
            <input type="hidden" name="slug" value=ctx.slug.clone() />
            <input type="hidden" name="scope" value=ctx.scope.clone() />
            <input type="hidden" name="form_token" value=ctx.form_token.clone() />
            <input type="hidden" name="form_key" value=key.clone() />
            {parent.map(|id| view! { <input type="hidden" name="parent_id" value=id /> })}
            // The shared honeypot, with an id of its own per form (a page holds many forms).
            <div class="hp" aria-hidden="true">
                <label for=format!("f-website{sfx}")>"Website"</label>
                <input
                    id=format!("f-website{sfx}")
                    name="website"
                    type="text"
                    tabindex="-1"
                    autocomplete="off"
                    value=""
                />
            </div>
            {parent
                .is_none()
                .then(|| {
                    view! {
                        <fieldset class="field stance" id=format!("f-stance{sfx}")>
                            <legend>
                                {t(K::consultations_stance)} " " <span class="req">{t(K::form_required)}</span>
                            </legend>
                            {move || err("stance").map(|e| view! { <p class="field-error">{e}</p> })}
                            {Stance::ALL
                                .into_iter()
                                .map(|s| {
                                    let id = format!("stance-{}{sfx}", s.code());
                                    let on = kept_stance == s.code();
                                    view! {
                                        <div class="check">
                                            <input
                                                type="radio"
                                                id=id.clone()
                                                name="stance"
                                                value=s.code()
                                                checked=on
                                                required=true
                                            />
                                            <label for=id>{t(s.label())}</label>
                                        </div>
                                    }
                                })
                                .collect_view()}
                        </fieldset>
                    }
                })}
            {(parent.is_none() && !paragraphs.is_empty())
                .then(|| {
                    let chosen = kept(p, "paragraph");
                    view! {
                        <div class="field">
                            <label for=par_id.clone()>{t(K::consultations_paragraph)}</label>
                            <select id=par_id.clone() name="paragraph">
                                <option value="">{t(K::consultations_whole_article)}</option>
                                {paragraphs
                                    .iter()
                                    .map(|l| {
                                        view! {
                                            <option value=l.clone() selected=*l == chosen>
                                                {t(K::consultations_paragraph_short)}
                                                " "
                                                {l.clone()}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                        </div>
                    }
                })}
            <div class="field" class:has-error=move || err("body").is_some()>
                <label for=body_id
                    .clone()>
                    {t(if parent.is_some() { K::consultations_reply_text } else { K::consultations_comment_text })} " "
                    <span class="req">{t(K::form_required)}</span>
                </label>
                <p class="hint" id=format!("{body_id}-hint")>
                    {t(K::consultations_markdown_hint)}
                </p>
                {
                    let id = body_err_id.clone();
                    move || {
                        err("body")
                            .map(|e| {
                                view! {
                                    <p class="field-error" id=id.clone()>
                                        {e}
                                    </p>
                                }
                            })
                    }
                }
                <textarea
                    id=body_id.clone()
                    name="body"
                    rows="6"
                    required=true
                    aria-describedby=format!("{body_id}-hint")
                    inner_html=textarea_html(kept(p, "body"))
                ></textarea>
            </div>
            {(with_alternative && parent.is_none())
                .then(|| {
                    view! {
                        <div class="field">
                            <label for=alt_id.clone()>{t(K::consultations_alternative)}</label>
                            <p class="hint" id=format!("{alt_id}-hint")>
                                {t(K::consultations_alternative_hint)}
                            </p>
                            <textarea
                                id=alt_id.clone()
                                name="alternative"
                                rows="5"
                                aria-describedby=format!("{alt_id}-hint")
                                inner_html=textarea_html(kept(p, "alternative"))
                            ></textarea>
                        </div>
                    }
                })}
            {(!ctx.viewer.orgs.is_empty())
                .then(|| {
                    view! {
                        <div class="field">
                            <label for=org_id.clone()>{t(K::consultations_on_behalf)}</label>
                            <select id=org_id.clone() name="org_id">
                                <option value="">{t(K::consultations_as_myself)}</option>
                                {ctx
                                    .viewer
                                    .orgs
                                    .iter()
                                    .map(|(id, name)| view! { <option value=*id>{name.clone()}</option> })
                                    .collect_view()}
                            </select>
                        </div>
                    }
                })}
            <button type="submit" class="button">
                {t(if parent.is_some() { K::consultations_reply_submit } else { K::consultations_comment_submit })}
            </button>
        </ActionForm>
    }
}
