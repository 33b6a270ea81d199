//! `/map/stats`: the places by rating, category and locality, and the reports by state.
use super::*;

/// A horizontal bar chart in SVG with its numbers as text; the table next to it carries the data.
#[component]
fn BarChart(title: String, bars: Vec<(String, i64)>) -> impl IntoView {
    let max = bars.iter().map(|b| b.1).max().unwrap_or(1).max(1);
    let h = bars.len() as i64 * 28 + 8;
    let desc = bars.iter().map(|(l, n)| format!("{l}: {n}")).collect::<Vec<_>>().join("; ");
    view! {
        <figure class="chart">
            <svg role="img" viewBox=format!("0 0 600 {h}") width="100%" aria-label=format!("{title}. {desc}")>
                {bars
                    .into_iter()
                    .enumerate()
                    .map(|(i, (label, n))| {
                        let y = i as i64 * 28 + 4;
                        let w = (n * 330 / max).max(if n > 0 { 2 } else { 0 });
                        view! {
                            <text x="0" y=y + 16 class="chart-label">
                                {label}
                            </text>
                            <rect x="220" y=y width=w height="20" class=format!("bar bar-{i}")></rect>
                            <text x=230 + w y=y + 16 class="chart-value">
                                {n}
                            </text>
                        }
                    })
                    .collect_view()}
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
        <PageTitle k=K::map_stats_title />
        <h1>{t(K::map_stats_title)}</h1>
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                match stats.await {
                    Err(e) => view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(s) => {
                        let rating_label = |c: &str| t(Rating::parse(c).unwrap_or(Rating::Unknown).label()).to_string();
                        let pct = |n: i64| if s.total > 0 { format!("{}%", n * 100 / s.total) } else { "0%".into() };
                        let by_rating: Vec<(String, i64)> = s
                            .by_rating
                            .iter()
                            .map(|(c, n)| (rating_label(c), *n))
                            .collect();
                        let reports: Vec<(String, i64)> = s
                            .reports
                            .iter()
                            .map(|(c, n)| (
                                t(ReportState::parse(c).unwrap_or(ReportState::New).label()).to_string(),
                                *n,
                            ))
                            .collect();
                        let head = view! {
                            <thead>
                                <tr>
                                    <th scope="col">{t(K::map_group)}</th>
                                    {Rating::ALL
                                        .iter()
                                        .map(|r| view! { <th scope="col">{t(r.label())}</th> })
                                        .collect_view()}
                                </tr>
                            </thead>
                        };
                        let head2 = view! {
                            <thead>
                                <tr>
                                    <th scope="col">{t(K::map_group)}</th>
                                    {Rating::ALL
                                        .iter()
                                        .map(|r| view! { <th scope="col">{t(r.label())}</th> })
                                        .collect_view()}
                                </tr>
                            </thead>
                        };
                        view! {
                            <p>{tn(K::map_count, s.total)}</p>
                            <section aria-labelledby="st-r">
                                <h2 id="st-r">{t(K::map_stats_by_rating)}</h2>
                                <BarChart title=t(K::map_stats_by_rating).to_string() bars=by_rating.clone() />
                                <table>
                                    <caption>{t(K::map_stats_by_rating)}</caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">{t(K::map_rating)}</th>
                                            <th scope="col">{t(K::map_number)}</th>
                                            <th scope="col">"%"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {by_rating
                                            .iter()
                                            .map(|(l, n)| {
                                                view! {
                                                    <tr>
                                                        <th scope="row">{l.clone()}</th>
                                                        <td>{*n}</td>
                                                        <td>{pct(*n)}</td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            </section>
                            <section aria-labelledby="st-c">
                                <h2 id="st-c">{t(K::map_stats_by_category)}</h2>
                                <table>
                                    <caption>{t(K::map_stats_by_category)}</caption>
                                    {head}
                                    <tbody>
                                        {s
                                            .by_category
                                            .iter()
                                            .map(|(c, v)| {
                                                view! {
                                                    <tr>
                                                        <th scope="row">{t(category_label(c))}</th>
                                                        {v.iter().map(|n| view! { <td>{*n}</td> }).collect_view()}
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            </section>
                            <section aria-labelledby="st-l">
                                <h2 id="st-l">{t(K::map_stats_by_locality)}</h2>
                                <table>
                                    <caption>{t(K::map_stats_by_locality)}</caption>
                                    {head2}
                                    <tbody>
                                        {s
                                            .by_locality
                                            .iter()
                                            .map(|(c, v)| {
                                                view! {
                                                    <tr>
                                                        <th scope="row">{c.clone()}</th>
                                                        {v.iter().map(|n| view! { <td>{*n}</td> }).collect_view()}
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            </section>
                            <section aria-labelledby="st-rep">
                                <h2 id="st-rep">{t(K::map_stats_reports)}</h2>
                                <BarChart title=t(K::map_stats_reports).to_string() bars=reports.clone() />
                                <table>
                                    <caption>{t(K::map_stats_reports)}</caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">{t(K::map_state)}</th>
                                            <th scope="col">{t(K::map_number)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {reports
                                            .iter()
                                            .map(|(l, n)| {
                                                view! {
                                                    <tr>
                                                        <th scope="row">{l.clone()}</th>
                                                        <td>{*n}</td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()} <tr>
                                            <th scope="row">{t(K::map_overdue)}</th>
                                            <td>{s.overdue}</td>
                                        </tr>
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
