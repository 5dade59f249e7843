//! Turns one story (a CP range) into paragraphs: special characters, fields,
//! table cells and list labels handled as Word shows them.

use std::cell::Cell;
use std::ops::Range;

use super::chpx::Deleted;
use super::lists::{Follow, Label, Lists};
use super::papx::{ParaMap, ParaProps};
use super::pieces::{CharAt, Pieces};
use super::styles::Styles;
use crate::extract::{BlockKind, CellPos, Context, ExtractError};

const PARAGRAPH_END: char = '\u{0D}';
const CELL_END: char = '\u{07}';
const PAGE_BREAK: char = '\u{0C}';
const FIELD_BEGIN: char = '\u{13}';
const FIELD_SEPARATOR: char = '\u{14}';
const FIELD_END: char = '\u{15}';
/// Deeper nesting than this is never written by Word; it only bounds memory.
const MAX_FIELD_DEPTH: usize = 64;
const MAX_INSTRUCTION: usize = 64;

/// One paragraph (or table cell) as it will become a block.
#[derive(Debug, Clone, PartialEq)]
pub struct Para {
    pub kind: BlockKind,
    pub text: String,
    /// 0-based paragraph number in the main text.
    pub index: Option<u32>,
    /// Main-text table cells: the cell's place in its table.
    pub cell: Option<CellPos>,
}

/// What the story walker reads from.
pub struct Doc<'a> {
    pub word: &'a [u8],
    pub pieces: &'a Pieces,
    pub paras: &'a ParaMap,
    pub deleted: &'a Deleted,
    pub styles: &'a Styles,
    /// Text bytes kept so far over all stories: pieces may share stream
    /// bytes, so the text can outgrow the file and must be capped as it grows.
    pub kept: Cell<usize>,
}

/// How a story's paragraphs are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Story {
    /// Main text: numbered paragraphs, headings recognised.
    Main,
    /// Any other story, every paragraph of this kind.
    Other(BlockKind),
}

/// Tables nest at most this deep; Word stops far earlier. Bounds memory.
const MAX_TABLE_DEPTH: u32 = 64;

/// An open table: Word marks the end of each cell and each row, so the
/// position of a cell is counted from those marks.
#[derive(Debug, Clone, Copy)]
struct Table {
    number: u32,
    row: u32,
    col: u32,
}

#[derive(Debug)]
struct Field {
    showing_result: bool,
    instruction: String,
    page: bool,
}

struct Walker<'a, 'b> {
    doc: &'b Doc<'a>,
    lists: &'b mut Lists,
    story: Story,
    fields: Vec<Field>,
    /// Nesting beyond MAX_FIELD_DEPTH, counted so begin/end still pair up.
    overflow: usize,
    text: String,
    /// Text outside page-number fields, to recognise page-number-only lines.
    plain: String,
    has_page_field: bool,
    /// Text of the table cell being read, its first paragraph's number and
    /// its position.
    cell: Option<(String, Option<u32>, CellPos)>,
    /// Tables open at the current paragraph, outermost first (index = itap - 1).
    tables: Vec<Table>,
    /// Tables begun so far in this story.
    table_count: u32,
    index: u32,
    out: Vec<Para>,
    max_bytes: usize,
}

/// Reads the paragraphs of `range`. `lists` carries numbering across stories.
pub fn read_story(
    doc: &Doc,
    lists: &mut Lists,
    range: Range<u32>,
    story: Story,
    ctx: &Context,
) -> Result<Vec<Para>, ExtractError> {
    let mut w = Walker {
        doc,
        lists,
        story,
        fields: Vec::new(),
        overflow: 0,
        text: String::new(),
        plain: String::new(),
        has_page_field: false,
        cell: None,
        tables: Vec::new(),
        table_count: 0,
        index: 0,
        out: Vec::new(),
        max_bytes: ctx.limits.max_text_bytes,
    };
    doc.pieces.walk(doc.word, range, ctx, |c| w.char(c))?;
    // A story normally ends with a paragraph mark; keep anything after the last one.
    if !w.text.trim().is_empty() || w.cell.is_some() {
        w.end_paragraph(PARAGRAPH_END, None)?;
    }
    Ok(w.out)
}

impl Walker<'_, '_> {
    fn char(&mut self, c: CharAt) -> Result<(), ExtractError> {
        if self.doc.deleted.contains(c.fc) {
            return Ok(());
        }
        match c.ch {
            FIELD_BEGIN => self.field_begin(),
            FIELD_SEPARATOR => self.field_separate(),
            FIELD_END => self.field_end(),
            PARAGRAPH_END | CELL_END | PAGE_BREAK => {
                let props = self.doc.paras.at(c.fc).copied();
                self.end_paragraph(c.ch, props)?;
            }
            // Line break, tab, column break: a space inside the paragraph.
            '\u{0B}' | '\u{09}' | '\u{0E}' => self.push(' '),
            // Non-breaking hyphen; the optional hyphen is invisible.
            '\u{1E}' => self.push('-'),
            '\u{1F}' => {}
            // Pictures, drawn objects, note references, separators and other controls.
            c if (c as u32) < 0x20 => {}
            c => self.push(c),
        }
        let open = self.text.len() + self.cell.as_ref().map_or(0, |c| c.0.len());
        if self.doc.kept.get().saturating_add(open) > self.max_bytes {
            return Err(self.too_large());
        }
        Ok(())
    }

