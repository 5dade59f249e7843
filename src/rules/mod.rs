//! The review engine: rule packs and word lists (data in `dictionaries/`)
//! compiled once, then evaluated on each document.
//!
//! Rust holds the mechanism only; every term, qualifier, exemption,
//! explanation and suggestion lives in TOML so reviewers can add a pack or
//! fix a false alarm without recompiling.

mod compile;
mod engine;
mod examples;
mod gate;
mod hits;
pub mod pack;
mod pattern;
pub mod standards;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use include_dir::{Dir, include_dir};

pub use examples::ExampleFailure;
pub use pack::DataError;
pub use standards::Standards;

use crate::classify::SecondOpinion;
use crate::document::Document;
use crate::review::Finding;
use crate::segment::Segmenter;
use compile::{Compiled, SourcedList, compile};
use pack::{PackFile, SourcedRule, list_line, parse_toml, rule_lines};

/// The default data, embedded so the binary works from any folder.
static DICTIONARIES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/dictionaries");

/// A loaded, compiled set of rules ready to evaluate documents.
#[derive(Debug)]
pub struct RuleSet {
    compiled: Compiled,
    pub standards: Standards,
    /// Hash of every data file the set was built from, the segmentation
    /// dictionary, the program version and the second-opinion model when it
    /// is on: a stored review made under another version may differ and is
    /// analysed again.
    pub version: String,
    /// The version without the model.
    rules_version: String,
    /// The learned second opinion; `None` with `--no-model`.
    opinion: Option<&'static SecondOpinion>,
}

/// A data file as text with the name shown in errors.
struct DataFile {
    path: PathBuf,
    text: String,
}

impl RuleSet {
    /// The embedded standards, lexicon and rule packs, compiled once per process.
    pub fn embedded() -> &'static RuleSet {
        static SET: OnceLock<RuleSet> = OnceLock::new();
        SET.get_or_init(|| RuleSet::load(&[]).expect("embedded rule packs are valid (tested)"))
    }

    /// The embedded data plus every `*.toml` under each extra folder.
    pub fn load(extra: &[PathBuf]) -> Result<RuleSet, DataError> {
        let mut files = embedded_files();
        for dir in extra {
            files.extend(folder_files(dir)?);
        }
        RuleSet::from_files(files)
    }

    /// Only the files of one folder on top of the embedded standards and lexicon
    /// (for `rules check DIR`): the folder's own rules are what gets validated.
    pub fn load_pack(dir: &Path) -> Result<RuleSet, DataError> {
        let mut files: Vec<DataFile> = embedded_files()
            .into_iter()
            .filter(|f| !f.path.starts_with("dictionaries/rules"))
            .collect();
        files.extend(folder_files(dir)?);
        RuleSet::from_files(files)
    }

    fn from_files(files: Vec<DataFile>) -> Result<RuleSet, DataError> {
        let standards_file = files
            .iter()
            .find(|f| f.path.ends_with("standards.toml"))
            .ok_or_else(|| {
                DataError::new(
                    Path::new("dictionaries/standards.toml"),
                    1,
                    "缺少审查标准目录",
                )
            })?;
        let standards = Standards::parse(&standards_file.path, &standards_file.text)?;
        let mut packs = Vec::new();
        for f in files.iter().filter(|f| !f.path.ends_with("standards.toml")) {
            let pack: PackFile = parse_toml(&f.path, &f.text)?;
            packs.push((f, pack));
        }
        let mut lists = Vec::new();
        let mut rules = Vec::new();
        for (f, pack) in &packs {
            for (name, list) in &pack.list {
                lists.push(SourcedList {
                    name,
                    list,
                    file: &f.path,
                    line: list_line(&f.text, name),
                });
            }
            let lines = rule_lines(&f.text);
            for (i, spec) in pack.rule.iter().enumerate() {
                rules.push(SourcedRule {
                    spec: spec.clone(),
                    file: f.path.clone(),
                    line: lines.get(i).copied().unwrap_or(1),
                });
            }
        }
        let compiled = compile(&lists, rules, &standards)?;
        let rules_version = data_version(&files);
        let opinion = crate::classify::embedded(&DICTIONARIES);
        Ok(RuleSet {
            compiled,
            standards,
            version: with_model_version(&rules_version, opinion.is_some()),
            rules_version,
            opinion,
        })
    }

    /// The same rules without the learned second opinion (`--no-model`).
    pub fn without_model(mut self) -> RuleSet {
        self.opinion = None;
        self.version = self.rules_version.clone();
        self
    }

    /// The learned second opinion, when it is on.
    pub fn second_opinion(&self) -> Option<&SecondOpinion> {
        self.opinion
    }

    /// Findings of one document. Sentences are segmented on demand, only
    /// where a rule's term occurs.
    pub fn evaluate(&self, doc: &Document, seg: &Segmenter) -> Vec<Finding> {
        self.evaluate_with_warnings(doc, seg).0
    }

    /// Like [`RuleSet::evaluate`], with a warning when the list was cut short.
    pub fn evaluate_with_warnings(
        &self,
        doc: &Document,
        seg: &Segmenter,
    ) -> (Vec<Finding>, Option<String>) {
        let (mut findings, cut) = engine::evaluate(&self.compiled, doc, seg);
        if let Some(opinion) = self.opinion.filter(|_| !cut) {
            opinion.reconsider_items(doc, &mut findings, &self.standards);
            let more = opinion.review(
                doc,
                &findings,
                &self.standards,
                |si| engine::cite(doc, si),
                |text| engine::speaks_about_measures(&self.compiled, text),
                |lead_in| engine::lead_in_exempts_items(&self.compiled, lead_in),
            );
            if !more.is_empty() {
                findings.extend(more);
                findings.sort_by_key(|f| (f.start, f.article, f.item));
                findings.truncate(engine::MAX_FINDINGS);
            }
        }
        let warning = cut.then(|| {
            format!(
                "问题条款超过 {} 处，仅列出前 {} 处；该文件可能不是正常的政策文件",
                engine::MAX_FINDINGS,
                engine::MAX_FINDINGS
            )
        });
        (findings, warning)
    }

    /// Every rule's own examples: each `flag` sentence must raise a finding of
    /// the rule's article and item, each `pass` sentence must raise none.
    pub fn check_examples(&self) -> Vec<ExampleFailure> {
        examples::check(self)
    }

    /// Every literal term the whole-text matcher looks for (for comparisons
    /// with other tools in the benchmark).
    pub fn literal_terms(&self) -> impl Iterator<Item = &str> {
        self.compiled
            .literal_terms
            .iter()
            .filter(|(_, lists)| !lists.is_empty())
            .map(|(t, _)| t.as_str())
    }

    pub fn rules(&self) -> impl Iterator<Item = &pack::RuleSpec> {
        self.compiled.rules.iter().map(|r| &r.spec)
    }

    /// Reviews a piece of text as a one-paragraph document.
    pub fn evaluate_text(&self, text: &str) -> Vec<Finding> {
        self.evaluate(&Document::from_text(text), Segmenter::global())
    }

    /// Like [`RuleSet::evaluate_text`], with the rules alone (rule examples
    /// test the rules, not the model).
    pub fn evaluate_rules_text(&self, text: &str) -> Vec<Finding> {
        let doc = Document::from_text(text);
        engine::evaluate(&self.compiled, &doc, Segmenter::global()).0
    }
}

