//! Splits a pasted Romanian draft into chapters, articles and paragraphs: "CAPITOLUL I",
//! "Secțiunea 1", "Art. 1" / "Articolul 1", "(1)" and "1." paragraphs, "a)" points kept inside their
//! paragraph. A line starting with "## " forces a new unit: that is how an organiser corrects a split.
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum UnitKind {
    /// Text before the first article (title, legal basis, "HOTĂRĂȘTE:").
    Preamble,
    Chapter,
    Section,
    Article,
}

impl UnitKind {
    pub fn code(self) -> &'static str {
        match self {
            UnitKind::Preamble => "preamble",
            UnitKind::Chapter => "chapter",
            UnitKind::Section => "section",
            UnitKind::Article => "article",
        }
    }

    pub fn parse(code: &str) -> UnitKind {
        match code {
            "chapter" => UnitKind::Chapter,
            "section" => UnitKind::Section,
            "article" => UnitKind::Article,
            _ => UnitKind::Preamble,
        }
    }

    /// Chapters and sections are headings; people comment on articles and the preamble.
    pub fn commentable(self) -> bool {
        matches!(self, UnitKind::Article | UnitKind::Preamble)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Para {
    /// "(1)", "2." or empty.
    pub label: String,
    /// Points ("a) …") stay here, one per line.
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Unit {
    pub kind: UnitKind,
    /// "Art. 3", "Capitolul II", "" for the preamble.
    pub label: String,
    /// Marginal title ("Obiectul hotărârii") or a chapter's name.
    pub title: String,
    pub paragraphs: Vec<Para>,
}

impl Unit {
    fn new(kind: UnitKind, label: String, title: String) -> Unit {
        Unit { kind, label, title, paragraphs: vec![] }
    }

    /// The text of the unit as one string (paragraph labels included), for diffs and exports.
    pub fn text(&self) -> String {
        self.paragraphs
            .iter()
            .map(|p| if p.label.is_empty() { p.text.clone() } else { format!("{} {}", p.label, p.text) })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Romanian texts pasted from old documents use the cedilla letters; the law uses the comma ones.
pub fn normalise_diacritics(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'ş' => 'ș',
            'Ş' => 'Ș',
            'ţ' => 'ț',
            'Ţ' => 'Ț',
            '\u{a0}' => ' ',
            other => other,
        })
        .collect()
}

fn is_roman_or_number(s: &str) -> bool {
    !s.is_empty() && (s.chars().all(|c| c.is_ascii_digit()) || s.chars().all(|c| "IVXLCivxlc".contains(c)))
}

/// Strips the separators that follow a number: ". - ", " – ", ":".
fn strip_separators(s: &str) -> &str {
    s.trim_start_matches(|c: char| c == '.' || c == '-' || c == '–' || c == '—' || c == ':' || c.is_whitespace())
}

/// "Capitolul II – Dispoziții generale" → ("Capitolul II", "Dispoziții generale").
fn heading(line: &str, words: &[&str]) -> Option<(String, String)> {
    let lower = line.to_lowercase();
    for w in words {
        if let Some(rest_lower) = lower.strip_prefix(w) {
            if !rest_lower.starts_with([' ', '.']) {
                continue;
            }
            // Lower-casing may change byte lengths in exotic scripts: then this is no heading.
            let Some(rest) = line.get(line.len().saturating_sub(rest_lower.len())..) else { continue };
            let rest = rest.trim_start_matches(['.', ' ']);
            let num: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect();
            if !is_roman_or_number(&num) {
                continue;
            }
            let after = strip_separators(&rest[num.len()..]);
            let name = if w.starts_with("cap") { "Capitolul" } else { "Secțiunea" };
            return Some((format!("{name} {num}"), after.trim().to_string()));
        }
    }
    None
}

/// "Art. 5. - (1) Text" → ("Art. 5", "- (1) Text" stripped). Only capitalised "Art"/"ART"/"Articolul"
/// at the start of a line: a wrapped "art. 3 alin. (2)" reference is not a new article.
fn article(line: &str) -> Option<(String, String)> {
    let rest =
        ["Articolul ", "ARTICOLUL ", "Art.", "ART.", "Art ", "ART "].iter().find_map(|p| line.strip_prefix(p))?;
    let rest = rest.trim_start();
    let num: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    if num.is_empty() {
        return None;
    }
    let mut after = &rest[num.len()..];
    // Inserted articles: "Art. 5^1" or "Art. 5¹".
    let mut label = format!("Art. {num}");
    if let Some(sup) = after.strip_prefix('^') {
        let n: String = sup.chars().take_while(|c| c.is_ascii_digit()).collect();
        label.push('^');
        label.push_str(&n);
        after = &sup[n.len()..];
    }
    if !(after.is_empty() || after.starts_with(['.', ' ', '-', '–', '—', ':'])) {
        return None;
    }
    Some((label, strip_separators(after).to_string()))
}

/// "(2) text" → ("(2)", "text"); "3. text" → ("3.", "text").
fn paragraph_start(line: &str) -> Option<(String, String)> {
    if let Some(inner) = line.strip_prefix('(') {
        let num: String = inner.chars().take_while(|c| c.is_ascii_digit()).collect();
        if !num.is_empty() && inner[num.len()..].starts_with(')') {
            let text = inner[num.len() + 1..].trim().to_string();
            return Some((format!("({num})"), text));
        }
    }
    let num: String = line.chars().take_while(|c| c.is_ascii_digit()).collect();
    if !num.is_empty() && num.len() <= 3 && line[num.len()..].starts_with(". ") {
        return Some((format!("{num}."), line[num.len() + 2..].trim().to_string()));
    }
    None
}

/// "a) text", "b) text": a point of the current paragraph (litera).
fn is_point(line: &str) -> bool {
    let mut c = line.chars();
    matches!((c.next(), c.next()), (Some(l), Some(')')) if l.is_lowercase())
}

/// A short line without final punctuation right after "Art. N" reads as the article's title.
fn looks_like_title(s: &str) -> bool {
    let s = s.trim();
    !s.is_empty() && s.chars().count() <= 90 && !s.ends_with(['.', ';', ':', ',']) && paragraph_start(s).is_none()
}

pub fn split(text: &str) -> Vec<Unit> {
    let text = normalise_diacritics(&text.replace("\r\n", "\n"));
    let mut units: Vec<Unit> = vec![];
    // Whether the next plain line may still be the title of the unit just opened.
    let mut title_open = false;
    let mut blank_before = false;
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() {
            blank_before = true;
            continue;
        }
        let blank = std::mem::take(&mut blank_before);
        if let Some(forced) = line.strip_prefix("## ") {
            let forced = forced.trim();
            let unit = if let Some((label, rest)) = article(forced) {
                let mut u = Unit::new(UnitKind::Article, label, String::new());
                push_text(&mut u, &rest, false);
                u
            } else if let Some((label, title)) = heading(forced, &["capitolul", "cap"]) {
                Unit::new(UnitKind::Chapter, label, title)
            } else {
                Unit::new(UnitKind::Article, forced.to_string(), String::new())
            };
            title_open = unit.paragraphs.is_empty();
            units.push(unit);
            continue;
        }
        if let Some((label, title)) = heading(line, &["capitolul", "cap"]) {
            title_open = title.is_empty();
            units.push(Unit::new(UnitKind::Chapter, label, title));
            continue;
        }
        if let Some((label, title)) = heading(line, &["secțiunea", "sectiunea"]) {
            title_open = title.is_empty();
            units.push(Unit::new(UnitKind::Section, label, title));
            continue;
        }
        if let Some((label, rest)) = article(line) {
            let mut u = Unit::new(UnitKind::Article, label, String::new());
            title_open = rest.is_empty();
            if looks_like_title(&rest) && paragraph_start(&rest).is_none() && rest.chars().count() <= 60 {
                u.title = rest;
            } else if !rest.is_empty() {
                push_text(&mut u, &rest, false);
            }
            units.push(u);
            continue;
        }
        let Some(current) = units.last_mut() else {
            let mut u = Unit::new(UnitKind::Preamble, String::new(), String::new());
            push_text(&mut u, line, false);
            units.push(u);
            continue;
        };
        let heading_unit = matches!(current.kind, UnitKind::Chapter | UnitKind::Section);
        if title_open && current.title.is_empty() && current.paragraphs.is_empty() && looks_like_title(line) {
            current.title = line.to_string();
            title_open = false;
            continue;
        }
        title_open = false;
        if heading_unit {
            // Text under a chapter heading before any article: keep it with the chapter.
            if current.title.is_empty() {
                current.title = line.to_string();
            } else {
                push_text(current, line, blank);
            }
            continue;
        }
        push_text(current, line, blank);
    }
    units
}

/// Adds one line to a unit: a new labelled paragraph, a point of the current one, or a continuation.
fn push_text(u: &mut Unit, line: &str, new_paragraph: bool) {
    if let Some((label, text)) = paragraph_start(line) {
        u.paragraphs.push(Para { label, text });
        return;
    }
    match u.paragraphs.last_mut() {
        Some(p) if is_point(line) => {
            p.text.push('\n');
            p.text.push_str(line);
        }
        Some(p) if !new_paragraph => {
            if !p.text.is_empty() {
                p.text.push(' ');
            }
            p.text.push_str(line);
        }
        _ => u.paragraphs.push(Para { label: String::new(), text: line.to_string() }),
    }
}

/// Writes units back as text the splitter reads the same way (the organiser's correction box).
pub fn to_text(units: &[Unit]) -> String {
    let mut out = String::new();
    for u in units {
        match u.kind {
            UnitKind::Preamble => {}
            UnitKind::Chapter | UnitKind::Section => {
                out.push_str(&u.label);
                if !u.title.is_empty() {
                    out.push_str(" – ");
                    out.push_str(&u.title);
                }
                out.push('\n');
            }
            UnitKind::Article => {
                out.push_str(&u.label);
                out.push('\n');
                if !u.title.is_empty() {
                    out.push_str(&u.title);
                    out.push('\n');
                }
            }
        }
        for p in &u.paragraphs {
            if !p.label.is_empty() {
                out.push_str(&p.label);
                out.push(' ');
            }
            out.push_str(&p.text);
            out.push_str("\n\n");
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const DRAFT: &str = "HOTĂRÂRE\nprivind aprobarea Planului local de accesibilitate al municipiului Focşani\n\nConsiliul Local al Municipiului Focșani,\navând în vedere Legea nr. 448/2006, republicată,\n\nHOTĂRĂȘTE:\n\nCAPITOLUL I\nDispoziţii generale\n\nArt. 1. - Obiectul hotărârii\n(1) Se aprobă Planul local de accesibilitate pentru perioada 2027–2030, prevăzut în anexa care face\nparte integrantă din prezenta hotărâre.\n(2) Planul cuprinde:\na) inventarul clădirilor publice;\nb) termenele de adaptare;\nc) bugetul estimat.\n\nArt. 2\nÎn sensul prezentei hotărâri, termenii de mai jos au următoarele semnificații:\n1. clădire publică – orice clădire în care funcționează o instituție publică;\n2. rampă – plan înclinat, conform normativului NP 051, prevăzut la\nart. 3 alin. (2).\n\nCapitolul II – Măsuri\nSecţiunea 1. Trotuare\nArt. 3. – (1) Trotuarele se refac cu borduri coborâte la fiecare trecere de pietoni.\n(2) Lucrările încep în anul 2027.\nArticolul 4 - Dispoziții finale\nPrezenta hotărâre se comunică Instituției Prefectului – Județul Vrancea.\n";

    #[test]
    fn a_real_looking_draft_splits_into_its_parts() {
        let u = split(DRAFT);
        let kinds: Vec<_> = u.iter().map(|u| (u.kind, u.label.as_str())).collect();
        assert_eq!(
            kinds,
            [
                (UnitKind::Preamble, ""),
                (UnitKind::Chapter, "Capitolul I"),
                (UnitKind::Article, "Art. 1"),
                (UnitKind::Article, "Art. 2"),
                (UnitKind::Chapter, "Capitolul II"),
                (UnitKind::Section, "Secțiunea 1"),
                (UnitKind::Article, "Art. 3"),
                (UnitKind::Article, "Art. 4"),
            ]
        );
        // Cedilla letters come out as comma letters.
        assert_eq!(u[1].title, "Dispoziții generale");
        assert!(u[0].text().contains("Focșani"));
        assert_eq!(u[2].title, "Obiectul hotărârii");
        assert_eq!(u[2].paragraphs.len(), 2);
        assert_eq!(u[2].paragraphs[0].label, "(1)");
        assert!(u[2].paragraphs[0].text.ends_with("parte integrantă din prezenta hotărâre."), "wrapped line joined");
        assert_eq!(
            u[2].paragraphs[1].text,
            "Planul cuprinde:\na) inventarul clădirilor publice;\nb) termenele de adaptare;\nc) bugetul estimat."
        );
        // Numbered paragraphs; a wrapped "art. 3 alin. (2)" reference stays inside its paragraph.
        assert_eq!(u[3].title, "");
        assert_eq!(u[3].paragraphs.len(), 3);
        assert_eq!(u[3].paragraphs[1].label, "1.");
        assert!(u[3].paragraphs[2].text.ends_with("prevăzut la art. 3 alin. (2)."));
        assert_eq!(u[4].title, "Măsuri");
        assert_eq!(u[5].title, "Trotuare");
        assert_eq!(u[6].paragraphs[0].label, "(1)");
        assert_eq!(u[6].paragraphs[1].text, "Lucrările încep în anul 2027.");
        assert_eq!(u[7].title, "Dispoziții finale");
        assert!(u[7].paragraphs[0].text.starts_with("Prezenta hotărâre"));
    }

    #[test]
    fn inline_paragraph_after_the_article_number_and_inserted_articles() {
        let u = split("Art. 1 - (1) Primul alineat.\n(2) Al doilea.\nArt. 1^1. Se introduce un articol nou, care are un text lung ce nu este titlu.\nART. 2: Text.");
        assert_eq!(u.len(), 3);
        assert_eq!(u[0].paragraphs.iter().map(|p| p.label.as_str()).collect::<Vec<_>>(), ["(1)", "(2)"]);
        assert_eq!(u[1].label, "Art. 1^1");
        assert_eq!(u[1].title, "");
        assert!(u[1].paragraphs[0].text.starts_with("Se introduce"));
        assert_eq!(u[2].label, "Art. 2");
    }

    #[test]
    fn words_that_look_like_markers_are_not() {
        let u =
            split("Art. 1\nArticole de presă nu sunt articole.\nArtizanii 2 nu sunt nici ei.\nCapitolele următoare.");
        assert_eq!(u.len(), 1);
        assert_eq!(u[0].title, "", "{u:?}");
        assert_eq!(u[0].paragraphs.len(), 1, "{u:?}");
    }

    #[test]
    fn organiser_corrections_with_forced_units_round_trip() {
        let u = split("Anexa nr. 1\n## Anexa 1 – Lista clădirilor\nPrimăria, Biblioteca.\n## Art. 9 Text mutat.");
        assert_eq!(u.len(), 3);
        assert_eq!(u[1].kind, UnitKind::Article);
        assert_eq!(u[1].label, "Anexa 1 – Lista clădirilor");
        assert_eq!(u[2].label, "Art. 9");
        let again = split(&to_text(&split(DRAFT)));
        let a: Vec<_> =
            split(DRAFT).iter().filter(|u| u.kind != UnitKind::Preamble).map(|u| (u.label.clone(), u.text())).collect();
        let b: Vec<_> =
            again.iter().filter(|u| u.kind != UnitKind::Preamble).map(|u| (u.label.clone(), u.text())).collect();
        assert_eq!(a, b);
    }
}