    fn too_large(&self) -> ExtractError {
        ExtractError::TooLarge(format!(
            "提取出的文本超过 {} MB",
            self.max_bytes / (1024 * 1024)
        ))
    }

    fn push(&mut self, c: char) {
        if self.fields.iter().all(|f| f.showing_result) {
            self.text.push(c);
            if self.fields.iter().all(|f| !f.page) {
                self.plain.push(c);
            }
        } else if let Some(f) = self.fields.last_mut()
            && !f.showing_result
            && f.instruction.len() < MAX_INSTRUCTION
        {
            f.instruction.push(c);
        }
    }

    fn field_begin(&mut self) {
        if self.fields.len() >= MAX_FIELD_DEPTH {
            self.overflow += 1;
            return;
        }
        self.fields.push(Field {
            showing_result: false,
            instruction: String::new(),
            page: false,
        });
    }

    fn field_separate(&mut self) {
        if self.overflow > 0 {
            return;
        }
        if let Some(f) = self.fields.last_mut()
            && !f.showing_result
        {
            f.showing_result = true;
            f.page = is_page_instruction(&f.instruction);
            self.has_page_field |= f.page;
        }
    }

    fn field_end(&mut self) {
        if self.overflow > 0 {
            self.overflow -= 1;
        } else {
            self.fields.pop();
        }
    }

    fn end_paragraph(&mut self, mark: char, props: Option<ParaProps>) -> Result<(), ExtractError> {
        let text = std::mem::take(&mut self.text);
        let plain = std::mem::take(&mut self.plain);
        let page_field = std::mem::replace(&mut self.has_page_field, false);
        let p = props.unwrap_or_default();

        let in_table = p.in_table || p.itap > 0;
        // Cell marks (0x07) end cells of outer tables; nested tables end
        // their cells and rows with paragraph marks flagged as such.
        let level = if mark == CELL_END {
            p.itap.max(1)
        } else {
            p.itap
        };
        if mark == CELL_END && p.row_end {
            // The row's end mark holds no text of its own.
            self.flush_cell()?;
            self.end_row(level);
            return Ok(());
        }
        let index = self.index;
        self.index += 1;
        let text = self.with_list_label(&p, text);
        if in_table && p.inner_row_end {
            // Nor does a nested table's, though it counts as a paragraph.
            self.flush_cell()?;
            self.end_row(level);
            return Ok(());
        }
        // Without paragraph properties a cell mark still ends a cell.
        if mark == CELL_END || (in_table && p.inner_cell_end) {
            self.add_to_cell(&text, index, level)?;
            self.flush_cell()?;
            self.end_cell(level);
            return Ok(());
        }
        if in_table {
            return self.add_to_cell(&text, index, level);
        }
        self.flush_cell()?;
        self.tables.clear();
        let page_only = page_field && is_page_decoration(&plain);
        if page_only {
            return Ok(());
        }
        let kind = match self.story {
            Story::Main if props.is_some_and(|p| self.is_heading(&p)) => BlockKind::Heading,
            Story::Main => BlockKind::Paragraph,
            Story::Other(kind) => kind,
        };
        self.emit(kind, text, index, None)
    }

    fn is_heading(&self, p: &ParaProps) -> bool {
        p.outline.is_some_and(|l| l < 9) || self.doc.styles.is_heading(p.istd)
    }

    fn with_list_label(&mut self, p: &ParaProps, text: String) -> String {
        let style = self.doc.styles.list(p.istd);
        let ilfo = p.list.ilfo.or(style.ilfo).unwrap_or(0);
        if ilfo <= 0 || self.lists.is_empty() {
            return text;
        }
        let ilvl = p.list.ilvl.or(style.ilvl).unwrap_or(0);
        match self.lists.next_label(ilfo, ilvl) {
            Some(label) => with_label(&label, &text),
            None => text,
        }
    }

    /// Adds a paragraph to the cell being read in the table at nesting
    /// `level`. Text of an outer cell before or after a nested table is a
    /// block of its own, with the outer cell's position.
    fn add_to_cell(&mut self, text: &str, index: u32, level: u32) -> Result<(), ExtractError> {
        let pos = self.cell_at(level);
        if self.cell.as_ref().is_some_and(|c| c.2 != pos) {
            self.flush_cell()?;
        }
        let (cell, _, _) = self
            .cell
            .get_or_insert_with(|| (String::new(), Some(index), pos));
        if !cell.is_empty() {
            cell.push('\n');
        }
        cell.push_str(text);
        Ok(())
    }

