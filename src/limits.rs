//! Resource limits applied while reading untrusted files.
//!
//! Every extractor receives a [`Limits`] and a [`Deadline`]; together they keep
//! memory and time bounded for zip bombs, entity bombs, deep nesting and huge files.

use std::time::{Duration, Instant};

use crate::extract::ExtractError;

/// Caps on what one file may cost. Defaults suit a batch of office documents.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest input file accepted, in bytes.
    pub max_file_bytes: u64,
    /// Largest total of decompressed bytes read from one container (docx, ofd).
    pub max_decompressed_bytes: u64,
    /// Largest ratio of decompressed to compressed size for one archive entry.
    pub max_compression_ratio: u64,
    /// Deepest element nesting accepted in XML/HTML.
    pub max_depth: usize,
    /// Longest wall time spent extracting one file.
    pub max_time: Duration,
    /// Largest extracted text, in bytes (guards against text explosions).
    pub max_text_bytes: usize,
}

pub const MB: u64 = 1024 * 1024;
pub const DEFAULT_MAX_FILE_MB: u64 = 200;
pub const DEFAULT_MAX_DECOMPRESSED_MB: u64 = 128;
pub const DEFAULT_MAX_RATIO: u64 = 200;
pub const DEFAULT_MAX_DEPTH: usize = 512;
pub const DEFAULT_TIMEOUT_SECS: u64 = 60;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: DEFAULT_MAX_FILE_MB * MB,
            max_decompressed_bytes: DEFAULT_MAX_DECOMPRESSED_MB * MB,
            max_compression_ratio: DEFAULT_MAX_RATIO,
            max_depth: DEFAULT_MAX_DEPTH,
            max_time: Duration::from_secs(DEFAULT_TIMEOUT_SECS),
            max_text_bytes: 128 * MB as usize,
        }
    }
}

/// A point in time after which extraction gives up with [`ExtractError::Timeout`].
///
/// Extractors call [`Deadline::check`] inside their loops: cheap, cooperative,
/// and it lets a slow file fail alone instead of stalling the batch.
#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    end: Instant,
    budget: Duration,
}

impl Deadline {
    pub fn after(budget: Duration) -> Self {
        Deadline {
            end: Instant::now() + budget,
            budget,
        }
    }

    pub fn check(&self) -> Result<(), ExtractError> {
        if Instant::now() > self.end {
            Err(ExtractError::Timeout(self.budget))
        } else {
            Ok(())
        }
    }
}
