//! Pages: the list, a consultation with its articles and margin counts, creating one (paste → split
//! → review), the organiser's page (Law 52 checks, states, corrections, versions, debate), the
//! organisation's consultations and the unsubscribe page.
use super::law52::{Check, CheckResult};
use super::rules::{topic_label, Phase, Status, TOPICS};
use super::split::UnitKind;
use super::*;
use crate::accounts::use_me;
use crate::error::Problem;
use crate::i18n::{fill, t, use_lang, K};
use crate::ui::form::{problem_of, ErrorSummary, Field, TextArea};
use crate::ui::{Notice, PageTitle};
use leptos::form::ActionForm;
use leptos_router::hooks::{use_params_map, use_query_map};

fn phase_class(p: Phase) -> &'static str {
    match p {
        Phase::Open => "tag phase-open",
        Phase::Upcoming | Phase::Draft => "tag",
        _ => "tag phase-closed",
    }
}

fn check_text(c: &CheckResult) -> String {
    match c.check {
        Check::CommentWindow => {
            fill(t(K::consultations_check_window), &[("n", &c.days.to_string()), ("min", &c.required.to_string())])
        }
        Check::Notice => {
            fill(t(K::consultations_check_notice), &[("n", &c.days.to_string()), ("min", &c.required.to_string())])
        }
        Check::Urgency => t(K::consultations_check_urgency).to_string(),
    }
}

