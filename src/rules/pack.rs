//! Rule packs and word lists as data: the TOML shapes and their loading.
//!
//! A pack file holds `[[rule]]` tables; a lexicon file holds named word lists
//! (`[list.local] terms = [...]`) that rules reference as `@local`. Errors name
//! the file and the line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::review::Level;

/// One data file: rules, word lists, or both.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackFile {
    #[serde(default)]
    pub rule: Vec<RuleSpec>,
    #[serde(default)]
    pub list: BTreeMap<String, WordList>,
}

/// Where a rule's term groups may be found relative to the anchor sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// All groups in the anchor sentence.
    #[default]
    Sentence,
    /// Other groups anywhere in the anchor's innermost clause.
    Clause,
    /// Other groups anywhere in the anchor's top-level section (e.g. a 申报条件
    /// list and a 支持标准 list under the same heading, or one table).
    Section,
}

/// What the sentence must say about obligation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Modality {
    /// Fires whatever the modality.
    #[default]
    Any,
    /// Fires only with a binding word (须, 应当, 只能, 方可, 一律 …; list `binding`).
    Binding,
}

/// How prohibition words (不得, 禁止 …) before a match affect a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Negation {
    /// A prohibition of a government action (不得以…为条件, 不得限定) cancels the match.
    #[default]
    Cancels,
    /// The prohibition is the violation itself (企业十年内不得迁出): keep the match.
    Ignore,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub id: String,
    pub title: String,
    pub article: u8,
    pub item: u8,
    /// Finer tag: the situation in the 2025 实施办法, e.g. `办法第19条`.
    #[serde(default)]
    pub tag: Option<String>,
    pub level: Level,
    #[serde(default = "default_confidence")]
    pub confidence: f32,
    #[serde(default)]
    pub scope: Scope,
    #[serde(default)]
    pub modality: Modality,
    #[serde(default)]
    pub negation: Negation,
    /// Term groups that must all match; each group is a list of terms and `@list` references.
    pub require: Vec<Vec<String>>,
    /// Index of the group whose sentence is reported (default: the first group).
    #[serde(default)]
    pub anchor: usize,
    /// Largest distance in characters between the anchor match and the other
    /// groups' matches when they share a sentence.
    #[serde(default)]
    pub near: Option<usize>,
    /// Terms that cancel the rule when they occur in the anchor sentence.
    #[serde(default)]
    pub unless: Vec<String>,
    /// Explanation template; `{evidence}` is replaced by the matched terms,
    /// `{g0}`, `{g1}` … by the terms matched for each group.
    pub explanation: String,
    pub suggestion: String,
    pub examples: Examples,
}

fn default_confidence() -> f32 {
    0.85
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    #[serde(default)]
    pub flag: Vec<String>,
    #[serde(default)]
    pub pass: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WordList {
    #[serde(default)]
    pub description: String,
    /// Literal terms, or regular expressions written as `re:PATTERN`.
    pub terms: Vec<String>,
    /// As an exemption (`unless`), a term of this list in a list's lead-in
    /// (申请人才公寓应当符合下列条件：) exempts every item of the list too.
    #[serde(default)]
    pub reaches_items: bool,
}

/// A rule together with the file it came from, for error messages.
#[derive(Debug, Clone)]
pub struct SourcedRule {
    pub spec: RuleSpec,
    pub file: PathBuf,
    pub line: usize,
}

/// A data-file problem, reported as `file:line: message`.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}:{line}: {message}", file.display())]
pub struct DataError {
    pub file: PathBuf,
    pub line: usize,
    pub message: String,
}

impl DataError {
    pub fn new(file: &Path, line: usize, message: impl Into<String>) -> Self {
        DataError {
            file: file.to_path_buf(),
            line,
            message: message.into(),
        }
    }
}

/// Parses TOML, turning a syntax or shape error into `file:line`.
pub fn parse_toml<T: serde::de::DeserializeOwned>(file: &Path, text: &str) -> Result<T, DataError> {
    toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(1, |s| line_of(text, s.start));
        DataError::new(file, line, e.message().to_string())
    })
}

/// 1-based line number of a byte offset.
pub fn line_of(text: &str, byte: usize) -> usize {
    text.as_bytes()[..byte.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Line where the n-th `[[rule]]` table starts (for errors found after parsing).
pub fn rule_lines(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with("[[rule]]"))
        .map(|(i, _)| i + 1)
        .collect()
}

/// Line of a `[list.NAME]` header.
pub fn list_line(text: &str, name: &str) -> usize {
    let header = format!("[list.{name}]");
    text.lines()
        .position(|l| l.trim_start().starts_with(&header))
        .map_or(1, |i| i + 1)
}
