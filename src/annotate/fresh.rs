//! A new .docx for inputs that are not Word files (txt, pdf, html, doc, ofd):
//! the extracted text paragraph by paragraph, with the same comments anchored
//! on the flagged sentences. Offsets are the extracted text's own, so every
//! sentence is found exactly.

use std::collections::HashMap;
use std::io::Cursor;

use docx_rs::{Comment, Docx, Paragraph, Run, RunFonts};

use crate::document::Document;
use crate::extract::archive::Archive;
use crate::extract::{BlockKind, Context, ExtractError};
use crate::review::Review;
use crate::rules::Standards;

use super::comment::{self, AUTHOR, INITIALS};
use super::{Anchoring, Annotated, package};

/// Builds the new document. `source_name` is shown in the opening note.
pub fn annotate(
    doc: &Document,
    review: &Review,
    standards: &Standards,
    source_name: &str,
    ctx: &Context,
) -> Result<Annotated, ExtractError> {
    let date = crate::clock::now_utc();
    let mut docx = Docx::new().default_fonts(RunFonts::new().east_asia("宋体"));
    docx = docx.add_paragraph(
        Paragraph::new().add_run(
            Run::new()
                .add_text(comment::xml_safe(&format!(
                    "说明：本文件由 fairscan 根据“{source_name}”（{}）提取的文字生成，批注为工具提出的审查意见，结论由审查机构作出。",
                    review.format
                )))
                .italic()
                .color("666666")
                .size(18),
        ),
    );

    // Comment events per block: (offset in block, 0 = end / 1 = start, finding).
    let mut events: HashMap<usize, Vec<(usize, u8, usize)>> = HashMap::new();
    let mut anchoring = Vec::with_capacity(review.findings.len());
    for (k, f) in review.findings.iter().enumerate() {
        let block = doc
            .blocks
            .iter()
            .position(|b| b.start <= f.start && f.start < b.end);
        let (b, note) = match block {
            Some(b) => (b, None),
            None => (0, Some("未能在提取的文字中找到该句，批注附于第一段。")),
        };
        let Some(block) = doc.blocks.get(b) else {
            anchoring.push(Anchoring::Paragraph("文档没有文字。".into()));
            continue;
        };
        let (s, e) = match note {
            None => (f.start - block.start, f.end.min(block.end) - block.start),
            Some(_) => (0, block.end - block.start),
        };
        let list = events.entry(b).or_default();
        list.push((s, 1, k));
        list.push((e, 0, k));
        anchoring.push(match note {
            None => Anchoring::Sentence,
            Some(n) => Anchoring::Paragraph(n.to_string()),
        });
    }

    for (b, block) in doc.blocks.iter().enumerate() {
        ctx.deadline.check()?;
        let chars: Vec<char> = doc.slice(block.start, block.end).chars().collect();
        let heading = block.kind == BlockKind::Heading;
        let run = |text: String| {
            let r = Run::new().add_text(comment::xml_safe(&text));
            if heading { r.bold() } else { r }
        };
        let mut p = Paragraph::new();
        let mut list = events.remove(&b).unwrap_or_default();
        list.sort();
        let mut pos = 0;
        for (at, kind, k) in list {
            let at = at.min(chars.len());
            if at > pos {
                p = p.add_run(run(chars[pos..at].iter().collect()));
                pos = at;
            }
            let id = k + 1;
            if kind == 1 {
                let Some(f) = review.findings.get(k) else {
                    continue;
                };
                let note = match anchoring.get(k) {
                    Some(Anchoring::Paragraph(n)) => Some(n.as_str()),
                    _ => None,
                };
                let mut c = Comment::new(id).author(AUTHOR).date(date.clone());
                for (i, line) in comment::paragraphs(f, standards, note).iter().enumerate() {
                    let r = Run::new().add_text(comment::xml_safe(line));
                    c = c.add_paragraph(Paragraph::new().add_run(if i == 0 {
                        r.bold()
                    } else {
                        r
                    }));
                }
                p = p.add_comment_start(c);
            } else {
                p = p.add_comment_end(id);
            }
        }
        if pos < chars.len() {
            p = p.add_run(run(chars[pos..].iter().collect()));
        }
        docx = docx.add_paragraph(p);
    }

    let mut packed = Cursor::new(Vec::new());
    docx.build()
        .pack(&mut packed)
        .map_err(|e| ExtractError::Corrupt(format!("无法生成 Word 文件：{e}")))?;
    let packed = packed.into_inner();
    let bytes = with_initials(&packed, ctx)?;
    Ok(Annotated {
        bytes,
        original: false,
        anchoring,
    })
}

/// The writer leaves comment initials empty; reviewers see `FS`.
fn with_initials(packed: &[u8], ctx: &Context) -> Result<Vec<u8>, ExtractError> {
    let name = "word/comments.xml";
    let Some(comments) = Archive::open(packed, ctx)?.read(name)? else {
        return Ok(packed.to_vec());
    };
    let text = String::from_utf8_lossy(&comments)
        .replace("w:initials=\"\"", &format!("w:initials=\"{INITIALS}\""));
    let replace = HashMap::from([(name.to_string(), text.into_bytes())]);
    package::rewrite(packed, ctx, &replace, &[])
}
