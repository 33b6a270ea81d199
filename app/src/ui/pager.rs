//! A pager for long lists: previous and next (`rel=prev/next`), "page n of total", and the page
//! numbers around the current one with the first and the last, the current one marked
//! `aria-current="page"`. Plain links: it works without JavaScript.
use crate::i18n::{fill, t, K};
use leptos::prelude::*;

/// The page numbers a pager shows: the first, the last and `radius` pages either side of `page`;
/// `None` marks a gap ("…"). A gap of one page shows that page instead. The radius is at most 10.
pub fn window(page: i64, pages: i64, radius: i64) -> Vec<Option<i64>> {
    let pages = pages.max(1);
    let page = page.clamp(1, pages);
    let radius = radius.clamp(0, 10);
    let lo = page.saturating_sub(radius).max(1);
    let hi = page.saturating_add(radius).min(pages);
    let mut out = vec![];
    if lo > 1 {
        out.push(Some(1));
        match lo {
            2 => {}
            3 => out.push(Some(2)),
            _ => out.push(None),
        }
    }
    out.extend((lo..=hi).map(Some));
    if hi < pages {
        match pages - hi {
            1 => {}
            2 => out.push(Some(pages - 1)),
            _ => out.push(None),
        }
        out.push(Some(pages));
    }
    out
}

/// The pager, or nothing when everything fits on one page. `label` names the landmark ("Pages of
/// the report"); `href` gives each page's address. Every address is made here, so the view owns
/// what it shows and callers may pass a closure that borrows.
pub fn pager(label: String, page: i64, pages: i64, href: impl Fn(i64) -> String) -> AnyView {
    (pages > 1)
        .then(|| {
            let page = page.clamp(1, pages);
            let prev = (page > 1).then(|| href(page - 1));
            let next = (page < pages).then(|| href(page + 1));
            let links = window(page, pages, 2)
                .into_iter()
                .map(|p| match p {
                    Some(p) => {
                        let cur = (p == page).then_some("page");
                        view! {
                            <li>
                                <a href=href(p) aria-current=cur>
                                    {p}
                                </a>
                            </li>
                        }
                        .into_any()
                    }
                    None => view! {
                        <li class="gap" aria-hidden="true">
                            "…"
                        </li>
                    }
                    .into_any(),
                })
                .collect_view();
            view! {
                <nav class="pager" aria-label=label>
                    {prev
                        .map(|h| {
                            view! {
                                <a href=h rel="prev">
                                    {t(K::pager_prev)}
                                </a>
                            }
                        })}
                    <span>{fill(t(K::pager_page_of), &[("n", &page.to_string()), ("total", &pages.to_string())])}</span>
                    {next
                        .map(|h| {
                            view! {
                                <a href=h rel="next">
                                    {t(K::pager_next)}
                                </a>
                            }
                        })}
                    <ul class="page-links">{links}</ul>
                </nav>
            }
        })
        .into_any()
}

#[cfg(test)]
mod tests {
    use super::window;

    fn w(page: i64, pages: i64) -> Vec<Option<i64>> {
        window(page, pages, 2)
    }

    #[test]
    fn few_pages_are_all_shown() {
        assert_eq!(w(1, 1), [Some(1)]);
        assert_eq!(w(2, 3), [Some(1), Some(2), Some(3)]);
        assert_eq!(w(1, 5), (1..=5).map(Some).collect::<Vec<_>>(), "a gap of two pages is no gap with radius 2");
    }

    #[test]
    fn many_pages_show_a_window_with_the_first_and_the_last() {
        assert_eq!(w(1, 50), [Some(1), Some(2), Some(3), None, Some(50)]);
        assert_eq!(w(25, 50), [Some(1), None, Some(23), Some(24), Some(25), Some(26), Some(27), None, Some(50)]);
        assert_eq!(w(50, 50), [Some(1), None, Some(48), Some(49), Some(50)]);
        // A gap of a single page shows the page rather than "…".
        assert_eq!(w(5, 50), [Some(1), Some(2), Some(3), Some(4), Some(5), Some(6), Some(7), None, Some(50)]);
        assert_eq!(w(4, 7), (1..=7).map(Some).collect::<Vec<_>>());
    }

    #[test]
    fn out_of_range_pages_are_clamped() {
        assert_eq!(w(0, 3), [Some(1), Some(2), Some(3)]);
        assert_eq!(w(-9, 50), [Some(1), Some(2), Some(3), None, Some(50)]);
        assert_eq!(w(i64::MAX, 50), [Some(1), None, Some(48), Some(49), Some(50)]);
        assert_eq!(w(3, 0), [Some(1)]);
        let huge = window(i64::MAX, i64::MAX, i64::MAX);
        assert!(huge.len() <= 25, "the radius is capped: {}", huge.len());
        assert_eq!((huge[0], huge[1], huge.last().copied()), (Some(1), None, Some(Some(i64::MAX))));
    }
}