#[component]
fn LawBadges(checks: Vec<CheckResult>) -> impl IntoView {
    view! {
        <ul class="law-badges" aria-label=t(K::consultations_law_checks)>
            {checks.into_iter().map(|c| {
                let cls = if c.ok { "tag law-ok" } else { "tag law-bad" };
                let mark = if c.ok { "✓ " } else { "✗ " };
                let state = if c.ok { t(K::consultations_check_ok) } else { t(K::consultations_check_bad) };
                view! { <li class=cls><span aria-hidden="true">{mark}</span><span class="visually-hidden">{state} ": "</span>{check_text(&c)}</li> }
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn ConsultationCard(c: Card) -> impl IntoView {
    let lang = use_lang();
    let href = format!("/consultations/{}", c.slug);
    let place =
        [c.locality.clone(), c.county.clone()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", ");
    let topics = c.topics.iter().map(|x| t(topic_label(x))).collect::<Vec<_>>().join(" · ");
    let window = format!("{} – {}", crate::fmt::date(lang, c.opens_at), crate::fmt::date(lang, c.closes_at));
    view! {
        <li class="card">
            <h2 class="card-title"><a href=href>{c.title}</a></h2>
            <p><span class=phase_class(c.phase)>{t(c.phase.label())}</span> {c.is_demo.then(|| view! { " " <span class="tag">{t(K::demo_badge)}</span> })}</p>
            <p class="muted">{c.owner_name} " · " {place}</p>
            <p>{c.summary}</p>
            <p class="muted small">{t(K::consultations_window)} ": " {window} " · " {fill(t(K::consultations_comment_count), &[("n", &c.comments.to_string())])}</p>
            <p class="muted small">{topics}</p>
        </li>
    }
}

#[component]
pub fn ConsultationList() -> impl IntoView {
    let q = use_query_map();
    let filter = Memo::new(move |_| {
        q.with(|q| ListFilter {
            topic: q.get("topic").unwrap_or_default(),
            county: q.get("county").unwrap_or_default(),
            status: q.get("status").unwrap_or_default(),
            page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
        })
    });
    let data = Resource::new(move || filter.get(), list_consultations);
    let subscribe = ServerAction::<SubscribeNew>::new();
    let me = use_me().0;
    let lang = use_lang();
    view! {
        <PageTitle k=K::consultations_title/>
        <h1>{t(K::consultations_title)}</h1>
        <p>{t(K::consultations_intro)}</p>
        {move || q.with(|q| q.get("subscribed").is_some()).then(|| view! { <Notice text=t(K::consultations_subscribed)/> })}
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                let f = filter.get_untracked();
                let signed_in = matches!(me.await, Ok(Some(_)));
                match data.await {
                    Err(e) => view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(r) => {
                        let page_href = |p: i64| format!("/consultations?topic={}&county={}&status={}&page={p}", crate::text::encode_query(&f.topic), crate::text::encode_query(&f.county), f.status);
                        let prev = (r.page > 1).then(|| page_href(r.page - 1));
                        let next = (r.page < r.pages).then(|| page_href(r.page + 1));
                        let page_of = fill(t(K::pager_page_of), &[("n", &r.page.to_string()), ("total", &r.pages.to_string())]);
                        let counties = r.counties.clone();
                        view! {
                            {r.can_create.then(|| view! { <p class="actions"><a class="button" href="/consultations/new">{t(K::consultations_new)}</a> " " <a href="/consultations/moderation">{t(K::consultations_queue_title)}</a></p> })}
                            <form method="get" action="/consultations" class="filters" role="search" aria-label=t(K::consultations_filter)>
                                <div class="field">
                                    <label for="topic">{t(K::consultations_topic)}</label>
                                    <select id="topic" name="topic">
                                        <option value="">{t(K::orgs_any)}</option>
                                        {TOPICS.iter().map(|x| view! { <option value=*x selected=f.topic == *x>{t(topic_label(x))}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="county">{t(K::field_county)}</label>
                                    <select id="county" name="county">
                                        <option value="">{t(K::orgs_any)}</option>
                                        {r.counties.iter().map(|c| view! { <option value=c.clone() selected=f.county == *c>{c.clone()}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="status">{t(K::consultations_status)}</label>
                                    <select id="status" name="status">
                                        <option value="">{t(K::orgs_any)}</option>
                                        {Status::ALL.into_iter().filter(|s| s.is_public()).map(|s| view! { <option value=s.code() selected=f.status == s.code()>{t(s.label())}</option> }).collect_view()}
                                    </select>
                                </div>
                                <button type="submit" class="button">{t(K::search)}</button>
                            </form>
                            <p class="result-count" role="status">{fill(t(K::consultations_count), &[("n", &r.total.to_string())])}</p>
                            <ul class="cards">{r.cards.into_iter().map(|c| view! { <ConsultationCard c/> }).collect_view()}</ul>
                            <nav class="pager" aria-label=t(K::pager_label)>
                                {prev.map(|h| view! { <a href=h rel="prev">{t(K::pager_prev)}</a> })}
                                <span>{page_of}</span>
                                {next.map(|h| view! { <a href=h rel="next">{t(K::pager_next)}</a> })}
                            </nav>
                            {signed_in.then(|| view! {
                                <section aria-labelledby="sub-h" class="admin-box">
                                    <h2 id="sub-h">{t(K::consultations_subscribe_title)}</h2>
                                    <ActionForm action=subscribe attr:class="form inline-fields">
                                        <div class="field">
                                            <label for="sub-topic">{t(K::consultations_topic)}</label>
                                            <select id="sub-topic" name="topic">
                                                <option value="">{t(K::orgs_any)}</option>
                                                {TOPICS.iter().map(|x| view! { <option value=*x>{t(topic_label(x))}</option> }).collect_view()}
                                            </select>
                                        </div>
                                        <div class="field">
                                            <label for="sub-county">{t(K::field_county)}</label>
                                            <select id="sub-county" name="county">
                                                <option value="">{t(K::orgs_any)}</option>
                                                {counties.iter().map(|c| view! { <option value=c.clone()>{c.clone()}</option> }).collect_view()}
                                            </select>
                                        </div>
                                        <button type="submit" class="button secondary">{t(K::consultations_subscribe)}</button>
                                    </ActionForm>
                                </section>
                            })}
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The files of a consultation as a list: name (a download link), PDF, size.
#[component]
pub fn FileList(slug: String, files: Vec<files::FileInfo>, #[prop(optional)] remove: bool) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ul class="file-list">
            {files.into_iter().map(|f| {
                let size = files::human_size(f.size, lang);
                let del = format!("/consultations/{slug}/files/{}/delete", f.id);
                let label = format!("{} {}", t(K::consultations_remove_file), f.name);
                view! {
                    <li>
                        <a href=files::href(&slug, f.id) download>{f.name.clone()}</a>
                        " " <span class="muted small">"(PDF, " {size} ")"</span>
                        {remove.then(|| view! {
                            " "
                            <form method="post" action=del class="inline-form">
                                <button type="submit" class="link-button danger" aria-label=label>{t(K::consultations_remove_file)}</button>
                            </form>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// A file input of a plain multipart form, with its translated error (from `?error=field:code`).
#[component]
pub fn FileInput(
    name: String,
    /// The input's id when a page holds several forms with the same field name.
    #[prop(optional)]
    id: Option<String>,
    label: K,
    #[prop(optional)] hint: Option<K>,
    #[prop(optional_no_strip)] error: Option<String>,
    #[prop(default = "application/pdf,.pdf")] accept: &'static str,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| format!("f-{name}"));
    let hint_id = format!("{id}-hint");
    let err_id = format!("{id}-err");
    let described = [hint.map(|_| hint_id.clone()), error.as_ref().map(|_| err_id.clone())]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let invalid = error.is_some().then_some("true");
    let has_error = error.is_some();
    view! {
        <div class="field" class:has-error=has_error>
            <label for=id.clone()>{t(label)}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{t(h)}</p> })}
            {error.map(|e| view! { <p class="field-error" id=err_id.clone()>{e}</p> })}
            <input type="file" id=id name=name accept=accept aria-describedby=(!described.is_empty()).then_some(described) aria-invalid=invalid/>
        </div>
    }
}

/// The translated problem of `field` in the `error` query value, if any.
pub fn upload_error(q: &leptos_router::params::ParamsMap, field: &str) -> Option<String> {
    crate::ui::form::query_error(q, field).map(|code| t(files::problem_key(&code)).to_string())
}

/// The articles of the draft with the comment counts in the margin, one page at a time.
#[component]
fn Units(slug: String, units: Vec<UnitView>, general: i64, page: i64, total: i64) -> impl IntoView {
    let per = super::rules::UNITS_PER_PAGE;
    let pages = ((total + per - 1) / per).max(1);
    let page = page.clamp(1, pages);
    let first = (page - 1) * per + 1;
    let last = (page * per).min(total);
    let href = |p: i64| format!("/consultations/{slug}?p={p}#draft-h");
    let pager = (pages > 1).then(|| {
        let prev = (page > 1).then(|| href(page - 1));
        let next = (page < pages).then(|| href(page + 1));
        view! {
            <nav class="pager" aria-label=t(K::consultations_draft_pages)>
                {prev.map(|h| view! { <a href=h rel="prev">{t(K::pager_prev)}</a> })}
                <span>{fill(t(K::pager_page_of), &[("n", &page.to_string()), ("total", &pages.to_string())])}</span>
                {next.map(|h| view! { <a href=h rel="next">{t(K::pager_next)}</a> })}
                <ul class="page-links">
                    {(1..=pages).map(|p| {
                        let cur = (p == page).then_some("page");
                        view! { <li><a href=href(p) aria-current=cur>{p}</a></li> }
                    }).collect_view()}
                </ul>
            </nav>
        }
    });
    let range = (pages > 1).then(|| {
        fill(
            t(K::consultations_units_range),
            &[("from", &first.to_string()), ("to", &last.to_string()), ("total", &total.to_string())],
        )
    });
    view! {
        {range.map(|r| view! { <p class="muted">{r}</p> })}
        <p class="general-comments">
            <a class="button secondary" href=format!("/consultations/{slug}/comments?scope=general")>
                {t(K::consultations_comment_whole)} " (" {general} ")"
            </a>
            " "
            <a href=format!("/consultations/{slug}/comments?scope=all&sort=article")>{t(K::consultations_all_comments)}</a>
        </p>
        <ol class="units">
            {units.into_iter().map(|u| {
                let href = format!("/consultations/{slug}/comments?scope={}", u.position);
                match u.kind {
                    UnitKind::Chapter => view! { <li class="unit-heading"><h2>{u.label} {(!u.title.is_empty()).then(|| format!(" – {}", u.title))}</h2></li> }.into_any(),
                    UnitKind::Section => view! { <li class="unit-heading"><h3>{u.label} {(!u.title.is_empty()).then(|| format!(" – {}", u.title))}</h3></li> }.into_any(),
                    kind => {
                        let heading = if kind == UnitKind::Preamble { t(K::consultations_preamble).to_string() } else if u.title.is_empty() { u.label.clone() } else { format!("{} – {}", u.label, u.title) };
                        let count = fill(t(K::consultations_comment_count), &[("n", &u.comments.to_string())]);
                        let link_more = format!(" — {} {}", t(K::consultations_comment_on), heading);
                        view! {
                            <li class="unit" id=format!("u-{}", u.position)>
                                <div class="unit-main">
                                    <h3 class="unit-title">{heading.clone()}</h3>
                                    {u.paragraphs.into_iter().map(|p| view! { <p class="para"><span class="para-label">{p.label}</span> " " <span class="pre-line">{p.text}</span></p> }).collect_view()}
                                </div>
                                <p class="unit-margin">
                                    <a href=href>{count}<span class="visually-hidden">{link_more}</span></a>
                                </p>
                            </li>
                        }
                        .into_any()
                    }
                }
            }).collect_view()}
        </ol>
        {pager}
    }
}

#[component]
pub fn ConsultationDetail() -> impl IntoView {
    let params = use_params_map();
    let q = use_query_map();
    let key = move || {
        (
            params.with(|p| p.get("slug").unwrap_or_default()),
            q.with(|q| q.get("p").and_then(|p| p.parse::<i64>().ok()).unwrap_or(1).max(1)),
        )
    };
    let data = Resource::new(key, |(slug, page)| get_consultation(slug, page));
    let follow = ServerAction::<ToggleFollow>::new();
    let debate_req = ServerAction::<RequestDebate>::new();
    let register = ServerAction::<RegisterDebate>::new();
    let lang = use_lang();
    view! {
        {move || q.with(|q| q.get("version").is_some()).then(|| view! { <Notice text=t(K::consultations_version_added)/> })}
        {move || q.with(|q| q.get("debate").is_some()).then(|| view! { <Notice text=t(K::consultations_debate_requested)/> })}
        {move || q.with(|q| q.get("registered").is_some()).then(|| view! { <Notice text=t(K::consultations_debate_registered)/> })}
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <PageTitle k=K::consultations_title/><h1>{t(K::notfound_title)}</h1><p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(pg) => {
                        let d = pg.detail.clone();
                        let c = d.card.clone();
                        let title = format!("{} · {}", c.title, t(K::site_name));
                        let owner_href = if c.owner_kind == "org" { format!("/organisations/{}", c.owner_slug) } else { format!("/authorities/{}", c.owner_slug) };
                        let topics = c.topics.iter().map(|x| t(topic_label(x))).collect::<Vec<_>>().join(", ");
                        let slug = c.slug.clone();
                        let report_ready = d.report_published_at.is_some();
                        let v = pg.viewer.clone();
                        let debate = pg.debate.clone();
                        let can_request = v.signed_in && !v.orgs.is_empty() && matches!(c.phase, Phase::Open | Phase::Upcoming);
                        let debate_p = problem_of(debate_req);
                        let attachments: Vec<files::FileInfo> = pg.files.iter().filter(|f| f.kind == files::FileKind::Attachment).cloned().collect();
                        let minutes: Vec<files::FileInfo> = pg.files.iter().filter(|f| f.kind == files::FileKind::Minutes).cloned().collect();
                        view! {
                            <crate::ui::DataTitle text=title/>
                            <h1>{c.title.clone()}</h1>
                            <p>
                                <span class=phase_class(c.phase)>{t(c.phase.label())}</span>
                                {c.is_demo.then(|| view! { " " <span class="tag">{t(K::demo_badge)}</span> })}
                            </p>
                            <LawBadges checks=pg.checks.clone()/>
                            <dl class="facts">
                                <dt>{t(K::consultations_owner)}</dt><dd><a href=owner_href>{c.owner_name.clone()}</a></dd>
                                <dt>{t(K::consultations_window)}</dt>
                                <dd>
                                    <time datetime=crate::fmt::iso_utc(c.opens_at)>{crate::fmt::date_time(lang, c.opens_at)}</time> " – "
                                    <time datetime=crate::fmt::iso_utc(c.closes_at)>{crate::fmt::date_time(lang, c.closes_at)}</time>
                                </dd>
                                {d.adoption_at.map(|a| view! { <dt>{t(K::consultations_adoption)}</dt><dd>{crate::fmt::date(lang, a)}</dd> })}
                                <dt>{t(K::consultations_topic)}</dt><dd>{topics}</dd>
                                <dt>{t(K::orgs_place)}</dt><dd>{c.locality.clone()} ", " {c.county.clone()}</dd>
                                {(!d.officer_contact.is_empty()).then(|| view! { <dt>{t(K::consultations_officer)}</dt><dd>{d.officer_contact.clone()}</dd> })}
                                {(!d.urgency_reason.is_empty()).then(|| view! { <dt>{t(K::consultations_urgency)}</dt><dd>{d.urgency_reason.clone()}</dd> })}
                                <dt>{t(K::consultations_version)}</dt><dd>{d.current_version}</dd>
                            </dl>
                            <p class="lead pre-line">{d.card.summary.clone()}</p>
                            <p class="actions">
                                {v.organiser.then(|| view! { <a class="button" href=format!("/consultations/{slug}/manage")>{t(K::consultations_manage)}</a> " " })}
                                {report_ready.then(|| view! { <a class="button" href=format!("/consultations/{slug}/report")>{t(K::consultations_report_title)}</a> " " })}
                                <a href=format!("/consultations/{slug}/log")>{t(K::consultations_log_title)}</a>
                            </p>
                            {v.signed_in.then(|| view! {
                                <ActionForm action=follow attr:class="inline-form">
                                    <input type="hidden" name="id" value=c.id/>
                                    <button type="submit" class="button secondary" aria-pressed=if v.following { "true" } else { "false" }>
                                        {if v.following { t(K::consultations_unfollow) } else { t(K::consultations_follow) }}
                                    </button>
                                </ActionForm>
                            })}
                            {(!d.explanatory_note.is_empty()).then(|| view! {
                                <details class="note">
                                    <summary>{t(K::consultations_explanatory_note)}</summary>
                                    <p class="pre-line">{d.explanatory_note.clone()}</p>
                                </details>
                            })}
                            <section aria-labelledby="files-h" id="files">
                                <h2 id="files-h">{t(K::consultations_attachments)}</h2>
                                {if attachments.is_empty() {
                                    view! { <p class="muted">{t(K::consultations_attachments_none)}</p> }.into_any()
                                } else {
                                    view! { <FileList slug=slug.clone() files=attachments.clone()/> }.into_any()
                                }}
                            </section>
                            <section aria-labelledby="draft-h">
                                <h2 id="draft-h">{t(K::consultations_draft)}</h2>
                                <Units slug=slug.clone() units=pg.units.clone() general=pg.general_comments page=pg.unit_page total=pg.units_total/>
                            </section>
                            {(pg.versions.len() > 1).then(|| view! {
                                <section aria-labelledby="versions-h">
                                    <h2 id="versions-h">{t(K::consultations_versions)}</h2>
                                    <ul>
                                        {pg.versions.iter().map(|ver| view! {
                                            <li>{fill(t(K::consultations_version_n), &[("n", &ver.number.to_string())])} " · " {crate::fmt::date(lang, ver.created_at)} {(!ver.changelog.is_empty()).then(|| format!(": {}", ver.changelog))}</li>
                                        }).collect_view()}
                                    </ul>
                                </section>
                            })}
                            <section aria-labelledby="debate-h" id="debate">
                                <h2 id="debate-h">{t(K::consultations_debate)}</h2>
                                {debate.starts_at.map(|s| view! {
                                    <p>{t(K::consultations_debate_when)} ": " {crate::fmt::date_time(lang, s)} " · " {debate.place.clone()} " " {(!debate.online_url.is_empty()).then(|| view! { <a href=debate.online_url.clone() rel="nofollow noopener">{debate.online_url.clone()}</a> })}</p>
                                    <p>{fill(t(K::consultations_debate_registered_n), &[("n", &debate.registered.to_string())])}</p>
                                })}
                                {(debate.starts_at.is_some_and(|s| s > pg.now) && v.signed_in && !debate.me_registered).then(|| view! {
                                    <ActionForm action=register attr:class="inline-form">
                                        <input type="hidden" name="id" value=c.id/>
                                        <button type="submit" class="button secondary">{t(K::consultations_debate_register)}</button>
                                    </ActionForm>
                                })}
                                {(!debate.minutes.is_empty() || !minutes.is_empty()).then(|| view! {
                                    <h3>{t(K::consultations_debate_minutes)}</h3>
                                    {(!minutes.is_empty()).then(|| view! { <FileList slug=slug.clone() files=minutes.clone()/> })}
                                    {(!debate.minutes.is_empty()).then(|| view! { <p class="pre-line">{debate.minutes.clone()}</p> })}
                                })}
                                {(!debate.requests.is_empty()).then(|| view! {
                                    <p>{t(K::consultations_debate_requests)} ": " {debate.requests.iter().map(|(o, _)| o.clone()).collect::<Vec<_>>().join(", ")}</p>
                                })}
                                {debate.starts_at.is_none().then(|| view! { <p class="muted">{t(K::consultations_debate_none)}</p> })}
                                {can_request.then(|| view! {
                                    <ActionForm action=debate_req attr:class="form">
                                        <ErrorSummary problem=debate_p/>
                                        <input type="hidden" name="id" value=c.id/>
                                        <div class="field">
                                            <label for="f-debate-org">{t(K::consultations_on_behalf)}</label>
                                            <select id="f-debate-org" name="org_id">
                                                {v.orgs.iter().map(|(id, name)| view! { <option value=*id>{name.clone()}</option> }).collect_view()}
                                            </select>
                                        </div>
                                        <div class="field">
                                            <label for="f-debate-reason">{t(K::consultations_debate_reason)}</label>
                                            <textarea id="f-debate-reason" name="reason" rows="3"></textarea>
                                        </div>
                                        <button type="submit" class="button secondary">{t(K::consultations_debate_request)}</button>
                                    </ActionForm>
                                })}
                            </section>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
pub fn ConsultationNew() -> impl IntoView {
    let owners = Resource::new(|| (), |_| owner_options());
    let action = ServerAction::<CreateConsultation>::new();
    let p = problem_of(action);
    let lang = use_lang();
    let kept = move |f: &'static str| {
        p.with(|p| p.as_ref().and_then(|p| p.kept()).and_then(|s| s.value_of(f))).unwrap_or_default()
    };
    let err = move |f: &'static str| p.with(|p| p.as_ref().and_then(|p| p.form()).and_then(|s| s.error_for(f, lang)));
    view! {
        <PageTitle k=K::consultations_new/>
        <h1>{t(K::consultations_new)}</h1>
        <p>{t(K::consultations_new_intro)}</p>
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                match owners.await {
                    Err(ConsultationsError(Problem::Unauthenticated)) => view! { <p><a class="button" href="/account/login?next=/consultations/new">{t(K::nav_login)}</a></p> }.into_any(),
                    Err(e) => view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p role="alert">{t(K::consultations_not_organiser)}</p> }.into_any(),
                    Ok(list) => {
                        let owner = kept("owner");
                        let chosen = kept("topics");
                        view! {
                            <ActionForm action=action attr:class="form" attr:novalidate=true>
                                <ErrorSummary problem=p/>
                                <div class="field" class:has-error=move || err("owner").is_some()>
                                    <label for="f-owner">{t(K::consultations_owner)}</label>
                                    {move || err("owner").map(|e| view! { <p class="field-error">{e}</p> })}
                                    <select id="f-owner" name="owner">
                                        {list.into_iter().map(|o| { let sel = o.value == owner; view! { <option value=o.value selected=sel>{o.name}</option> } }).collect_view()}
                                    </select>
                                </div>
                                <Field problem=p name="title" label=K::consultations_field_title required=true/>
                                <TextArea problem=p name="summary" label=K::consultations_field_summary hint=K::consultations_field_summary_hint/>
                                <fieldset class="field checks" id="f-topics">
                                    <legend>{t(K::consultations_topic)} " " <span class="req">{t(K::form_required)}</span></legend>
                                    {move || err("topics").map(|e| view! { <p class="field-error">{e}</p> })}
                                    {TOPICS.iter().map(|x| {
                                        let id = format!("topic-{x}");
                                        let on = chosen.split(',').any(|c| c == *x);
                                        view! { <div class="check"><input type="checkbox" id=id.clone() name="topics[]" value=*x checked=on/><label for=id>{t(topic_label(x))}</label></div> }
                                    }).collect_view()}
                                </fieldset>
                                <Field problem=p name="locality" label=K::field_locality/>
                                <Field problem=p name="county" label=K::field_county/>
                                <TextArea problem=p name="draft_text" label=K::consultations_field_draft hint=K::consultations_field_draft_hint/>
                                <p class="hint">{t(K::consultations_field_draft_later)}</p>
                                <TextArea problem=p name="explanatory_note" label=K::consultations_explanatory_note hint=K::consultations_field_note_hint/>
                                <Field problem=p name="opens_on" label=K::consultations_field_opens kind="date" required=true/>
                                <Field problem=p name="closes_on" label=K::consultations_field_closes kind="date" required=true hint=K::consultations_field_closes_hint/>
                                <Field problem=p name="adoption_on" label=K::consultations_adoption kind="date" required=true hint=K::consultations_field_adoption_hint/>
                                <TextArea problem=p name="urgency_reason" label=K::consultations_urgency hint=K::consultations_field_urgency_hint/>
                                <Field problem=p name="officer_contact" label=K::consultations_officer/>
                                <Field problem=p name="report_threshold" label=K::consultations_field_threshold kind="number" hint=K::consultations_field_threshold_hint initial="3".to_string()/>
                                <div class="check">
                                    <input type="checkbox" id="f-premoderation" name="premoderation" value="1"/>
                                    <label for="f-premoderation">{t(K::consultations_premoderation)}</label>
                                </div>
                                <button type="submit" class="button">{t(K::consultations_create_submit)}</button>
                            </ActionForm>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The organiser's page: Law 52 checks, the split to review and correct, state changes,
/// new versions, the public debate.
#[component]
pub fn ConsultationManage() -> impl IntoView {
    let params = use_params_map();
    let q = use_query_map();
    let slug = move || params.with(|p| p.get("slug").unwrap_or_default());
    let data = Resource::new(slug, |slug| get_consultation(slug, 0));
    let status = ServerAction::<ChangeStatus>::new();
    let resplit = ServerAction::<UpdateDraft>::new();
    let version = ServerAction::<NewVersion>::new();
    let debate = ServerAction::<ScheduleDebate>::new();
    let status_p = problem_of(status);
    let resplit_p = problem_of(resplit);
    let version_p = problem_of(version);
    let debate_p = problem_of(debate);
    let lang = use_lang();
    view! {
        <PageTitle k=K::consultations_manage/>
        {move || q.with(|q| q.get("created").is_some()).then(|| view! { <Notice text=t(K::consultations_created)/> })}
        {move || q.with(|q| q.get("split").is_some() || q.get("status").is_some() || q.get("debate").is_some()).then(|| view! { <Notice text=t(K::admin_saved)/> })}
        {move || q.with(|q| q.get("uploaded").is_some()).then(|| view! { <Notice text=t(K::consultations_file_uploaded)/> })}
        {move || q.with(|q| q.get("removed").is_some()).then(|| view! { <Notice text=t(K::consultations_file_removed)/> })}
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <h1>{t(K::consultations_manage)}</h1><p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(pg) if !pg.viewer.organiser => { let _ = pg; view! { <h1>{t(K::consultations_manage)}</h1><p role="alert">{t(K::err_forbidden)}</p> }.into_any() }
                    Ok(pg) => {
                        let d = pg.detail.clone();
                        let c = d.card.clone();
                        let slug = c.slug.clone();
                        let id = c.id;
                        let actions: Vec<(&'static str, K)> = match c.status {
                            Status::Draft => vec![("publish", K::consultations_action_publish)],
                            Status::Open if c.phase == Phase::Closed => vec![("close", K::consultations_action_close), ("withdraw", K::consultations_action_withdraw)],
                            Status::Open => vec![("withdraw", K::consultations_action_withdraw)],
                            Status::Closed => vec![("publish_report", K::consultations_action_publish_report), ("withdraw", K::consultations_action_withdraw)],
                            Status::Answered => vec![("adopt", K::consultations_action_adopt), ("withdraw", K::consultations_action_withdraw)],
                            _ => vec![],
                        };
                        let articles = pg.units.iter().filter(|u| u.kind == UnitKind::Article).count();
                        let is_draft = c.status == Status::Draft;
                        let can_version = matches!(c.phase, Phase::Open | Phase::Upcoming);
                        let draft_text = d.draft_text.clone();
                        let draft_text2 = d.draft_text.clone();
                        let qm = q.get_untracked();
                        let kept_title = qm.get("title").unwrap_or_default();
                        let kept_minutes_title = qm.get("minutes_title").unwrap_or_default();
                        let attachments: Vec<files::FileInfo> = pg.files.iter().filter(|f| f.kind == files::FileKind::Attachment).cloned().collect();
                        let minutes: Vec<files::FileInfo> = pg.files.iter().filter(|f| f.kind == files::FileKind::Minutes).cloned().collect();
                        let title_err = upload_error(&qm, "title");
                        let minutes_title_err = upload_error(&qm, "minutes_title");
                        view! {
                            <p class="breadcrumb"><a href=format!("/consultations/{slug}")>{c.title.clone()}</a></p>
                            <h1>{t(K::consultations_manage)}</h1>
                            <p><span class=phase_class(c.phase)>{t(c.phase.label())}</span></p>
                            <h2>{t(K::consultations_law_checks)}</h2>
                            <LawBadges checks=pg.checks.clone()/>
                            <p>{fill(t(K::consultations_unanswered_n), &[("n", &pg.unanswered.to_string())])} " · "
                                <a href=format!("/consultations/{slug}/answers")>{t(K::consultations_answers_title)}</a> " · "
                                <a href=format!("/consultations/moderation?consultation={slug}")>{t(K::consultations_queue_title)}</a> " · "
                                <a href=format!("/consultations/{slug}/report")>{t(K::consultations_report_title)}</a>
                            </p>
                            <ErrorSummary problem=status_p/>
                            <div class="actions">
                                {actions.into_iter().map(|(a, k)| view! {
                                    <ActionForm action=status attr:class="inline-form">
                                        <input type="hidden" name="id" value=id/>
                                        <input type="hidden" name="action" value=a/>
                                        <button type="submit" class=if a == "withdraw" { "button danger" } else { "button" }>{t(k)}</button>
                                    </ActionForm>
                                    " "
                                }).collect_view()}
                            </div>
                            <section aria-labelledby="files-h" id="files">
                                <h2 id="files-h">{t(K::consultations_attachments)}</h2>
                                {if attachments.is_empty() {
                                    view! { <p class="muted">{t(K::consultations_attachments_none)}</p> }.into_any()
                                } else {
                                    view! { <FileList slug=slug.clone() files=attachments remove=true/> }.into_any()
                                }}
                                <form method="post" action=format!("/consultations/{slug}/files") enctype="multipart/form-data" class="form" aria-labelledby="attach-h">
                                    <h3 id="attach-h">{t(K::consultations_attachment_add)}</h3>
                                    <input type="hidden" name="kind" value="attachment"/>
                                    <div class="field" class:has-error=title_err.is_some()>
                                        <label for="f-file-title">{t(K::consultations_field_file_title)}</label>
                                        {title_err.clone().map(|e| view! { <p class="field-error" id="f-file-title-err">{e}</p> })}
                                        <input type="text" id="f-file-title" name="title" maxlength="116" value=kept_title aria-describedby=title_err.is_some().then_some("f-file-title-err")/>
                                    </div>
                                    <FileInput name="file".to_string() label=K::consultations_field_pdf error=upload_error(&qm, "file")/>
                                    <button type="submit" class="button secondary">{t(K::consultations_upload)}</button>
                                </form>
                            </section>
                            <h2 id="split">{t(K::consultations_split_review)}</h2>
                            <p role="status">{fill(t(K::consultations_split_count), &[("n", &articles.to_string())])}</p>
                            <ol class="split-preview">
                                {pg.units.iter().map(|u| {
                                    let kind = match u.kind { UnitKind::Preamble => t(K::consultations_preamble), UnitKind::Chapter => t(K::consultations_kind_chapter), UnitKind::Section => t(K::consultations_kind_section), UnitKind::Article => t(K::consultations_kind_article) };
                                    view! { <li><strong>{kind} " " {u.label.clone()}</strong> " " {u.title.clone()} " — " {fill(t(K::consultations_paragraphs_n), &[("n", &u.paragraphs.len().to_string())])}</li> }
                                }).collect_view()}
                            </ol>
                            {is_draft.then(|| view! {
                                <ActionForm action=resplit attr:class="form">
                                    <ErrorSummary problem=resplit_p/>
                                    <input type="hidden" name="id" value=id/>
                                    <div class="field">
                                        <label for="f-draft_text">{t(K::consultations_field_draft)}</label>
                                        <p class="hint" id="f-draft-hint">{t(K::consultations_correct_hint)}</p>
                                        <textarea id="f-draft_text" name="draft_text" rows="16" aria-describedby="f-draft-hint">{draft_text.clone()}</textarea>
                                    </div>
                                    <button type="submit" class="button secondary">{t(K::consultations_resplit)}</button>
                                </ActionForm>
                                <form method="post" action=format!("/consultations/{slug}/draft-file") enctype="multipart/form-data" class="form">
                                    <FileInput name="draft_file".to_string() label=K::consultations_draft_file hint=K::consultations_draft_file_hint error=upload_error(&qm, "draft_file") accept=".txt,.md,.docx,text/plain,text/markdown,application/vnd.openxmlformats-officedocument.wordprocessingml.document"/>
                                    <button type="submit" class="button secondary">{t(K::consultations_draft_upload)}</button>
                                </form>
                            })}
                            {can_version.then(|| view! {
                                <h2>{t(K::consultations_new_version)}</h2>
                                <ActionForm action=version attr:class="form">
                                    <ErrorSummary problem=version_p/>
                                    <input type="hidden" name="id" value=id/>
                                    <div class="field">
                                        <label for="f-version-text">{t(K::consultations_field_draft)}</label>
                                        <textarea id="f-version-text" name="draft_text" rows="12">{draft_text2.clone()}</textarea>
                                    </div>
                                    <div class="field">
                                        <label for="f-changelog">{t(K::consultations_changelog)}</label>
                                        <textarea id="f-changelog" name="changelog" rows="3"></textarea>
                                    </div>
                                    <button type="submit" class="button secondary">{t(K::consultations_new_version)}</button>
                                </ActionForm>
                            })}
                            <h2>{t(K::consultations_debate)}</h2>
                            {(!pg.debate.requests.is_empty()).then(|| view! {
                                <ul>{pg.debate.requests.iter().map(|(o, r)| view! { <li><strong>{o.clone()}</strong> ": " {r.clone()}</li> }).collect_view()}</ul>
                            })}
                            <ActionForm action=debate attr:class="form">
                                <ErrorSummary problem=debate_p/>
                                <input type="hidden" name="id" value=id/>
                                <Field problem=debate_p name="date" label=K::consultations_debate_date kind="date"/>
                                <Field problem=debate_p name="time" label=K::consultations_debate_time kind="time"/>
                                <Field problem=debate_p name="place" label=K::consultations_debate_place initial=pg.debate.place.clone()/>
                                <Field problem=debate_p name="online_url" label=K::consultations_debate_url kind="url" initial=pg.debate.online_url.clone()/>
                                <div class="field">
                                    <label for="f-minutes">{t(K::consultations_debate_minutes)}</label>
                                    <textarea id="f-minutes" name="minutes" rows="4">{pg.debate.minutes.clone()}</textarea>
                                </div>
                                <button type="submit" class="button secondary">{t(K::consultations_debate_save)}</button>
                            </ActionForm>
                            <section aria-labelledby="minutes-h" id="minutes">
                                <h3 id="minutes-h">{t(K::consultations_minutes_file)}</h3>
                                {(!minutes.is_empty()).then(|| view! { <FileList slug=slug.clone() files=minutes remove=true/> })}
                                <form method="post" action=format!("/consultations/{slug}/files") enctype="multipart/form-data" class="form">
                                    <input type="hidden" name="kind" value="minutes"/>
                                    <div class="field" class:has-error=minutes_title_err.is_some()>
                                        <label for="f-minutes-title">{t(K::consultations_field_file_title)}</label>
                                        {minutes_title_err.clone().map(|e| view! { <p class="field-error" id="f-minutes-title-err">{e}</p> })}
                                        <input type="text" id="f-minutes-title" name="title" maxlength="116" value=kept_minutes_title aria-describedby=minutes_title_err.is_some().then_some("f-minutes-title-err")/>
                                    </div>
                                    <FileInput name="minutes_file".to_string() label=K::consultations_field_pdf error=upload_error(&qm, "minutes_file")/>
                                    <button type="submit" class="button secondary">{t(K::consultations_minutes_upload)}</button>
                                </form>
                            </section>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The consultations an organisation runs, for its page.
#[component]
pub fn OrgConsultations(org_id: i64) -> impl IntoView {
    let list = Resource::new(move || org_id, org_consultations);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(items) if !items.is_empty() => view! {
                        <section aria-labelledby="org-consultations-h">
                            <h2 id="org-consultations-h">{t(K::consultations_title)}</h2>
                            <ul class="cards">{items.into_iter().map(|c| view! { <ConsultationCard c/> }).collect_view()}</ul>
                        </section>
                    }
                    .into_any(),
                    _ => ().into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let q = use_query_map();
    let action = ServerAction::<ConsultationsUnsubscribe>::new();
    let p = problem_of(action);
    let token = move || q.with(|q| q.get("token").unwrap_or_default());
    view! {
        <PageTitle k=K::consultations_unsubscribe_title/>
        <h1>{t(K::consultations_unsubscribe_title)}</h1>
        {move || q.with(|q| q.get("done").is_some()).then(|| view! { <Notice text=t(K::consultations_unsubscribed)/> })}
        <ErrorSummary problem=p/>
        <ActionForm action=action attr:class="form">
            <input type="hidden" name="token" value=token/>
            <button type="submit" class="button">{t(K::consultations_unsubscribe_confirm)}</button>
        </ActionForm>
    }
}
