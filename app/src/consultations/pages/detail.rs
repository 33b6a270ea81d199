//! A consultation: its facts, the Law 52 checks, the draft with the comment counts in the margin,
//! the files, the versions, the history of its dates and the public debate.
use super::dates::{DateHistory, ExtensionNotice};
use super::*;

/// The articles of the draft with the comment counts in the margin, one page at a time.
#[component]
fn Units(slug: String, units: Vec<UnitView>, general: i64, page: i64, total: i64) -> impl IntoView {
    let per = rules::UNITS_PER_PAGE;
    let pages = ((total + per - 1) / per).max(1);
    let page = page.clamp(1, pages);
    let first = (page - 1) * per + 1;
    let last = (page * per).min(total);
    let href = |p: i64| format!("/consultations/{slug}?p={p}#draft-h");
    let pager = crate::ui::pager::pager(t(K::consultations_draft_pages).to_string(), page, pages, href);
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
                {t(K::consultations_comment_whole)}
                " ("
                {general}
                ")"
            </a>
            " "
            <a href=format!(
                "/consultations/{slug}/comments?scope=all&sort=article",
            )>{t(K::consultations_all_comments)}</a>
        </p>
        <ol class="units">
            {units
                .into_iter()
                .map(|u| {
                    let href = format!("/consultations/{slug}/comments?scope={}", u.position);
                    match u.kind {
                        UnitKind::Chapter => {
                            view! {
                                <li class="unit-heading">
                                    <h2>{u.label} {(!u.title.is_empty()).then(|| format!(" – {}", u.title))}</h2>
                                </li>
                            }
                                .into_any()
                        }
                        UnitKind::Section => {
                            view! {
                                <li class="unit-heading">
                                    <h3>{u.label} {(!u.title.is_empty()).then(|| format!(" – {}", u.title))}</h3>
                                </li>
                            }
                                .into_any()
                        }
                        kind => {
                            let heading = if kind == UnitKind::Preamble {
                                t(K::consultations_preamble).to_string()
                            } else if u.title.is_empty() {
                                u.label.clone()
                            } else {
                                format!("{} – {}", u.label, u.title)
                            };
                            let count = tn(K::consultations_comment_count, u.comments);
                            let link_more = format!(" — {} {}", t(K::consultations_comment_on), heading);
                            view! {
                                <li class="unit" id=format!("u-{}", u.position)>
                                    <div class="unit-main">
                                        <h3 class="unit-title">{heading.clone()}</h3>
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
                                    <p class="unit-margin">
                                        <a href=href>{count}<span class="visually-hidden">{link_more}</span></a>
                                    </p>
                                </li>
                            }
                                .into_any()
                        }
                    }
                })
                .collect_view()}
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
        {move || {
            q.with(|q| q.get("version").is_some()).then(|| view! { <Notice text=t(K::consultations_version_added) /> })
        }}
        {move || {
            q.with(|q| q.get("debate").is_some())
                .then(|| view! { <Notice text=t(K::consultations_debate_requested) /> })
        }}
        {move || {
            q.with(|q| q.get("registered").is_some())
                .then(|| view! { <Notice text=t(K::consultations_debate_registered) /> })
        }}
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => {
                        view! {
                            <PageTitle k=K::consultations_title />
                            <h1>{t(K::notfound_title)}</h1>
                            <p role="alert">{e.0.message(lang)}</p>
                        }
                            .into_any()
                    }
                    Ok(pg) => {
                        let d = pg.detail.clone();
                        let c = d.card.clone();
                        let title = format!("{} · {}", c.title, t(K::site_name));
                        let owner_href = if c.owner_kind == "org" {
                            format!("/organisations/{}", c.owner_slug)
                        } else {
                            format!("/authorities/{}", c.owner_slug)
                        };
                        let topics = c.topics.iter().map(|x| t(topic_label(x))).collect::<Vec<_>>().join(", ");
                        let slug = c.slug.clone();
                        let report_ready = d.report_published_at.is_some();
                        let v = pg.viewer.clone();
                        let debate = pg.debate.clone();
                        let can_request = v.signed_in && !v.orgs.is_empty()
                            && matches!(c.phase, Phase::Open | Phase::Upcoming);
                        let debate_p = problem_of(debate_req);
                        let attachments: Vec<files::FileInfo> = pg
                            .files
                            .iter()
                            .filter(|f| f.kind == files::FileKind::Attachment)
                            .cloned()
                            .collect();
                        let minutes: Vec<files::FileInfo> = pg
                            .files
                            .iter()
                            .filter(|f| f.kind == files::FileKind::Minutes)
                            .cloned()
                            .collect();
                        view! {
                            <crate::ui::DataTitle text=title />
                            <h1>{c.title.clone()}</h1>
                            <p>
                                <span class=phase_class(c.phase)>{t(c.phase.label())}</span>
                                {c
                                    .is_demo
                                    .then(|| {
                                        view! {
                                            " "
                                            <span class="tag">{t(K::demo_badge)}</span>
                                        }
                                    })}
                            </p>
                            <LawBadges checks=pg.checks.clone() />
                            <ExtensionNotice changes=pg.date_changes.clone() />
                            <dl class="facts">
                                <dt>{t(K::consultations_owner)}</dt>
                                <dd>
                                    <a href=owner_href>{c.owner_name.clone()}</a>
                                </dd>
                                <dt>{t(K::consultations_window)}</dt>
                                <dd>
                                    <time datetime=crate::fmt::iso_utc(
                                        c.opens_at,
                                    )>{crate::fmt::date_time(lang, c.opens_at)}</time>
                                    " – "
                                    <time datetime=crate::fmt::iso_utc(
                                        c.closes_at,
                                    )>{crate::fmt::date_time(lang, c.closes_at)}</time>
                                </dd>
                                {d
                                    .adoption_at
                                    .map(|a| {
                                        view! {
                                            <dt>{t(K::consultations_adoption)}</dt>
                                            <dd>{crate::fmt::date(lang, a)}</dd>
                                        }
                                    })}
                                {crate::consultations::rules::initiator::initiator_label(&d.initiator)
                                    .map(|k| {
                                        view! {
                                            <dt>{t(K::consultations_initiator)}</dt>
                                            <dd>{t(k)}</dd>
                                        }
                                    })}
                                <dt>{t(K::consultations_topic)}</dt>
                                <dd>{topics}</dd>
                                <dt>{t(K::orgs_place)}</dt>
                                <dd>{c.locality.clone()} ", " {c.county.clone()}</dd>
                                {if !d.officer_contact.is_empty() {
                                    Some(
                                        view! {
                                            <dt>{t(K::consultations_officer)}</dt>
                                            <dd>{d.officer_contact.clone()}</dd>
                                        }
                                            .into_any(),
                                    )
                                } else {
                                    (!d.authority_officer.is_empty())
                                        .then(|| {
                                            // None of its own: the owning authority's officer, when known.
                                            view! {
                                                <dt>{t(K::consultations_officer)}</dt>
                                                <dd>
                                                    <crate::orgs::officer::pages::OfficerLine officer=d
                                                        .authority_officer
                                                        .clone() />
                                                </dd>
                                            }
                                                .into_any()
                                        })
                                }}
                                {(!d.urgency_reason.is_empty())
                                    .then(|| {
                                        view! {
                                            <dt>{t(K::consultations_urgency)}</dt>
                                            <dd>{d.urgency_reason.clone()}</dd>
                                        }
                                    })}
                                <dt>{t(K::consultations_version)}</dt>
                                <dd>{d.current_version}</dd>
                            </dl>
                            <p class="lead pre-line">{d.card.summary.clone()}</p>
                            <p class="actions">
                                {v
                                    .organiser
                                    .then(|| {
                                        view! {
                                            <a class="button" href=format!("/consultations/{slug}/manage")>
                                                {t(K::consultations_manage)}
                                            </a>
                                            " "
                                        }
                                    })}
                                {report_ready
                                    .then(|| {
                                        view! {
                                            <a class="button" href=format!("/consultations/{slug}/report")>
                                                {t(K::consultations_report_title)}
                                            </a>
                                            " "
                                        }
                                    })} <a href=format!("/consultations/{slug}/log")>{t(K::consultations_log_title)}</a>
                            </p>
                            {v
                                .signed_in
                                .then(|| {
                                    view! {
                                        <ActionForm action=follow attr:class="inline-form">
                                            <input type="hidden" name="id" value=c.id />
                                            <button
                                                type="submit"
                                                class="button secondary"
                                                aria-pressed=if v.following { "true" } else { "false" }
                                            >
                                                {if v.following {
                                                    t(K::consultations_unfollow)
                                                } else {
                                                    t(K::consultations_follow)
                                                }}
                                            </button>
                                        </ActionForm>
                                    }
                                })}
                            {(!d.explanatory_note.is_empty())
                                .then(|| {
                                    view! {
                                        <details class="note">
                                            <summary>{t(K::consultations_explanatory_note)}</summary>
                                            <p class="pre-line">{d.explanatory_note.clone()}</p>
                                        </details>
                                    }
                                })}
                            <section aria-labelledby="files-h" id="files">
                                <h2 id="files-h">{t(K::consultations_attachments)}</h2>
                                {if attachments.is_empty() {
                                    view! { <p class="muted">{t(K::consultations_attachments_none)}</p> }.into_any()
                                } else {
                                    view! { <FileList slug=slug.clone() files=attachments.clone() /> }.into_any()
                                }}
                            </section>
                            <section aria-labelledby="draft-h">
                                <h2 id="draft-h">{t(K::consultations_draft)}</h2>
                                <Units
                                    slug=slug.clone()
                                    units=pg.units.clone()
                                    general=pg.general_comments
                                    page=pg.unit_page
                                    total=pg.units_total
                                />
                            </section>
                            {(pg.versions.len() > 1)
                                .then(|| {
                                    view! {
                                        <section aria-labelledby="versions-h">
                                            <h2 id="versions-h">{t(K::consultations_versions)}</h2>
                                            <ul>
                                                {pg
                                                    .versions
                                                    .iter()
                                                    .map(|ver| {
                                                        view! {
                                                            <li>
                                                                {fill(
                                                                    t(K::consultations_version_n),
                                                                    &[("n", &ver.number.to_string())],
                                                                )} " · " {crate::fmt::date(lang, ver.created_at)}
                                                                {(!ver.changelog.is_empty())
                                                                    .then(|| format!(": {}", ver.changelog))}
                                                            </li>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </ul>
                                        </section>
                                    }
                                })}
                            <DateHistory changes=pg.date_changes.clone() />
                            <section aria-labelledby="debate-h" id="debate">
                                <h2 id="debate-h">{t(K::consultations_debate)}</h2>
                                {debate
                                    .starts_at
                                    .map(|s| {
                                        view! {
                                            <p>
                                                {t(K::consultations_debate_when)} ": " {crate::fmt::date_time(lang, s)}
                                                " · " {debate.place.clone()} " "
                                                {(!debate.online_url.is_empty())
                                                    .then(|| {
                                                        view! {
                                                            <a href=debate.online_url.clone() rel="nofollow noopener">
                                                                {debate.online_url.clone()}
                                                            </a>
                                                        }
                                                    })}
                                            </p>
                                            <p>{tn(K::consultations_debate_registered_n, debate.registered)}</p>
                                        }
                                    })}
                                {(debate.starts_at.is_some_and(|s| s > pg.now) && v.signed_in && !debate.me_registered)
                                    .then(|| {
                                        view! {
                                            <ActionForm action=register attr:class="inline-form">
                                                <input type="hidden" name="id" value=c.id />
                                                <button type="submit" class="button secondary">
                                                    {t(K::consultations_debate_register)}
                                                </button>
                                            </ActionForm>
                                        }
                                    })}
                                {(!debate.minutes.is_empty() || !minutes.is_empty())
                                    .then(|| {
                                        view! {
                                            <h3>{t(K::consultations_debate_minutes)}</h3>
                                            {(!minutes.is_empty())
                                                .then(|| {
                                                    view! { <FileList slug=slug.clone() files=minutes.clone() /> }
                                                })}
                                            {(!debate.minutes.is_empty())
                                                .then(|| view! { <p class="pre-line">{debate.minutes.clone()}</p> })}
                                        }
                                    })}
                                {(!debate.requests.is_empty())
                                    .then(|| {
                                        view! {
                                            <p>
                                                {t(K::consultations_debate_requests)} ": "
                                                {debate
                                                    .requests
                                                    .iter()
                                                    .map(|(o, _)| o.clone())
                                                    .collect::<Vec<_>>()
                                                    .join(", ")}
                                            </p>
                                        }
                                    })}
                                {debate
                                    .starts_at
                                    .is_none()
                                    .then(|| view! { <p class="muted">{t(K::consultations_debate_none)}</p> })}
                                {can_request
                                    .then(|| {
                                        view! {
                                            <ActionForm action=debate_req attr:class="form">
                                                <ErrorSummary problem=debate_p />
                                                <input type="hidden" name="id" value=c.id />
                                                <div class="field">
                                                    <label for="f-debate-org">{t(K::consultations_on_behalf)}</label>
                                                    <select id="f-debate-org" name="org_id">
                                                        {v
                                                            .orgs
                                                            .iter()
                                                            .map(|(id, name)| {
                                                                view! { <option value=*id>{name.clone()}</option> }
                                                            })
                                                            .collect_view()}
                                                    </select>
                                                </div>
                                                <div class="field">
                                                    <label for="f-debate-reason">
                                                        {t(K::consultations_debate_reason)}
                                                    </label>
                                                    <textarea id="f-debate-reason" name="reason" rows="3"></textarea>
                                                </div>
                                                <button type="submit" class="button secondary">
                                                    {t(K::consultations_debate_request)}
                                                </button>
                                            </ActionForm>
                                        }
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
