//! An organisation's admins keep its profile current: descriptions, links, where it works, founding
//! year, contact, and a logo with its alt text.
use super::{get_org, OrgsError};
#[cfg(feature = "ssr")]
use crate::error::{FormState, Problem};
use crate::i18n::{t, use_lang, K};
use crate::ui::form::{problem_of, ErrorSummary, Field, TextArea};
use crate::ui::PageTitle;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

pub const MAX_SOCIAL_LINKS: usize = 5;

/// One http(s) link per line, at most five, each at most 200 characters.
pub fn parse_links(raw: &str) -> Result<Vec<String>, K> {
    let links: Vec<String> = raw.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
    if links.len() > MAX_SOCIAL_LINKS {
        return Err(K::orgs_profile_err_links_many);
    }
    if links
        .iter()
        .any(|l| !(l.starts_with("https://") || l.starts_with("http://")) || l.len() > 200 || l.contains(' '))
    {
        return Err(K::err_url);
    }
    Ok(links)
}

/// A founding year between the first Romanian associations' era and this year; empty is allowed.
pub fn parse_year(raw: &str, this_year: i64) -> Result<Option<i64>, K> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    match raw.parse::<i64>() {
        Ok(y) if (1800..=this_year).contains(&y) => Ok(Some(y)),
        _ => Err(K::orgs_profile_err_year),
    }
}

#[server]
pub async fn update_org_profile(
    org_id: i64,
    short_description: String,
    description: String,
    website: String,
    social_links: String,
    areas: String,
    founding_year: String,
    contact_email: String,
) -> Result<(), OrgsError> {
    use crate::text::clean_text;
    super::members::manager(org_id).await?;
    let st = crate::ssr::state();
    let mut form = FormState::new()
        .value("short_description", &short_description)
        .value("description", &description)
        .value("website", &website)
        .value("social_links", &social_links)
        .value("areas", &areas)
        .value("founding_year", &founding_year)
        .value("contact_email", &contact_email);
    let short = clean_text(&short_description, 300);
    if short.chars().count() < 10 {
        form.add("short_description", K::err_description);
    }
    let website = clean_text(&website, 200);
    if !(website.is_empty() || website.starts_with("https://") || website.starts_with("http://")) {
        form.add("website", K::err_url);
    }
    let links = form.check("social_links", parse_links(&social_links));
    let this_year = 1970 + crate::ssr::now() / 31_556_952;
    let year = form.check("founding_year", parse_year(&founding_year, this_year));
    let contact = if contact_email.trim().is_empty() {
        Some(String::new())
    } else {
        form.check("contact_email", crate::types::Email::parse(&contact_email)).map(|e| e.to_string())
    };
    let (Some(links), Some(year), Some(contact), true) = (links, year, contact, form.is_ok()) else {
        return Err(form.into());
    };
    let description: String = description.chars().take(5000).collect();
    let update = super::db::ProfileUpdate {
        short_description: short,
        description: description.trim().to_string(),
        website,
        social_url: links.join("\n"),
        areas: clean_text(&areas, 300),
        founding_year: year,
        contact_email: contact,
    };
    let slug = super::db::update_profile(&st.db, org_id, &update).await?.ok_or(OrgsError(Problem::NotFound))?;
    leptos_axum::redirect(&format!("/organisations/{slug}?saved=1"));
    Ok(())
}

