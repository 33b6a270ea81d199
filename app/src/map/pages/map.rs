//! `/map`: the list with its filters, the map island above it, and the exports.
use super::widget::{MapIsland, MapLabels, NearMe};
use super::*;

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
        <PageTitle k=K::map_title />
        <leptos_meta::Link rel="stylesheet" href=leaflet_href("leaflet.css") />
        <h1>{lang.t(K::map_title)}</h1>
        <p>{lang.t(K::map_intro)}</p>
        <p class="actions">
            <a class="button" href="/map/report">
                {lang.t(K::map_report_new_place)}
            </a>
            " "
            <a href="/map/stats">{lang.t(K::map_stats_title)}</a>
            " · "
            <a href="/map/petition">{lang.t(K::map_petition_title)}</a>
            " · "
            <a href="/map/import">{lang.t(K::map_import_title)}</a>
        </p>
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
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
                            let cats = CATEGORIES
                                .iter()
                                .map(|c| (c.to_string(), lang.t(category_label(c)).to_string()))
                                .collect();
                            let ratings = Rating::ALL
                                .iter()
                                .map(|r| (r.code().to_string(), lang.t(r.label()).to_string()))
                                .collect();
                            let sorts = vec![
                                ("name".to_string(), lang.t(K::map_sort_name).to_string()),
                                ("rating".to_string(), lang.t(K::map_sort_rating).to_string()),
                                ("distance".to_string(), lang.t(K::map_sort_distance).to_string()),
                            ];
                            let sort = if f.sort.is_empty() && r.origin.is_some() {
                                "distance".to_string()
                            } else {
                                f.sort.clone()
                            };
                            let count = lang.count(K::map_count, r.total);
                            let page_href = |p: i64| format!("/map?{}&page={p}", query);
                            let pager = crate::ui::pager::pager(
                                lang.t(K::pager_label).to_string(),
                                r.page,
                                r.pages,
                                page_href,
                            );
                            let export_q = query.clone();
                            let rows = place_rows_html(&f, lang, &r.items, &query).await;
                            view! {
                                <form
                                    method="get"
                                    action="/map"
                                    class="filters map-filters"
                                    role="search"
                                    aria-label=lang.t(K::map_filters)
                                >
                                    <div class="field">
                                        <label for="q">{lang.t(K::map_search)}</label>
                                        <input id="q" name="q" type="search" value=f.q.clone() />
                                    </div>
                                    <Choice
                                        id="category"
                                        label=K::map_category
                                        options=cats
                                        selected=f.category.clone()
                                        any=true
                                    />
                                    // Typed (matched without diacritics or case), with the busiest localities suggested.
                                    <div class="field">
                                        <label for="locality">{lang.t(K::field_locality)}</label>
                                        <input
                                            id="locality"
                                            name="locality"
                                            type="text"
                                            list="locality-list"
                                            autocomplete="address-level2"
                                            value=f.locality.clone()
                                        />
                                        <datalist id="locality-list">
                                            {r
                                                .localities
                                                .iter()
                                                .map(|l| view! { <option value=l.clone()></option> })
                                                .collect_view()}
                                        </datalist>
                                    </div>
                                    <Choice
                                        id="rating"
                                        label=K::map_rating
                                        options=ratings
                                        selected=f.rating.clone()
                                        any=true
                                    />
                                    <fieldset class="field checks">
                                        <legend>{lang.t(K::map_needs)}</legend>
                                        {NEEDS
                                            .iter()
                                            .map(|n| {
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
                                                        <input
                                                            id=id.clone()
                                                            name=id.clone()
                                                            type="checkbox"
                                                            value="1"
                                                            checked=on
                                                        />
                                                        <label for=id>{lang.t(label)}</label>
                                                    </div>
                                                }
                                            })
                                            .collect_view()}
                                        <div class="check">
                                            <input
                                                id="reports"
                                                name="reports"
                                                type="checkbox"
                                                value="1"
                                                checked=f.reports
                                            />
                                            <label for="reports">{lang.t(K::map_need_reports)}</label>
                                        </div>
                                    </fieldset>
                                    <Choice id="sort" label=K::map_sort options=sorts selected=sort />
                                    <div class="field">
                                        <label for="near">{lang.t(K::map_near)}</label>
                                        <p class="hint" id="near-hint">
                                            {lang.t(K::map_near_hint)}
                                        </p>
                                        <input
                                            id="near"
                                            name="near"
                                            type="text"
                                            value=f.near.clone()
                                            aria-describedby="near-hint"
                                            autocomplete="address-level2"
                                        />
                                    </div>
                                    <input type="hidden" id="lat" name="lat" value=f.lat.clone() />
                                    <input type="hidden" id="lon" name="lon" value=f.lon.clone() />
                                    <p class="near-row">
                                        <NearMe />
                                    </p>
                                    <button type="submit" class="button">
                                        {lang.t(K::search)}
                                    </button>
                                </form>
                                {r
                                    .near_not_found
                                    .then(|| {
                                        view! {
                                            <p class="notice" role="alert">
                                                {lang.t(K::map_near_not_found)}
                                            </p>
                                        }
                                    })}
                                <a class="skip-map" href="#results">
                                    {lang.t(K::map_skip_map)}
                                </a>
                                <section id="map" class="map-section" aria-labelledby="map-h">
                                    <h2 id="map-h" class="visually-hidden">
                                        {lang.t(K::map_region)}
                                    </h2>
                                    <script src=leaflet_href("leaflet.js")></script>
                                    <MapIsland
                                        tile_url=tiles
                                        attribution=attribution
                                        query=query.clone()
                                        lat=lon_guard(lat)
                                        lon=lon_guard(lon)
                                        zoom=zoom
                                        labels=labels
                                    />
                                    <noscript>
                                        <p>{lang.t(K::map_noscript)}</p>
                                    </noscript>
                                    <p class="legend" aria-hidden="true">
                                        {Rating::ALL
                                            .iter()
                                            .map(|r| {
                                                view! {
                                                    <RatingTag rating=*r />
                                                    " "
                                                }
                                            })
                                            .collect_view()}
                                    </p>
                                </section>
                                <section id="results" tabindex="-1" aria-labelledby="results-h">
                                    <h2 id="results-h">{lang.t(K::map_list)}</h2>
                                    <p class="result-count" role="status" aria-live="polite">
                                        {count}
                                    </p>
                                    <ol class="cards place-list" inner_html=rows></ol>
                                    {pager}
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
                })
            }}
        </Transition>
    }
}

