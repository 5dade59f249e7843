//! Reads `document.xml` the way the docx extractor does, but keeps where each
//! visible character sits in the XML bytes, so a sentence found in the
//! extracted text can be marked in the original runs.
//!
//! The walk mirrors `extract::docx::walker`: every `p` element is counted in
//! document order (tables, text boxes and skipped `mc:Fallback` copies
//! included); deleted text, revision history, tab stops, control properties,
//! ruby guides and field instructions are invisible; tabs read as a space and
//! breaks as a line break. Nested paragraphs (text boxes) keep their own text.
//! Whether the two walks agree is checked text against text before anything is
//! marked, so a difference costs precision, never a wrong anchor.

use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::extract::xml::{attr, local_name};
use crate::extract::{Context, ExtractError};

/// One visible character and the bytes that produce it.
#[derive(Debug, Clone)]
pub struct RawChar {
    pub ch: char,
    /// Byte span in the part: the character itself inside a `w:t`, or the
    /// whole element (`w:tab`, `w:br`, `w:sym`…) that stands for it.
    pub start: usize,
    pub end: usize,
    /// The run it is a direct child of, if it is one.
    pub run: Option<usize>,
    /// The `w:t` it is written in (set only when that `w:t` is a direct child of `run`).
    pub text: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct ScannedParagraph {
    /// Uses the main namespace prefix, so markers can go inside it.
    pub own_prefix: bool,
    /// Where paragraph content begins: after `w:pPr`, or after the start tag.
    pub content_start: usize,
    /// Start of `</w:p>`; `None` for a paragraph left open.
    pub end_tag_start: Option<usize>,
    pub chars: Vec<RawChar>,
}

/// A `w:r` element.
#[derive(Debug, Clone)]
pub struct Run {
    pub start: usize,
    /// End of the start tag.
    pub start_tag_end: usize,
    pub qname: String,
    /// Byte span of its `w:rPr`, copied into the second half of a split run.
    pub rpr: Option<(usize, usize)>,
    /// Start of the first child that is not `w:rPr`.
    pub first_child: Option<usize>,
    /// End of the last child seen.
    pub last_child_end: usize,
    /// Start and end of `</w:r>`; `None` while open.
    pub end_tag: Option<(usize, usize)>,
    depth: usize,
    rpr_open: Option<usize>,
}

/// A `w:t` element with content.
#[derive(Debug, Clone)]
pub struct TextElement {
    pub start: usize,
    /// End of the start tag = start of the content.
    pub start_tag_end: usize,
    pub qname: String,
    pub preserves_space: bool,
    /// Start and end of `</w:t>`.
    pub end_tag: Option<(usize, usize)>,
}

/// The main namespace as the part writes it.
#[derive(Debug, Clone, Default)]
pub struct MainNamespace {
    /// Prefix of the root element (`w`); empty for a default namespace.
    pub prefix: String,
    /// The namespace URI, if the root declares it.
    pub uri: Option<String>,
}

#[derive(Debug, Default)]
pub struct BodyScan {
    pub ns: MainNamespace,
    /// Requested paragraphs by index.
    pub paragraphs: HashMap<u32, ScannedParagraph>,
    pub runs: Vec<Run>,
    pub texts: Vec<TextElement>,
    /// Highest comment id already used by markers in the part.
    pub max_comment_id: Option<u64>,
    /// Paragraphs counted.
    pub paragraph_count: u32,
}

/// An open paragraph.
struct Frame {
    depth: usize,
    /// Index into the scan's paragraphs when requested.
    wanted: Option<u32>,
}

struct Walk<'w> {
    wanted: &'w dyn Fn(u32) -> bool,
    scan: BodyScan,
    depth: usize,
    frames: Vec<Frame>,
    /// Open runs: indexes into `scan.runs`.
    run_stack: Vec<usize>,
    /// The open `w:t` whose content is read: its depth and, when it is a
    /// direct child of a run, its index in `scan.texts` and the run's.
    open_text: Option<(usize, Option<(usize, usize)>)>,
    /// The open `w:instrText`'s depth.
    open_instruction: Option<usize>,
    skip_from: Option<usize>,
    alternates: Vec<(usize, bool)>,
    /// Open complex fields: whether each already shows its result.
    fields: Vec<bool>,
    /// `pPr` depth of the innermost frame while open.
    ppr_depth: Option<usize>,
    root_seen: bool,
}

