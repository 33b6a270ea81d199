//! Server-rendered pages of the map, one file per page: the list (a full equal of the map, usable
//! without JS) with the map island above it (`map`), a place (`place`), a report with its timeline
//! and the report form (`report`), the reporter's "has it been fixed?" (`followup`), the audit form, statistics, the petition and the poster, the
//! import and the locality assignments; the islands are in `widget`. What several pages share is
//! here.
use super::rules::{category_label, Rating, CATEGORIES, NUM_FIELDS, TRI_FIELDS};
use super::*;
use crate::accounts::use_me;
use crate::i18n::{fill, t, tn, use_lang, Lang, K};
use crate::ui::form::{problem_of, ErrorSummary};
use crate::ui::icons::{Icon, IconName};
use crate::ui::{Notice, PageTitle};
use leptos::form::ActionForm;
use leptos_router::hooks::{use_params_map, use_query_map};

mod audit;
mod followup;
mod import;
mod localities;
mod map;
mod petition;
mod place;
mod report;
mod stats;
pub mod widget;

pub use audit::AuditForm;
pub use followup::FollowupPage;
pub use import::ImportPage;
pub use localities::LocalitiesPage;
pub use map::MapPage;
pub use petition::{PetitionPage, PosterPage};
pub use place::{OrgMapReports, PlacePage, ReportList};
pub use report::{ReportForm, ReportPage};
pub use stats::StatsPage;

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
    let v = super::http::LEAFLET_VERSION;
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
    view! {
        <span class=class>
            <span class="rating-symbol" aria-hidden="true">
                <Icon name=rating_icon(rating) />
            </span>
            {t(rating.label())}
        </span>
    }
}

/// The rating's shape, told apart without colour (also drawn on the map's markers).
pub fn rating_icon(rating: Rating) -> IconName {
    match rating {
        Rating::Accessible => IconName::Check,
        Rating::Partly => IconName::Alert,
        Rating::NotAccessible => IconName::Cross,
        Rating::Unknown => IconName::Question,
    }
}

#[component]
fn BadgeList(badges: Badges) -> impl IntoView {
    view! {
        <span class="badges">
            {badges
                .toilet
                .then(|| {
                    view! {
                        <span class="tag">
                            <Icon name=IconName::Wheelchair />
                            {t(K::map_badge_toilet)}
                        </span>
                    }
                })}
            {badges
                .blind
                .then(|| {
                    view! {
                        <span class="tag">
                            <Icon name=IconName::Braille />
                            {t(K::map_badge_blind)}
                        </span>
                    }
                })}
            {badges
                .deaf
                .then(|| {
                    view! {
                        <span class="tag">
                            <Icon name=IconName::Ear />
                            {t(K::map_badge_deaf)}
                        </span>
                    }
                })}
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
                {options
                    .into_iter()
                    .map(|(v, text)| {
                        let sel = v == selected;
                        view! {
                            <option value=v selected=sel>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

#[component]
fn PhotoGrid(photos: Vec<Photo>) -> impl IntoView {
    (!photos.is_empty()).then(|| {
        view! {
            <ul class="photos">
                {photos
                    .into_iter()
                    .map(|p| {
                        view! {
                            <li>
                                <a href=p.full.clone()>
                                    <img src=p.thumb.clone() alt=p.alt.clone() loading="lazy" width="200" />
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    })
}

fn place_id_param() -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.with(|p| p.get("id").and_then(|i| i.parse().ok()).unwrap_or(0))
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

fn query_errors() -> Memo<Vec<(String, String)>> {
    let q = use_query_map();
    Memo::new(move |_| q.with(crate::ui::form::query_errors))
}
