//! A campaign's public page (progress, story, updates, donor wall, ledger, share links), and the
//! organisation page's section listing its campaigns.
use super::super::{get_campaign, org_campaign_cards, rules, LedgerRow};
use super::{campaign_status_label, CampaignCardView, TestModeBanner};
use crate::i18n::{fill, t, use_lang, Lang, K};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

fn enc(s: &str) -> String {
    crate::text::encode_query(s).replace('+', "%20")
}

/// Raised, goal, percentage, donors and days left; the bar is a native `<progress>` (an ARIA
/// progressbar) labelled by the sentence that says the same in words.
#[component]
pub fn ProgressBar(raised: i64, goal: Option<i64>, donors: i64, days_left: Option<i64>) -> impl IntoView {
    let lang = use_lang();
    let progress = rules::progress(raised, goal);
    let sentence = match (goal, progress) {
        (Some(g), Some((pct, _))) => fill(
            t(K::donations_progress_text),
            &[
                ("raised", &crate::fmt::lei(lang, raised)),
                ("goal", &crate::fmt::lei(lang, g)),
                ("pct", &pct.to_string()),
            ],
        ),
        _ => fill(t(K::donations_raised_text), &[("raised", &crate::fmt::lei(lang, raised))]),
    };
    let donors_text = fill(lang.t(rules::donors_key(lang, donors)), &[("n", &crate::fmt::number(lang, donors))]);
    let days = days_left.map(|d| fill(lang.t(rules::days_left_key(lang, d)), &[("n", &d.to_string())]));
    view! {
        <div class="campaign-progress">
            <p id="progress-label" class="progress-text">
                {sentence.clone()}
            </p>
            {progress
                .map(|(_, bar)| {
                    view! {
                        <progress
                            id="campaign-progress"
                            max="100"
                            value=bar
                            aria-labelledby="progress-label"
                            aria-valuetext=sentence.clone()
                        >
                            {format!("{bar}%")}
                        </progress>
                    }
                })}
            <p class="progress-facts">
                <span class="donors">{donors_text}</span>
                {days
                    .map(|d| {
                        view! {
                            " · "
                            <span>{d}</span>
                        }
                    })}
            </p>
        </div>
    }
}

#[component]
fn ShareLinks(url: String, title: String) -> impl IntoView {
    let u = enc(&url);
    let text = enc(&title);
    view! {
        <nav class="share" aria-label=t(K::donations_share)>
            <h2 class="h-small">{t(K::donations_share)}</h2>
            <ul class="inline-list">
                <li>
                    <a href=format!("https://www.facebook.com/sharer/sharer.php?u={u}") rel="noopener noreferrer">
                        "Facebook"
                    </a>
                </li>
                <li>
                    <a href=format!("https://wa.me/?text={text}%20{u}") rel="noopener noreferrer">
                        "WhatsApp"
                    </a>
                </li>
                <li>
                    <a href=format!("https://x.com/intent/post?url={u}&text={text}") rel="noopener noreferrer">
                        "X"
                    </a>
                </li>
                <li>
                    <a href=format!("mailto:?subject={text}&body={u}")>{t(K::donations_share_email)}</a>
                </li>
            </ul>
        </nav>
    }
}

