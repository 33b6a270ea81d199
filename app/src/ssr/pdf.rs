//! A small A4 PDF writer for letters, receipts and reports.
//!
//! It uses the PDF base fonts (Helvetica, Helvetica-Bold) with an encoding whose upper half names the
//! Romanian glyphs (ă â î ș ț and capitals), so documents stay a few kilobytes, need no font file at
//! run time, and their text can be searched and copied. Content streams are not compressed on
//! purpose: tests and people can grep a PDF for a registration number.
use std::fmt::Write;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the document is empty")]
    Empty,
}

/// True when the bytes are a PDF file, judged by content (the `%PDF-` header), not by name.
pub fn is_pdf(bytes: &[u8]) -> bool {
    // The header may follow a little junk; readers accept it within the first 1024 bytes.
    let head = &bytes[..bytes.len().min(1024)];
    head.windows(5).any(|w| w == b"%PDF-") && bytes.len() > 32
}

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 56.7; // 20 mm
const FOOTER: f32 = 36.0;
const PT_PER_MM: f32 = 2.834_646;

/// Codes 128.. of our encoding, in order; each char maps to its glyph name.
const EXTRA: &[(char, &str)] = &[
    ('Ă', "Abreve"),
    ('ă', "abreve"),
    ('Â', "Acircumflex"),
    ('â', "acircumflex"),
    ('Î', "Icircumflex"),
    ('î', "icircumflex"),
    ('Ș', "Scommaaccent"),
    ('ș', "scommaaccent"),
    ('Ț', "Tcommaaccent"),
    ('ț', "tcommaaccent"),
    ('–', "endash"),
    ('—', "emdash"),
    ('„', "quotedblbase"),
    ('”', "quotedblright"),
    ('“', "quotedblleft"),
    ('’', "quoteright"),
    ('‘', "quoteleft"),
    ('•', "bullet"),
    ('€', "Euro"),
    ('é', "eacute"),
    ('É', "Eacute"),
    ('è', "egrave"),
    ('á', "aacute"),
    ('ö', "odieresis"),
    ('ü', "udieresis"),
    ('ä', "adieresis"),
    ('ß', "germandbls"),
    ('§', "section"),
    ('°', "degree"),
    ('…', "ellipsis"),
    ('«', "guillemotleft"),
    ('»', "guillemotright"),
    ('×', "multiply"),
    ('©', "copyright"),
];

/// Maps a char to a byte of our encoding; the cedilla forms are drawn with the comma glyphs.
fn encode_char(c: char) -> u8 {
    let c = match c {
        'Ş' => 'Ș',
        'ş' => 'ș',
        'Ţ' => 'Ț',
        'ţ' => 'ț',
        '\u{a0}' => ' ',
        other => other,
    };
    if (' '..='~').contains(&c) {
        return c as u8;
    }
    if let Some(i) = EXTRA.iter().position(|(x, _)| *x == c) {
        return 128 + i as u8;
    }
    // Other letters lose their accent rather than vanish.
    crate::types::fold_diacritics(&c.to_string()).chars().next().filter(|x| x.is_ascii_graphic()).unwrap_or('?') as u8
}

// Advance widths (1/1000 em) of ASCII 32..=126 in Helvetica and Helvetica-Bold.
const W_REGULAR: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833,
    722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556,
    556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334,
    260, 334, 584,
];
const W_BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833,
    722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611,
    556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389,
    280, 389, 584,
];

fn byte_width(b: u8, bold: bool) -> u16 {
    let table = if bold { &W_BOLD } else { &W_REGULAR };
    match b {
        32..=126 => table[(b - 32) as usize],
        128.. => {
            // Accented letters are as wide as their base letter; punctuation gets an average.
            let (c, _) = EXTRA[(b - 128) as usize];
            let base = crate::types::fold_diacritics(&c.to_string());
            match base.bytes().next() {
                Some(x @ 33..=126) => table[(x - 32) as usize],
                _ if c == '—' => 1000,
                _ => 556,
            }
        }
        _ => 556,
    }
}

fn text_width(s: &str, size: f32, bold: bool) -> f32 {
    s.chars().map(|c| byte_width(encode_char(c), bold) as f32).sum::<f32>() * size / 1000.0
}

