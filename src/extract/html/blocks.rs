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
use crate::extract::{BlockKind, Context, ExtractError};

/// A form is page furniture (search box, survey) unless it wraps the article,
/// as ASP.NET templates do; below this much Chinese text it is dropped.
const FORM_MIN_CJK: usize = 20;

pub struct Line {
    pub text: String,
    pub kind: BlockKind,
    /// Non-whitespace characters, and how many of them sit inside links.
    pub chars: usize,
    pub link_chars: usize,
}

pub struct Lines {
    pub lines: Vec<Line>,
    pub cut: bool,
}

#[derive(Clone, Copy, Default)]
struct Scope {
    heading: bool,
    cell: bool,
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
            self.scopes.push(Scope {
                heading: outer.heading || is_heading_tag(name),
                cell: outer.cell || (!is_root && matches!(name, "td" | "th") && is_data_cell(el)),
            });
        }
        Flow::Descend
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
    }

    fn text(&mut self, text: &str) {
        let visible = text.chars().filter(|c| !c.is_whitespace()).count();
        if visible > 0 && self.kind.is_none() {
            let scope = self.scopes.last().copied().unwrap_or_default();
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
            });
        }
        self.buf.clear();
        self.kind = None;
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
