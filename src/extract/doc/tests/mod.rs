//! Tests: committed fixtures made by a word processor ([`fixtures`]), small
//! documents built in memory for each structure ([`structure`]), and damaged
//! or hostile input ([`hostile`]).

mod build;
mod fixtures;
mod hostile;
mod structure;
mod tables;

use super::DocExtractor;
use crate::extract::{BlockKind, Context, ExtractError, Extracted, Extractor};
use crate::limits::{Deadline, Limits};

fn extract_with(bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    let ctx = Context {
        limits,
        deadline: Deadline::after(limits.max_time),
    };
    DocExtractor.extract(bytes, &ctx)
}

fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    extract_with(bytes, &Limits::default())
}

/// Without the panic guard, so a panic in the reader fails the test.
fn extract_unguarded(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let limits = Limits::default();
    let ctx = Context {
        limits: &limits,
        deadline: Deadline::after(limits.max_time),
    };
    super::extract_doc(bytes, &ctx)
}

/// Each block as (kind, text).
fn blocks(ex: &Extracted) -> Vec<(BlockKind, String)> {
    let chars: Vec<char> = ex.text.chars().collect();
    ex.blocks
        .iter()
        .map(|b| (b.kind, chars[b.start..b.end].iter().collect()))
        .collect()
}