/// `POST /organisations/{id}/logo` (multipart, works without JavaScript): the logo and its alt
/// text. Only the organisation's admins get the body read; problems come back to the edit page,
/// next to the file field.
#[cfg(feature = "ssr")]
pub async fn upload_logo(
    axum::extract::State(st): axum::extract::State<crate::ssr::AppState>,
    axum::extract::Path(org_id): axum::extract::Path<i64>,
    headers: ::http::HeaderMap,
    mp: axum::extract::Multipart,
) -> axum::response::Response {
    use ::http::StatusCode;
    use axum::response::{IntoResponse, Redirect};
    match crate::accounts::session::user_of(&st, &headers).await {
        Ok(Some(u)) if super::members::can_manage(&u, org_id) => {}
        Ok(_) => return StatusCode::FORBIDDEN.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "logo upload");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    }
    let slug = match super::db::slug_and_name(&st.db, org_id).await {
        Ok(Some((slug, _))) => slug,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "logo upload");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let path = format!("/organisations/{slug}/edit");
    let back = |code: &str| {
        let errors = [crate::ssr::forms::FieldProblem::new("logo", code)];
        crate::ssr::forms::send_back(&headers, &path, Some("logo-h"), &errors, &[], |lang, code| {
            lang.t(logo_problem(code)).to_string()
        })
    };
    let limits = crate::ssr::multipart::Limits::files(crate::ssr::images::MAX_BYTES);
    let form = match crate::ssr::multipart::read(mp, limits).await {
        Ok(f) if !f.too_large.is_empty() => return back("size"),
        Ok(f) => f,
        Err(e) => return e.status().into_response(),
    };
    let alt = crate::text::clean_text(&form.get("logo_alt"), 200);
    let Some(file) = form.files.get("logo").cloned() else { return back("missing") };
    if alt.chars().count() < 3 {
        return back("alt");
    }
    let img = match crate::ssr::images::process_off_thread(file).await {
        Ok(img) => img,
        Err(crate::ssr::images::ImageError::TooLarge | crate::ssr::images::ImageError::TooManyPixels) => {
            return back("size")
        }
        Err(_) => return back("type"),
    };
    let key = format!("orgs/{}.jpg", crate::ssr::public_id());
    if let Err(e) = st.store.put(&key, img.thumb).await {
        tracing::error!(error = %e, "logo store");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    match super::db::set_logo(&st.db, org_id, &key, &alt).await {
        Ok(old) => {
            if let Some(old) = old {
                let _ = st.store.delete(&old).await;
            }
            Redirect::to(&format!("/organisations/{slug}?saved=1")).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "logo upload");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The message of a logo problem (shown next to the file field).
pub fn logo_problem(code: &str) -> K {
    match code {
        "alt" => K::orgs_profile_err_alt,
        "size" => K::orgs_profile_err_size,
        "type" => K::orgs_profile_err_type,
        _ => K::orgs_profile_err_missing,
    }
}

#[component]
pub fn OrgEdit() -> impl IntoView {
    let params = use_params_map();
    let q = use_query_map();
    let slug = move || params.with(|p| p.get("slug").unwrap_or_default());
    let org = Resource::new(slug, get_org);
    let action = ServerAction::<UpdateOrgProfile>::new();
    let p = problem_of(action);
    let lang = use_lang();
    let logo_error = move || q.with(|q| crate::ui::form::query_error(q, "logo")).map(|c| logo_problem(&c));
    view! {
        <PageTitle k=K::orgs_profile_title/>
        <h1>{t(K::orgs_profile_title)}</h1>
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                match org.await {
                    Err(e) => view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(o) => {
                        let id = o.card.id;
                        let year = o.founding_year.map(|y| y.to_string()).unwrap_or_default();
                        let contact = o.contact_parts.clone().map(|(a, b)| format!("{a}@{b}")).unwrap_or_default();
                        view! {
                            <p><a href=format!("/organisations/{}", o.card.slug)>{o.card.name.clone()}</a></p>
                            <ActionForm action=action attr:class="form" attr:novalidate=true>
                                <ErrorSummary problem=p/>
                                <input type="hidden" name="org_id" value=id/>
                                <Field problem=p name="short_description" label=K::orgs_short_description required=true initial=o.card.short_description.clone()/>
                                <TextArea problem=p name="description" label=K::orgs_profile_description hint=K::orgs_profile_description_hint initial=o.description.clone()/>
                                <Field problem=p name="website" label=K::orgs_website kind="url" autocomplete="url" initial=o.website.clone()/>
                                <TextArea problem=p name="social_links" label=K::orgs_profile_social hint=K::orgs_profile_social_hint initial=o.social_url.clone()/>
                                <Field problem=p name="areas" label=K::orgs_profile_areas hint=K::orgs_profile_areas_hint initial=o.areas.clone()/>
                                <Field problem=p name="founding_year" label=K::orgs_founded initial=year/>
                                <Field problem=p name="contact_email" label=K::orgs_contact kind="email" autocomplete="email" initial=contact/>
                                <button type="submit" class="button">{t(K::orgs_profile_save)}</button>
                            </ActionForm>
                            <section aria-labelledby="logo-h">
                                <h2 id="logo-h">{t(K::orgs_profile_logo)}</h2>
                                {o.logo_url.clone().map(|src| view! { <img class="org-logo" src=src alt=o.logo_alt.clone() width="160"/> })}
                                <form class="form" method="post" enctype="multipart/form-data" action=format!("/organisations/{id}/logo")>
                                    <div class="field">
                                        <label for="f-logo">{t(K::orgs_profile_logo_file)}</label>
                                        <p class="hint" id="f-logo-hint">{t(K::orgs_profile_logo_hint)}</p>
                                        {move || logo_error().map(|k| view! { <p class="field-error" id="f-logo-err">{t(k)}</p> })}
                                        <input id="f-logo" type="file" name="logo" accept="image/jpeg,image/png,image/webp"
                                            aria-describedby=move || if logo_error().is_some() { "f-logo-hint f-logo-err" } else { "f-logo-hint" }
                                            aria-invalid=move || logo_error().is_some().then_some("true")/>
                                    </div>
                                    <div class="field">
                                        <label for="f-logo_alt">{t(K::orgs_profile_logo_alt)}</label>
                                        <p class="hint" id="f-logo_alt-hint">{t(K::orgs_profile_logo_alt_hint)}</p>
                                        <input id="f-logo_alt" type="text" name="logo_alt" required=true maxlength="200" value=o.logo_alt.clone() aria-describedby="f-logo_alt-hint"/>
                                    </div>
                                    <button type="submit" class="button secondary">{t(K::orgs_profile_logo_submit)}</button>
                                </form>
                            </section>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_years_parse_at_the_edge() {
        assert_eq!(
            parse_links("https://facebook.com/rampa\n\n  https://instagram.com/rampa  ").unwrap(),
            ["https://facebook.com/rampa", "https://instagram.com/rampa"]
        );
        assert_eq!(parse_links("javascript:alert(1)"), Err(K::err_url));
        assert_eq!(parse_links(&"https://x.ro\n".repeat(6)), Err(K::orgs_profile_err_links_many));
        assert_eq!(parse_year("", 2026), Ok(None));
        assert_eq!(parse_year(" 2009 ", 2026), Ok(Some(2009)));
        assert_eq!(parse_year("2027", 2026), Err(K::orgs_profile_err_year));
        assert_eq!(parse_year("anul trecut", 2026), Err(K::orgs_profile_err_year));
    }
}
