//! Turning the content element into lines of text, one per block.
//!
//! A line ends at every block-level boundary and at `<br>`, so `<p>`, headings,
//! list items, table cells and text directly inside `<div>` each become their
//! own block.

use std::collections::HashMap;

use scraper::ElementRef;

use super::content::Stats;
use super::dom::{
    Flow, Visit, has_boilerplate_name, is_block_tag, is_cjk_like, is_heading_tag, is_hidden,
    is_non_content_tag, key, parent_element, tag, walk,
};
use crate::extract::{BlockKind, CellPos, Context, ExtractError};

/// A form is page furniture (search box, survey) unless it wraps the article,
/// as ASP.NET templates do; below this much Chinese text it is dropped.
const FORM_MIN_CJK: usize = 20;

/// Spans beyond the limits browsers apply are read as those limits.
const MAX_COLSPAN: u32 = 1000;
const MAX_ROWSPAN: u32 = 65534;
/// Grid columns past this are still counted but not checked for cells that
/// rows above reach into, so hostile spans cannot grow memory or time.
const MAX_TRACKED_COLUMNS: usize = 1024;

pub struct Line {
    pub text: String,
    pub kind: BlockKind,
    /// Non-whitespace characters, and how many of them sit inside links.
    pub chars: usize,
    pub link_chars: usize,
    /// A table cell's position in its table.
    pub cell: Option<CellPos>,
}

pub struct Lines {
    pub lines: Vec<Line>,
    pub cut: bool,
}

#[derive(Clone, Copy, Default)]
struct Scope {
    heading: bool,
    cell: bool,
    /// Position of the data cell the scope is in.
    pos: Option<CellPos>,
}

/// An open `<table>`, laid out on its grid as the cells come.
#[derive(Default)]
struct Table {
    /// Given when its first data cell opens, so layout tables that hold no
    /// cell text take no number.
    number: Option<u32>,
    /// Rows begun; the current row is `rows - 1`.
    rows: u32,
    /// Grid column where the next cell of the current row may start.
    col: u32,
    /// Per grid column, the first row that a `rowspan` from above no longer covers.
    free_from: Vec<u32>,
}

impl Table {
    /// Places a cell of the current row: the first grid column from `col`
    /// on that no cell above reaches into.
    fn place(&mut self, colspan: u32, rowspan: u32) -> (u32, u32) {
        let row = self.rows.saturating_sub(1);
        let mut col = self.col;
        while self
            .free_from
            .get(col as usize)
            .is_some_and(|&free| free > row)
        {
            col += 1;
        }
        self.col = col.saturating_add(colspan);
        if rowspan > 1 {
            let end = (self.col as usize).min(MAX_TRACKED_COLUMNS);
            if end > self.free_from.len() {
                self.free_from.resize(end, 0);
            }
            let until = row.saturating_add(rowspan);
            for free in self.free_from.iter_mut().take(end).skip(col as usize) {
                *free = until;
            }
        }
        (row, col)
    }
}

#[derive(Default)]
struct Collector {
    lines: Vec<Line>,
    buf: String,
    kind: Option<BlockKind>,
    chars: usize,
    link_chars: usize,
    scopes: Vec<Scope>,
    links: usize,
    cell: Option<CellPos>,
    /// Open tables, outermost first.
    tables: Vec<Table>,
    /// Tables numbered so far.
    table_count: u32,
}

pub fn collect<'a>(
    root: ElementRef<'a>,
    stats: &HashMap<usize, Stats>,
    ctx: &Context,
) -> Result<Lines, ExtractError> {
    let mut c = Collector::default();
    let cut = walk(
        root,
        ctx.limits.max_depth,
        &ctx.deadline,
        |visit| match visit {
            Visit::Open(el) => c.open(el, el == root, stats),
            Visit::Text(text) => {
                c.text(text);
                Flow::Descend
            }
            Visit::Close(el) => {
                c.close(el);
                Flow::Descend
            }
        },
    )?;
    c.flush();
    Ok(Lines {
        lines: c.lines,
        cut,
    })
}

impl Collector {
    fn open(&mut self, el: ElementRef, is_root: bool, stats: &HashMap<usize, Stats>) -> Flow {
        let name = tag(el);
        if !is_root && skipped(el, name, stats) {
            return Flow::Skip;
        }
        match name {
            "br" | "hr" => {
                self.flush();
                return Flow::Skip;
            }
            "img" => return Flow::Skip,
            "a" => self.links += 1,
            _ => {}
        }
        if is_block_tag(name) {
            self.flush();
            let outer = self.scopes.last().copied().unwrap_or_default();
            let data_cell = !is_root && matches!(name, "td" | "th") && is_data_cell(el);
            let pos = self.grid(el, name, data_cell);
            self.scopes.push(Scope {
                heading: outer.heading || is_heading_tag(name),
                cell: outer.cell || data_cell,
                pos: pos.or(outer.pos),
            });
        }
        Flow::Descend
    }

    /// Follows tables, rows and cells; a data cell's position comes back.
    fn grid(&mut self, el: ElementRef, name: &str, data_cell: bool) -> Option<CellPos> {
        match name {
            "table" => self.tables.push(Table::default()),
            "tr" => {
                if let Some(t) = self.tables.last_mut() {
                    t.rows = t.rows.saturating_add(1);
                    t.col = 0;
                }
            }
            "td" | "th" => {
                let t = self.tables.last_mut()?;
                let colspan = span(el, "colspan").clamp(1, MAX_COLSPAN);
                // rowspan="0" (to the end of the row group) is read as 1.
                let rowspan = span(el, "rowspan").clamp(1, MAX_ROWSPAN);
                let (row, col) = t.place(colspan, rowspan);
                if !data_cell {
                    return None;
                }
                let table = *t.number.get_or_insert_with(|| {
                    let n = self.table_count;
                    self.table_count = self.table_count.saturating_add(1);
                    n
                });
                return Some(CellPos { table, row, col });
            }
            _ => {}
        }
        None
    }

