//! `/map/places/:id`: a place's rating and why, its audit, photos and reports; and the reports
//! section of an organisation's page.
use super::*;

fn tri_text(v: Option<bool>) -> K {
    match v {
        Some(true) => K::map_yes,
        Some(false) => K::map_no,
        None => K::map_unknown,
    }
}

#[component]
fn AuditTable(audit: Audit) -> impl IntoView {
    let rows = TRI_FIELDS
        .iter()
        .map(|(f, label)| (t(*label).to_string(), t(tri_text(audit.tri(f))).to_string()))
        .chain(NUM_FIELDS.iter().map(|(f, label, _)| {
            (
                t(*label).to_string(),
                audit.num(f).map(|n| n.to_string()).unwrap_or_else(|| t(K::map_unknown).to_string()),
            )
        }))
        .collect::<Vec<_>>();
    view! {
        <table class="audit-table">
            <caption>{t(K::map_audit_table)}</caption>
            <thead>
                <tr>
                    <th scope="col">{t(K::map_feature)}</th>
                    <th scope="col">{t(K::map_value)}</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|(k, v)| {
                        view! {
                            <tr>
                                <th scope="row">{k}</th>
                                <td>{v}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        {[
            (K::map_notes_wheelchair, audit.notes_wheelchair.clone()),
            (K::map_notes_blind, audit.notes_blind.clone()),
            (K::map_notes_deaf, audit.notes_deaf.clone()),
        ]
            .into_iter()
            .filter(|(_, n)| !n.is_empty())
            .map(|(k, n)| {
                view! {
                    <p>
                        <strong>{t(k)} ": "</strong>
                        {n}
                    </p>
                }
            })
            .collect_view()}
    }
}

#[component]
pub fn PlacePage() -> impl IntoView {
    let id = place_id_param();
    let place = Resource::new(id, get_place);
    let q = use_query_map();
    let lang = use_lang();
    view! {
        {move || q.with(|q| q.get("audit").is_some()).then(|| view! { <Notice text=t(K::map_audit_saved) /> })}
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                match place.await {
                    Err(e) => {
                        view! {
                            <h1>{t(K::notfound_title)}</h1>
                            <p role="alert">{e.0.message(lang)}</p>
                        }
                            .into_any()
                    }
                    Ok(p) => {
                        let title = format!("{} · {}", p.row.name, t(K::site_name));
                        let id = p.row.id;
                        let share = format!("{}/map/places/{id}", public_base());
                        let verified = p.row.verified_day.map(|d| day_text(lang, d));
                        let (open, closed): (Vec<_>, Vec<_>) = p
                            .reports
                            .iter()
                            .cloned()
                            .partition(|r| r.state.is_open());
                        let place_line = [p.row.address.clone(), p.row.locality.clone(), p.county.clone()]
                            .into_iter()
                            .filter(|s| !s.is_empty())
                            .collect::<Vec<_>>()
                            .join(", ");
                        view! {
                            <crate::ui::DataTitle text=title />
                            <h1>{p.row.name.clone()}</h1>
                            <p class="muted">{t(category_label(&p.row.category))} " · " {place_line}</p>
                            <p class="lead">
                                <RatingTag rating=p.row.rating />
                                " "
                                <BadgeList badges=p.row.badges />
                            </p>
                            {(p.row.overdue_reports > 0)
                                .then(|| {
                                    view! {
                                        <p class="tag overdue">
                                            <crate::ui::icons::Icon name=crate::ui::icons::IconName::Clock />
                                            " "
                                            {t(K::map_overdue_place)}
                                        </p>
                                    }
                                })}
                            <section aria-labelledby="why-h">
                                <h2 id="why-h">{t(K::map_why)}</h2>
                                <ul>
                                    {p
                                        .reasons
                                        .iter()
                                        .map(|r| {
                                            let text = fill(
                                                t(r.key),
                                                &[("n", &r.n.map(|n| n.to_string()).unwrap_or_default())],
                                            );
                                            view! { <li>{text}</li> }
                                        })
                                        .collect_view()}
                                </ul>
                                <dl class="facts">
                                    <dt>{t(K::map_confidence)}</dt>
                                    <dd>{t(p.row.confidence.label())}</dd>
                                    <dt>{t(K::map_verified_on)}</dt>
                                    <dd>{verified.unwrap_or_else(|| t(K::map_never).to_string())}</dd>
                                    {p
                                        .authority
                                        .clone()
                                        .map(|(slug, name)| {
                                            view! {
                                                <dt>{t(K::map_authority)}</dt>
                                                <dd>
                                                    <a href=format!("/authorities/{slug}")>{name}</a>
                                                </dd>
                                            }
                                        })}
                                    {p
                                        .org
                                        .clone()
                                        .map(|(slug, name)| {
                                            view! {
                                                <dt>{t(K::map_campaign)}</dt>
                                                <dd>
                                                    <a href=format!("/organisations/{slug}")>{name}</a>
                                                </dd>
                                            }
                                        })}
                                    {(!p.contact.is_empty())
                                        .then(|| {
                                            view! {
                                                <dt>{t(K::orgs_contact)}</dt>
                                                <dd>{p.contact.clone()}</dd>
                                            }
                                        })}
                                </dl>
                            </section>
                            <p class="actions">
                                <a class="button" href=format!("/map/places/{id}/report")>
                                    {t(K::map_report_problem)}
                                </a>
                                " "
                                <a class="button secondary" href=format!("/map/places/{id}/audit")>
                                    {t(K::map_add_audit)}
                                </a>
                                " "
                                <a href=format!("/map/places/{id}/poster")>{t(K::map_poster)}</a>
                                " · "
                                <a href=format!(
                                    "/map?at={:.5},{:.5}#map",
                                    p.row.lat,
                                    p.row.lon,
                                )>{t(K::map_show_on_map)}</a>
                            </p>
                            <div class="field">
                                <label for="share">{t(K::map_share)}</label>
                                <input id="share" type="text" readonly=true value=share />
                            </div>
                            <section aria-labelledby="audit-h">
                                <h2 id="audit-h">{t(K::map_audit)}</h2>
                                <AuditTable audit=p.audit.clone() />
                                {(!p.audits.is_empty())
                                    .then(|| {
                                        view! {
                                            <p class="muted">
                                                {t(K::map_audit_history)} ": "
                                                {p
                                                    .audits
                                                    .iter()
                                                    .map(|a| {
                                                        format!(
                                                            "{}{}{}",
                                                            day_text(lang, a.checked_day),
                                                            if a.verified {
                                                                format!(" ({})", t(K::map_verified))
                                                            } else {
                                                                String::new()
                                                            },
                                                            a
                                                                .by
                                                                .display_name_or_deleted(lang)
                                                                .map(|who| format!(" — {who}"))
                                                                .unwrap_or_default(),
                                                        )
                                                    })
                                                    .collect::<Vec<_>>()
                                                    .join("; ")}
                                            </p>
                                        }
                                    })}
                            </section>
                            {(!p.photos.is_empty())
                                .then(|| {
                                    view! {
                                        <section aria-labelledby="photos-h">
                                            <h2 id="photos-h">{t(K::map_photos)}</h2>
                                            <PhotoGrid photos=p.photos.clone() />
                                        </section>
                                    }
                                })}
                            <section aria-labelledby="open-h">
                                <h2 id="open-h">{t(K::map_reports_open)}</h2>
                                <ReportList reports=open />
                            </section>
                            <section aria-labelledby="closed-h">
                                <h2 id="closed-h">{t(K::map_reports_closed)}</h2>
                                <ReportList reports=closed />
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
pub fn ReportList(reports: Vec<ReportView>) -> impl IntoView {
    let lang = use_lang();
    if reports.is_empty() {
        return view! { <p class="muted">{t(K::map_no_reports)}</p> }.into_any();
    }
    view! {
        <ul class="cards report-list">
            {reports
                .into_iter()
                .map(|r| {
                    let last = r.timeline.last().map(|e| e.comment.clone()).unwrap_or_default();
                    view! {
                        <li class="card">
                            <h3 class="card-title">
                                <a href=format!(
                                    "/map/reports/{}",
                                    r.id,
                                )>{t(problem_label(&r.problem))} " — " {r.place_name.clone()}</a>
                            </h3>
                            <p>
                                <span class=format!("state state-{}", r.state.code())>{t(r.state.label())}</span>
                                {r
                                    .overdue
                                    .then(|| {
                                        view! {
                                            " "
                                            <span class="tag overdue">
                                                <crate::ui::icons::Icon name=crate::ui::icons::IconName::Clock />
                                                " "
                                                {t(K::map_overdue)}
                                            </span>
                                        }
                                    })}
                                " · "
                                {crate::fmt::date(lang, r.created_at)}
                            </p>
                            <p>{r.description.clone()}</p>
                            {(!last.is_empty()).then(|| view! { <p class="muted">{last}</p> })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// The organisation page shows the reports on its places.
#[component]
pub fn OrgMapReports(org_id: i64) -> impl IntoView {
    let list = Resource::new(move || org_id, org_reports);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(r) if !r.is_empty() => {
                        view! {
                            <section aria-labelledby="org-map-h">
                                <h2 id="org-map-h">{t(K::map_org_reports)}</h2>
                                <ReportList reports=r />
                                <p>
                                    <a href="/map/petition">{t(K::map_petition_title)}</a>
                                </p>
                            </section>
                        }
                            .into_any()
                    }
                    _ => ().into_any(),
                }
            })}
        </Transition>
    }
}
