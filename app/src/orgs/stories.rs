//! Stories of public participation and news, in Markdown, tagged by domain and locality, with an
//! Atom feed.
use super::rules::{domain_label, DOMAINS};
use super::*;
use crate::i18n::{t, use_lang, K};
use crate::ui::form::{problem_of, ErrorSummary, Field, TextArea};
use crate::ui::PageTitle;
use leptos::form::ActionForm;
use leptos_router::hooks::use_params_map;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoryCard {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub domain: String,
    pub locality: String,
    pub org_name: Option<String>,
    pub published_at: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoryView {
    pub card: StoryCard,
    /// Sanitised HTML rendered from the Markdown on the server.
    pub html: String,
}

/// `org_id` 0 means every organisation.
#[server]
pub async fn list_stories(org_id: i64, limit: i64) -> Result<Vec<StoryCard>, OrgsError> {
    Ok(db::stories(&crate::ssr::state().db, org_id, limit.clamp(1, 100)).await?)
}

#[server]
pub async fn get_story(slug: String) -> Result<StoryView, OrgsError> {
    let st = crate::ssr::state();
    let (card, md) = db::story(&st.db, &slug).await?.ok_or(OrgsError(Problem::NotFound))?;
    Ok(StoryView { card, html: crate::ssr::markdown::render(&md) })
}

#[server]
pub async fn create_story(
    org_id: i64,
    title: String,
    summary: String,
    body: String,
    domain: String,
    locality: String,
) -> Result<(), OrgsError> {
    use crate::text::clean_text;
    let st = crate::ssr::state();
    let me = super::members::manager(org_id).await?;
    if let Some(wait) = crate::ssr::rate_limit::hit(&st.db, &format!("org.story:{org_id}"), 20, 86_400).await? {
        return Err(OrgsError(Problem::rate_limited(
            wait,
            FormState::new().value("title", &title).value("body", &body),
        )));
    }
    let mut form = FormState::new()
        .value("title", &title)
        .value("summary", &summary)
        .value("body", &body)
        .value("domain", &domain)
        .value("locality", &locality);
    let title = clean_text(&title, 150);
    if title.chars().count() < 3 {
        form.add("title", K::err_required);
    }
    if clean_text(&summary, 300).chars().count() < 10 {
        form.add("summary", K::err_description);
    }
    if body.trim().chars().count() < 20 {
        form.add("body", K::err_story_body);
    }
    if !DOMAINS.contains(&domain.as_str()) {
        form.add("domain", K::err_choose);
    }
    if !form.is_ok() {
        return Err(form.into());
    }
    let base =
        crate::types::Slug::from_name(&title).map(|s| s.as_str().to_string()).unwrap_or_else(|| "poveste".into());
    let slug = format!("{base}-{}", &crate::ssr::public_id()[..6]);
    let body: String = body.chars().take(20_000).collect();
    db::create_story(
        &st.db,
        &slug,
        org_id,
        &title,
        &clean_text(&summary, 300),
        &body,
        &domain,
        &clean_text(&locality, 80),
        me.id,
    )
    .await?;
    leptos_axum::redirect(&format!("/stories/{slug}"));
    Ok(())
}

use crate::text::escape_html as xml_escape;

/// An Atom 1.0 feed of the newest stories.
pub fn atom(base: &str, stories: &[StoryCard]) -> String {
    let updated =
        stories.first().map(|s| crate::fmt::iso_utc(s.published_at)).unwrap_or_else(|| crate::fmt::iso_utc(0));
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"ro\">\n<title>Participa — povești de participare publică</title>\n<id>{base}/stories</id>\n<link rel=\"self\" href=\"{base}/stories/feed.atom\"/>\n<link href=\"{base}/stories\"/>\n<updated>{updated}</updated>\n"
    );
    for s in stories {
        let url = format!("{base}/stories/{}", s.slug);
        out.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>{url}</id>\n<link href=\"{url}\"/>\n<updated>{}</updated>\n<author><name>{}</name></author>\n<summary>{}</summary>\n</entry>\n",
            xml_escape(&s.title),
            crate::fmt::iso_utc(s.published_at),
            xml_escape(s.org_name.as_deref().unwrap_or("Participa")),
            xml_escape(&s.summary)
        ));
    }
    out.push_str("</feed>\n");
    out
}

