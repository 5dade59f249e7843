//! Reporters: every output format is one implementation of [`Reporter`].
//!
//! Push style, so a batch of thousands streams without being held in memory:
//! `begin_document`, `finding` for each finding, `end_document`, and once at the
//! end `finish` with the batch totals.

pub mod cells;
pub mod conclusion;
mod csv;
mod html;
mod jsonl;
pub mod markup;
pub mod search;
mod text;
mod xlsx;

use std::io::{self, Write};

pub use csv::CsvReporter;
pub use html::HtmlReporter;
pub use jsonl::JsonlReporter;
pub use text::TextReporter;
pub use xlsx::XlsxReporter;

use crate::extract::Block;
use crate::review::{Finding, Level, Review};

pub trait Reporter {
    /// Whether this reporter shows document text; the scan then keeps each
    /// document's text until it has been reported.
    fn wants_text(&self) -> bool {
        false
    }
    /// The reviewed document's text and blocks (paragraphs), called just before
    /// `begin_document` for files that were read.
    fn document_text(&mut self, _text: &str, _blocks: &[Block]) -> io::Result<()> {
        Ok(())
    }
    fn begin_document(&mut self, review: &Review) -> io::Result<()>;
    fn finding(&mut self, review: &Review, finding: &Finding) -> io::Result<()>;
    fn end_document(&mut self, review: &Review) -> io::Result<()>;
    fn finish(&mut self, summary: &Summary) -> io::Result<()>;
}

/// Pushes one review through a reporter.
pub fn emit(reporter: &mut dyn Reporter, review: &Review) -> io::Result<()> {
    reporter.begin_document(review)?;
    for f in &review.findings {
        reporter.finding(review, f)?;
    }
    reporter.end_document(review)
}

/// Batch totals, also the basis of the exit code.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub files: usize,
    pub failed: usize,
    pub skipped: usize,
    pub errors: usize,
    pub warnings: usize,
    pub suggestions: usize,
    pub chars: usize,
    /// Findings hidden by the baseline.
    pub suppressed: usize,
    /// Baseline entries that matched nothing in this batch.
    pub stale_baseline: usize,
}

impl Summary {
    pub fn add(&mut self, review: &Review) {
        self.files += 1;
        self.chars += review.chars;
        self.suppressed += review.suppressed.len();
        if review.error.is_some() {
            self.failed += 1;
        }
        for f in &review.findings {
            match f.level {
                Level::Error => self.errors += 1,
                Level::Warning => self.warnings += 1,
                Level::Suggestion => self.suggestions += 1,
            }
        }
    }

    /// Findings at or above `level`.
    pub fn at_or_above(&self, level: Level) -> usize {
        match level {
            Level::Error => self.errors,
            Level::Warning => self.errors + self.warnings,
            Level::Suggestion => self.errors + self.warnings + self.suggestions,
        }
    }
}

/// Output formats selectable with `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Text,
    Jsonl,
    /// One self-contained HTML page: summary, charts, documents with highlights.
    Html,
    /// Excel workbook: ledger, findings, statistics (needs `--out`).
    Xlsx,
    /// The findings list as CSV (UTF-8 with BOM).
    Csv,
}

impl OutputFormat {
    /// Binary formats cannot go to a terminal: they need `--out`.
    pub fn needs_file(&self) -> bool {
        matches!(self, OutputFormat::Xlsx)
    }
}

pub fn reporter(format: OutputFormat, out: Box<dyn Write + Send>) -> Box<dyn Reporter + Send> {
    match format {
        OutputFormat::Text => Box::new(TextReporter::new(out)),
        OutputFormat::Jsonl => Box::new(JsonlReporter::new(out)),
        OutputFormat::Html => Box::new(HtmlReporter::new(out)),
        OutputFormat::Xlsx => Box::new(XlsxReporter::new(out)),
        OutputFormat::Csv => Box::new(CsvReporter::new(out)),
    }
}