#[component]
fn Ledger(rows: Vec<LedgerRow>, lang: Lang) -> impl IntoView {
    view! {
        <section aria-labelledby="ledger-h">
            <h2 id="ledger-h">{t(K::donations_ledger)}</h2>
            <p class="muted">{t(K::donations_ledger_intro)}</p>
            {if rows.is_empty() {
                view! { <p>{t(K::donations_ledger_empty)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="data ledger">
                            <caption class="visually-hidden">{t(K::donations_ledger)}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{t(K::donations_date)}</th>
                                    <th scope="col">{t(K::donations_donor)}</th>
                                    <th scope="col" class="num">
                                        {t(K::donations_amount)}
                                    </th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows
                                    .into_iter()
                                    .map(|r| {
                                        let who = r
                                            .name
                                            .clone()
                                            .unwrap_or_else(|| t(K::donations_anonymous).to_string());
                                        let note = if r.entry == "refund" {
                                            Some(t(K::donations_refund_entry))
                                        } else if r.monthly {
                                            Some(t(K::donations_monthly))
                                        } else {
                                            None
                                        };
                                        view! {
                                            <tr>
                                                <td>
                                                    <time datetime=crate::fmt::iso_utc(
                                                        r.at,
                                                    )>{crate::fmt::date(lang, r.at)}</time>
                                                </td>
                                                <td>
                                                    {who}
                                                    {note
                                                        .map(|n| view! { <span class="muted small">" · " {n}</span> })}
                                                </td>
                                                <td class="num">{crate::fmt::lei(lang, r.amount_bani)}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
pub fn CampaignView() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.with(|p| p.get("slug").unwrap_or_default());
    let page = Resource::new(slug, get_campaign);
    let lang = use_lang();
    view! {
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(e) => {
                        view! {
                            <h1>{t(K::notfound_title)}</h1>
                            <p role="alert">{e.0.message(lang)}</p>
                        }
                            .into_any()
                    }
                    Ok(p) => {
                        let c = p.card.clone();
                        let title = format!("{} · {}", c.title, t(K::site_name));
                        let donate = format!("/campaigns/{}/donate", c.slug);
                        let edit = format!("/campaigns/{}/edit", c.slug);
                        let org_href = format!("/organisations/{}", c.org_slug);
                        let image = (!c.cover_url.is_empty())
                            .then(|| {
                                format!("{}{}", p.share_url.split("/campaigns/").next().unwrap_or(""), c.cover_url)
                            });
                        view! {
                            <crate::ui::DataTitle text=title />
                            <leptos_meta::Meta property="og:type" content="website" />
                            <leptos_meta::Meta property="og:title" content=c.title.clone() />
                            <leptos_meta::Meta property="og:description" content=c.summary.clone() />
                            <leptos_meta::Meta property="og:url" content=p.share_url.clone() />
                            {image.map(|i| view! { <leptos_meta::Meta property="og:image" content=i /> })}
                            <leptos_meta::Meta name="description" content=c.summary.clone() />
                            {p.test_mode.then(|| view! { <TestModeBanner /> })}
                            <article class="campaign">
                                <h1>{c.title.clone()}</h1>
                                <p class="muted">
                                    <a href=org_href>{c.org_name.clone()}</a>
                                    " · "
                                    {t(campaign_status_label(&c.status))}
                                </p>
                                {(!c.cover_url.is_empty())
                                    .then(|| {
                                        view! { <img class="cover" src=c.cover_url.clone() alt=c.cover_alt.clone() /> }
                                    })}
                                <p class="lead">{c.summary.clone()}</p>
                                <ProgressBar
                                    raised=c.raised_bani
                                    goal=c.goal_bani
                                    donors=c.donors
                                    days_left=p.days_left
                                />
                                {if p.accepts {
                                    view! {
                                        <p>
                                            <a class="button big" href=donate>
                                                {t(K::donations_donate_now)}
                                            </a>
                                        </p>
                                    }
                                        .into_any()
                                } else {
                                    let why = if p.payments_off {
                                        K::donations_payments_off
                                    } else {
                                        K::donations_err_closed
                                    };
                                    view! { <p class="notice">{t(why)}</p> }.into_any()
                                }}
                                {p
                                    .can_manage
                                    .then(|| {
                                        view! {
                                            <p>
                                                <a href=edit>{t(K::donations_edit_campaign)}</a>
                                            </p>
                                        }
                                    })}
                                <div class="prose" inner_html=p.story_html.clone()></div>
                                {(!p.updates.is_empty())
                                    .then(|| {
                                        view! {
                                            <section aria-labelledby="updates-h">
                                                <h2 id="updates-h">{t(K::donations_updates)}</h2>
                                                {p
                                                    .updates
                                                    .iter()
                                                    .map(|(at, html)| {
                                                        view! {
                                                            <article class="update">
                                                                <p class="muted small">
                                                                    <time datetime=crate::fmt::iso_utc(
                                                                        *at,
                                                                    )>{crate::fmt::date(lang, *at)}</time>
                                                                </p>
                                                                <div class="prose" inner_html=html.clone()></div>
                                                            </article>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </section>
                                        }
                                    })}
                                <section aria-labelledby="wall-h">
                                    <h2 id="wall-h">{t(K::donations_wall)}</h2>
                                    {if p.wall.is_empty() {
                                        view! { <p>{t(K::donations_wall_empty)}</p> }.into_any()
                                    } else {
                                        view! {
                                            <ul class="wall">
                                                {p
                                                    .wall
                                                    .iter()
                                                    .map(|w| {
                                                        view! {
                                                            <li>
                                                                <strong>{w.name.clone()}</strong>
                                                                {(!w.message.is_empty())
                                                                    .then(|| view! { <q>{w.message.clone()}</q> })}
                                                            </li>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </ul>
                                        }
                                            .into_any()
                                    }}
                                </section>
                                <Ledger rows=p.ledger.clone() lang />
                                <ShareLinks url=p.share_url.clone() title=c.title.clone() />
                            </article>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The organisation page's section: its campaigns, and for its managers a way to start one.
#[component]
pub fn OrgCampaigns(org_id: i64, org_slug: String) -> impl IntoView {
    let list = Resource::new(move || org_id, org_campaign_cards);
    view! {
        <Transition fallback=|| ()>
            {move || {
                let org_slug = org_slug.clone();
                Suspend::new(async move {
                    match list.await {
                        Ok((manage, cards)) if manage || !cards.is_empty() => {
                            view! {
                                <section aria-labelledby="org-campaigns-h">
                                    <h2 id="org-campaigns-h">{t(K::donations_campaigns_title)}</h2>
                                    <ul class="cards">
                                        {cards.into_iter().map(|c| view! { <CampaignCardView c /> }).collect_view()}
                                    </ul>
                                    {manage
                                        .then(|| {
                                            let new = format!("/campaigns/new?org={org_id}");
                                            let dash = format!("/organisations/{org_slug}/donations");
                                            view! {
                                                <p class="actions">
                                                    <a class="button" href=new>
                                                        {t(K::donations_new_campaign)}
                                                    </a>
                                                    " "
                                                    <a href=dash>{t(K::donations_dashboard_title)}</a>
                                                </p>
                                            }
                                        })}
                                </section>
                            }
                                .into_any()
                        }
                        _ => ().into_any(),
                    }
                })
            }}
        </Transition>
    }
}
