//! Where each finding's sentence lies in the original XML.
//!
//! A finding's offsets point into the extracted text. Its block names the
//! body paragraph (`paragraph` = index of the `w:p` in document order); the
//! paragraph's visible characters are re-read from the XML with their byte
//! positions ([`super::scan`]), cleaned exactly as the extractor cleans a
//! block, and compared with the block text. The extracted block may start with
//! a restored list label that no run holds: it is whatever precedes the
//! cleaned run text. The sentence's first and last characters then give the
//! two cut points.

use crate::document::Document;
use crate::extract::BlockKind;
use crate::review::Finding;

use super::scan::{BodyScan, RawChar, ScannedParagraph};

/// What a comment is anchored on.
#[derive(Debug, Clone, PartialEq)]
pub enum Placement {
    /// Exactly the sentence (without a restored list label, which has no run).
    Exact { start: Cut, end: Cut },
    /// The whole paragraph with this index, with the reason shown in the comment.
    Paragraph { index: u32, note: String },
}

/// A point between two pieces of the XML where a marker can go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cut {
    pub at: usize,
    pub kind: CutKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CutKind {
    /// Between runs (or other paragraph content): insert as is.
    Outside,
    /// Inside the content of `w:t` number `text` of run `run`: close both,
    /// insert, reopen both.
    InText { run: usize, text: usize },
    /// Between two children of run `run`: close it, insert, reopen it.
    InRun { run: usize },
}

/// The paragraph and character span of a finding inside its block.
#[derive(Debug, Clone)]
pub struct Wanted {
    pub paragraph: Option<u32>,
    /// The block's text and the sentence's span in it (characters).
    pub block_text: Vec<char>,
    pub start: usize,
    pub end: usize,
}

/// The body paragraph a finding belongs to, if any.
pub fn wanted(doc: &Document, f: &Finding) -> Wanted {
    let block = doc.block_at(f.start).filter(|b| f.start < b.end);
    let Some(block) = block else {
        return Wanted {
            paragraph: None,
            block_text: Vec::new(),
            start: 0,
            end: 0,
        };
    };
    let in_body = matches!(
        block.kind,
        BlockKind::Paragraph | BlockKind::Heading | BlockKind::TableCell | BlockKind::TextBox
    );
    Wanted {
        paragraph: block.paragraph.filter(|_| in_body),
        block_text: doc.slice(block.start, block.end).chars().collect(),
        start: f.start - block.start,
        end: f.end.min(block.end).saturating_sub(block.start),
    }
}

/// The paragraph comments fall back to when their sentence is outside the body.
pub fn first_body_paragraph(doc: &Document) -> u32 {
    doc.blocks
        .iter()
        .filter(|b| !matches!(b.kind, BlockKind::Header | BlockKind::Footer))
        .find_map(|b| b.paragraph)
        .unwrap_or(0)
}

/// Places one finding; `fallback` is the paragraph for sentences outside the body.
pub fn place(scan: &BodyScan, w: &Wanted, fallback: u32) -> Placement {
    let Some(index) = w.paragraph else {
        return Placement::Paragraph {
            index: fallback,
            note: "该句位于页眉、页脚、脚注或尾注中，批注附于正文开头。".into(),
        };
    };
    let Some(p) = scan.paragraphs.get(&index).filter(|p| p.own_prefix) else {
        return Placement::Paragraph {
            index: fallback,
            note: "未能在原文件中找到该句所在段落，批注附于正文开头。".into(),
        };
    };
    let whole = |note: &str| Placement::Paragraph {
        index,
        note: note.to_string(),
    };
    let (cleaned, map) = clean_map(&p.chars);
    let label = match w.block_text.len().checked_sub(cleaned.len()) {
        Some(label) if w.block_text.get(label..) == Some(&cleaned[..]) => label,
        _ => return whole("该段文字与提取结果不完全一致，未能精确定位该句，批注附于整段。"),
    };
    let start = w.start.saturating_sub(label);
    let end = w.end.saturating_sub(label).min(cleaned.len());
    if end <= start {
        return whole("该句只含自动编号，批注附于整段。");
    }
    let cut_start = map.get(start).and_then(|&i| before(scan, p, i));
    let cut_end = map.get(end - 1).and_then(|&i| after(scan, p, i));
    match (cut_start, cut_end) {
        (Some(start), Some(end)) if start.at < end.at => Placement::Exact { start, end },
        _ => whole("该句位于域、公式或其他无法拆分的内容中，未能精确定位，批注附于整段。"),
    }
}

/// The extractor's block cleaning (trim, fold line breaks and tabs into one
/// space, drop control characters), keeping for every output character the
/// index of the raw character it came from.
pub fn clean_map(chars: &[RawChar]) -> (Vec<char>, Vec<usize>) {
    let is_trim = |c: char| c.is_whitespace() || c == '\u{FEFF}' || c == '\u{200B}';
    let mut out = Vec::with_capacity(chars.len());
    let mut map = Vec::with_capacity(chars.len());
    let Some(first) = chars.iter().position(|c| !is_trim(c.ch)) else {
        return (out, map);
    };
    let last = chars.iter().rposition(|c| !is_trim(c.ch)).unwrap_or(first);
    let mut pending: Option<usize> = None;
    for (i, c) in chars.iter().enumerate().take(last + 1).skip(first) {
        match c.ch {
            '\r' | '\n' | '\t' | '\u{000B}' | '\u{000C}' => {
                pending.get_or_insert(i);
            }
            ch if ch.is_control() || ch == '\u{FEFF}' => {}
            ch => {
                if let Some(p) = pending.take()
                    && !out.is_empty()
                {
                    out.push(' ');
                    map.push(p);
                }
                out.push(ch);
                map.push(i);
            }
        }
    }
    (out, map)
}

/// The cut just before raw character `i`.
fn before(scan: &BodyScan, p: &ScannedParagraph, i: usize) -> Option<Cut> {
    let c = p.chars.get(i)?;
    let run = c.run?;
    match c.text {
        Some(t) => {
            let text = scan.texts.get(t)?;
            if c.start <= text.start_tag_end {
                between(scan, run, text.start)
            } else {
                Some(Cut {
                    at: c.start,
                    kind: CutKind::InText { run, text: t },
                })
            }
        }
        None => between(scan, run, c.start),
    }
}

/// The cut just after raw character `i`.
fn after(scan: &BodyScan, p: &ScannedParagraph, i: usize) -> Option<Cut> {
    let c = p.chars.get(i)?;
    let run = c.run?;
    match c.text {
        Some(t) => {
            let text = scan.texts.get(t)?;
            let (end_start, end_end) = text.end_tag?;
            if c.end >= end_start {
                between(scan, run, end_end)
            } else {
                Some(Cut {
                    at: c.end,
                    kind: CutKind::InText { run, text: t },
                })
            }
        }
        None => between(scan, run, c.end),
    }
}

/// A cut between children of a run: outside it when nothing of the run
/// precedes or follows, else a split.
fn between(scan: &BodyScan, run: usize, at: usize) -> Option<Cut> {
    let r = scan.runs.get(run)?;
    let (_, run_end) = r.end_tag?;
    if r.first_child.is_none_or(|first| at <= first) {
        return Some(Cut {
            at: r.start,
            kind: CutKind::Outside,
        });
    }
    if at >= r.last_child_end {
        return Some(Cut {
            at: run_end,
            kind: CutKind::Outside,
        });
    }
    Some(Cut {
        at,
        kind: CutKind::InRun { run },
    })
}