/// Splits text into lines no wider than `width` points; words longer than a line are cut.
fn wrap(text: &str, size: f32, bold: bool, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        for word in para.split_whitespace() {
            let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
            if text_width(&candidate, size, bold) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let mut piece = String::new();
            for c in word.chars() {
                piece.push(c);
                if text_width(&piece, size, bold) > width && piece.chars().count() > 1 {
                    piece.pop();
                    lines.push(std::mem::take(&mut piece));
                    piece.push(c);
                }
            }
            line = piece;
        }
        lines.push(line);
    }
    lines
}

fn pdf_string(s: &str) -> String {
    let mut out = String::from("(");
    for c in s.chars() {
        match encode_char(c) {
            b'(' => out.push_str("\\("),
            b')' => out.push_str("\\)"),
            b'\\' => out.push_str("\\\\"),
            b @ 32..=126 => out.push(b as char),
            b => {
                let _ = write!(out, "\\{b:03o}");
            }
        }
    }
    out.push(')');
    out
}

#[derive(Clone, Copy)]
enum Style {
    Title,
    Heading,
    Text,
    Bold,
    Small,
}

impl Style {
    fn size(self) -> f32 {
        match self {
            Style::Title => 17.0,
            Style::Heading => 12.5,
            Style::Text | Style::Bold => 10.0,
            Style::Small => 8.0,
        }
    }
    fn bold(self) -> bool {
        matches!(self, Style::Title | Style::Heading | Style::Bold)
    }
}

/// Builds an A4 document top to bottom; content that does not fit moves to a new page.
pub struct PdfDoc {
    title: String,
    pages: Vec<String>,
    y: f32,
}

impl PdfDoc {
    pub fn new(title: &str) -> Self {
        PdfDoc { title: title.to_string(), pages: vec![String::new()], y: PAGE_H - MARGIN }
    }

    fn width() -> f32 {
        PAGE_W - 2.0 * MARGIN
    }

    fn ensure(&mut self, height: f32) -> bool {
        if self.y - height < MARGIN + FOOTER {
            self.pages.push(String::new());
            self.y = PAGE_H - MARGIN;
            return true;
        }
        false
    }

    fn put_line(&mut self, x: f32, text: &str, style: Style) {
        let font = if style.bold() { "F2" } else { "F1" };
        let grey = if matches!(style, Style::Small) { "0.3 g" } else { "0 g" };
        let page = self.pages.last_mut().expect("a page");
        let _ = writeln!(
            page,
            "BT {grey} /{font} {:.1} Tf {x:.2} {:.2} Td {} Tj ET",
            style.size(),
            self.y - style.size(),
            pdf_string(text)
        );
    }

    fn block(&mut self, text: &str, style: Style, before: f32) -> &mut Self {
        let leading = style.size() * 1.35;
        self.y -= before;
        for line in wrap(text, style.size(), style.bold(), Self::width()) {
            self.ensure(leading);
            self.put_line(MARGIN, &line, style);
            self.y -= leading;
        }
        self
    }

    pub fn title(&mut self, text: &str) -> &mut Self {
        self.block(text, Style::Title, 0.0).space(2.0)
    }
    pub fn heading(&mut self, text: &str) -> &mut Self {
        // Keep a heading with at least two lines of what follows.
        self.ensure(Style::Heading.size() * 1.35 + 30.0);
        self.block(text, Style::Heading, 6.0).space(1.0)
    }
    pub fn text(&mut self, text: &str) -> &mut Self {
        self.block(text, Style::Text, 0.0)
    }
    pub fn bold(&mut self, text: &str) -> &mut Self {
        self.block(text, Style::Bold, 0.0)
    }
    pub fn small(&mut self, text: &str) -> &mut Self {
        self.block(text, Style::Small, 0.0)
    }
    pub fn space(&mut self, mm: f32) -> &mut Self {
        self.y -= mm * PT_PER_MM;
        self
    }
    pub fn page_break(&mut self) -> &mut Self {
        self.pages.push(String::new());
        self.y = PAGE_H - MARGIN;
        self
    }

    fn rule(&mut self, x0: f32, x1: f32) {
        let y = self.y;
        let page = self.pages.last_mut().expect("a page");
        let _ = writeln!(page, "0.6 G 0.5 w {x0:.2} {y:.2} m {x1:.2} {y:.2} l S");
    }