#[cfg(feature = "ssr")]
pub async fn feed(axum::extract::State(st): axum::extract::State<crate::ssr::AppState>) -> axum::response::Response {
    use axum::response::IntoResponse;
    match db::stories(&st.db, 0, 30).await {
        Ok(list) => (
            [(axum::http::header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
            atom(st.settings.public_url.trim_end_matches('/'), &list),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "atom feed");
            axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[component]
pub fn StoryCards(stories: Vec<StoryCard>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ul class="cards">
            {stories.into_iter().map(|s| {
                let href = format!("/stories/{}", s.slug);
                let meta = [Some(crate::fmt::date(lang, s.published_at)), s.org_name.clone(), (!s.locality.is_empty()).then(|| s.locality.clone())]
                    .into_iter().flatten().collect::<Vec<_>>().join(" · ");
                view! {
                    <li class="card">
                        <h3 class="card-title"><a href=href>{s.title}</a></h3>
                        <p class="muted small">{meta}</p>
                        <p>{s.summary}</p>
                        <p class="tag">{t(domain_label(&s.domain))}</p>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn StoriesPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| list_stories(0, 50));
    let lang = use_lang();
    view! {
        <PageTitle k=K::stories_title/>
        <h1>{t(K::stories_title)}</h1>
        <p>{t(K::stories_intro)} " " <a href="/stories/feed.atom">{t(K::stories_feed)}</a></p>
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(s) => view! { <StoryCards stories=s/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn StoryPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.with(|p| p.get("slug").unwrap_or_default());
    let story = Resource::new(slug, get_story);
    let lang = use_lang();
    view! {
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                match story.await {
                    Err(e) => view! { <h1>{t(K::notfound_title)}</h1><p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(s) => {
                        let title = format!("{} · {}", s.card.title, t(K::site_name));
                        let meta = [Some(crate::fmt::date(lang, s.card.published_at)), s.card.org_name.clone(), (!s.card.locality.is_empty()).then(|| s.card.locality.clone())]
                            .into_iter().flatten().collect::<Vec<_>>().join(" · ");
                        view! {
                            <crate::ui::DataTitle text=title/>
                            <article>
                                <h1>{s.card.title.clone()}</h1>
                                <p class="muted">{meta}</p>
                                <p class="lead">{s.card.summary.clone()}</p>
                                <div class="prose" inner_html=s.html.clone()></div>
                            </article>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
pub fn NewStoryForm(org_id: i64) -> impl IntoView {
    let action = ServerAction::<CreateStory>::new();
    let p = problem_of(action);
    view! {
        <h3>{t(K::stories_new)}</h3>
        <ActionForm action=action attr:class="form" attr:novalidate=true>
            <ErrorSummary problem=p/>
            <input type="hidden" name="org_id" value=org_id/>
            <Field problem=p name="title" label=K::event_title required=true/>
            <Field problem=p name="summary" label=K::stories_summary required=true/>
                <TextArea problem=p name="body" label=K::stories_body hint=K::hint_markdown/>
            <div class="field">
                <label for="f-domain">{t(K::orgs_domain)}</label>
                <select id="f-domain" name="domain">
                    {DOMAINS.iter().map(|d| view! { <option value=*d>{t(domain_label(d))}</option> }).collect_view()}
                </select>
            </div>
            <Field problem=p name="locality" label=K::field_locality/>
            <button type="submit" class="button">{t(K::stories_publish)}</button>
        </ActionForm>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atom_feed_escapes_and_lists_entries() {
        let s = StoryCard {
            slug: "rampa".into(),
            title: "Rampă <nouă> & sigură".into(),
            summary: "Primăria a reparat rampa".into(),
            domain: "disability".into(),
            locality: "Focșani".into(),
            org_name: Some("Grupul DizAbil.Eu Vrancea".into()),
            published_at: 0,
        };
        let xml = atom("https://participa.example", &[s]);
        assert!(xml.contains("<title>Rampă &lt;nouă&gt; &amp; sigură</title>"));
        assert!(xml.contains("<id>https://participa.example/stories/rampa</id>"));
        assert!(xml.contains("<updated>1970-01-01T00:00:00Z</updated>"));
        assert_eq!(xml.matches("<entry>").count(), 1);
    }
}
