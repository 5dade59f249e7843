//! Walks one WordprocessingML part (body, header, footer, notes) and collects
//! its paragraphs as text, with list labels restored.
//!
//! Paragraphs can nest (a text box lives inside a run of its anchor paragraph),
//! so open paragraphs form a stack; a text box's paragraphs are emitted right
//! after the paragraph that anchors them. Everything that closes is matched by
//! depth rather than by name, so unbalanced markup cannot confuse the stacks.

use quick_xml::events::BytesStart;

use super::super::xml::{SafeXml, XmlEvent, attr, local_name};
use super::super::{BlockKind, CellPos, Context, ExtractError};
use super::fields::Fields;
use super::numbering::{Counters, Label, Numbering, Suffix};
use super::parse_int;
use super::styles::Styles;

/// Which kind of part is walked; decides block kinds and special rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PartKind {
    Body,
    Header,
    Footer,
    Footnotes,
    Endnotes,
}

/// One finished paragraph.
#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    pub kind: BlockKind,
    pub text: String,
    /// Body only: index of its `w:p` among all `w:p` elements of the part in
    /// document order (table, text-box and skipped fallback copies included),
    /// so a writer can find the same paragraph by counting the same way.
    pub index: Option<u32>,
    /// Body table cells only: the cell's place in its table.
    pub cell: Option<CellPos>,
}

/// A header or footer reference from a section, in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionRef {
    pub rel_id: String,
}

#[derive(Debug, Default)]
pub struct PartText {
    pub paragraphs: Vec<Paragraph>,
    pub section_refs: Vec<SectionRef>,
}

pub struct Walker<'a> {
    part: PartKind,
    styles: &'a Styles,
    numbering: &'a Numbering,
    counters: Counters,
    max_text_bytes: usize,
    text_bytes: usize,
    out: PartText,
    /// Paragraphs finished inside another one, emitted after it.
    pending: Vec<Paragraph>,
    frames: Vec<Frame>,
    containers: Vec<Container>,
    /// Open `w:tbl` elements, outermost first.
    tables: Vec<Table>,
    /// Tables opened so far: the number the next one gets.
    table_count: u32,
    /// Depth of the element whose whole content is ignored.
    skip_from: Option<usize>,
    /// Open `mc:AlternateContent` elements: depth, and whether a choice was taken.
    alternates: Vec<(usize, bool)>,
    fields: Fields,
    /// Element whose text is being read: depth and whether it is a field instruction.
    text_target: Option<(usize, bool)>,
    num_pr_depth: Option<usize>,
    paragraph_count: u32,
}

/// An open table cell or text box; paragraphs inside take its kind.
#[derive(Debug)]
struct Container {
    depth: usize,
    kind: BlockKind,
    /// A table cell's position.
    cell: Option<CellPos>,
}

/// Grid columns past this are still counted but not tracked for vertical
/// merges (Word itself allows 63), so hostile spans cannot grow memory.
const MAX_TRACKED_COLUMNS: usize = 1024;

/// An open `w:tbl`.
#[derive(Debug)]
struct Table {
    depth: usize,
    number: u32,
    /// Rows begun so far; the current row is `rows - 1`.
    rows: u32,
    /// Grid column where the next cell of the current row starts.
    col: u32,
    /// The open `w:tc`, if any.
    cell: Option<OpenCell>,
    /// The previous cell of the current row (target of a legacy `w:hMerge`).
    last: Option<CellPos>,
    /// Per grid column: the row where the vertical merge covering it began.
    merges: Vec<Option<u32>>,
}

#[derive(Debug)]
struct OpenCell {
    depth: usize,
    /// Where the cell sits on the grid.
    pos: CellPos,
    /// The position its paragraphs get: `pos`, or that of the cell a merge
    /// continues.
    shown: CellPos,
    /// Grid columns it spans (`w:gridSpan`).
    span: u32,
    /// Part of a vertical merge (`w:vMerge`), so the column's merge origin stays.
    merged: bool,
}

impl Table {
    fn row(&self) -> u32 {
        self.rows.saturating_sub(1)
    }

    /// Closes the open cell: the next cell starts after the columns it spans.
    fn close_cell(&mut self) {
        let Some(cell) = self.cell.take() else {
            return;
        };
        let start = cell.pos.col;
        self.col = start.saturating_add(cell.span);
        if !cell.merged {
            let end = (self.col as usize).min(self.merges.len());
            for slot in self.merges.iter_mut().take(end).skip(start as usize) {
                *slot = None;
            }
        }
        self.last = Some(cell.shown);
    }
}