    /// A table with wrapped cells; the header row is repeated on every page the table runs onto.
    /// Widths beyond the text width are scaled down to fit.
    pub fn table(&mut self, widths_mm: &[f32], header: &[&str], rows: &[Vec<String>]) -> &mut Self {
        let total: f32 = widths_mm.iter().sum::<f32>() * PT_PER_MM;
        let scale = if total > Self::width() { Self::width() / total } else { 1.0 };
        let widths: Vec<f32> = widths_mm.iter().map(|w| w * PT_PER_MM * scale).collect();
        let pad = 3.0;
        let header: Vec<String> = header.iter().map(|s| s.to_string()).collect();
        self.space(2.0);
        self.table_row(&widths, &header, Style::Bold, pad);
        for row in rows {
            let (size, leading) = Self::cell_font(Style::Small);
            let lines = Self::wrap_cells(&widths, row, size, false, pad).iter().map(Vec::len).max().unwrap_or(1);
            if self.ensure(lines.max(1) as f32 * leading + 2.0 * pad) {
                self.table_row(&widths, &header, Style::Bold, pad);
            }
            self.table_row(&widths, row, Style::Small, pad);
        }
        self.space(3.0)
    }

    fn cell_font(style: Style) -> (f32, f32) {
        let size = if matches!(style, Style::Bold) { 8.5 } else { style.size() };
        (size, size * 1.3)
    }

    fn wrap_cells(widths: &[f32], cells: &[String], size: f32, bold: bool, pad: f32) -> Vec<Vec<String>> {
        widths
            .iter()
            .enumerate()
            .map(|(i, w)| wrap(cells.get(i).map(String::as_str).unwrap_or(""), size, bold, w - 2.0 * pad))
            .collect()
    }

    /// Writes one row, on a new page when it does not fit.
    fn table_row(&mut self, widths: &[f32], cells: &[String], style: Style, pad: f32) {
        let (size, leading) = Self::cell_font(style);
        let wrapped = Self::wrap_cells(widths, cells, size, style.bold(), pad);
        let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let height = lines as f32 * leading + 2.0 * pad;
        self.ensure(height);
        let top = self.y;
        let font = if style.bold() { "F2" } else { "F1" };
        let mut x = MARGIN;
        for (w, cell) in widths.iter().zip(&wrapped) {
            for (n, line) in cell.iter().enumerate() {
                let baseline = top - pad - size - n as f32 * leading;
                let page = self.pages.last_mut().expect("a page");
                let _ = writeln!(
                    page,
                    "BT 0 g /{font} {size:.1} Tf {:.2} {baseline:.2} Td {} Tj ET",
                    x + pad,
                    pdf_string(line)
                );
            }
            x += w;
        }
        self.y = top - height;
        let right = MARGIN + widths.iter().sum::<f32>();
        self.rule(MARGIN, right);
    }

    /// The finished file.
    pub fn render(&self) -> Result<Vec<u8>, PdfError> {
        if self.pages.iter().all(|p| p.is_empty()) {
            return Err(PdfError::Empty);
        }
        let n = self.pages.len();
        // Objects: 1 catalog, 2 pages, 3 F1, 4 F2, 5 encoding, 6 info, then (page, content) pairs.
        let mut objects: Vec<String> = Vec::new();
        let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 7 + 2 * i)).collect();
        objects.push("<< /Type /Catalog /Pages 2 0 R >>".into());
        objects.push(format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")));
        objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding 5 0 R >>".into());
        objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding 5 0 R >>".into());
        let names: Vec<String> = EXTRA.iter().map(|(_, g)| format!("/{g}")).collect();
        objects.push(format!(
            "<< /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [128 {}] >>",
            names.join(" ")
        ));
        objects.push(format!("<< /Title {} /Producer (Participa) >>", utf16_string(&self.title)));
        for (i, body) in self.pages.iter().enumerate() {
            let mut content = body.clone();
            let footer = format!("{} / {}", i + 1, n);
            let x = PAGE_W - MARGIN - text_width(&footer, 8.0, false);
            let _ =
                writeln!(content, "BT 0.3 g /F1 8.0 Tf {x:.2} {:.2} Td {} Tj ET", MARGIN - 14.0, pdf_string(&footer));
            let _ = writeln!(
                content,
                "BT 0.3 g /F1 8.0 Tf {MARGIN:.2} {:.2} Td {} Tj ET",
                MARGIN - 14.0,
                pdf_string(&self.title)
            );
            objects.push(format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {} 0 R >>",
                8 + 2 * i
            ));
            objects.push(format!("<< /Length {} >>\nstream\n{content}endstream", content.len()));
        }
        let mut out: Vec<u8> = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
        let mut offsets = Vec::with_capacity(objects.len());
        for (i, obj) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n{obj}\nendobj\n", i + 1).as_bytes());
        }
        let xref = out.len();
        let mut tail = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
        for o in offsets {
            let _ = writeln!(tail, "{o:010} 00000 n ");
        }
        let _ = write!(
            tail,
            "trailer\n<< /Size {} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        );
        out.extend_from_slice(tail.as_bytes());
        Ok(out)
    }
}

