//! CSV files for people to open in a spreadsheet, written with the `csv` crate (quoting as RFC 4180
//! has it) and safe from formula injection: a cell that starts with `= + - @` gets a `'` in front.
use csv::{QuoteStyle, Terminator, WriterBuilder};

/// How cells that look like formulas are treated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cells {
    /// Every cell starting with `= + - @` is neutralised.
    Neutralise,
    /// Numbers (`-12.5`) stay as they are; other formula-like cells are neutralised.
    NumbersAsIs,
}

/// A cell as a spreadsheet should read it (see [`Cells`]).
pub fn safe_cell(s: &str, mode: Cells) -> std::borrow::Cow<'_, str> {
    let formula = s.starts_with(['=', '+', '-', '@']);
    if formula && !(mode == Cells::NumbersAsIs && s.parse::<f64>().is_ok()) {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// A table being written: a header, then rows of the same width.
pub struct Table {
    writer: csv::Writer<Vec<u8>>,
    mode: Cells,
}

impl Table {
    /// `crlf` for files that follow RFC 4180 to the letter (`\r\n`), else `\n`; `bom` starts the file
    /// with a byte-order mark so spreadsheets read UTF-8 diacritics.
    pub fn new(header: &[&str], mode: Cells, crlf: bool, bom: bool) -> Table {
        let terminator = if crlf { Terminator::CRLF } else { Terminator::Any(b'\n') };
        let mut out = Vec::new();
        if bom {
            out.extend_from_slice("\u{feff}".as_bytes());
        }
        let writer = WriterBuilder::new().quote_style(QuoteStyle::Necessary).terminator(terminator).from_writer(out);
        let mut t = Table { writer, mode };
        t.row(header.iter().copied());
        t
    }

    pub fn row<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) {
        let cells: Vec<String> = cells.into_iter().map(|c| safe_cell(c.as_ref(), self.mode).into_owned()).collect();
        // Writing to memory fails only on a row of another width: a programming error caught by tests.
        if let Err(e) = self.writer.write_record(&cells) {
            tracing::error!(error = %e, "csv row");
        }
    }

    pub fn finish(self) -> String {
        let bytes = self.writer.into_inner().unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formula_safe() {
        let mut t = Table::new(&["name", "note"], Cells::Neutralise, false, false);
        t.row(["Focșani", "a,b"]);
        t.row(["„Eu, tu și ei”", "say \"hi\""]);
        t.row(["=HYPERLINK(1)", "-5"]);
        assert_eq!(
            t.finish(),
            "name,note\nFocșani,\"a,b\"\n\"„Eu, tu și ei”\",\"say \"\"hi\"\"\"\n'=HYPERLINK(1),'-5\n"
        );
        let mut t = Table::new(&["lat"], Cells::NumbersAsIs, true, true);
        t.row(["-45.5"]);
        t.row(["-x"]);
        assert_eq!(t.finish(), "\u{feff}lat\r\n-45.5\r\n'-x\r\n");
    }
}
