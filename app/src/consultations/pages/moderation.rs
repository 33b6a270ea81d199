//! Moderation: the queue (reported, waiting for approval, hidden) and the public log per consultation.
use super::*;
use crate::consultations::rules::{report_reason_label, thread_href, CommentStatus, REPORT_REASONS};

/// What a line of the public log says was done.
fn action_label(code: &str) -> K {
    match code {
        "hide" => K::consultations_log_hide,
        "restore" => K::consultations_log_restore,
        "approve" => K::consultations_log_approve,
        "auto_hide" => K::consultations_log_auto_hide,
        _ => K::consultations_log_dismiss,
    }
}

#[component]
pub fn QueuePage() -> impl IntoView {
    let q = use_query_map();
    let key = move || {
        q.with(|q| {
            (
                q.get("consultation").unwrap_or_default(),
                q.get("reason").unwrap_or_default(),
                q.get("state").unwrap_or_default(),
            )
        })
    };
    let data = Resource::new(key, |(c, r, s)| moderation_queue(c, r, s));
    let action = ServerAction::<ModerateComment>::new();
    let p = problem_of(action);
    let lang = use_lang();
    view! {
        <PageTitle k=K::consultations_queue_title />
        <h1>{t(K::consultations_queue_title)}</h1>
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(qd) => {
                        let next = format!(
                            "/consultations/moderation?state={}&reason={}&consultation={}",
                            qd.state,
                            qd.reason,
                            qd.consultation,
                        );
                        let tab = |state: &'static str, k: K, n: i64, everywhere: bool, current: &str| {
                            let href = format!("/consultations/moderation?state={state}");
                            let label = if everywhere { format!("{} ({n})", t(k)) } else { t(k).to_string() };
                            let cur = (current == state).then_some("page");
                            view! {
                                <li>
                                    <a href=href aria-current=cur>
                                        {label}
                                    </a>
                                </li>
                            }
                        };
                        view! {
                            <nav aria-label=t(K::consultations_queue_title) class="tabs">
                                <ul>
                                    {tab(
                                        "reported",
                                        K::consultations_queue_reported,
                                        qd.reported,
                                        qd.everywhere,
                                        &qd.state,
                                    )}
                                    {tab(
                                        "pending",
                                        K::consultations_queue_pending,
                                        qd.pending,
                                        qd.everywhere,
                                        &qd.state,
                                    )}
                                    {tab("hidden", K::consultations_queue_hidden, qd.hidden, qd.everywhere, &qd.state)}
                                </ul>
                            </nav>
                            <form method="get" action="/consultations/moderation" class="filters">
                                <input type="hidden" name="state" value=qd.state.clone() />
                                <div class="field">
                                    <label for="q-reason">{t(K::consultations_report_reason)}</label>
                                    <select id="q-reason" name="reason">
                                        <option value="">{t(K::orgs_any)}</option>
                                        {REPORT_REASONS
                                            .iter()
                                            .map(|r| {
                                                view! {
                                                    <option value=*r selected=qd.reason == *r>
                                                        {t(report_reason_label(r))}
                                                    </option>
                                                }
                                            })
                                            .collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="q-consultation">{t(K::consultations_queue_consultation)}</label>
                                    <input
                                        id="q-consultation"
                                        name="consultation"
                                        type="text"
                                        value=qd.consultation.clone()
                                    />
                                </div>
                                <button type="submit" class="button secondary">
                                    {t(K::search)}
                                </button>
                            </form>
                            <p role="status">{tn(K::consultations_queue_count, qd.items.len())}</p>
                            <ul class="queue">
                                {qd
                                    .items
                                    .into_iter()
                                    .map(|it| {
                                        let href = format!("{}#c-{}", thread_href(&it.slug, it.unit_position), it.id);
                                        let reason_id = format!("mod-reason-{}", it.id);
                                        let next = next.clone();
                                        let mine = move || {
                                            p
                                                .with(|p| {
                                                    p.as_ref()
                                                        .and_then(|p| p.kept())
                                                        .and_then(|f| f.value_of("form_key"))
                                                }) == Some(format!("mod-{}", it.id))
                                        };
                                        let err = move || {
                                            if mine() {
                                                p.with(|p| {
                                                    p.as_ref()
                                                        .map(|p| {
                                                            p.form()
                                                                .and_then(|f| f.error_for("reason", lang))
                                                                .unwrap_or_else(|| p.message(lang))
                                                        })
                                                })
                                            } else {
                                                None
                                            }
                                        };
                                        view! {
                                            <li class="card queue-item" id=format!("q-{}", it.id)>
                                                <p class="meta">
                                                    <a href=href>{it.reg_no.clone()}</a>
                                                    " · "
                                                    {it.title.clone()}
                                                    {it
                                                        .author
                                                        .display_name_or_deleted(lang)
                                                        .map(|n| format!(" · {n}"))}
                                                </p>
                                                <p class="report-text">{it.body.clone()}</p>
                                                {(it.reports > 0)
                                                    .then(|| {
                                                        view! {
                                                            <p class="small">
                                                                {tn(K::consultations_queue_reports, it.reports)} ": "
                                                                {t(report_reason_label(&it.reason))} " "
                                                                {it.details.clone()}
                                                            </p>
                                                        }
                                                    })}
                                                {(it.status == CommentStatus::Hidden)
                                                    .then(|| {
                                                        view! {
                                                            <p class="small">
                                                                {fill(
                                                                    t(K::consultations_hidden_by_moderator),
                                                                    &[("reason", &it.status_reason)],
                                                                )}
                                                            </p>
                                                        }
                                                    })}
                                                {move || {
                                                    err()
                                                        .map(|e| {
                                                            view! {
                                                                <p class="field-error" role="alert">
                                                                    {e}
                                                                </p>
                                                            }
                                                        })
                                                }}
                                                <ActionForm action=action attr:class="inline-form mod-form">
                                                    <input type="hidden" name="id" value=it.id />
                                                    <input type="hidden" name="next" value=next.clone() />
                                                    <label for=reason_id
                                                        .clone()>{t(K::consultations_public_reason)}</label>
                                                    <input id=reason_id type="text" name="reason" />
                                                    {(it.status != CommentStatus::Hidden)
                                                        .then(|| {
                                                            view! {
                                                                <button
                                                                    type="submit"
                                                                    name="action"
                                                                    value="hide"
                                                                    class="button danger"
                                                                >
                                                                    {t(K::consultations_hide)}
                                                                </button>
                                                            }
                                                        })}
                                                    {(it.status == CommentStatus::Hidden)
                                                        .then(|| {
                                                            view! {
                                                                <button
                                                                    type="submit"
                                                                    name="action"
                                                                    value="restore"
                                                                    class="button"
                                                                >
                                                                    {t(K::consultations_restore)}
                                                                </button>
                                                            }
                                                        })}
                                                    {(it.status == CommentStatus::Pending)
                                                        .then(|| {
                                                            view! {
                                                                <button
                                                                    type="submit"
                                                                    name="action"
                                                                    value="approve"
                                                                    class="button"
                                                                >
                                                                    {t(K::consultations_approve)}
                                                                </button>
                                                            }
                                                        })}
                                                    {(it.reports > 0 && it.status != CommentStatus::Pending)
                                                        .then(|| {
                                                            view! {
                                                                <button
                                                                    type="submit"
                                                                    name="action"
                                                                    value="dismiss"
                                                                    class="button secondary"
                                                                >
                                                                    {t(K::consultations_dismiss)}
                                                                </button>
                                                            }
                                                        })}
                                                </ActionForm>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
pub fn LogPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.with(|p| p.get("slug").unwrap_or_default());
    let data = Resource::new(slug, moderation_log);
    let lang = use_lang();
    view! {
        <PageTitle k=K::consultations_log_title />
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => {
                        view! {
                            <h1>{t(K::consultations_log_title)}</h1>
                            <p role="alert">{e.0.message(lang)}</p>
                        }
                            .into_any()
                    }
                    Ok(l) => {
                        let slug = l.card.slug.clone();
                        view! {
                            <p class="breadcrumb">
                                <a href=format!("/consultations/{slug}")>{l.card.title.clone()}</a>
                            </p>
                            <h1>{t(K::consultations_log_title)}</h1>
                            <p>{t(K::consultations_log_intro)}</p>
                            {l.entries.is_empty().then(|| view! { <p>{t(K::consultations_log_empty)}</p> })}
                            <ul class="log">
                                {l
                                    .entries
                                    .into_iter()
                                    .map(|e| {
                                        let href = thread_href(&slug, e.unit_position);
                                        view! {
                                            <li>
                                                <time datetime=crate::fmt::iso_utc(
                                                    e.created_at,
                                                )>{crate::fmt::date_time(lang, e.created_at)}</time>
                                                " · "
                                                <a href=href>{e.reg_no.clone()}</a>
                                                " · "
                                                {t(action_label(&e.action))}
                                                {(!e.reason.is_empty()).then(|| format!(": {}", e.reason))}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}