/// A PDF text string in UTF-16BE (for metadata, which may hold any character).
fn utf16_string(s: &str) -> String {
    let mut out = String::from("<FEFF");
    for u in s.encode_utf16() {
        let _ = write!(out, "{u:04X}");
    }
    out.push('>');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(pdf: &[u8]) -> String {
        String::from_utf8_lossy(pdf).into_owned()
    }

    #[test]
    fn romanian_letters_use_named_glyphs() {
        assert_eq!(pdf_string("Ștefan și Țiței"), "(\\206tefan \\207i \\210i\\211ei)");
        // Cedilla forms are drawn with the comma-below glyphs.
        assert_eq!(pdf_string("ş"), pdf_string("ș"));
        assert_eq!(pdf_string("a(b)\\"), "(a\\(b\\)\\\\)");
    }

    #[test]
    fn wraps_to_width_and_cuts_long_words() {
        let lines = wrap("unu doi trei patru cinci șase șapte opt nouă zece", 10.0, false, 80.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| text_width(l, 10.0, false) <= 80.0));
        let long = wrap(&"x".repeat(200), 10.0, false, 50.0);
        assert!(long.len() > 3 && long.iter().all(|l| text_width(l, 10.0, false) <= 50.0));
    }

    #[test]
    fn document_has_pages_xref_and_searchable_text() {
        let mut doc = PdfDoc::new("Raport de consultare");
        doc.title("Raport — Focșani, Țară, Înșiră, Ăă")
            .text("Comentariul nr. CP-2026-0042 a fost acceptat. Ştiinţă „citat” – ok.");
        let rows: Vec<Vec<String>> = (0..120).map(|i| vec![format!("R-{i}"), "text lung ".repeat(8)]).collect();
        doc.table(&[30.0, 140.0], &["Nr.", "Text"], &rows);
        let pdf = doc.render().unwrap();
        // `PDF_SAMPLE=/tmp/x.pdf` keeps the file, to look at it with a viewer.
        if let Ok(path) = std::env::var("PDF_SAMPLE") {
            std::fs::write(path, &pdf).unwrap();
        }
        assert!(is_pdf(&pdf));
        let s = text_of(&pdf);
        assert!(s.contains("CP-2026-0042"));
        assert!(s.contains("(R-119)"));
        assert!(s.starts_with("%PDF-1.4"));
        assert!(s.trim_end().ends_with("%%EOF"));
        let pages = s.matches("/Type /Page ").count();
        assert!(pages >= 3, "120 wrapped rows need several pages, got {pages}");
        assert!(s.contains(&format!("/Count {pages}")));
        // The header row is repeated on every page the table runs onto.
        assert_eq!(s.matches("(Nr.)").count(), pages);
        // The xref offset points at the xref table.
        let start: usize = s.rsplit("startxref\n").next().unwrap().lines().next().unwrap().parse().unwrap();
        assert!(pdf[start..].starts_with(b"xref"));
    }

    #[test]
    fn content_check_is_by_bytes() {
        assert!(!is_pdf(b"GIF89a this is not a pdf at all, just bytes"));
        assert!(!is_pdf(b"%PDF-"));
        assert!(PdfDoc::new("x").render().is_err());
    }
}
