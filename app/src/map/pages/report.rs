//! The report form (at a known place or at a new one, with the pin map and the draft keeper), and
//! `/map/reports/:id`: a report with its timeline and the next steps the person may take.
use super::widget::{PinHere, PinLabels, PinMap, ReportDraft};
use super::*;
use crate::ui::form::textarea_html;
use crate::ui::form::Honeypot;

fn error_message(code: &str) -> K {
    match code {
        "required" => K::err_required,
        "problem" => K::err_choose,
        "description" => K::map_err_description,
        "alt" => K::map_err_alt,
        "too_large" => K::map_err_photo_large,
        "not_image" => K::map_err_photo_type,
        "coords" => K::map_err_coords,
        "sign_in" => K::err_sign_in_required,
        "verify" => K::err_verify_first,
        "rate" => K::map_err_rate,
        "photo_required" => K::map_err_fixed_needs_photo,
        _ => K::err_internal,
    }
}

/// Photo slots: a file and its required alt text each.
#[component]
fn PhotoSlots(errors: Memo<Vec<(String, String)>>, count: usize) -> impl IntoView {
    let err =
        move |f: String| errors.with(|e| e.iter().find(|(x, _)| *x == f).map(|(_, c)| t(error_message(c)).to_string()));
    view! {
        <fieldset class="field photo-slots">
            <legend>{t(K::map_photos)}</legend>
            <p class="hint" id="photos-hint">
                {t(K::map_photos_hint)}
            </p>
            {(1..=count)
                .map(|i| {
                    let (pf, af) = (format!("photo_{i}"), format!("alt_{i}"));
                    let (pe, ae) = (err(pf.clone()), err(af.clone()));
                    let (p_bad, a_bad) = (pe.is_some(), ae.is_some());
                    let pid = format!("f-{pf}");
                    let aid = format!("f-{af}");
                    view! {
                        <div class="photo-slot">
                            <div class="field" class:has-error=p_bad>
                                <label for=pid.clone()>{fill(t(K::map_photo_n), &[("n", &i.to_string())])}</label>
                                {pe
                                    .clone()
                                    .map(|e| {
                                        view! {
                                            <p class="field-error" id=format!("{pid}-err")>
                                                {e}
                                            </p>
                                        }
                                    })}
                                <input
                                    id=pid.clone()
                                    name=pf
                                    type="file"
                                    accept="image/jpeg,image/png,image/webp,image/heic"
                                    aria-describedby=if pe.is_some() {
                                        format!("photos-hint {pid}-err")
                                    } else {
                                        "photos-hint".to_string()
                                    }
                                />
                            </div>
                            <div class="field" class:has-error=a_bad>
                                <label for=aid.clone()>{fill(t(K::map_alt_n), &[("n", &i.to_string())])}</label>
                                {ae
                                    .clone()
                                    .map(|e| {
                                        view! {
                                            <p class="field-error" id=format!("{aid}-err")>
                                                {e}
                                            </p>
                                        }
                                    })}
                                <input
                                    id=aid.clone()
                                    name=af
                                    type="text"
                                    maxlength="300"
                                    aria-describedby=ae.map(|_| format!("{aid}-err"))
                                />
                            </div>
                        </div>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

/// "Report a problem" at a known place (`/map/places/:id/report`) or at a new place (`/map/report`).
#[component]
pub fn ReportForm() -> impl IntoView {
    let params = use_params_map();
    let place_id = move || params.with(|p| p.get("id").and_then(|i| i.parse::<i64>().ok()));
    let me = use_me().0;
    let q = use_query_map();
    let errors = query_errors();
    let kept = move |k: &str| q.with(|q| q.get(k)).unwrap_or_default();
    let place = Resource::new(
        move || place_id().unwrap_or(0),
        |id| async move {
            if id == 0 {
                Ok(None)
            } else {
                get_place(id).await.map(Some)
            }
        },
    );
    let err =
        move |f: &str| errors.with(|e| e.iter().find(|(x, _)| x == f).map(|(_, c)| t(error_message(c)).to_string()));
    view! {
        <PageTitle k=K::map_report_title />
        <h1>{t(K::map_report_title)}</h1>
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                let signed_in = matches!(me.await, Ok(Some(_)));
                let place = place.await.ok().flatten();
                let next = match place_id() {
                    Some(id) => format!("/map/places/{id}/report"),
                    None => "/map/report".into(),
                };
                if !signed_in {
                    return view! {
                        <p>
                            <a class="button" href=format!("/account/login?next={next}")>
                                {t(K::map_sign_in_to_report)}
                            </a>
                        </p>
                    }
                        .into_any();
                }
                let problem_sel = kept("problem");
                let draft_key = format!("map-draft:{}", place_id().unwrap_or(0));
                let form_err = err("form");
                view! {
                    {place
                        .clone()
                        .map(|p| {
                            view! { <p class="lead">{p.row.name.clone()} " — " <RatingTag rating=p.row.rating /></p> }
                        })}
                    <div id="report-errors" tabindex="-1">
                        {(!errors.get().is_empty())
                            .then(|| {
                                view! {
                                    <div class="error-summary" role="alert">
                                        <p>{t(K::err_form)}</p>
                                    </div>
                                }
                            })}
                        {form_err
                            .map(|e| {
                                view! {
                                    <p class="field-error" role="alert">
                                        {e}
                                    </p>
                                }
                            })}
                    </div>
                    <form
                        id="report-form"
                        class="form"
                        method="post"
                        action="/map/reports"
                        enctype="multipart/form-data"
                        novalidate=true
                    >
                        {place.as_ref().map(|p| view! { <input type="hidden" name="place_id" value=p.row.id /> })}
                        {place.is_none().then(|| view! { <NewPlaceFields errors=errors /> })}
                        <div class="field" class:has-error=err("problem").is_some()>
                            <label for="f-problem">
                                {t(K::map_problem)} " " <span class="req">{t(K::form_required)}</span>
                            </label>
                            {err("problem")
                                .map(|e| {
                                    view! {
                                        <p class="field-error" id="f-problem-err">
                                            {e}
                                        </p>
                                    }
                                })}
                            <select id="f-problem" name="problem">
                                <option value="">{t(K::map_choose)}</option>
                                {PROBLEMS
                                    .iter()
                                    .map(|p| {
                                        let sel = *p == problem_sel;
                                        view! {
                                            <option value=*p selected=sel>
                                                {t(problem_label(p))}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                        </div>
                        <div class="field" class:has-error=err("description").is_some()>
                            <label for="f-description">
                                {t(K::map_description)} " " <span class="req">{t(K::form_required)}</span>
                            </label>
                            <p class="hint" id="f-description-hint">
                                {t(K::map_description_hint)}
                            </p>
                            {err("description")
                                .map(|e| {
                                    view! {
                                        <p class="field-error" id="f-description-err">
                                            {e}
                                        </p>
                                    }
                                })}
                            <textarea
                                id="f-description"
                                name="description"
                                rows="5"
                                aria-describedby="f-description-hint"
                                inner_html=textarea_html(kept("description"))
                            ></textarea>
                        </div>
                        <PhotoSlots errors=errors count=5 />
                        <Honeypot />
                        <button type="submit" class="button">
                            {t(K::map_send_report)}
                        </button>
                    </form>
                    <ReportDraft form_id="report-form".to_string() draft_key=draft_key />
                }
                    .into_any()
            })}
        </Transition>
    }
}

#[component]
fn NewPlaceFields(errors: Memo<Vec<(String, String)>>) -> impl IntoView {
    let err =
        move |f: &str| errors.with(|e| e.iter().find(|(x, _)| x == f).map(|(_, c)| t(error_message(c)).to_string()));
    let cats = CATEGORIES.iter().map(|c| (c.to_string(), t(category_label(c)).to_string())).collect::<Vec<_>>();
    let (tiles, attribution, (clat, clon, czoom)) = tile_config();
    let labels = PinLabels {
        region: t(K::map_pin_map).to_string(),
        hint: t(K::map_pin_map_hint).to_string(),
        set: t(K::map_pin_set).to_string(),
        centre: t(K::map_pin_centre).to_string(),
        zoom_in: t(K::map_zoom_in).to_string(),
        zoom_out: t(K::map_zoom_out).to_string(),
        leaflet: t(K::map_leaflet_title).to_string(),
    };
    view! {
        <leptos_meta::Link rel="stylesheet" href=leaflet_href("leaflet.css") />
        <fieldset class="field">
            <legend>{t(K::map_new_place)}</legend>
            <p class="hint">{t(K::map_new_place_hint)}</p>
            <div class="field" class:has-error=err("name").is_some()>
                <label for="f-name">{t(K::map_place_name)}</label>
                {err("name").map(|e| view! { <p class="field-error">{e}</p> })}
                <input id="f-name" name="name" type="text" maxlength="150" />
            </div>
            <div class="field">
                <label for="f-category">{t(K::map_category)}</label>
                <select id="f-category" name="category">
                    {cats.into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}
                </select>
            </div>
            <div class="field" class:has-error=err("locality").is_some()>
                <label for="f-locality">{t(K::field_locality)}</label>
                {err("locality").map(|e| view! { <p class="field-error">{e}</p> })}
                <input id="f-locality" name="locality" type="text" value="Focșani" autocomplete="address-level2" />
            </div>
            <div class="field">
                <label for="f-address">{t(K::map_address)}</label>
                <input id="f-address" name="address" type="text" maxlength="200" autocomplete="street-address" />
            </div>
            <script src=leaflet_href("leaflet.js")></script>
            <PinMap tile_url=tiles attribution=attribution lat=clat lon=clon zoom=czoom labels=labels />
            <div class="field" class:has-error=err("lat").is_some()>
                <label for="f-lat">{t(K::map_lat)}</label>
                {err("lat").map(|e| view! { <p class="field-error">{e}</p> })}
                <input id="f-lat" name="lat" type="text" inputmode="decimal" />
            </div>
            <div class="field">
                <label for="f-lon">{t(K::map_lon)}</label>
                <input id="f-lon" name="lon" type="text" inputmode="decimal" />
            </div>
            <p class="near-row">
                <PinHere />
            </p>
        </fieldset>
    }
}

#[component]
pub fn ReportPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|i| i.parse().ok()).unwrap_or(0));
    let report = Resource::new(id, get_report);
    let act = ServerAction::<ActOnReport>::new();
    let p = problem_of(act);
    let q = use_query_map();
    let errors = query_errors();
    let lang = use_lang();
    view! {
        {move || q.with(|q| q.get("created").is_some()).then(|| view! { <Notice text=t(K::map_report_created) /> })}
        {move || q.with(|q| q.get("done").is_some()).then(|| view! { <Notice text=t(K::map_report_updated) /> })}
        {move || {
            q.with(|q| q.get("followup").and_then(|c| crate::map::rules::followup_notice(&c)))
                .map(|k| view! { <Notice text=t(k) /> })
        }}
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                match report.await {
                    Err(e) => {
                        view! {
                            <h1>{t(K::notfound_title)}</h1>
                            <p role="alert">{e.0.message(lang)}</p>
                        }
                            .into_any()
                    }
                    Ok(r) => {
                        let title = format!(
                            "{} — {} · {}",
                            t(problem_label(&r.problem)),
                            r.place_name,
                            t(K::site_name),
                        );
                        let rid = r.id;
                        let due = r.due_day.map(|d| day_text(lang, d));
                        let fixed_err = errors
                            .with(|e| {
                                e.iter()
                                    .find(|(f, _)| f == "photo_1" || f == "alt_1")
                                    .map(|(_, c)| t(error_message(c)).to_string())
                            });
                        view! {
                            <crate::ui::DataTitle text=title />
                            <h1>
                                {t(problem_label(&r.problem))} " — "
                                <a href=format!("/map/places/{}", r.place_id)>{r.place_name.clone()}</a>
                            </h1>
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
                            </p>
                            <p>{r.description.clone()}</p>
                            <dl class="facts">
                                {match r.reporter.display_name_or_deleted(lang) {
                                    Some(who) => {
                                        view! {
                                            <dt>{t(K::map_reported_by)}</dt>
                                            <dd>{who} ", " {crate::fmt::date(lang, r.created_at)}</dd>
                                        }
                                            .into_any()
                                    }
                                    None => {
                                        view! {
                                            <dt>{t(K::personal_reported_on)}</dt>
                                            <dd>{crate::fmt::date(lang, r.created_at)}</dd>
                                        }
                                            .into_any()
                                    }
                                }}
                                {(!r.registration_no.is_empty())
                                    .then(|| {
                                        view! {
                                            <dt>{t(K::map_registration_no)}</dt>
                                            <dd>
                                                {r.registration_no.clone()} " / "
                                                {r.registered_day.map(|d| day_text(lang, d)).unwrap_or_default()}
                                            </dd>
                                        }
                                    })}
                                {due
                                    .map(|d| {
                                        view! {
                                            <dt>{t(K::map_due)}</dt>
                                            <dd>{d} {r.extended.then(|| format!(" ({})", t(K::map_extended)))}</dd>
                                        }
                                    })}
                            </dl>
                            <PhotoGrid photos=r.photos.clone() />
                            <section aria-labelledby="timeline-h">
                                <h2 id="timeline-h">{t(K::map_timeline)}</h2>
                                <ol class="timeline">
                                    {r
                                        .timeline
                                        .iter()
                                        .map(|e| {
                                            let what = Action::parse(&e.action)
                                                .map(|a| t(a.label()))
                                                .unwrap_or(t(K::map_act_created));
                                            let role = match e.actor_role.as_str() {
                                                "official" => t(K::map_role_official),
                                                "org" => t(K::map_role_org),
                                                "moderator" => t(K::map_role_moderator),
                                                _ => t(K::map_role_resident),
                                            };
                                            view! {
                                                <li>
                                                    <p>
                                                        <strong>{what}</strong>
                                                        " → "
                                                        {t(e.to_state.label())}
                                                    </p>
                                                    <p class="muted">
                                                        {match e.actor.display_name_or_deleted(lang) {
                                                            Some(who) => format!("{who} ({role})"),
                                                            None => role.to_string(),
                                                        }} ", " {crate::fmt::date_time(lang, e.at)}
                                                    </p>
                                                    {(!e.comment.is_empty())
                                                        .then(|| {
                                                            view! {
                                                                <p class=if e.actor_role == "official" {
                                                                    "answer"
                                                                } else {
                                                                    ""
                                                                }>{e.comment.clone()}</p>
                                                            }
                                                        })}
                                                    <PhotoGrid photos=e.photos.clone() />
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ol>
                            </section>
                            {(!r.actions.is_empty())
                                .then(|| {
                                    view! {
                                        <section aria-labelledby="act-h" class="admin-box">
                                            <h2 id="act-h">{t(K::map_next_step)}</h2>
                                            <ErrorSummary problem=p />
                                            {r
                                                .actions
                                                .iter()
                                                .copied()
                                                .filter(|a| !matches!(a, Action::Fixed | Action::ProposeFixed))
                                                .map(|a| {
                                                    view! {
                                                        <ActionForm action=act attr:class="form act-form">
                                                            <input type="hidden" name="report_id" value=rid />
                                                            <input type="hidden" name="action" value=a.code() />
                                                            {(a == Action::Send)
                                                                .then(|| {
                                                                    view! {
                                                                        <div class="field">
                                                                            <label for="f-registration_no">
                                                                                {t(K::map_registration_no)}
                                                                            </label>
                                                                            <input
                                                                                id="f-registration_no"
                                                                                name="registration_no"
                                                                                type="text"
                                                                            />
                                                                        </div>
                                                                        <div class="field">
                                                                            <label for="f-registered_on">
                                                                                {t(K::map_registered_on)}
                                                                            </label>
                                                                            <input
                                                                                id="f-registered_on"
                                                                                name="registered_on"
                                                                                type="date"
                                                                            />
                                                                        </div>
                                                                    }
                                                                })}
                                                            <div class="field">
                                                                <label for=format!(
                                                                    "c-{}",
                                                                    a.code(),
                                                                )>{t(K::map_comment)}</label>
                                                                <textarea
                                                                    id=format!("c-{}", a.code())
                                                                    name="comment"
                                                                    rows="2"
                                                                ></textarea>
                                                            </div>
                                                            <button type="submit" class="button">
                                                                {t(a.label())}
                                                            </button>
                                                        </ActionForm>
                                                    }
                                                })
                                                .collect_view()}
                                            {r
                                                .actions
                                                .iter()
                                                .copied()
                                                .find(|a| matches!(a, Action::Fixed | Action::ProposeFixed))
                                                .map(|fixed| {
                                                    view! {
                                                        <form
                                                            class="form act-form"
                                                            method="post"
                                                            action=format!("/map/reports/{rid}/fixed")
                                                            enctype="multipart/form-data"
                                                        >
                                                            <h3>{t(fixed.label())}</h3>
                                                            {(fixed == Action::ProposeFixed)
                                                                .then(|| {
                                                                    view! { <p class="hint">{t(K::map_propose_fixed_hint)}</p> }
                                                                })}
                                                            {fixed_err
                                                                .map(|e| {
                                                                    view! {
                                                                        <p class="field-error" role="alert">
                                                                            {e}
                                                                        </p>
                                                                    }
                                                                })}
                                                            <div class="field">
                                                                <label for="f-photo_1">{t(K::map_fixed_photo)}</label>
                                                                <input
                                                                    id="f-photo_1"
                                                                    name="photo_1"
                                                                    type="file"
                                                                    accept="image/jpeg,image/png,image/webp"
                                                                />
                                                            </div>
                                                            <div class="field">
                                                                <label for="f-alt_1">
                                                                    {fill(t(K::map_alt_n), &[("n", "1")])}
                                                                </label>
                                                                <input id="f-alt_1" name="alt_1" type="text" />
                                                            </div>
                                                            <div class="field">
                                                                <label for="c-fixed">{t(K::map_comment)}</label>
                                                                <textarea id="c-fixed" name="comment" rows="2"></textarea>
                                                            </div>
                                                            <button type="submit" class="button">
                                                                {t(fixed.label())}
                                                            </button>
                                                        </form>
                                                    }
                                                })}
                                        </section>
                                    }
                                })}
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}