/// An open paragraph.
#[derive(Debug)]
struct Frame {
    depth: usize,
    index: Option<u32>,
    kind: BlockKind,
    cell: Option<CellPos>,
    text: String,
    /// Text outside page-number fields (headers and footers only need it).
    plain: String,
    has_page_field: bool,
    style: Option<String>,
    num_id: Option<i64>,
    ilvl: Option<i64>,
}

impl<'a> Walker<'a> {
    pub fn new(
        part: PartKind,
        styles: &'a Styles,
        numbering: &'a Numbering,
        ctx: &Context,
    ) -> Self {
        Walker {
            part,
            styles,
            numbering,
            counters: Counters::default(),
            max_text_bytes: ctx.limits.max_text_bytes,
            text_bytes: 0,
            out: PartText::default(),
            pending: Vec::new(),
            frames: Vec::new(),
            containers: Vec::new(),
            tables: Vec::new(),
            table_count: 0,
            skip_from: None,
            alternates: Vec::new(),
            fields: Fields::default(),
            text_target: None,
            num_pr_depth: None,
            paragraph_count: 0,
        }
    }

    /// Reads the whole part. Invalid XML is `Corrupt` naming `part_name`.
    pub fn walk(
        mut self,
        bytes: &[u8],
        part_name: &str,
        ctx: &Context,
    ) -> Result<PartText, ExtractError> {
        let mut xml = SafeXml::new(bytes, part_name, ctx);
        loop {
            match xml.next()? {
                XmlEvent::Start(e) => self.open(&e, xml.depth(), false),
                XmlEvent::Empty(e) => self.open(&e, xml.depth() + 1, true),
                XmlEvent::End(_) => self.close(xml.depth())?,
                XmlEvent::Text(t) => self.text(&t),
                XmlEvent::Eof => break,
            }
        }
        // A truncated part still yields what it had.
        self.close(0)?;
        Ok(self.out)
    }

    fn open(&mut self, e: &BytesStart, depth: usize, empty: bool) {
        let name = local_name(e);
        if self.skip_from.is_some() {
            if name == "p" {
                self.count_paragraph();
            }
            return;
        }
        match name {
            "p" => {
                let index = self.count_paragraph();
                if !empty {
                    let (kind, cell) = self.frame_kind();
                    self.frames.push(Frame {
                        depth,
                        index,
                        kind,
                        cell,
                        text: String::new(),
                        plain: String::new(),
                        has_page_field: false,
                        style: None,
                        num_id: None,
                        ilvl: None,
                    });
                }
            }
            "tbl" if !empty => {
                self.tables.push(Table {
                    depth,
                    number: self.table_count,
                    rows: 0,
                    col: 0,
                    cell: None,
                    last: None,
                    merges: Vec::new(),
                });
                self.table_count = self.table_count.saturating_add(1);
            }
            "tr" if !empty => {
                if let Some(t) = self.tables.last_mut() {
                    t.close_cell();
                    t.rows = t.rows.saturating_add(1);
                    t.col = 0;
                    t.last = None;
                }
            }
            "tc" if !empty => {
                let cell = self.open_cell(depth);
                self.containers.push(Container {
                    depth,
                    kind: BlockKind::TableCell,
                    cell,
                });
            }
            "gridSpan" | "gridBefore" | "vMerge" | "hMerge" => self.cell_property(name, e),
            "txbxContent" if !empty => self.containers.push(Container {
                depth,
                kind: BlockKind::TextBox,
                cell: None,
            }),
            "AlternateContent" if !empty => self.alternates.push((depth, false)),
            // Only the first choice is read; fallbacks repeat it in older markup.
            "Choice" | "Fallback" if !empty => {
                if let Some((d, taken)) = self.alternates.last_mut()
                    && *d + 1 == depth
                {
                    if *taken {
                        self.skip(depth);
                    } else {
                        *taken = true;
                    }
                }
            }
            // Deleted text, revision history, tab stops, control properties and
            // ruby pronunciation guides are not part of the reading text; the
            // former properties of a table, row or cell do not place cells.
            "del" | "moveFrom" | "pPrChange" | "rPrChange" | "sdtPr" | "tabs"
            | "numberingChange" | "rt" | "tblPrChange" | "tblPrExChange" | "trPrChange"
            | "tcPrChange" | "tblGridChange"
                if !empty =>
            {
                self.skip(depth)
            }
            "footnote" | "endnote" if !empty && is_separator_note(e) => self.skip(depth),
            "t" if !empty => self.text_target = Some((depth, false)),
            "instrText" if !empty => self.text_target = Some((depth, true)),
            "tab" | "ptab" => self.push_text(" "),
            "br" | "cr" => self.push_text("\n"),
            "noBreakHyphen" => self.push_text("-"),
            "sym" => {
                if let Some(c) = attr(e, "char").and_then(|h| symbol_char(&h)) {
                    self.push_text(c.encode_utf8(&mut [0; 4]));
                }
            }
            "fldChar" => match attr(e, "fldCharType").as_deref() {
                Some("begin") => self.fields.begin(),
                Some("separate") => self.fields.separate(),
                Some("end") => self.fields.end(),
                _ => {}
            },
            "fldSimple" if !empty => {
                let instruction = attr(e, "instr").unwrap_or_default();
                self.fields.simple(depth, &instruction);
            }
            "pStyle" => {
                if let Some(f) = self.frames.last_mut() {
                    f.style = attr(e, "val");
                }
            }
            "numPr" if !empty => self.num_pr_depth = Some(depth),
            "numId" | "ilvl" if self.num_pr_depth.is_some() => {
                if let Some(f) = self.frames.last_mut() {
                    let val = attr(e, "val").as_deref().and_then(parse_int);
                    if name == "numId" {
                        f.num_id = val;
                    } else {
                        f.ilvl = val;
                    }
                }
            }
            "headerReference" | "footerReference" if self.part == PartKind::Body => {
                if let Some(rel_id) = attr(e, "id") {
                    self.out.section_refs.push(SectionRef { rel_id });
                }
            }
            _ => {}
        }
    }