/// Program version, domain dictionary and data files, hashed in load order.
fn data_version(files: &[DataFile]) -> String {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    hash.update(env!("CARGO_PKG_VERSION").as_bytes());
    hash.update([0x1f]);
    hash.update(crate::segment::DOMAIN_DICT.as_bytes());
    for f in files {
        hash.update([0x1e]);
        hash.update(f.text.as_bytes());
    }
    hex::encode(&hash.finalize()[..8])
}

/// The rule data version combined with the embedded model and its settings.
fn with_model_version(rules_version: &str, model_on: bool) -> String {
    use sha2::{Digest, Sha256};
    if !model_on {
        return rules_version.to_string();
    }
    let mut hash = Sha256::new();
    hash.update(rules_version.as_bytes());
    for name in [crate::classify::MODEL_FILE, crate::classify::SETTINGS_FILE] {
        hash.update([0x1e]);
        hash.update(
            DICTIONARIES
                .get_file(name)
                .map_or(&[][..], |f| f.contents()),
        );
    }
    hex::encode(&hash.finalize()[..8])
}

/// Standards, lexicon and rule packs (the model folder is not rule data).
fn embedded_files() -> Vec<DataFile> {
    let mut out = Vec::new();
    collect_embedded(&DICTIONARIES, &mut out);
    out.retain(|f| !f.path.starts_with("dictionaries/model"));
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

fn collect_embedded(dir: &Dir, out: &mut Vec<DataFile>) {
    for f in dir.files() {
        if f.path().extension().is_some_and(|e| e == "toml") {
            out.push(DataFile {
                path: Path::new("dictionaries").join(f.path()),
                text: f.contents_utf8().unwrap_or_default().to_string(),
            });
        }
    }
    for d in dir.dirs() {
        collect_embedded(d, out);
    }
}

fn folder_files(dir: &Path) -> Result<Vec<DataFile>, DataError> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
    {
        let entry = entry.map_err(|e| DataError::new(dir, 1, format!("无法读取规则目录：{e}")))?;
        let path = entry.path();
        if entry.file_type().is_file() && path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(path)
                .map_err(|e| DataError::new(path, 1, format!("无法读取：{e}")))?;
            out.push(DataFile {
                path: path.to_path_buf(),
                text,
            });
        }
    }
    if out.is_empty() {
        return Err(DataError::new(dir, 1, "目录中没有 .toml 规则文件"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod embedded_tests {
    use super::*;

    #[test]
    fn embedded_rules_load_and_their_examples_pass() {
        let set = RuleSet::embedded();
        let failures = set.check_examples();
        assert!(
            failures.is_empty(),
            "{}",
            failures
                .iter()
                .map(|f| f.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}