    /// The position of the current cell of the table at nesting `level`
    /// (1 = outermost): tables deeper than that have ended, missing ones begin.
    fn cell_at(&mut self, level: u32) -> CellPos {
        let level = level.clamp(1, MAX_TABLE_DEPTH) as usize;
        self.tables.truncate(level);
        while self.tables.len() < level {
            self.tables.push(Table {
                number: self.table_count,
                row: 0,
                col: 0,
            });
            self.table_count = self.table_count.saturating_add(1);
        }
        let t = self.tables[level - 1];
        CellPos {
            table: t.number,
            row: t.row,
            col: t.col,
        }
    }

    fn end_cell(&mut self, level: u32) {
        self.cell_at(level);
        if let Some(t) = self.tables.last_mut() {
            t.col = t.col.saturating_add(1);
        }
    }

    fn end_row(&mut self, level: u32) {
        self.cell_at(level);
        if let Some(t) = self.tables.last_mut() {
            t.row = t.row.saturating_add(1);
            t.col = 0;
        }
    }

    fn flush_cell(&mut self) -> Result<(), ExtractError> {
        let Some((text, index, pos)) = self.cell.take() else {
            return Ok(());
        };
        let (kind, cell) = match self.story {
            Story::Main => (BlockKind::TableCell, Some(pos)),
            Story::Other(kind) => (kind, None),
        };
        self.emit(kind, text, index.unwrap_or(self.index), cell)
    }

    fn emit(
        &mut self,
        kind: BlockKind,
        text: String,
        index: u32,
        cell: Option<CellPos>,
    ) -> Result<(), ExtractError> {
        if text.trim().is_empty() {
            return Ok(());
        }
        let kept = self.doc.kept.get().saturating_add(text.len() + 1);
        self.doc.kept.set(kept);
        if kept > self.max_bytes {
            return Err(self.too_large());
        }
        let index = (self.story == Story::Main).then_some(index);
        self.out.push(Para {
            kind,
            text,
            index,
            cell,
        });
        Ok(())
    }
}

/// PAGE, NUMPAGES, SECTIONPAGES, whatever the case and switches.
fn is_page_instruction(instruction: &str) -> bool {
    let word = instruction.split_whitespace().next().unwrap_or("");
    ["PAGE", "NUMPAGES", "SECTIONPAGES"]
        .iter()
        .any(|k| word.eq_ignore_ascii_case(k))
}

/// A header or footer line that, besides its page-number fields, holds only
/// decoration such as "第  页" or "- 1 -".
fn is_page_decoration(plain: &str) -> bool {
    let rest = plain.to_lowercase().replace("page", "").replace("of", "");
    rest.chars().all(|c| {
        c.is_whitespace()
            || c.is_ascii_punctuation()
            || c.is_ascii_digit()
            || "第页共—–－―·•／、，。（）【】".contains(c)
    })
}

/// The label, then the text. Label and Chinese text touch when the label ends
/// in punctuation ("一、总体要求", "1.对……"); otherwise the follow character
/// becomes a space ("第一条 为了").
fn with_label(label: &Label, text: &str) -> String {
    let body = text.trim_start();
    if body.trim().is_empty() {
        // A numbered but empty line shows only its number: nothing to read.
        return String::new();
    }
    let last = label.text.chars().last().unwrap_or(' ');
    let first = body.chars().next().unwrap_or(' ');
    let wide_punct =
        "、，。．：；）】」』〕〉》".contains(last) || ('\u{FF01}'..='\u{FF0F}').contains(&last);
    let narrow_punct = last.is_ascii_punctuation() || ('\u{2460}'..='\u{249B}').contains(&last);
    let tight = label.follow == Follow::Nothing || wide_punct || (narrow_punct && is_cjk(first));
    let gap = if tight { "" } else { " " };
    format!("{}{gap}{body}", label.text)
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{2E80}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}' | '\u{20000}'..='\u{3134F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(text: &str, follow: Follow) -> Label {
        Label {
            text: text.into(),
            follow,
        }
    }

    #[test]
    fn labels_join_like_word_shows_them() {
        assert_eq!(
            with_label(&label("一、", Follow::Tab), "总体要求"),
            "一、总体要求"
        );
        assert_eq!(
            with_label(&label("（二）", Follow::Tab), "加强"),
            "（二）加强"
        );
        assert_eq!(with_label(&label("1.", Follow::Tab), "起草"), "1.起草");
        assert_eq!(with_label(&label("1.", Follow::Tab), "Scope"), "1. Scope");
        assert_eq!(
            with_label(&label("第一条", Follow::Space), "为了"),
            "第一条 为了"
        );
        assert_eq!(
            with_label(&label("第一条", Follow::Nothing), "为了"),
            "第一条为了"
        );
        assert_eq!(with_label(&label("一、", Follow::Tab), "  "), "");
    }

    #[test]
    fn page_lines_are_recognised() {
        assert!(is_page_instruction(" PAGE \\* MERGEFORMAT "));
        assert!(is_page_instruction("numpages"));
        assert!(!is_page_instruction("HYPERLINK \"x\""));
        assert!(is_page_decoration("第  页 共  页"));
        assert!(is_page_decoration("- 1 -"));
        assert!(!is_page_decoration("某市人民政府办公室"));
    }
}