    /// Called after an element closed, with the depth now current.
    fn close(&mut self, depth: usize) -> Result<(), ExtractError> {
        if self.skip_from.is_some_and(|d| d > depth) {
            self.skip_from = None;
        }
        if self.text_target.is_some_and(|(d, _)| d > depth) {
            self.text_target = None;
        }
        if self.num_pr_depth.is_some_and(|d| d > depth) {
            self.num_pr_depth = None;
        }
        self.fields.close_to(depth);
        while self.alternates.last().is_some_and(|&(d, _)| d > depth) {
            self.alternates.pop();
        }
        while self.frames.last().is_some_and(|f| f.depth > depth) {
            if let Some(frame) = self.frames.pop() {
                self.finish(frame)?;
            }
        }
        // Containers close after their paragraphs so those keep their kind.
        while self.containers.last().is_some_and(|c| c.depth > depth) {
            self.containers.pop();
        }
        for t in &mut self.tables {
            if t.cell.as_ref().is_some_and(|c| c.depth > depth) {
                t.close_cell();
            }
        }
        while self.tables.last().is_some_and(|t| t.depth > depth) {
            self.tables.pop();
        }
        Ok(())
    }

    fn text(&mut self, text: &str) {
        if self.skip_from.is_some() {
            return;
        }
        match self.text_target {
            Some((_, true)) => self.fields.add_instruction(text),
            Some((_, false)) => self.push_text(text),
            None => {}
        }
    }

    fn push_text(&mut self, text: &str) {
        if self.fields.in_instruction > 0 {
            return;
        }
        let in_page = self.fields.in_page_result > 0;
        let keep_plain = matches!(self.part, PartKind::Header | PartKind::Footer);
        if let Some(f) = self.frames.last_mut() {
            f.text.push_str(text);
            if in_page {
                f.has_page_field = true;
            } else if keep_plain {
                f.plain.push_str(text);
            }
        }
    }

    fn skip(&mut self, depth: usize) {
        if self.skip_from.is_none() {
            self.skip_from = Some(depth);
        }
    }

    fn count_paragraph(&mut self) -> Option<u32> {
        if self.part != PartKind::Body {
            return None;
        }
        let index = self.paragraph_count;
        self.paragraph_count = self.paragraph_count.saturating_add(1);
        Some(index)
    }

