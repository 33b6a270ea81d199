//! The home page: what the platform offers, each capability an entry point with a live figure
//! taken from the feature that owns it.
use crate::i18n::{t, use_lang, K};
use crate::ui::{Notice, PageTitle};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

crate::feature_error!(SiteError);

/// The figures of the home page's entry points.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HomeFigures {
    pub places: i64,
    pub open_consultations: i64,
    /// Raised on every campaign this calendar month, in bani.
    pub raised_month_bani: i64,
}

/// Three cheap counts, the same for everyone: kept briefly in the shared reads (ssr::reads).
#[server]
pub async fn get_home_figures() -> Result<HomeFigures, SiteError> {
    let db = crate::ssr::state().db;
    let month = crate::fmt::bucharest_month_start(crate::ssr::now());
    let figures = db
        .reads
        .get(&format!("home-figures|{month}"), || async {
            Ok::<_, sqlx::Error>(HomeFigures {
                places: crate::map::service::places::places_mapped(&db).await?,
                open_consultations: crate::consultations::service::reading::open_now(&db).await?,
                raised_month_bani: crate::donations::service::campaigns::raised_this_month(&db).await?,
            })
        })
        .await?;
    Ok(*figures)
}

#[component]
pub fn Home() -> impl IntoView {
    let q = use_query_map();
    let deleted = move || q.with(|q| q.get("deleted").is_some());
    let figures = Resource::new(|| (), |_| get_home_figures());
    view! {
        <PageTitle k=K::home_title />
        {move || deleted().then(|| view! { <Notice text=t(K::account_deleted_notice) /> })}
        <section class="hero" aria-labelledby="hero-title">
            <h1 id="hero-title">{t(K::home_title)}</h1>
            <p class="lead">{t(K::home_lead)}</p>
            <p>
                <a class="button" href="/account/register">
                    {t(K::home_cta)}
                </a>
            </p>
        </section>
        <section aria-labelledby="offer-title">
            <h2 id="offer-title">{t(K::home_offer)}</h2>
            <Transition fallback=|| {
                view! { <EntryPoints figures=None /> }
            }>
                {move || Suspend::new(async move {
                    view! { <EntryPoints figures=figures.await.ok() /> }
                })}
            </Transition>
        </section>
        <super::LatestStories />
        <p class="demo-note">{t(K::home_demo_note)}</p>
    }
}

/// The capabilities as links, each with its figure (left out when it could not be read).
#[component]
fn EntryPoints(figures: Option<HomeFigures>) -> impl IntoView {
    let lang = use_lang();
    let n = |v: i64| crate::fmt::number(lang, v);
    // "1 loc", "20 de locuri": Romanian counts take their plural from the number.
    let counted = |v: i64, [one, few, other]: [K; 3]| {
        use crate::donations::rules::{plural, Plural};
        let key = match plural(lang, v) {
            Plural::One => one,
            Plural::Few => few,
            Plural::Other => other,
        };
        lang.tf(key, &[("n", &n(v))])
    };
    let cards: [(&str, K, K, Option<String>); 4] = [
        (
            "/map",
            K::home_map_title,
            K::home_map_text,
            figures
                .map(|f| counted(f.places, [K::home_fig_places_one, K::home_fig_places_few, K::home_fig_places_other])),
        ),
        (
            "/consultations",
            K::home_consult_title,
            K::home_consult_text,
            figures.map(|f| {
                let keys =
                    [K::home_fig_consultations_one, K::home_fig_consultations_few, K::home_fig_consultations_other];
                counted(f.open_consultations, keys)
            }),
        ),
        (
            "/campaigns",
            K::home_donate_title,
            K::home_donate_text,
            figures.map(|f| lang.tf(K::home_fig_raised, &[("sum", &crate::fmt::lei(lang, f.raised_month_bani))])),
        ),
        ("/organisations", K::home_orgs_title, K::home_orgs_text, None),
    ];
    view! {
        <ul class="cards entry-points">
            {cards
                .into_iter()
                .map(|(href, title, text, figure)| {
                    view! {
                        <li class="card">
                            <h3>
                                <a href=href>{t(title)}</a>
                            </h3>
                            {figure.map(|f| view! { <p class="figure">{f}</p> })}
                            <p>{t(text)}</p>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
