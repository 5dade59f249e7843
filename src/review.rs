//! The review result model: what fairscan concluded about one file.
//!
//! These types are the JSON contract (`--format jsonl`, one [`Review`] per line).
//! Field names and meanings are stable; new fields may be added.

use serde::{Deserialize, Serialize};

use crate::baseline::Suppressed;
use crate::document::Document;
use crate::extract::{ExtractError, Format};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Review {
    pub path: String,
    pub format: String,
    /// SHA-256 of the file's bytes; `None` when the file could not be read.
    pub sha256: Option<String>,
    /// Unicode scalars in the extracted text.
    pub chars: usize,
    pub meta: ReviewMeta,
    pub error: Option<ReviewError>,
    pub warnings: Vec<String>,
    pub findings: Vec<Finding>,
    /// Findings hidden by a baseline entry, with the reviewer's reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suppressed: Vec<Suppressed>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ReviewMeta {
    pub title: Option<String>,
    pub doc_number: Option<String>,
    pub issuer: Option<String>,
    pub date: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ReviewError {
    /// One of `unsupported`, `encrypted`, `corrupt`, `too_large`, `needs_ocr`, `timeout`, `io`, `internal`.
    pub kind: String,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Suggestion,
    Warning,
    Error,
}

impl Level {
    pub fn as_str(&self) -> &'static str {
        match self {
            Level::Suggestion => "suggestion",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }

    /// The Chinese name shown to reviewers.
    pub fn label(&self) -> &'static str {
        match self {
            Level::Suggestion => "提示",
            Level::Warning => "警告",
            Level::Error => "错误",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Finding {
    pub id: String,
    pub rule: String,
    /// 《公平竞争审查条例》 article (8–11) and item within it.
    pub article: u8,
    pub item: u8,
    pub level: Level,
    pub confidence: f32,
    /// Clause citation, e.g. `附件1 第三条第（二）项`.
    pub clause: String,
    /// Unicode-scalar offsets into the text `fairscan extract` prints.
    pub start: usize,
    pub end: usize,
    pub page: Option<u32>,
    pub text: String,
    pub evidence: Vec<String>,
    pub explanation: String,
    pub suggestion: String,
    /// The sentence was recognised from an image (OCR): check it against the scan.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ocr: bool,
    /// Up to three earlier findings in other documents that read alike, with
    /// what reviewers decided about them (from the review store).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub similar: Vec<Similar>,
}

/// An earlier finding of another document that reads like this one.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Similar {
    pub path: String,
    pub title: Option<String>,
    pub rule: String,
    pub clause: String,
    pub text: String,
    /// `open`, `confirmed`, `dismissed` or `fixed`.
    pub status: String,
    /// The reviewer's reason, when a decision was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Search relevance; higher is closer.
    pub score: f32,
}

impl Review {
    /// A review of a document that was read.
    pub fn of_document(path: String, format: Format, sha256: String, doc: &Document) -> Review {
        Review {
            path,
            format: format.as_str().to_string(),
            sha256: Some(sha256),
            chars: doc.chars,
            meta: ReviewMeta {
                title: doc.meta.title.clone(),
                doc_number: doc.meta.doc_number.clone(),
                issuer: doc.meta.issuer.clone(),
                date: doc.meta.date.clone(),
            },
            error: None,
            warnings: doc.warnings.clone(),
            findings: Vec::new(),
            suppressed: Vec::new(),
        }
    }

    /// A review of a file that produced no document.
    pub fn of_error(
        path: String,
        format: Format,
        sha256: Option<String>,
        error: &ExtractError,
    ) -> Review {
        Review::failed(
            path,
            format.as_str(),
            sha256,
            error.kind(),
            error.to_string(),
        )
    }

    pub fn failed(
        path: String,
        format: &str,
        sha256: Option<String>,
        kind: &str,
        message: String,
    ) -> Review {
        Review {
            path,
            format: format.to_string(),
            sha256,
            chars: 0,
            meta: ReviewMeta::default(),
            error: Some(ReviewError {
                kind: kind.to_string(),
                message,
            }),
            warnings: Vec::new(),
            findings: Vec::new(),
            suppressed: Vec::new(),
        }
    }

    /// Highest finding level, if any.
    pub fn max_level(&self) -> Option<Level> {
        self.findings.iter().map(|f| f.level).max()
    }
}
