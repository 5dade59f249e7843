//! Word files with review comments: one comment per finding, anchored on the
//! flagged sentence.
//!
//! A .docx input is annotated in place ([`original`]): only the main document
//! part, its relationships, the content types and the comments part change.
//! Any other input becomes a new .docx of its extracted text ([`fresh`]).

pub mod comment;
mod fresh;
mod locate;
mod mark;
mod original;
pub mod package;
mod scan;

#[cfg(test)]
mod tests;

pub(crate) use scan::resolve_ref;

use crate::document::Document;
use crate::extract::{Context, ExtractError, Format};
use crate::limits::{Deadline, Limits};
use crate::review::Review;
use crate::rules::Standards;

/// How one comment ended up anchored.
#[derive(Debug, Clone, PartialEq)]
pub enum Anchoring {
    /// On exactly the flagged sentence.
    Sentence,
    /// On the whole paragraph (or the document start), with the reason.
    Paragraph(String),
}

/// The written document.
#[derive(Debug)]
pub struct Annotated {
    pub bytes: Vec<u8>,
    /// The original package was annotated (rather than a new document written).
    pub original: bool,
    /// One entry per finding, in the review's order.
    pub anchoring: Vec<Anchoring>,
}

/// Annotates `source` (the file's bytes, of `format`) with the review's
/// findings. Returns the document and warnings for the user.
pub fn annotate(
    source: &[u8],
    format: Format,
    source_name: &str,
    doc: &Document,
    review: &Review,
    standards: &Standards,
    limits: &Limits,
) -> Result<(Annotated, Vec<String>), ExtractError> {
    let ctx = Context {
        limits,
        deadline: Deadline::after(limits.max_time),
    };
    let mut warnings = Vec::new();
    if format == Format::Docx {
        match original::annotate(source, doc, review, standards, &ctx) {
            Ok(a) => return Ok((a, warnings)),
            Err(e) => warnings.push(format!(
                "无法在原文件上添加批注（{e}），已改为根据提取的文字生成新的 Word 文件"
            )),
        }
    }
    let ctx = Context {
        limits,
        deadline: Deadline::after(limits.max_time),
    };
    let a = fresh::annotate(doc, review, standards, source_name, &ctx)?;
    Ok((a, warnings))
}