/// The list's rows as HTML. They are the same for everyone who asks in one language, so the
/// server keeps them beside the rows themselves (`ssr::reads`): a signed-in reader's page then
/// renders only its own parts. The list is not an island, so nothing hydrates inside it.
async fn place_rows_html(f: &PlaceFilter, lang: Lang, items: &[PlaceRow], query: &str) -> String {
    let render =
        || items.iter().map(|p| view! { <PlaceCard p=p.clone() query=query.to_string() /> }.to_html()).collect();
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
            <h3 class="card-title">
                <a href=href>{p.name.clone()}</a>
            </h3>
            <p>
                <RatingTag rating=p.rating />
                " "
                <BadgeList badges=p.badges />
            </p>
            <p class="muted">{t(category_label(&p.category))} " · " {place}</p>
            {p.distance_m.map(|d| view! { <p class="distance">{distance_text(lang, d)}</p> })}
            {(p.open_reports > 0).then(|| view! { <p class="tag">{tn(K::map_open_n, p.open_reports)}</p> })}
            {(p.overdue_reports > 0)
                .then(|| {
                    view! {
                        <p class="tag overdue">
                            <crate::ui::icons::Icon name=crate::ui::icons::IconName::Clock />
                            " "
                            {t(K::map_overdue)}
                        </p>
                    }
                })}
            <p>
                <a href=on_map aria-label=show_label>
                    {t(K::map_show_on_map)}
                </a>
            </p>
        </li>
    }
}
