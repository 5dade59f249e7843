//! One worksheet being filled row by row: cell writing with Excel's limits
//! respected, column widths estimated for Chinese text, the header styled.

use std::borrow::Cow;
use std::io;

use rust_xlsxwriter::{
    Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Worksheet, XlsxError,
};

/// Last data row Excel can hold (rows are 0-based, row 0 is the header).
const LAST_ROW: u32 = 1_048_575;
/// Excel's longest cell text, in UTF-16 units, with room for the marker.
const MAX_CELL_UTF16: usize = 32_000;
/// Points per line of wrapped text, and the tallest row Excel allows.
const LINE_HEIGHT: f64 = 15.0;
const MAX_ROW_HEIGHT: f64 = 409.0;

pub fn xl(e: XlsxError) -> io::Error {
    io::Error::other(e)
}

/// Cell formats shared by every sheet of the workbook.
pub struct Styles {
    pub header: Format,
    pub text: Format,
    pub wrap: Format,
    pub number: Format,
    pub percent: Format,
    pub date: Format,
    pub bad: Format,
    pub doubtful: Format,
    pub good: Format,
    pub note: Format,
}

impl Styles {
    pub fn new() -> Styles {
        let text = Format::new().set_align(FormatAlign::Top);
        let fill = |c: u32, font: u32| {
            text.clone()
                .set_background_color(Color::RGB(c))
                .set_font_color(Color::RGB(font))
        };
        Styles {
            header: Format::new()
                .set_bold()
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(Color::RGB(0xDDEBF7))
                .set_border(FormatBorder::Thin)
                .set_border_color(Color::RGB(0x9BC2E6)),
            wrap: text.clone().set_text_wrap(),
            number: text.clone(),
            percent: text.clone().set_num_format("0%"),
            date: text.clone().set_num_format("yyyy-mm-dd"),
            bad: fill(0xFFC7CE, 0x9C0006),
            doubtful: fill(0xFFEB9C, 0x9C5700),
            good: fill(0xC6EFCE, 0x006100),
            note: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            text,
        }
    }
}

/// How a column is laid out: widest it may grow, whether long text wraps.
#[derive(Clone, Copy)]
pub struct Column {
    pub header: &'static str,
    pub max_width: usize,
    pub wrap: bool,
}

pub const fn col(header: &'static str, max_width: usize, wrap: bool) -> Column {
    Column {
        header,
        max_width,
        wrap,
    }
}

pub struct Sheet {
    pub ws: Worksheet,
    columns: &'static [Column],
    /// Widest text seen per column, in display units.
    widths: Vec<usize>,
    /// Widths of each line of wrapped cells, by row and column: row heights
    /// are set from them once column widths are known, since not every
    /// spreadsheet program sizes rows of wrapped text by itself.
    wrapped: Vec<(u32, u16, Vec<usize>)>,
    /// The row the next record goes to.
    pub row: u32,
    /// Records dropped because the sheet was full.
    pub overflow: usize,
}

impl Sheet {
    pub fn new(columns: &'static [Column]) -> Sheet {
        Sheet {
            ws: Worksheet::new(),
            columns,
            widths: columns
                .iter()
                .map(|c| display_width(c.header) + 3)
                .collect(),
            wrapped: Vec::new(),
            row: 1,
            overflow: 0,
        }
    }

    /// Starts a record; `false` when the sheet is full (the record is counted
    /// as overflow and its cells must not be written).
    pub fn begin_row(&mut self) -> bool {
        if self.row > LAST_ROW {
            self.overflow += 1;
            return false;
        }
        true
    }

    pub fn end_row(&mut self) {
        self.row += 1;
    }

    /// Text in column `c` of the current row, in the column's own style
    /// unless `format` overrides it.
    pub fn text(
        &mut self,
        c: u16,
        value: &str,
        styles: &Styles,
        format: Option<&Format>,
    ) -> io::Result<()> {
        if value.is_empty() {
            return Ok(());
        }
        self.fit(c, value);
        let wraps = self.columns.get(c as usize).is_some_and(|k| k.wrap);
        if wraps && format.is_none() {
            self.wrapped
                .push((self.row, c, value.lines().map(display_width).collect()));
        }
        let format = format.unwrap_or(if wraps { &styles.wrap } else { &styles.text });
        self.ws
            .write_string_with_format(self.row, c, clip(value), format)
            .map_err(xl)?;
        Ok(())
    }

    pub fn number(&mut self, c: u16, value: f64, format: &Format) -> io::Result<()> {
        self.fit(c, &value.to_string());
        self.ws
            .write_number_with_format(self.row, c, value, format)
            .map_err(xl)?;
        Ok(())
    }

    /// An ISO `YYYY-MM-DD` date as a real date cell; nothing when it is not one.
    pub fn date(&mut self, c: u16, iso: Option<&str>, format: &Format) -> io::Result<()> {
        let Some(date) = iso.and_then(parse_date) else {
            return Ok(());
        };
        self.fit(c, "2024-03-18");
        self.ws
            .write_datetime_with_format(self.row, c, &date, format)
            .map_err(xl)?;
        Ok(())
    }

    fn fit(&mut self, c: u16, value: &str) {
        if let Some(w) = self.widths.get_mut(c as usize) {
            *w = (*w).max(display_width(value));
        }
    }

