//! `/map/petition`: the letters an organisation's members can download; and a place's printable
//! poster.
use super::*;

/// A printable A4 poster for the entrance: rating, and a QR code to report problems here.
#[component]
pub fn PosterPage() -> impl IntoView {
    let id = place_id_param();
    let place = Resource::new(id, get_place);
    let qr = Resource::new(id, poster_qr);
    let lang = use_lang();
    view! {
        <PageTitle k=K::map_poster />
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                match (place.await, qr.await) {
                    (Ok(p), Ok(svg)) => {
                        let url = format!("{}/map/places/{}", public_base(), p.row.id);
                        view! {
                            <p class="no-print">
                                <a href=format!("/map/places/{}", p.row.id)>{t(K::map_back_to_place)}</a>
                                " · "
                                {t(K::map_poster_print)}
                            </p>
                            <article class="poster">
                                <h1>{p.row.name.clone()}</h1>
                                <p class="poster-rating">
                                    <RatingTag rating=p.row.rating />
                                </p>
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
        <PageTitle k=K::map_petition_title />
        <h1>{t(K::map_petition_title)}</h1>
        <p>{t(K::map_petition_intro)}</p>
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                match targets.await {
                    Err(e) => {
                        view! {
                            <p role="alert">{e.0.message(lang)}</p>
                            <p>
                                <a href="/account/login?next=/map/petition">{t(K::nav_login)}</a>
                            </p>
                        }
                            .into_any()
                    }
                    Ok(list) if list.is_empty() => view! { <p>{t(K::map_petition_none)}</p> }.into_any(),
                    Ok(list) => {
                        view! {
                            <ul class="cards">
                                {list
                                    .into_iter()
                                    .map(|tg| {
                                        let href = format!(
                                            "/map/petition.pdf?org={}&authority={}",
                                            tg.org_id,
                                            tg.authority_id,
                                        );
                                        view! {
                                            <li class="card">
                                                <h2 class="card-title">{tg.authority_name.clone()}</h2>
                                                <p class="muted">
                                                    {tg.org_name.clone()} " · " {tn(K::map_petition_count, tg.reports)}
                                                </p>
                                                <p>
                                                    <a class="button" href=href download="petitie-accesibilitate.pdf">
                                                        {t(K::map_petition_download)}
                                                    </a>
                                                </p>
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