/// Scans a main document part, keeping character positions for the
/// paragraphs `wanted` accepts.
pub fn scan_body(
    bytes: &[u8],
    part: &str,
    ctx: &Context,
    wanted: &dyn Fn(u32) -> bool,
) -> Result<BodyScan, ExtractError> {
    let mut reader = Reader::from_reader(bytes);
    let config = reader.config_mut();
    config.trim_text(false);
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    let mut walk = Walk {
        wanted,
        scan: BodyScan::default(),
        depth: 0,
        frames: Vec::new(),
        run_stack: Vec::new(),
        open_text: None,
        open_instruction: None,
        skip_from: None,
        alternates: Vec::new(),
        fields: Vec::new(),
        ppr_depth: None,
        root_seen: false,
    };
    let mut events = 0u32;
    loop {
        events = events.wrapping_add(1);
        if events.is_multiple_of(4096) {
            ctx.deadline.check()?;
        }
        let before = position(&reader);
        let event = reader
            .read_event()
            .map_err(|e| ExtractError::Corrupt(format!("{part} 不是有效的 XML：{e}")))?;
        let after = position(&reader);
        match event {
            Event::Start(e) => {
                walk.depth += 1;
                if walk.depth > ctx.limits.max_depth {
                    return Err(ExtractError::TooLarge(format!(
                        "{part} 的元素嵌套超过 {} 层",
                        ctx.limits.max_depth
                    )));
                }
                walk.open(&e, before, after, false);
            }
            Event::Empty(e) => {
                walk.depth += 1;
                walk.open(&e, before, after, true);
                walk.close(before, after);
            }
            Event::End(_) => walk.close(before, after),
            Event::Text(t) => walk.text(t.as_ref(), before),
            // Content starts after `<![CDATA[`.
            Event::CData(t) => walk.text(t.as_ref(), before + 9),
            Event::GeneralRef(r) => {
                if let Some(c) = resolve_ref(&r) {
                    walk.push_char(c, before, after);
                }
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    Ok(walk.scan)
}

fn position(reader: &Reader<&[u8]>) -> usize {
    usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX)
}

/// Predefined entities and character references, as the extractor resolves them.
pub(crate) fn resolve_ref(r: &quick_xml::events::BytesRef) -> Option<char> {
    if r.is_char_ref() {
        return r.resolve_char_ref().ok().flatten();
    }
    match r.as_ref() {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => None,
    }
}

fn prefix_of(qname: &str) -> &str {
    qname.rsplit_once(':').map_or("", |(p, _)| p)
}

impl Walk<'_> {
    fn own(&self, e: &BytesStart) -> bool {
        prefix_of(e.name().into_inner()) == self.scan.ns.prefix
    }

    /// `depth` is the element's own depth (already incremented).
    fn open(&mut self, e: &BytesStart, before: usize, after: usize, empty: bool) {
        let depth = self.depth;
        let name = local_name(e);
        if !self.root_seen {
            self.root_seen = true;
            let qname = e.name().into_inner().to_string();
            let prefix = prefix_of(&qname).to_string();
            let decl = if prefix.is_empty() {
                "xmlns".to_string()
            } else {
                format!("xmlns:{prefix}")
            };
            let uri = e
                .attributes()
                .flatten()
                .find_map(|a| (a.key.into_inner() == decl).then(|| a.value.to_string()));
            self.scan.ns = MainNamespace { prefix, uri };
        }
        if matches!(
            name,
            "commentRangeStart" | "commentRangeEnd" | "commentReference"
        ) && let Some(id) = attr(e, "id").and_then(|v| v.trim().parse::<u64>().ok())
        {
            self.scan.max_comment_id = Some(self.scan.max_comment_id.map_or(id, |m| m.max(id)));
        }
        self.note_run_child(depth, before, name);
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
                    let wanted = (self.wanted)(index).then_some(index);
                    if let Some(i) = wanted {
                        self.scan.paragraphs.insert(
                            i,
                            ScannedParagraph {
                                own_prefix: self.own(e),
                                content_start: after,
                                end_tag_start: None,
                                chars: Vec::new(),
                            },
                        );
                    }
                    self.frames.push(Frame { depth, wanted });
                }
            }
            "pPr" if self.frames.last().is_some_and(|f| f.depth + 1 == depth) => {
                self.ppr_depth = Some(depth);
            }
            "r" if !empty && self.own(e) => {
                self.scan.runs.push(Run {
                    start: before,
                    start_tag_end: after,
                    qname: e.name().into_inner().to_string(),
                    rpr: None,
                    first_child: None,
                    last_child_end: after,
                    end_tag: None,
                    depth,
                    rpr_open: None,
                });
                self.run_stack.push(self.scan.runs.len() - 1);
            }
            "AlternateContent" if !empty => self.alternates.push((depth, false)),
            "Choice" | "Fallback" if !empty => {
                if let Some((d, taken)) = self.alternates.last_mut()
                    && *d + 1 == depth
                {
                    if *taken {
                        self.skip_from = Some(depth);
                    } else {
                        *taken = true;
                    }
                }
            }
            "del" | "moveFrom" | "pPrChange" | "rPrChange" | "sdtPr" | "tabs"
            | "numberingChange" | "rt"
                if !empty =>
            {
                self.skip_from = Some(depth);
            }
            "t" if !empty => {
                let text = self.direct_run(depth).map(|run| {
                    self.scan.texts.push(TextElement {
                        start: before,
                        start_tag_end: after,
                        qname: e.name().into_inner().to_string(),
                        preserves_space: attr(e, "space").is_some(),
                        end_tag: None,
                    });
                    (self.scan.texts.len() - 1, run)
                });
                self.open_text = Some((depth, text));
            }
            "instrText" if !empty => self.open_instruction = Some(depth),
            "tab" | "ptab" => self.push_element(' ', depth, before, after),
            "br" | "cr" => self.push_element('\n', depth, before, after),
            "noBreakHyphen" => self.push_element('-', depth, before, after),
            "sym" => {
                if let Some(c) = attr(e, "char").and_then(|h| symbol_char(&h)) {
                    self.push_element(c, depth, before, after);
                }
            }
            "fldChar" => match attr(e, "fldCharType").as_deref() {
                Some("begin") => self.fields.push(false),
                Some("separate") => {
                    if let Some(showing) = self.fields.last_mut() {
                        *showing = true;
                    }
                }
                Some("end") => {
                    self.fields.pop();
                }
                _ => {}
            },
            _ => {}
        }
    }

    /// Records a direct child of the innermost open run.
    fn note_run_child(&mut self, depth: usize, before: usize, name: &str) {
        if let Some(&r) = self.run_stack.last()
            && let Some(run) = self.scan.runs.get_mut(r)
            && run.depth + 1 == depth
        {
            if name == "rPr" && run.first_child.is_none() && run.rpr.is_none() {
                run.rpr_open = Some(before);
            } else if run.first_child.is_none() {
                run.first_child = Some(before);
            }
        }
    }

    /// Called at every element end (an empty element closes right away).
    fn close(&mut self, before: usize, after: usize) {
        let depth = self.depth;
        while let Some(&r) = self.run_stack.last() {
            let Some(run) = self.scan.runs.get_mut(r) else {
                self.run_stack.pop();
                continue;
            };
            if run.depth >= depth {
                if run.depth == depth {
                    run.end_tag = Some((before, after));
                }
                self.run_stack.pop();
                continue;
            }
            if run.depth + 1 == depth {
                if let Some(start) = run.rpr_open.take() {
                    run.rpr = Some((start, after));
                }
                run.last_child_end = after;
            }
            break;
        }
        if let Some((d, text)) = self.open_text
            && d >= depth
        {
            if let Some(t) = text.and_then(|(t, _)| self.scan.texts.get_mut(t)) {
                t.end_tag = Some((before, after));
            }
            self.open_text = None;
        }
        if self.open_instruction.is_some_and(|d| d >= depth) {
            self.open_instruction = None;
        }
        if self.skip_from.is_some_and(|d| d >= depth) {
            self.skip_from = None;
        }
        if self.ppr_depth.is_some_and(|d| d >= depth) {
            self.ppr_depth = None;
            if let Some(p) = self.current_wanted() {
                p.content_start = after;
            }
        }
        while self.alternates.last().is_some_and(|&(d, _)| d >= depth) {
            self.alternates.pop();
        }
        while let Some(frame_depth) = self.frames.last().map(|f| f.depth)
            && frame_depth >= depth
        {
            if frame_depth == depth
                && let Some(p) = self.current_wanted()
            {
                p.end_tag_start = Some(before);
            }
            self.frames.pop();
        }
        self.depth = self.depth.saturating_sub(1);
    }

    fn current_wanted(&mut self) -> Option<&mut ScannedParagraph> {
        let index = self.frames.last()?.wanted?;
        self.scan.paragraphs.get_mut(&index)
    }

    fn count_paragraph(&mut self) -> u32 {
        let index = self.scan.paragraph_count;
        self.scan.paragraph_count = index.saturating_add(1);
        index
    }

    /// The innermost run, if an element at `depth` is its direct child and
    /// the run belongs to the innermost paragraph.
    fn direct_run(&self, depth: usize) -> Option<usize> {
        let &r = self.run_stack.last()?;
        let run = self.scan.runs.get(r)?;
        let frame_depth = self.frames.last()?.depth;
        (run.depth + 1 == depth && run.depth > frame_depth).then_some(r)
    }

    fn visible(&self) -> bool {
        self.skip_from.is_none() && !self.fields.iter().any(|showing| !showing)
    }

    fn push_element(&mut self, c: char, depth: usize, before: usize, after: usize) {
        if !self.visible() {
            return;
        }
        let run = self.direct_run(depth);
        if let Some(p) = self.current_wanted() {
            p.chars.push(RawChar {
                ch: c,
                start: before,
                end: after,
                run,
                text: None,
            });
        }
    }

    /// Text content of the open `w:t`, `start` being its first byte.
    fn text(&mut self, raw: &str, start: usize) {
        let mut chars = raw.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            // XML line-end normalisation: `\r\n` and a lone `\r` read as `\n`.
            let (c, len) = match c {
                '\r' if chars.peek().is_some_and(|&(_, n)| n == '\n') => {
                    chars.next();
                    ('\n', 2)
                }
                '\r' => ('\n', 1),
                c => (c, c.len_utf8()),
            };
            self.push_char(c, start + i, start + i + len);
        }
    }

    /// One character of text, if it is read: inside a visible `w:t`.
    fn push_char(&mut self, c: char, start: usize, end: usize) {
        let Some((_, place)) = self.open_text else {
            return;
        };
        if !self.visible() || self.open_instruction.is_some() {
            return;
        }
        if let Some(p) = self.current_wanted() {
            p.chars.push(RawChar {
                ch: c,
                start,
                end,
                run: place.map(|(_, r)| r),
                text: place.map(|(t, _)| t),
            });
        }
    }
}

/// A `w:sym` character, unless it is a symbol-font glyph (private use area).
fn symbol_char(hex: &str) -> Option<char> {
    let code = u32::from_str_radix(hex.trim(), 16).ok()?;
    let c = char::from_u32(code)?;
    let private = ('\u{E000}'..='\u{F8FF}').contains(&c);
    (!private && !c.is_control()).then_some(c)
}