    /// Header row, widths, frozen header and filter; call once, at the end.
    pub fn finish(&mut self, name: &str, styles: &Styles) -> io::Result<()> {
        self.ws.set_name(name).map_err(xl)?;
        self.header_at(0, styles)?;
        self.ws.set_freeze_panes(1, 0).map_err(xl)?;
        let last_col = self.columns.len().saturating_sub(1) as u16;
        self.ws
            .autofilter(0, 0, self.row.saturating_sub(1).max(1), last_col)
            .map_err(xl)?;
        self.print_setup()?;
        self.apply_widths()
    }

    /// Printed on A4 landscape, one page wide, the header on every page.
    pub fn print_setup(&mut self) -> io::Result<()> {
        self.ws
            .set_paper_size(9)
            .set_landscape()
            .set_print_fit_to_pages(1, 0)
            .set_print_gridlines(true)
            .set_repeat_rows(0, 0)
            .map_err(xl)?;
        Ok(())
    }

    /// Writes the column headers on `row` (for sheets with several tables).
    pub fn header_at(&mut self, row: u32, styles: &Styles) -> io::Result<()> {
        for (c, column) in self.columns.iter().enumerate() {
            self.ws
                .write_string_with_format(row, c as u16, column.header, &styles.header)
                .map_err(xl)?;
        }
        Ok(())
    }

    /// Column widths from the text they hold, capped; then the heights of
    /// rows whose wrapped text needs several lines.
    pub fn apply_widths(&mut self) -> io::Result<()> {
        let mut finals = Vec::with_capacity(self.columns.len());
        for (c, column) in self.columns.iter().enumerate() {
            let width = self.widths.get(c).copied().unwrap_or(8) + 2;
            let width = width.clamp(6, column.max_width.max(6));
            self.ws
                .set_column_width(c as u16, width as f64)
                .map_err(xl)?;
            finals.push(width);
        }
        let mut lines_by_row: std::collections::BTreeMap<u32, usize> = Default::default();
        for (row, c, widths) in &self.wrapped {
            // A wide character never splits, so keep a margin of two units.
            let usable = finals
                .get(*c as usize)
                .map_or(8, |w| w.saturating_sub(2).max(2));
            let lines: usize = widths.iter().map(|w| w.div_ceil(usable).max(1)).sum();
            let entry = lines_by_row.entry(*row).or_insert(1);
            *entry = (*entry).max(lines);
        }
        for (row, lines) in lines_by_row {
            if lines > 1 {
                let height = (lines as f64 * LINE_HEIGHT).min(MAX_ROW_HEIGHT);
                self.ws.set_row_height(row, height).map_err(xl)?;
            }
        }
        Ok(())
    }
}

/// Width of text in Excel's units (about one Latin digit): CJK and other wide
/// characters count double; for text on several lines, the longest line.
pub fn display_width(text: &str) -> usize {
    text.lines()
        .map(|line| line.chars().map(char_width).sum())
        .max()
        .unwrap_or(0)
}

fn char_width(c: char) -> usize {
    let wide = matches!(c,
        '\u{1100}'..='\u{115F}'
        | '\u{2E80}'..='\u{A4CF}'
        | '\u{AC00}'..='\u{D7A3}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FF60}'
        | '\u{FFE0}'..='\u{FFE6}'
        | '\u{20000}'..='\u{3FFFD}');
    if wide { 2 } else { 1 }
}

/// Text cut to what one Excel cell holds, marked when cut.
fn clip(value: &str) -> Cow<'_, str> {
    if value.len() <= MAX_CELL_UTF16 {
        // UTF-8 bytes never undercount UTF-16 units.
        return Cow::Borrowed(value);
    }
    let mut units = 0;
    let mut end = 0;
    for (i, c) in value.char_indices() {
        units += c.len_utf16();
        if units > MAX_CELL_UTF16 {
            break;
        }
        end = i + c.len_utf8();
    }
    if end == value.len() {
        return Cow::Borrowed(value);
    }
    Cow::Owned(format!("{}…（已截断）", &value[..end]))
}

fn parse_date(iso: &str) -> Option<ExcelDateTime> {
    let mut parts = iso.trim().splitn(3, '-');
    let year = parts.next()?.parse().ok()?;
    let month = parts.next()?.parse().ok()?;
    let day = parts.next()?.parse().ok()?;
    ExcelDateTime::from_ymd(year, month, day).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_counts_double() {
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("公平竞争"), 8);
        assert_eq!(display_width("第（一）项"), 10);
        assert_eq!(display_width("短\n较长的一行"), 10);
    }

    #[test]
    fn long_text_is_clipped_on_a_character_boundary() {
        let long = "竞".repeat(40_000);
        let clipped = clip(&long);
        assert!(clipped.ends_with("（已截断）"));
        assert!(clipped.encode_utf16().count() <= 32_767);
        assert_eq!(clip("短"), "短");
    }

    #[test]
    fn only_real_dates_become_date_cells() {
        assert!(parse_date("2024-03-18").is_some());
        assert!(parse_date("2024-02-30").is_none());
        assert!(parse_date("2024年3月").is_none());
        assert!(parse_date("").is_none());
    }
}