    /// The kind of a paragraph opened now, and its table cell position.
    fn frame_kind(&self) -> (BlockKind, Option<CellPos>) {
        let kind = match self.part {
            PartKind::Header => BlockKind::Header,
            PartKind::Footer => BlockKind::Footer,
            PartKind::Footnotes => BlockKind::Footnote,
            PartKind::Endnotes => BlockKind::Endnote,
            PartKind::Body => {
                return self
                    .containers
                    .last()
                    .map_or((BlockKind::Paragraph, None), |c| (c.kind, c.cell));
            }
        };
        (kind, None)
    }

    /// Starts a `w:tc` in the innermost table: it sits at the next grid column
    /// of the current row.
    fn open_cell(&mut self, depth: usize) -> Option<CellPos> {
        let t = self.tables.last_mut()?;
        t.close_cell();
        let pos = CellPos {
            table: t.number,
            row: t.row(),
            col: t.col,
        };
        t.cell = Some(OpenCell {
            depth,
            pos,
            shown: pos,
            span: 1,
            merged: false,
        });
        Some(pos)
    }

    /// Cell and row properties that move cells on the grid: `w:gridSpan`,
    /// `w:gridBefore` (columns skipped before a row's first cell), `w:vMerge`
    /// and the legacy `w:hMerge`. A continuation cell of a merge takes the
    /// position of the cell it continues.
    fn cell_property(&mut self, name: &str, e: &BytesStart) {
        let Some(t) = self.tables.last_mut() else {
            return;
        };
        let val = attr(e, "val");
        let number = || {
            val.as_deref()
                .and_then(parse_int)
                .map_or(1, |n| n.clamp(0, u32::MAX as i64) as u32)
        };
        let continues = val.as_deref().is_none_or(|v| v != "restart");
        let row = t.row();
        let Some(cell) = t.cell.as_mut() else {
            if name == "gridBefore" {
                t.col = t.col.saturating_add(number());
            }
            return;
        };
        let col = cell.pos.col as usize;
        let moved = match name {
            "gridSpan" => {
                cell.span = number().max(1);
                None
            }
            "vMerge" => {
                cell.merged = true;
                let end = col
                    .saturating_add(cell.span as usize)
                    .min(MAX_TRACKED_COLUMNS);
                if end > t.merges.len() {
                    t.merges.resize(end, None);
                }
                let origin = t.merges.get(col).copied().flatten();
                match origin {
                    Some(first) if continues => Some(CellPos {
                        row: first,
                        ..cell.pos
                    }),
                    _ => {
                        for slot in t.merges.iter_mut().take(end).skip(col) {
                            *slot = Some(row);
                        }
                        None
                    }
                }
            }
            "hMerge" if continues => t.last,
            _ => None,
        };
        if let Some(pos) = moved {
            cell.shown = pos;
            let depth = cell.depth;
            if let Some(c) = self.containers.iter_mut().rev().find(|c| c.depth == depth) {
                c.cell = Some(pos);
            }
        }
    }

    fn finish(&mut self, frame: Frame) -> Result<(), ExtractError> {
        let style = frame.style.as_deref().or(self.styles.default_paragraph());
        let label = self.label(&frame, style);
        let mut kind = frame.kind;
        if kind == BlockKind::Paragraph && style.is_some_and(|s| self.styles.is_heading(s)) {
            kind = BlockKind::Heading;
        }
        let page_number_only = matches!(self.part, PartKind::Header | PartKind::Footer)
            && frame.has_page_field
            && is_page_decoration(&frame.plain);
        let text = with_label(label, &frame.text);
        if !page_number_only && !text.trim().is_empty() {
            self.text_bytes += text.len();
            if self.text_bytes > self.max_text_bytes {
                return Err(ExtractError::TooLarge(format!(
                    "提取出的文本超过 {} MB",
                    self.max_text_bytes / (1024 * 1024)
                )));
            }
            let paragraph = Paragraph {
                kind,
                text,
                index: frame.index,
                cell: frame.cell,
            };
            if self.frames.is_empty() {
                self.out.paragraphs.push(paragraph);
            } else {
                self.pending.push(paragraph);
                return Ok(());
            }
        }
        if self.frames.is_empty() {
            self.out.paragraphs.append(&mut self.pending);
        }
        Ok(())
    }

    /// The list label of a paragraph: its own `w:numPr`, else its style's.
    fn label(&mut self, frame: &Frame, style: Option<&str>) -> Option<Label> {
        let (style_num, style_ilvl) = style.map_or((None, None), |s| self.styles.numbering(s));
        let num_id = frame.num_id.or(style_num)?;
        // numId 0 switches numbering off, also one inherited from the style.
        if num_id == 0 {
            return None;
        }
        let ilvl = frame.ilvl.or(style_ilvl);
        self.numbering
            .next_label(&mut self.counters, num_id, ilvl, style)
    }
}

