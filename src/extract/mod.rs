//! Extraction: file bytes → plain text plus the blocks it came from.
//!
//! Each format lives in its own file behind [`Extractor`]. The format is chosen by
//! sniffing the bytes ([`sniff`]), never by the extension alone, so a `.doc` that is
//! really HTML or a `.docx` that is really an old binary document is recognised.

pub mod archive;
#[cfg(test)]
pub mod cell_tests;
pub mod doc;
pub mod docx;
pub mod html;
pub mod ocr;
pub mod ofd;
pub mod pdf;
pub mod sniff;
pub mod text;
pub mod txt;
pub mod xml;

use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::limits::{Deadline, Limits};
pub use sniff::Format;

/// What an extractor hands back: the text, where each part of it came from,
/// metadata the container itself declares, and non-fatal warnings.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Extracted {
    /// The text every offset refers to: blocks joined by `\n`.
    pub text: String,
    pub blocks: Vec<Block>,
    pub hints: MetaHints,
    pub warnings: Vec<String>,
}

/// A contiguous piece of the text with its origin in the file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Block {
    pub kind: BlockKind,
    /// Unicode-scalar offsets into [`Extracted::text`], end exclusive.
    pub start: usize,
    pub end: usize,
    /// 1-based page (PDF, OFD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// 0-based paragraph index in the source (docx body paragraph, HTML block, text line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<u32>,
    /// Set when the text was recognised from an image: the OCR confidence (0–1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocr: Option<f32>,
    /// Where a [`BlockKind::TableCell`] block sits in its table; `None` for
    /// every other block. Several blocks of one cell share one position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<CellPos>,
}

/// The position of a table cell, so a later stage can read a row together
/// with its header row. All numbers are 0-based.
///
/// `table` numbers the tables of one extracted document in reading order; a
/// table nested inside a cell gets its own number (after its outer table's).
/// `col` counts grid columns: a cell spanning columns (`gridSpan`,
/// `colspan`) advances the next cell's `col` by its span. A vertically merged
/// cell has the position of its first row; the rows it covers below hold no
/// cell of their own at that column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CellPos {
    pub table: u32,
    pub row: u32,
    pub col: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    Paragraph,
    Heading,
    TableCell,
    Header,
    Footer,
    Footnote,
    Endnote,
    TextBox,
}

/// Metadata declared by the container (HTML meta tags, docx core properties).
/// The document layer prefers what the text itself says and falls back to these.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MetaHints {
    pub title: Option<String>,
    /// Publication or creation date, ISO `YYYY-MM-DD`.
    pub date: Option<String>,
    pub issuer: Option<String>,
}

/// Why a file produced no text. Each maps to a stable `kind` in the review JSON.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("不支持的文件格式：{0}")]
    Unsupported(String),
    #[error("文件已加密，无法读取：{0}")]
    Encrypted(String),
    #[error("文件损坏或无法解析：{0}")]
    Corrupt(String),
    #[error("超出限制：{0}")]
    TooLarge(String),
    #[error("需要文字识别（OCR）：{0}")]
    NeedsOcr(String),
    #[error("处理超时（超过 {} 秒）", .0.as_secs())]
    Timeout(Duration),
    #[error("读取失败：{0}")]
    Io(#[from] std::io::Error),
}

impl ExtractError {
    /// Stable machine-readable kind used in the JSON contract.
    pub fn kind(&self) -> &'static str {
        match self {
            ExtractError::Unsupported(_) => "unsupported",
            ExtractError::Encrypted(_) => "encrypted",
            ExtractError::Corrupt(_) => "corrupt",
            ExtractError::TooLarge(_) => "too_large",
            ExtractError::NeedsOcr(_) => "needs_ocr",
            ExtractError::Timeout(_) => "timeout",
            ExtractError::Io(_) => "io",
        }
    }
}

/// Everything an extractor may consult besides the bytes.
pub struct Context<'a> {
    pub limits: &'a Limits,
    pub deadline: Deadline,
}

/// One file format. Implementations must never panic on hostile input and must
/// respect `ctx.limits` and `ctx.deadline`.
pub trait Extractor {
    fn extract(&self, bytes: &[u8], ctx: &Context) -> Result<Extracted, ExtractError>;
}

/// Sniffs the format and runs the matching extractor.
pub fn extract_bytes(
    bytes: &[u8],
    file_name: &str,
    limits: &Limits,
) -> (Format, Result<Extracted, ExtractError>) {
    let format = sniff::sniff(bytes, file_name);
    let ctx = Context {
        limits,
        deadline: Deadline::after(limits.max_time),
    };
    let result = match format {
        Format::Text => txt::TxtExtractor.extract(bytes, &ctx),
        Format::Html => html::HtmlExtractor.extract(bytes, &ctx),
        Format::Docx => docx::DocxExtractor.extract(bytes, &ctx),
        Format::Pdf => pdf::PdfExtractor.extract(bytes, &ctx),
        Format::Doc => doc::DocExtractor.extract(bytes, &ctx),
        Format::Ofd => ofd::OfdExtractor.extract(bytes, &ctx),
        Format::Image => ocr::ImageExtractor.extract(bytes, &ctx),
        other => Err(other.unsupported()),
    };
    let result = result.and_then(|ex| {
        if ex.text.len() > limits.max_text_bytes {
            Err(ExtractError::TooLarge(format!(
                "提取出的文本超过 {} MB",
                limits.max_text_bytes / (1024 * 1024)
            )))
        } else {
            Ok(ex)
        }
    });
    (format, result)
}

/// Reads a file within the size limit, then extracts it.
pub fn extract_file(path: &Path, limits: &Limits) -> (Format, Result<Extracted, ExtractError>) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match read_limited(path, limits.max_file_bytes) {
        Ok(bytes) => extract_bytes(&bytes, &name, limits),
        Err(e) => (sniff::format_from_name(&name), Err(e)),
    }
}

/// Reads a whole file, refusing files over `max` bytes before reading them.
pub fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>, ExtractError> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    if len > max {
        return Err(ExtractError::TooLarge(format!(
            "文件大小 {} MB 超过上限 {} MB",
            len / (1024 * 1024),
            max / (1024 * 1024)
        )));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    // `take` guards against a file that grows while being read.
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(ExtractError::TooLarge("文件在读取过程中变大".into()));
    }
    Ok(bytes)
}
