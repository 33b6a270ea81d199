//! Server-rendered pages of the map: the list (a full equal of the map, usable without JS) with
//! the map island above it, a place, a report with its timeline, the forms, statistics, the poster.
use super::rules::{category_label, Rating, CATEGORIES, NUM_FIELDS, TRI_FIELDS};
use super::widget::{MapIsland, MapLabels, NearMe, PinHere, PinLabels, PinMap, ReportDraft};
use super::*;
use crate::accounts::use_me;
use crate::i18n::{fill, t, use_lang, Lang, K};
use crate::ui::form::{problem_of, ErrorSummary, Honeypot};
use crate::ui::{Notice, PageTitle};
use leptos::form::ActionForm;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Tile server and its attribution (`MAP_TILE_URL`, `MAP_TILE_ATTRIBUTION`; an empty URL draws no
/// tiles), and the default view (`MAP_CENTER` = "lat,lon,zoom").
pub fn tile_config() -> (String, String, (f64, f64, i64)) {
    #[cfg(feature = "ssr")]
    {
        let url = std::env::var("MAP_TILE_URL").unwrap_or_else(|_| DEFAULT_TILES.to_string());
        let attribution = std::env::var("MAP_TILE_ATTRIBUTION").unwrap_or_else(|_| DEFAULT_ATTRIBUTION.to_string());
        let center = std::env::var("MAP_CENTER")
            .ok()
            .and_then(|c| {
                let v: Vec<&str> = c.split(',').collect();
                Some((v.first()?.trim().parse().ok()?, v.get(1)?.trim().parse().ok()?, v.get(2)?.trim().parse().ok()?))
            })
            .unwrap_or(DEFAULT_CENTER);
        (url, attribution, center)
    }
    #[cfg(not(feature = "ssr"))]
    {
        (DEFAULT_TILES.to_string(), DEFAULT_ATTRIBUTION.to_string(), DEFAULT_CENTER)
    }
}

pub const DEFAULT_TILES: &str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
pub const DEFAULT_ATTRIBUTION: &str =
    "&copy; <a href=\"https://www.openstreetmap.org/copyright\">OpenStreetMap</a> contributors";
/// Focșani's centre.
pub const DEFAULT_CENTER: (f64, f64, i64) = (45.6965, 27.1840, 14);

/// The origin (scheme + host) of the tile URL, for the Content-Security-Policy's img-src.
pub fn tile_origin() -> Option<String> {
    let (url, _, _) = tile_config();
    let rest = url
        .strip_prefix("https://")
        .map(|r| ("https://", r))
        .or_else(|| url.strip_prefix("http://").map(|r| ("http://", r)))?;
    let host = rest.1.split('/').next()?;
    // A `{s}` subdomain template covers every subdomain.
    Some(format!("{}{}", rest.0, host.replace("{s}", "*")))
}

fn leaflet_href(file: &str) -> String {
    #[cfg(feature = "ssr")]
    let v = super::handlers::LEAFLET_VERSION;
    #[cfg(not(feature = "ssr"))]
    let v = "1.9.4";
    format!("/vendor/leaflet/{v}/{file}")
}

fn filter_from_query() -> Memo<PlaceFilter> {
    let q = use_query_map();
    Memo::new(move |_| q.with(|q| PlaceFilter::from_pairs(|k| q.get(k))))
}

/// The rating as symbol + words (never colour alone).
#[component]
pub fn RatingTag(rating: Rating) -> impl IntoView {
    let class = format!("rating rating-{}", rating.code());
    view! { <span class=class><span class="rating-symbol" aria-hidden="true">{rating.symbol()}</span> {t(rating.label())}</span> }
}

#[component]
fn BadgeList(badges: Badges) -> impl IntoView {
    view! {
        <span class="badges">
            {badges.toilet.then(|| view! { <span class="tag">"🚻 " {t(K::map_badge_toilet)}</span> })}
            {badges.blind.then(|| view! { <span class="tag">"⠿ " {t(K::map_badge_blind)}</span> })}
            {badges.deaf.then(|| view! { <span class="tag">"👂 " {t(K::map_badge_deaf)}</span> })}
        </span>
    }
}

fn distance_text(lang: Lang, m: f64) -> String {
    if m < 1000.0 {
        lang.tf(K::map_distance_m, &[("n", &format!("{}", (m / 10.0).round() as i64 * 10))])
    } else {
        let km = format!("{:.1}", m / 1000.0);
        lang.tf(K::map_distance_km, &[("n", &if lang == Lang::Ro { km.replace('.', ",") } else { km })])
    }
}

#[component]
fn Choice(
    id: &'static str,
    label: K,
    options: Vec<(String, String)>,
    selected: String,
    #[prop(optional)] any: bool,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{t(label)}</label>
            <select id=id name=id>
                {any.then(|| view! { <option value="">{t(K::orgs_any)}</option> })}
                {options.into_iter().map(|(v, text)| {
                    let sel = v == selected;
                    view! { <option value=v selected=sel>{text}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
pub fn MapPage() -> impl IntoView {
    let filter = filter_from_query();
    let results = Resource::new(move || filter.get(), search_places);
    let q = use_query_map();
    let lang = use_lang();
    // This page's own strings use `lang` directly; the components under it find it provided here,
    // a step away, instead of walking the owner tree up to the root on every string.
    provide_context(lang);
    let (tiles, attribution, (clat, clon, czoom)) = tile_config();
    let at = move || {
        q.with(|q| q.get("at")).and_then(|a| {
            let (x, y) = a.split_once(',')?;
            Some((x.parse::<f64>().ok()?, y.parse::<f64>().ok()?))
        })
    };
    let labels = MapLabels {
        ratings: Rating::ALL.map(|r| lang.t(r.label()).to_string()),
        cluster: lang.t(K::map_cluster).to_string(),
        open: lang.t(K::map_open_reports).to_string(),
        overdue: lang.t(K::map_overdue).to_string(),
        region: lang.t(K::map_region).to_string(),
        zoom_in: lang.t(K::map_zoom_in).to_string(),
        zoom_out: lang.t(K::map_zoom_out).to_string(),
        leaflet: lang.t(K::map_leaflet_title).to_string(),
    };
    view! {
        <PageTitle k=K::map_title/>
        <leptos_meta::Link rel="stylesheet" href=leaflet_href("leaflet.css")/>
        <h1>{lang.t(K::map_title)}</h1>
        <p>{lang.t(K::map_intro)}</p>
        <p class="actions">
            <a class="button" href="/map/report">{lang.t(K::map_report_new_place)}</a>
            " " <a href="/map/stats">{lang.t(K::map_stats_title)}</a>
            " · " <a href="/map/petition">{lang.t(K::map_petition_title)}</a>
            " · " <a href="/map/import">{lang.t(K::map_import_title)}</a>
        </p>
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || {
                let (tiles, attribution, labels) = (tiles.clone(), attribution.clone(), labels.clone());
                Suspend::new(async move {
                let f = filter.get_untracked();
                match results.await {
                    Err(e) => view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(r) => {
                        let query = f.query();
                        let (lat, lon, zoom) = match (at(), r.origin) {
                            (Some((a, b)), _) => (a, b, 18),
                            (None, Some((a, b))) => (a, b, 15),
                            _ => (clat, clon, czoom),
                        };
                        let cats = CATEGORIES.iter().map(|c| (c.to_string(), lang.t(category_label(c)).to_string())).collect();
                        let ratings = Rating::ALL.iter().map(|r| (r.code().to_string(), lang.t(r.label()).to_string())).collect();
                        let sorts = vec![
                            ("name".to_string(), lang.t(K::map_sort_name).to_string()),
                            ("rating".to_string(), lang.t(K::map_sort_rating).to_string()),
                            ("distance".to_string(), lang.t(K::map_sort_distance).to_string()),
                        ];
                        let sort = if f.sort.is_empty() && r.origin.is_some() { "distance".to_string() } else { f.sort.clone() };
                        let count = fill(lang.t(K::map_count), &[("n", &r.total.to_string())]);
                        let page_href = |p: i64| format!("/map?{}&page={p}", query);
                        let prev = (r.page > 1).then(|| page_href(r.page - 1));
                        let next = (r.page < r.pages).then(|| page_href(r.page + 1));
                        let page_of = fill(lang.t(K::pager_page_of), &[("n", &r.page.to_string()), ("total", &r.pages.to_string())]);
                        let export_q = query.clone();
                        let rows = place_rows_html(&f, lang, &r.items, &query).await;
                        view! {
                            <form method="get" action="/map" class="filters map-filters" role="search" aria-label=lang.t(K::map_filters)>
                                <div class="field">
                                    <label for="q">{lang.t(K::map_search)}</label>
                                    <input id="q" name="q" type="search" value=f.q.clone()/>
                                </div>
                                <Choice id="category" label=K::map_category options=cats selected=f.category.clone() any=true/>
                                // Typed (matched without diacritics or case), with the busiest localities suggested.
                                <div class="field">
                                    <label for="locality">{lang.t(K::field_locality)}</label>
                                    <input id="locality" name="locality" type="text" list="locality-list" autocomplete="address-level2" value=f.locality.clone()/>
                                    <datalist id="locality-list">
                                        {r.localities.iter().map(|l| view! { <option value=l.clone()></option> }).collect_view()}
                                    </datalist>
                                </div>
                                <Choice id="rating" label=K::map_rating options=ratings selected=f.rating.clone() any=true/>
                                <fieldset class="field checks">
                                    <legend>{lang.t(K::map_needs)}</legend>
                                    {NEEDS.iter().map(|n| {
                                        let id = format!("need_{n}");
                                        let on = f.has_need(n);
                                        let label = match *n {
                                            "step_free" => K::map_need_step_free,
                                            "toilet" => K::map_need_toilet,
                                            "lift" => K::map_need_lift,
                                            "blind" => K::map_need_blind,
                                            _ => K::map_need_deaf,
                                        };
                                        view! {
                                            <div class="check">
                                                <input id=id.clone() name=id.clone() type="checkbox" value="1" checked=on/>
                                                <label for=id>{lang.t(label)}</label>
                                            </div>
                                        }
                                    }).collect_view()}
                                    <div class="check">
                                        <input id="reports" name="reports" type="checkbox" value="1" checked=f.reports/>
                                        <label for="reports">{lang.t(K::map_need_reports)}</label>
                                    </div>
                                </fieldset>
                                <Choice id="sort" label=K::map_sort options=sorts selected=sort/>
                                <div class="field">
                                    <label for="near">{lang.t(K::map_near)}</label>
                                    <p class="hint" id="near-hint">{lang.t(K::map_near_hint)}</p>
                                    <input id="near" name="near" type="text" value=f.near.clone() aria-describedby="near-hint" autocomplete="address-level2"/>
                                </div>
                                <input type="hidden" id="lat" name="lat" value=f.lat.clone()/>
                                <input type="hidden" id="lon" name="lon" value=f.lon.clone()/>
                                <p class="near-row"><NearMe/></p>
                                <button type="submit" class="button">{lang.t(K::search)}</button>
                            </form>
                            {r.near_not_found.then(|| view! { <p class="notice" role="alert">{lang.t(K::map_near_not_found)}</p> })}
                            <a class="skip-map" href="#results">{lang.t(K::map_skip_map)}</a>
                            <section id="map" class="map-section" aria-labelledby="map-h">
                                <h2 id="map-h" class="visually-hidden">{lang.t(K::map_region)}</h2>
                                <script src=leaflet_href("leaflet.js")></script>
                                <MapIsland tile_url=tiles attribution=attribution query=query.clone() lat=lon_guard(lat) lon=lon_guard(lon) zoom=zoom labels=labels/>
                                <noscript><p>{lang.t(K::map_noscript)}</p></noscript>
                                <p class="legend" aria-hidden="true">
                                    {Rating::ALL.iter().map(|r| view! { <RatingTag rating=*r/> " " }).collect_view()}
                                </p>
                            </section>
                            <section id="results" tabindex="-1" aria-labelledby="results-h">
                                <h2 id="results-h">{lang.t(K::map_list)}</h2>
                                <p class="result-count" role="status" aria-live="polite">{count}</p>
                                <ol class="cards place-list" inner_html=rows></ol>
                                <nav class="pager" aria-label=lang.t(K::pager_label)>
                                    {prev.map(|h| view! { <a href=h rel="prev">{lang.t(K::pager_prev)}</a> })}
                                    <span>{page_of}</span>
                                    {next.map(|h| view! { <a href=h rel="next">{lang.t(K::pager_next)}</a> })}
                                </nav>
                                <p class="muted">
                                    {lang.t(K::map_export)} " "
                                    <a href=format!("/map/export.geojson?{export_q}")>"GeoJSON"</a> " · "
                                    <a href=format!("/map/export.csv?{export_q}")>"CSV"</a>
                                </p>
                            </section>
                        }
                        .into_any()
                    }
                }
            })}}
        </Transition>
    }
}

/// The list's rows as HTML. They are the same for everyone who asks in one language, so the
/// server keeps them beside the rows themselves (`ssr::reads`): a signed-in reader's page then
/// renders only its own parts. The list is not an island, so nothing hydrates inside it.
async fn place_rows_html(f: &PlaceFilter, lang: Lang, items: &[PlaceRow], query: &str) -> String {
    let render =
        || items.iter().map(|p| view! { <PlaceCard p=p.clone() query=query.to_string()/> }.to_html()).collect();
    #[cfg(feature = "ssr")]
    {
        let key = format!("map-rows|{}|{f:?}", lang.code());
        let kept =
            crate::ssr::state().db.reads.get(&key, || async { Ok::<String, std::convert::Infallible>(render()) }).await;
        match kept {
            Ok(html) => html.as_str().to_string(),
            Err(never) => match never {},
        }
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (f, lang);
        render()
    }
}

fn lon_guard(x: f64) -> f64 {
    if x.is_finite() {
        x
    } else {
        0.0
    }
}

#[component]
fn PlaceCard(p: PlaceRow, query: String) -> impl IntoView {
    let lang = use_lang();
    let href = format!("/map/places/{}", p.id);
    let on_map = format!("/map?{query}&at={:.5},{:.5}#map", p.lat, p.lon);
    let place =
        [p.address.clone(), p.locality.clone()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", ");
    let show_label = fill(t(K::map_show_on_map_named), &[("name", &p.name)]);
    view! {
        <li class="card place-card">
            <h3 class="card-title"><a href=href>{p.name.clone()}</a></h3>
            <p><RatingTag rating=p.rating/> " " <BadgeList badges=p.badges/></p>
            <p class="muted">{t(category_label(&p.category))} " · " {place}</p>
            {p.distance_m.map(|d| view! { <p class="distance">{distance_text(lang, d)}</p> })}
            {(p.open_reports > 0).then(|| view! { <p class="tag">{fill(t(K::map_open_n), &[("n", &p.open_reports.to_string())])}</p> })}
            {(p.overdue_reports > 0).then(|| view! { <p class="tag overdue">"⏰ " {t(K::map_overdue)}</p> })}
            <p><a href=on_map aria-label=show_label>{t(K::map_show_on_map)}</a></p>
        </li>
    }
}

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
            <thead><tr><th scope="col">{t(K::map_feature)}</th><th scope="col">{t(K::map_value)}</th></tr></thead>
            <tbody>
                {rows.into_iter().map(|(k, v)| view! { <tr><th scope="row">{k}</th><td>{v}</td></tr> }).collect_view()}
            </tbody>
        </table>
        {[(K::map_notes_wheelchair, audit.notes_wheelchair.clone()), (K::map_notes_blind, audit.notes_blind.clone()), (K::map_notes_deaf, audit.notes_deaf.clone())]
            .into_iter()
            .filter(|(_, n)| !n.is_empty())
            .map(|(k, n)| view! { <p><strong>{t(k)} ": "</strong> {n}</p> })
            .collect_view()}
    }
}

#[component]
fn PhotoGrid(photos: Vec<Photo>) -> impl IntoView {
    (!photos.is_empty()).then(|| {
        view! {
            <ul class="photos">
                {photos.into_iter().map(|p| view! {
                    <li><a href=p.full.clone()><img src=p.thumb.clone() alt=p.alt.clone() loading="lazy" width="200"/></a></li>
                }).collect_view()}
            </ul>
        }
    })
}

fn place_id_param() -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.with(|p| p.get("id").and_then(|i| i.parse().ok()).unwrap_or(0))
}

#[component]
pub fn PlacePage() -> impl IntoView {
    let id = place_id_param();
    let place = Resource::new(id, get_place);
    let q = use_query_map();
    let lang = use_lang();
    view! {
        {move || q.with(|q| q.get("audit").is_some()).then(|| view! { <Notice text=t(K::map_audit_saved)/> })}
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                match place.await {
                    Err(e) => view! { <h1>{t(K::notfound_title)}</h1><p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(p) => {
                        let title = format!("{} · {}", p.row.name, t(K::site_name));
                        let id = p.row.id;
                        let share = format!("{}/map/places/{id}", public_base());
                        let verified = p.row.verified_day.map(|d| day_text(lang, d));
                        let (open, closed): (Vec<_>, Vec<_>) = p.reports.iter().cloned().partition(|r| r.state.is_open());
                        let place_line = [p.row.address.clone(), p.row.locality.clone(), p.county.clone()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", ");
                        view! {
                            <crate::ui::DataTitle text=title/>
                            <h1>{p.row.name.clone()}</h1>
                            <p class="muted">{t(category_label(&p.row.category))} " · " {place_line}</p>
                            <p class="lead"><RatingTag rating=p.row.rating/> " " <BadgeList badges=p.row.badges/></p>
                            {(p.row.overdue_reports > 0).then(|| view! { <p class="tag overdue">"⏰ " {t(K::map_overdue_place)}</p> })}
                            <section aria-labelledby="why-h">
                                <h2 id="why-h">{t(K::map_why)}</h2>
                                <ul>
                                    {p.reasons.iter().map(|r| {
                                        let text = fill(t(r.key), &[("n", &r.n.map(|n| n.to_string()).unwrap_or_default())]);
                                        view! { <li>{text}</li> }
                                    }).collect_view()}
                                </ul>
                                <dl class="facts">
                                    <dt>{t(K::map_confidence)}</dt><dd>{t(p.row.confidence.label())}</dd>
                                    <dt>{t(K::map_verified_on)}</dt><dd>{verified.unwrap_or_else(|| t(K::map_never).to_string())}</dd>
                                    {p.authority.clone().map(|(slug, name)| view! { <dt>{t(K::map_authority)}</dt><dd><a href=format!("/authorities/{slug}")>{name}</a></dd> })}
                                    {p.org.clone().map(|(slug, name)| view! { <dt>{t(K::map_campaign)}</dt><dd><a href=format!("/organisations/{slug}")>{name}</a></dd> })}
                                    {(!p.contact.is_empty()).then(|| view! { <dt>{t(K::orgs_contact)}</dt><dd>{p.contact.clone()}</dd> })}
                                </dl>
                            </section>
                            <p class="actions">
                                <a class="button" href=format!("/map/places/{id}/report")>{t(K::map_report_problem)}</a>
                                " " <a class="button secondary" href=format!("/map/places/{id}/audit")>{t(K::map_add_audit)}</a>
                                " " <a href=format!("/map/places/{id}/poster")>{t(K::map_poster)}</a>
                                " · " <a href=format!("/map?at={:.5},{:.5}#map", p.row.lat, p.row.lon)>{t(K::map_show_on_map)}</a>
                            </p>
                            <div class="field">
                                <label for="share">{t(K::map_share)}</label>
                                <input id="share" type="text" readonly=true value=share/>
                            </div>
                            <section aria-labelledby="audit-h">
                                <h2 id="audit-h">{t(K::map_audit)}</h2>
                                <AuditTable audit=p.audit.clone()/>
                                {(!p.audits.is_empty()).then(|| view! {
                                    <p class="muted">{t(K::map_audit_history)} ": "
                                        {p.audits.iter().map(|a| format!("{}{}{}", day_text(lang, a.checked_day), if a.verified { format!(" ({})", t(K::map_verified)) } else { String::new() }, if a.by.is_empty() { String::new() } else { format!(" — {}", a.by) })).collect::<Vec<_>>().join("; ")}
                                    </p>
                                })}
                            </section>
                            {(!p.photos.is_empty()).then(|| view! {
                                <section aria-labelledby="photos-h">
                                    <h2 id="photos-h">{t(K::map_photos)}</h2>
                                    <PhotoGrid photos=p.photos.clone()/>
                                </section>
                            })}
                            <section aria-labelledby="open-h">
                                <h2 id="open-h">{t(K::map_reports_open)}</h2>
                                <ReportList reports=open/>
                            </section>
                            <section aria-labelledby="closed-h">
                                <h2 id="closed-h">{t(K::map_reports_closed)}</h2>
                                <ReportList reports=closed/>
                            </section>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

fn public_base() -> String {
    #[cfg(feature = "ssr")]
    {
        crate::ssr::state().settings.public_url.trim_end_matches('/').to_string()
    }
    #[cfg(not(feature = "ssr"))]
    {
        String::new()
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
            {reports.into_iter().map(|r| {
                let last = r.timeline.last().map(|e| e.comment.clone()).unwrap_or_default();
                view! {
                    <li class="card">
                        <h3 class="card-title"><a href=format!("/map/reports/{}", r.id)>{t(problem_label(&r.problem))} " — " {r.place_name.clone()}</a></h3>
                        <p><span class=format!("state state-{}", r.state.code())>{t(r.state.label())}</span>
                            {r.overdue.then(|| view! { " " <span class="tag overdue">"⏰ " {t(K::map_overdue)}</span> })}
                            " · " {crate::fmt::date(lang, r.created_at)}
                        </p>
                        <p>{r.description.clone()}</p>
                        {(!last.is_empty()).then(|| view! { <p class="muted">{last}</p> })}
                    </li>
                }
            }).collect_view()}
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
                    Ok(r) if !r.is_empty() => view! {
                        <section aria-labelledby="org-map-h">
                            <h2 id="org-map-h">{t(K::map_org_reports)}</h2>
                            <ReportList reports=r/>
                            <p><a href="/map/petition">{t(K::map_petition_title)}</a></p>
                        </section>
                    }
                    .into_any(),
                    _ => ().into_any(),
                }
            })}
        </Transition>
    }
}

fn query_errors() -> Memo<Vec<(String, String)>> {
    let q = use_query_map();
    Memo::new(move |_| q.with(crate::ui::form::query_errors))
}

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
            <p class="hint" id="photos-hint">{t(K::map_photos_hint)}</p>
            {(1..=count).map(|i| {
                let (pf, af) = (format!("photo_{i}"), format!("alt_{i}"));
                let (pe, ae) = (err(pf.clone()), err(af.clone()));
                let (p_bad, a_bad) = (pe.is_some(), ae.is_some());
                let pid = format!("f-{pf}");
                let aid = format!("f-{af}");
                view! {
                    <div class="photo-slot">
                        <div class="field" class:has-error=p_bad>
                            <label for=pid.clone()>{fill(t(K::map_photo_n), &[("n", &i.to_string())])}</label>
                            {pe.clone().map(|e| view! { <p class="field-error" id=format!("{pid}-err")>{e}</p> })}
                            <input id=pid.clone() name=pf type="file" accept="image/jpeg,image/png,image/webp,image/heic" aria-describedby=if pe.is_some() { format!("photos-hint {pid}-err") } else { "photos-hint".to_string() }/>
                        </div>
                        <div class="field" class:has-error=a_bad>
                            <label for=aid.clone()>{fill(t(K::map_alt_n), &[("n", &i.to_string())])}</label>
                            {ae.clone().map(|e| view! { <p class="field-error" id=format!("{aid}-err")>{e}</p> })}
                            <input id=aid.clone() name=af type="text" maxlength="300" aria-describedby=ae.map(|_| format!("{aid}-err"))/>
                        </div>
                    </div>
                }
            }).collect_view()}
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
        <PageTitle k=K::map_report_title/>
        <h1>{t(K::map_report_title)}</h1>
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                let signed_in = matches!(me.await, Ok(Some(_)));
                let place = place.await.ok().flatten();
                let next = match place_id() { Some(id) => format!("/map/places/{id}/report"), None => "/map/report".into() };
                if !signed_in {
                    return view! { <p><a class="button" href=format!("/account/login?next={next}")>{t(K::map_sign_in_to_report)}</a></p> }.into_any();
                }
                let problem_sel = kept("problem");
                let draft_key = format!("map-draft:{}", place_id().unwrap_or(0));
                let form_err = err("form");
                view! {
                    {place.clone().map(|p| view! { <p class="lead">{p.row.name.clone()} " — " <RatingTag rating=p.row.rating/></p> })}
                    <div id="report-errors" tabindex="-1">
                        {(!errors.get().is_empty()).then(|| view! { <div class="error-summary" role="alert"><p>{t(K::err_form)}</p></div> })}
                        {form_err.map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
                    </div>
                    <form id="report-form" class="form" method="post" action="/map/reports" enctype="multipart/form-data" novalidate=true>
                        {place.as_ref().map(|p| view! { <input type="hidden" name="place_id" value=p.row.id/> })}
                        {place.is_none().then(|| view! { <NewPlaceFields errors=errors/> })}
                        <div class="field" class:has-error=err("problem").is_some()>
                            <label for="f-problem">{t(K::map_problem)} " " <span class="req">{t(K::form_required)}</span></label>
                            {err("problem").map(|e| view! { <p class="field-error" id="f-problem-err">{e}</p> })}
                            <select id="f-problem" name="problem">
                                <option value="">{t(K::map_choose)}</option>
                                {PROBLEMS.iter().map(|p| { let sel = *p == problem_sel; view! { <option value=*p selected=sel>{t(problem_label(p))}</option> } }).collect_view()}
                            </select>
                        </div>
                        <div class="field" class:has-error=err("description").is_some()>
                            <label for="f-description">{t(K::map_description)} " " <span class="req">{t(K::form_required)}</span></label>
                            <p class="hint" id="f-description-hint">{t(K::map_description_hint)}</p>
                            {err("description").map(|e| view! { <p class="field-error" id="f-description-err">{e}</p> })}
                            <textarea id="f-description" name="description" rows="5" aria-describedby="f-description-hint">{kept("description")}</textarea>
                        </div>
                        <PhotoSlots errors=errors count=5/>
                        <Honeypot/>
                        <button type="submit" class="button">{t(K::map_send_report)}</button>
                    </form>
                    <ReportDraft form_id="report-form".to_string() draft_key=draft_key/>
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
        <leptos_meta::Link rel="stylesheet" href=leaflet_href("leaflet.css")/>
        <fieldset class="field">
            <legend>{t(K::map_new_place)}</legend>
            <p class="hint">{t(K::map_new_place_hint)}</p>
            <div class="field" class:has-error=err("name").is_some()>
                <label for="f-name">{t(K::map_place_name)}</label>
                {err("name").map(|e| view! { <p class="field-error">{e}</p> })}
                <input id="f-name" name="name" type="text" maxlength="150"/>
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
                <input id="f-locality" name="locality" type="text" value="Focșani" autocomplete="address-level2"/>
            </div>
            <div class="field">
                <label for="f-address">{t(K::map_address)}</label>
                <input id="f-address" name="address" type="text" maxlength="200" autocomplete="street-address"/>
            </div>
            <script src=leaflet_href("leaflet.js")></script>
            <PinMap tile_url=tiles attribution=attribution lat=clat lon=clon zoom=czoom labels=labels/>
            <div class="field" class:has-error=err("lat").is_some()>
                <label for="f-lat">{t(K::map_lat)}</label>
                {err("lat").map(|e| view! { <p class="field-error">{e}</p> })}
                <input id="f-lat" name="lat" type="text" inputmode="decimal"/>
            </div>
            <div class="field">
                <label for="f-lon">{t(K::map_lon)}</label>
                <input id="f-lon" name="lon" type="text" inputmode="decimal"/>
            </div>
            <p class="near-row"><PinHere/></p>
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
        {move || q.with(|q| q.get("created").is_some()).then(|| view! { <Notice text=t(K::map_report_created)/> })}
        {move || q.with(|q| q.get("done").is_some()).then(|| view! { <Notice text=t(K::map_report_updated)/> })}
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                match report.await {
                    Err(e) => view! { <h1>{t(K::notfound_title)}</h1><p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(r) => {
                        let title = format!("{} — {} · {}", t(problem_label(&r.problem)), r.place_name, t(K::site_name));
                        let rid = r.id;
                        let due = r.due_day.map(|d| day_text(lang, d));
                        let fixed_err = errors.with(|e| e.iter().find(|(f, _)| f == "photo_1" || f == "alt_1").map(|(_, c)| t(error_message(c)).to_string()));
                        view! {
                            <crate::ui::DataTitle text=title/>
                            <h1>{t(problem_label(&r.problem))} " — " <a href=format!("/map/places/{}", r.place_id)>{r.place_name.clone()}</a></h1>
                            <p><span class=format!("state state-{}", r.state.code())>{t(r.state.label())}</span>
                                {r.overdue.then(|| view! { " " <span class="tag overdue">"⏰ " {t(K::map_overdue)}</span> })}
                            </p>
                            <p>{r.description.clone()}</p>
                            <dl class="facts">
                                <dt>{t(K::map_reported_by)}</dt><dd>{r.reporter_name.clone()} ", " {crate::fmt::date(lang, r.created_at)}</dd>
                                {(!r.registration_no.is_empty()).then(|| view! { <dt>{t(K::map_registration_no)}</dt><dd>{r.registration_no.clone()} " / " {r.registered_day.map(|d| day_text(lang, d)).unwrap_or_default()}</dd> })}
                                {due.map(|d| view! { <dt>{t(K::map_due)}</dt><dd>{d} {r.extended.then(|| format!(" ({})", t(K::map_extended)))}</dd> })}
                            </dl>
                            <PhotoGrid photos=r.photos.clone()/>
                            <section aria-labelledby="timeline-h">
                                <h2 id="timeline-h">{t(K::map_timeline)}</h2>
                                <ol class="timeline">
                                    {r.timeline.iter().map(|e| {
                                        let what = Action::parse(&e.action).map(|a| t(a.label())).unwrap_or(t(K::map_act_created));
                                        let role = match e.actor_role.as_str() {
                                            "official" => t(K::map_role_official),
                                            "org" => t(K::map_role_org),
                                            "moderator" => t(K::map_role_moderator),
                                            _ => t(K::map_role_resident),
                                        };
                                        view! {
                                            <li>
                                                <p><strong>{what}</strong> " → " {t(e.to_state.label())}</p>
                                                <p class="muted">{e.actor_name.clone()} " (" {role} "), " {crate::fmt::date_time(lang, e.at)}</p>
                                                {(!e.comment.is_empty()).then(|| view! { <p class=if e.actor_role == "official" { "answer" } else { "" }>{e.comment.clone()}</p> })}
                                                <PhotoGrid photos=e.photos.clone()/>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ol>
                            </section>
                            {(!r.actions.is_empty()).then(|| view! {
                                <section aria-labelledby="act-h" class="admin-box">
                                    <h2 id="act-h">{t(K::map_next_step)}</h2>
                                    <ErrorSummary problem=p/>
                                    {r.actions.iter().copied().filter(|a| !matches!(a, Action::Fixed | Action::ProposeFixed)).map(|a| view! {
                                        <ActionForm action=act attr:class="form act-form">
                                            <input type="hidden" name="report_id" value=rid/>
                                            <input type="hidden" name="action" value=a.code()/>
                                            {(a == Action::Send).then(|| view! {
                                                <div class="field">
                                                    <label for="f-registration_no">{t(K::map_registration_no)}</label>
                                                    <input id="f-registration_no" name="registration_no" type="text"/>
                                                </div>
                                                <div class="field">
                                                    <label for="f-registered_on">{t(K::map_registered_on)}</label>
                                                    <input id="f-registered_on" name="registered_on" type="date"/>
                                                </div>
                                            })}
                                            <div class="field">
                                                <label for=format!("c-{}", a.code())>{t(K::map_comment)}</label>
                                                <textarea id=format!("c-{}", a.code()) name="comment" rows="2"></textarea>
                                            </div>
                                            <button type="submit" class="button">{t(a.label())}</button>
                                        </ActionForm>
                                    }).collect_view()}
                                    {r.actions.iter().copied().find(|a| matches!(a, Action::Fixed | Action::ProposeFixed)).map(|fixed| view! {
                                        <form class="form act-form" method="post" action=format!("/map/reports/{rid}/fixed") enctype="multipart/form-data">
                                            <h3>{t(fixed.label())}</h3>
                                            {(fixed == Action::ProposeFixed).then(|| view! { <p class="hint">{t(K::map_propose_fixed_hint)}</p> })}
                                            {fixed_err.map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
                                            <div class="field">
                                                <label for="f-photo_1">{t(K::map_fixed_photo)}</label>
                                                <input id="f-photo_1" name="photo_1" type="file" accept="image/jpeg,image/png,image/webp"/>
                                            </div>
                                            <div class="field">
                                                <label for="f-alt_1">{fill(t(K::map_alt_n), &[("n", "1")])}</label>
                                                <input id="f-alt_1" name="alt_1" type="text"/>
                                            </div>
                                            <div class="field">
                                                <label for="c-fixed">{t(K::map_comment)}</label>
                                                <textarea id="c-fixed" name="comment" rows="2"></textarea>
                                            </div>
                                            <button type="submit" class="button">{t(fixed.label())}</button>
                                        </form>
                                    })}
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

#[component]
pub fn AuditForm() -> impl IntoView {
    let id = place_id_param();
    let place = Resource::new(id, get_place);
    let save = ServerAction::<SaveAudit>::new();
    let p = problem_of(save);
    let me = use_me().0;
    let lang = use_lang();
    view! {
        <PageTitle k=K::map_add_audit/>
        <h1>{t(K::map_add_audit)}</h1>
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                let signed_in = matches!(me.await, Ok(Some(_)));
                let pl = match place.await {
                    Ok(pl) => pl,
                    Err(e) => return view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                };
                if !signed_in {
                    return view! { <p><a class="button" href=format!("/account/login?next=/map/places/{}/audit", pl.row.id)>{t(K::nav_login)}</a></p> }.into_any();
                }
                let current = pl.audit.clone();
                let kept = move |f: &str| p.with(|p| p.as_ref().and_then(|p| p.kept()).and_then(|k| k.value_of(&format!("audit[{f}]"))));
                let err = move |f: &str| p.with(|p| p.as_ref().and_then(|p| p.form()).and_then(|k| k.error_for(f, lang)));
                view! {
                    <p class="lead"><a href=format!("/map/places/{}", pl.row.id)>{pl.row.name.clone()}</a></p>
                    <p>{t(K::map_audit_intro)}</p>
                    <ActionForm action=save attr:class="form audit-form" attr:novalidate=true>
                        <ErrorSummary problem=p/>
                        <input type="hidden" name="place_id" value=pl.row.id/>
                        <div class="field">
                            <label for="f-checked_on">{t(K::map_checked_on)}</label>
                            {err("checked_on").map(|e| view! { <p class="field-error" id="f-checked_on-err">{e}</p> })}
                            <input id="f-checked_on" name="checked_on" type="date"/>
                        </div>
                        {TRI_FIELDS.iter().map(|(f, label)| {
                            let now = kept(f).unwrap_or_else(|| match current.tri(f) { Some(true) => "yes".into(), Some(false) => "no".into(), None => String::new() });
                            let name = format!("audit[{f}]");
                            view! {
                                <fieldset class="field tri" id=format!("f-{f}")>
                                    <legend>{t(*label)}</legend>
                                    {[("yes", K::map_yes), ("no", K::map_no), ("", K::map_unknown)].into_iter().map(|(v, l)| {
                                        let rid = format!("f-{f}-{}", if v.is_empty() { "u" } else { v });
                                        let checked = now == v;
                                        view! { <span class="check"><input type="radio" id=rid.clone() name=name.clone() value=v checked=checked/><label for=rid>{t(l)}</label></span> }
                                    }).collect_view()}
                                </fieldset>
                            }
                        }).collect_view()}
                        {NUM_FIELDS.iter().map(|(f, label, max)| {
                            let v = kept(f).unwrap_or_else(|| current.num(f).map(|n| n.to_string()).unwrap_or_default());
                            let fid = format!("f-audit[{f}]");
                            let e = err(&format!("audit[{f}]"));
                            let bad = e.is_some();
                            view! {
                                <div class="field" class:has-error=bad>
                                    <label for=fid.clone()>{t(*label)}</label>
                                    {e.map(|e| view! { <p class="field-error">{e}</p> })}
                                    <input id=fid name=format!("audit[{f}]") type="number" min="0" max=*max inputmode="numeric" value=v/>
                                </div>
                            }
                        }).collect_view()}
                        {[("notes_wheelchair", K::map_notes_wheelchair, current.notes_wheelchair.clone()), ("notes_blind", K::map_notes_blind, current.notes_blind.clone()), ("notes_deaf", K::map_notes_deaf, current.notes_deaf.clone())].into_iter().map(|(f, l, v)| {
                            let fid = format!("f-{f}");
                            view! {
                                <div class="field">
                                    <label for=fid.clone()>{t(l)}</label>
                                    <textarea id=fid name=format!("audit[{f}]") rows="3">{v}</textarea>
                                </div>
                            }
                        }).collect_view()}
                        <button type="submit" class="button">{t(K::map_save_audit)}</button>
                    </ActionForm>
                }
                .into_any()
            })}
        </Transition>
    }
}

/// A horizontal bar chart in SVG with its numbers as text; the table next to it carries the data.
#[component]
fn BarChart(title: String, bars: Vec<(String, i64)>) -> impl IntoView {
    let max = bars.iter().map(|b| b.1).max().unwrap_or(1).max(1);
    let h = bars.len() as i64 * 28 + 8;
    let desc = bars.iter().map(|(l, n)| format!("{l}: {n}")).collect::<Vec<_>>().join("; ");
    view! {
        <figure class="chart">
            <svg role="img" viewBox=format!("0 0 600 {h}") width="100%" aria-label=format!("{title}. {desc}")>
                {bars.into_iter().enumerate().map(|(i, (label, n))| {
                    let y = i as i64 * 28 + 4;
                    let w = (n * 330 / max).max(if n > 0 { 2 } else { 0 });
                    view! {
                        <text x="0" y=y + 16 class="chart-label">{label}</text>
                        <rect x="220" y=y width=w height="20" class=format!("bar bar-{i}")></rect>
                        <text x=230 + w y=y + 16 class="chart-value">{n}</text>
                    }
                }).collect_view()}
            </svg>
            <figcaption>{title}</figcaption>
        </figure>
    }
}

#[component]
pub fn StatsPage() -> impl IntoView {
    let stats = Resource::new(|| (), |_| map_stats());
    let lang = use_lang();
    view! {
        <PageTitle k=K::map_stats_title/>
        <h1>{t(K::map_stats_title)}</h1>
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                match stats.await {
                    Err(e) => view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(s) => {
                        let rating_label = |c: &str| t(Rating::parse(c).unwrap_or(Rating::Unknown).label()).to_string();
                        let pct = |n: i64| if s.total > 0 { format!("{}%", n * 100 / s.total) } else { "0%".into() };
                        let by_rating: Vec<(String, i64)> = s.by_rating.iter().map(|(c, n)| (rating_label(c), *n)).collect();
                        let reports: Vec<(String, i64)> = s.reports.iter().map(|(c, n)| (t(ReportState::parse(c).unwrap_or(ReportState::New).label()).to_string(), *n)).collect();
                        let head = view! {
                            <thead><tr>
                                <th scope="col">{t(K::map_group)}</th>
                                {Rating::ALL.iter().map(|r| view! { <th scope="col">{t(r.label())}</th> }).collect_view()}
                            </tr></thead>
                        };
                        let head2 = view! {
                            <thead><tr>
                                <th scope="col">{t(K::map_group)}</th>
                                {Rating::ALL.iter().map(|r| view! { <th scope="col">{t(r.label())}</th> }).collect_view()}
                            </tr></thead>
                        };
                        view! {
                            <p>{fill(t(K::map_count), &[("n", &s.total.to_string())])}</p>
                            <section aria-labelledby="st-r">
                                <h2 id="st-r">{t(K::map_stats_by_rating)}</h2>
                                <BarChart title=t(K::map_stats_by_rating).to_string() bars=by_rating.clone()/>
                                <table><caption>{t(K::map_stats_by_rating)}</caption>
                                    <thead><tr><th scope="col">{t(K::map_rating)}</th><th scope="col">{t(K::map_number)}</th><th scope="col">"%"</th></tr></thead>
                                    <tbody>{by_rating.iter().map(|(l, n)| view! { <tr><th scope="row">{l.clone()}</th><td>{*n}</td><td>{pct(*n)}</td></tr> }).collect_view()}</tbody>
                                </table>
                            </section>
                            <section aria-labelledby="st-c">
                                <h2 id="st-c">{t(K::map_stats_by_category)}</h2>
                                <table><caption>{t(K::map_stats_by_category)}</caption>
                                    {head}
                                    <tbody>{s.by_category.iter().map(|(c, v)| view! { <tr><th scope="row">{t(category_label(c))}</th>{v.iter().map(|n| view! { <td>{*n}</td> }).collect_view()}</tr> }).collect_view()}</tbody>
                                </table>
                            </section>
                            <section aria-labelledby="st-l">
                                <h2 id="st-l">{t(K::map_stats_by_locality)}</h2>
                                <table><caption>{t(K::map_stats_by_locality)}</caption>
                                    {head2}
                                    <tbody>{s.by_locality.iter().map(|(c, v)| view! { <tr><th scope="row">{c.clone()}</th>{v.iter().map(|n| view! { <td>{*n}</td> }).collect_view()}</tr> }).collect_view()}</tbody>
                                </table>
                            </section>
                            <section aria-labelledby="st-rep">
                                <h2 id="st-rep">{t(K::map_stats_reports)}</h2>
                                <BarChart title=t(K::map_stats_reports).to_string() bars=reports.clone()/>
                                <table><caption>{t(K::map_stats_reports)}</caption>
                                    <thead><tr><th scope="col">{t(K::map_state)}</th><th scope="col">{t(K::map_number)}</th></tr></thead>
                                    <tbody>
                                        {reports.iter().map(|(l, n)| view! { <tr><th scope="row">{l.clone()}</th><td>{*n}</td></tr> }).collect_view()}
                                        <tr><th scope="row">{t(K::map_overdue)}</th><td>{s.overdue}</td></tr>
                                    </tbody>
                                </table>
                            </section>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[server]
pub async fn poster_qr(id: i64) -> Result<String, MapError> {
    let url = format!("{}/map/places/{id}", crate::ssr::state().settings.public_url.trim_end_matches('/'));
    let code = qrcode::QrCode::new(url.as_bytes()).map_err(|_| MapError(crate::error::Problem::Internal))?;
    Ok(code.render::<qrcode::render::svg::Color>().min_dimensions(240, 240).quiet_zone(true).build())
}

/// A printable A4 poster for the entrance: rating, and a QR code to report problems here.
#[component]
pub fn PosterPage() -> impl IntoView {
    let id = place_id_param();
    let place = Resource::new(id, get_place);
    let qr = Resource::new(id, poster_qr);
    let lang = use_lang();
    view! {
        <PageTitle k=K::map_poster/>
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                match (place.await, qr.await) {
                    (Ok(p), Ok(svg)) => {
                        let url = format!("{}/map/places/{}", public_base(), p.row.id);
                        view! {
                            <p class="no-print"><a href=format!("/map/places/{}", p.row.id)>{t(K::map_back_to_place)}</a> " · " {t(K::map_poster_print)}</p>
                            <article class="poster">
                                <h1>{p.row.name.clone()}</h1>
                                <p class="poster-rating"><RatingTag rating=p.row.rating/></p>
                                <p class="poster-call">{t(K::map_poster_call)}</p>
                                <div class="qr" role="img" aria-label=t(K::map_poster_qr) inner_html=svg></div>
                                <p class="poster-url">{url}</p>
                                <p class="muted">{t(K::site_name)}</p>
                            </article>
                        }
                        .into_any()
                    }
                    (Err(e), _) | (_, Err(e)) => view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn PetitionPage() -> impl IntoView {
    let targets = Resource::new(|| (), |_| petition_targets());
    let lang = use_lang();
    view! {
        <PageTitle k=K::map_petition_title/>
        <h1>{t(K::map_petition_title)}</h1>
        <p>{t(K::map_petition_intro)}</p>
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                match targets.await {
                    Err(e) => view! { <p role="alert">{e.0.message(lang)}</p> <p><a href="/account/login?next=/map/petition">{t(K::nav_login)}</a></p> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p>{t(K::map_petition_none)}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="cards">
                            {list.into_iter().map(|tg| {
                                let href = format!("/map/petition.pdf?org={}&authority={}", tg.org_id, tg.authority_id);
                                view! {
                                    <li class="card">
                                        <h2 class="card-title">{tg.authority_name.clone()}</h2>
                                        <p class="muted">{tg.org_name.clone()} " · " {fill(t(K::map_petition_count), &[("n", &tg.reports.to_string())])}</p>
                                        <p><a class="button" href=href download="petitie-accesibilitate.pdf">{t(K::map_petition_download)}</a></p>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}

#[server]
pub async fn import_orgs() -> Result<Vec<(i64, String)>, MapError> {
    use crate::accounts::rules::RoleKind;
    let me = crate::accounts::session::current_user().await?.ok_or(MapError(crate::error::Problem::Unauthenticated))?;
    let orgs = db::orgs_for_import(&crate::ssr::state().db).await?;
    Ok(orgs.into_iter().filter(|(id, _)| me.is_admin() || me.has_scoped(RoleKind::OrgAdmin, *id)).collect())
}

fn import_error(code: &str) -> K {
    match code {
        "required" => K::map_err_import_file,
        "too_large" => K::map_err_import_large,
        "not_text" => K::map_err_import_not_text,
        "rate" => K::map_err_rate,
        _ => K::err_internal,
    }
}

/// Import from a file: a plain multipart upload (works without JS), then a preview of every row
/// with the errors per row, then one button that imports all the rows or none.
#[component]
pub fn ImportPage() -> impl IntoView {
    let orgs = Resource::new(|| (), |_| import_orgs());
    let q = use_query_map();
    let token = move || q.with(|q| q.get("upload")).unwrap_or_default();
    let upload = Resource::new(token, |tok| async move {
        if tok.is_empty() {
            Ok(None)
        } else {
            super::import::import_upload(tok).await
        }
    });
    let commit = ServerAction::<super::import::ImportCommit>::new();
    let p = problem_of(commit);
    let errors = query_errors();
    let lang = use_lang();
    view! {
        <PageTitle k=K::map_import_title/>
        <h1>{t(K::map_import_title)}</h1>
        <p>{t(K::map_import_intro)}</p>
        {move || q.with(|q| q.get("imported")).map(|n| view! { <Notice text=fill(t(K::map_import_done), &[("n", &n)])/> })}
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                let list = match orgs.await {
                    Ok(l) if !l.is_empty() => l,
                    Ok(_) => return view! { <p>{t(K::err_forbidden)}</p> }.into_any(),
                    Err(e) => return view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                };
                let upload = upload.await;
                let file_err = errors.with(|e| e.iter().find(|(f, _)| f == "file").map(|(_, c)| t(import_error(c)).to_string()));
                let described = if file_err.is_some() { "f-file-hint f-file-err" } else { "f-file-hint" };
                view! {
                    {file_err.clone().map(|_| view! { <div class="error-summary" role="alert"><p>{t(K::err_form)}</p></div> })}
                    <form class="form" method="post" action="/map/import/upload" enctype="multipart/form-data">
                        <div class="field">
                            <label for="f-org_id">{t(K::map_campaign)}</label>
                            <select id="f-org_id" name="org_id">
                                {list.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="field" class:has-error=file_err.is_some()>
                            <label for="f-file">{t(K::map_import_file)}</label>
                            <p class="hint" id="f-file-hint">{t(K::map_import_hint)}</p>
                            {file_err.clone().map(|e| view! { <p class="field-error" id="f-file-err">{e}</p> })}
                            <input id="f-file" name="file" type="file" required=true accept=".csv,.geojson,.json,text/csv,application/geo+json,application/json" aria-describedby=described aria-invalid=file_err.is_some().then_some("true")/>
                        </div>
                        <button type="submit" class="button">{t(K::map_import_upload)}</button>
                    </form>
                    {match upload {
                        Ok(Some(u)) => {
                            let pv = u.preview.clone();
                            let ok = pv.errors.is_empty() && !pv.rows.is_empty();
                            let n = pv.rows.len().to_string();
                            view! {
                                <section aria-labelledby="preview-h" class="import-preview">
                                    <h2 id="preview-h">{fill(t(K::map_import_preview_of), &[("file", &u.file_name), ("org", &u.org_name)])}</h2>
                                    {(!pv.errors.is_empty()).then(|| view! {
                                        <p role="alert" class="field-error">{t(K::map_import_errors)}</p>
                                        <ul class="import-errors">{pv.errors.iter().map(|e| view! { <li>{fill(t(K::map_import_row), &[("n", &e.row.to_string()), ("field", &e.field)])} ": " {t(e.msg)}</li> }).collect_view()}</ul>
                                    })}
                                    <table><caption>{fill(t(K::map_import_rows), &[("n", &n)])}</caption>
                                        <thead><tr><th scope="col">{t(K::map_place_name)}</th><th scope="col">{t(K::map_category)}</th><th scope="col">{t(K::field_locality)}</th><th scope="col">{t(K::map_lat)}</th><th scope="col">{t(K::map_lon)}</th></tr></thead>
                                        <tbody>{pv.rows.iter().map(|r| view! { <tr><td>{r.name.clone()}</td><td>{t(category_label(&r.category))}</td><td>{r.locality.clone()}</td><td>{r.lat}</td><td>{r.lon}</td></tr> }).collect_view()}</tbody>
                                    </table>
                                    {ok.then(|| view! {
                                        <ActionForm action=commit attr:class="form">
                                            <ErrorSummary problem=p/>
                                            <input type="hidden" name="token" value=u.token.clone()/>
                                            <button type="submit" class="button">{fill(t(K::map_import_commit_n), &[("n", &n)])}</button>
                                        </ActionForm>
                                    })}
                                </section>
                            }.into_any()
                        }
                        Ok(None) if !token().is_empty() => view! { <p role="alert">{t(K::map_import_gone)}</p> }.into_any(),
                        Ok(None) => ().into_any(),
                        Err(e) => view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    }}
                }
                .into_any()
            })}
        </Transition>
    }
}