/// Separator and continuation notes (ids -1/0 or any `w:type`) hold only rules.
fn is_separator_note(e: &BytesStart) -> bool {
    attr(e, "type").is_some()
        || attr(e, "id")
            .as_deref()
            .and_then(parse_int)
            .is_some_and(|id| id <= 0)
}

/// A `w:sym` character, unless it is a symbol-font glyph (private use area).
fn symbol_char(hex: &str) -> Option<char> {
    let code = u32::from_str_radix(hex.trim(), 16).ok()?;
    let c = char::from_u32(code)?;
    let private = ('\u{E000}'..='\u{F8FF}').contains(&c);
    (!private && !c.is_control()).then_some(c)
}

/// Text around a page number that means nothing alone: "— 3 —", "第 3 页 共 9 页", "Page 3 of 9".
fn is_page_decoration(plain: &str) -> bool {
    let lower = plain.to_lowercase().replace("page", "").replace("of", "");
    lower.chars().all(|c| {
        c.is_whitespace() || c.is_ascii_punctuation() || "—–－―·•／、，。（）【】第页共".contains(c)
    })
}

/// Puts a list label before the paragraph text. Word separates them with a tab
/// or a space unless told not to; a label ending in punctuation next to
/// Chinese text reads best without one ("一、总体要求", "1.对新设立…").
fn with_label(label: Option<Label>, text: &str) -> String {
    let Some(label) = label else {
        return text.to_string();
    };
    let body = text.trim_start();
    if body.trim().is_empty() {
        // An empty numbered line shows only its number: nothing to read.
        return String::new();
    }
    let last = label.text.chars().last().unwrap_or(' ');
    let first = body.chars().next().unwrap_or(' ');
    let tight = label.suffix == Suffix::Nothing
        || is_wide_punctuation(last)
        || ((last.is_ascii_punctuation() || is_enclosed_number(last)) && is_cjk(first));
    let sep = if tight { "" } else { " " };
    format!("{}{sep}{body}", label.text)
}

fn is_wide_punctuation(c: char) -> bool {
    "、，。．：；）】」』〕〉》".contains(c) || ('\u{FF01}'..='\u{FF0F}').contains(&c)
}

/// ① ⑴ ⒈ and the enclosed CJK numbers.
fn is_enclosed_number(c: char) -> bool {
    ('\u{2460}'..='\u{249B}').contains(&c) || ('\u{3251}'..='\u{32BF}').contains(&c)
}

fn is_cjk(c: char) -> bool {
    ('\u{2E80}'..='\u{9FFF}').contains(&c)
        || ('\u{F900}'..='\u{FAFF}').contains(&c)
        || ('\u{FF00}'..='\u{FFEF}').contains(&c)
        || ('\u{20000}'..='\u{3134F}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(text: &str, suffix: Suffix) -> Option<Label> {
        Some(Label {
            text: text.into(),
            suffix,
        })
    }

    #[test]
    fn labels_join_text_sensibly() {
        assert_eq!(
            with_label(label("一、", Suffix::Tab), "总体要求"),
            "一、总体要求"
        );
        assert_eq!(
            with_label(label("（二）", Suffix::Tab), "加大支持"),
            "（二）加大支持"
        );
        assert_eq!(
            with_label(label("1.", Suffix::Tab), "对新设立"),
            "1.对新设立"
        );
        assert_eq!(with_label(label("1.", Suffix::Tab), "Scope"), "1. Scope");
        assert_eq!(
            with_label(label("第一章", Suffix::Space), "总则"),
            "第一章 总则"
        );
        assert_eq!(
            with_label(label("第一条", Suffix::Nothing), "为了"),
            "第一条为了"
        );
        assert_eq!(with_label(label("①", Suffix::Tab), "  企业"), "①企业");
        assert_eq!(with_label(label("3.", Suffix::Tab), "  "), "");
        assert_eq!(with_label(None, "原文"), "原文");
    }

    #[test]
    fn page_number_lines() {
        assert!(is_page_decoration("— "));
        assert!(is_page_decoration("第  页 共  页"));
        assert!(is_page_decoration("Page  of "));
        assert!(!is_page_decoration("某某市人民政府办公室"));
    }
}