    fn close(&mut self, el: ElementRef) {
        let name = tag(el);
        if name == "a" {
            self.links = self.links.saturating_sub(1);
        }
        if is_block_tag(name) {
            self.flush();
            self.scopes.pop();
        }
        if name == "table" {
            self.tables.pop();
        }
    }

    fn text(&mut self, text: &str) {
        let visible = text.chars().filter(|c| !c.is_whitespace()).count();
        if visible > 0 && self.kind.is_none() {
            let scope = self.scopes.last().copied().unwrap_or_default();
            self.cell = scope.cell.then_some(scope.pos).flatten();
            self.kind = Some(if scope.cell {
                BlockKind::TableCell
            } else if scope.heading {
                BlockKind::Heading
            } else {
                BlockKind::Paragraph
            });
        }
        self.chars += visible;
        if self.links > 0 {
            self.link_chars += visible;
        }
        self.buf.push_str(text);
    }

    fn flush(&mut self) {
        let text = collapse_whitespace(&self.buf);
        if let (false, Some(kind)) = (text.is_empty(), self.kind) {
            self.lines.push(Line {
                text,
                kind,
                chars: self.chars,
                link_chars: self.link_chars,
                cell: self.cell,
            });
        }
        self.buf.clear();
        self.kind = None;
        self.cell = None;
        self.chars = 0;
        self.link_chars = 0;
    }
}

fn skipped(el: ElementRef, name: &str, stats: &HashMap<usize, Stats>) -> bool {
    is_non_content_tag(name)
        || is_hidden(el)
        || has_boilerplate_name(el)
        || (name == "form" && stats.get(&key(el)).is_none_or(|s| s.cjk < FORM_MIN_CJK))
}

/// A `colspan` or `rowspan` read as browsers do: leading digits, else 1.
fn span(el: ElementRef, name: &str) -> u32 {
    let Some(value) = el.value().attr(name) else {
        return 1;
    };
    let digits: String = value
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .take(9)
        .collect();
    digits.parse().unwrap_or(1)
}

/// A cell of a real table (a row with two or more cells), as opposed to a
/// one-cell layout table wrapping the article.
fn is_data_cell(cell: ElementRef) -> bool {
    parent_element(cell).is_some_and(|row| {
        row.children()
            .filter_map(ElementRef::wrap)
            .filter(|e| matches!(tag(*e), "td" | "th"))
            .take(2)
            .count()
            >= 2
    })
}

/// HTML whitespace rules: runs of spaces, tabs, newlines and `&nbsp;` become
/// one space, except that a source line break between two Chinese characters
/// disappears (browsers join such lines without a visible gap).
pub fn collapse_whitespace(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut gap: Option<bool> = None;
    for c in raw.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{000C}' | '\u{00A0}') {
            let newline = matches!(c, '\n' | '\r');
            gap = Some(gap.unwrap_or(false) || newline);
            continue;
        }
        if let Some(newline) = gap.take() {
            let joined =
                newline && out.chars().next_back().is_some_and(is_cjk_like) && is_cjk_like(c);
            if !out.is_empty() && !joined {
                out.push(' ');
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::{Deadline, Limits};

    /// A cell position as (table, row, col).
    type Pos = Option<(u32, u32, u32)>;

    #[test]
    fn layout_tables_around_a_data_table_take_no_number() {
        let doc = scraper::Html::parse_document(
            r#"<table><tr><td>
                 <table><tr><td>版头</td></tr></table>
                 <p>正文段落</p>
                 <table><tr><td>甲</td><td colspan="2">乙</td><td>丙</td></tr></table>
               </td></tr><tr><td>页脚</td></tr></table>"#,
        );
        let limits = Limits::default();
        let ctx = Context {
            limits: &limits,
            deadline: Deadline::after(limits.max_time),
        };
        let lines = collect(doc.root_element(), &HashMap::new(), &ctx)
            .unwrap()
            .lines;
        let got: Vec<(&str, BlockKind, Pos)> = lines
            .iter()
            .map(|l| {
                let pos = l.cell.map(|c| (c.table, c.row, c.col));
                (l.text.as_str(), l.kind, pos)
            })
            .collect();
        use BlockKind::*;
        assert_eq!(
            got,
            [
                ("版头", Paragraph, None),
                ("正文段落", Paragraph, None),
                ("甲", TableCell, Some((0, 0, 0))),
                ("乙", TableCell, Some((0, 0, 1))),
                ("丙", TableCell, Some((0, 0, 3))),
                ("页脚", Paragraph, None),
            ]
        );
    }

    #[test]
    fn whitespace_collapses_and_cjk_line_wraps_join() {
        assert_eq!(
            collapse_whitespace("  为了促进\n   公平竞争 ，\t制定"),
            "为了促进公平竞争 ， 制定"
        );
        assert_eq!(
            collapse_whitespace("\u{a0}\u{a0}第一条\u{a0}\u{a0}为了"),
            "第一条 为了"
        );
        assert_eq!(collapse_whitespace("Article\n1"), "Article 1");
    }
}
