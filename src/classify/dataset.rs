//! The training texts: labeled clause sets, every rule's own examples and the
//! ordinary sentences of the corpus documents.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::features::normalize;
use crate::eval::expected_documents;
use crate::review::Level;
use crate::rules::RuleSet;

/// Where a training text came from; also its cross-validation group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source {
    /// A reviewer's own file given with `--extra`.
    Extra,
    /// `corpus/labeled/*.jsonl`.
    Labeled,
    Round1,
    Round2,
    Round3,
    Round4,
    Round5,
    Round6,
    /// `examples.flag` / `examples.pass` of the rule packs.
    Rules,
    /// Sentences of corpus documents outside their expected findings.
    Documents,
}

impl Source {
    pub fn name(self) -> &'static str {
        match self {
            Source::Extra => "extra",
            Source::Labeled => "labeled",
            Source::Round1 => "round1",
            Source::Round2 => "round2",
            Source::Round3 => "round3",
            Source::Round4 => "round4",
            Source::Round5 => "round5",
            Source::Round6 => "round6",
            Source::Rules => "rules",
            Source::Documents => "docs",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub text: String,
    /// (article, item), or `None` for a compliant text.
    pub label: Option<(u8, u8)>,
    pub source: Source,
    /// Index of the corpus document a sentence comes from.
    pub document: Option<usize>,
}

#[derive(Debug, Deserialize)]
struct LabeledLine {
    text: String,
    article: Option<u8>,
    item: Option<u8>,
}

/// Reads one labeled file (the `corpus/labeled` JSON Lines format).
pub fn read_labeled(path: &Path, source: Source) -> Result<Vec<Example>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = Vec::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let l: LabeledLine =
            serde_json::from_str(line).map_err(|e| format!("{}:{}: {e}", path.display(), n + 1))?;
        out.push(Example {
            text: l.text,
            label: l.article.zip(l.item),
            source,
            document: None,
        });
    }
    Ok(out)
}

fn jsonl_in(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "jsonl")
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
        })
        .collect();
    files.sort();
    files
}

/// Rule examples: a flag example is a breach of its rule's item; a pass
/// example is compliant, unless the whole rule engine reports it (a pass
/// example of one rule may breach another item: too ambiguous to keep).
pub fn rule_examples(rules: &RuleSet) -> (Vec<Example>, usize) {
    let mut flags = Vec::new();
    let mut passes = Vec::new();
    let mut dropped = 0;
    for rule in rules.rules() {
        for text in &rule.examples.flag {
            flags.push(Example {
                text: text.clone(),
                label: Some((rule.article, rule.item)),
                source: Source::Rules,
                document: None,
            });
        }
        for text in &rule.examples.pass {
            let flagged = rules
                .evaluate_rules_text(text)
                .iter()
                .any(|f| f.level >= Level::Warning);
            if flagged {
                dropped += 1;
                continue;
            }
            passes.push(Example {
                text: text.clone(),
                label: None,
                source: Source::Rules,
                document: None,
            });
        }
    }
    flags.extend(passes);
    (flags, dropped)
}

#[derive(Debug, Deserialize)]
struct SourceText {
    text: String,
}

/// Shortest sentence (normalised characters) taken from a document.
const MIN_SENTENCE_CHARS: usize = 8;

/// Sentences of `corpus/sources/*.toml` as compliant texts. In a document
/// with expected findings every line touching a finding's quote is left out
/// whole, so the context of a breach never becomes a negative.
pub fn document_sentences(corpus: &Path) -> Result<Vec<Example>, String> {
    let mut out = Vec::new();
    for (doc, (path, e)) in expected_documents(corpus)?.into_iter().enumerate() {
        let stem = path.file_stem().unwrap_or_default().to_string_lossy();
        let source_path = corpus.join("sources").join(format!("{stem}.toml"));
        let source = std::fs::read_to_string(&source_path)
            .map_err(|e| format!("{}: {e}", source_path.display()))?;
        let source: SourceText =
            toml::from_str(&source).map_err(|e| format!("{}: {e}", source_path.display()))?;
        let text = source.text;
        let quotes: Vec<(usize, usize)> = e
            .finding
            .iter()
            .filter_map(|f| text.find(&f.quote).map(|i| (i, i + f.quote.len())))
            .collect();
        let mut line_start = 0;
        for line in text.split('\n') {
            let line_end = line_start + line.len();
            let touched = quotes.iter().any(|&(a, b)| a < line_end && b > line_start);
            line_start = line_end + 1;
            if touched {
                continue;
            }
            for sentence in line.split_inclusive(['。', '；', '！', '？']) {
                let sentence = sentence.trim();
                if normalize(sentence).len() >= MIN_SENTENCE_CHARS {
                    out.push(Example {
                        text: sentence.to_string(),
                        label: None,
                        source: Source::Documents,
                        document: Some(doc),
                    });
                }
            }
        }
    }
    Ok(out)
}

/// Which sources to read.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub corpus: PathBuf,
    pub extra: Vec<PathBuf>,
    /// Sources left out (e.g. round 2, to measure on it).
    pub without: Vec<Source>,
}

/// Every training text, deduplicated on the normalised text. Earlier sources
/// win (extra, labeled sets, rule flag, rule pass, documents); two texts of
/// one source that disagree are both dropped.
pub fn gather(plan: &Plan, rules: &RuleSet) -> Result<(Vec<Example>, Summary), String> {
    let labeled = plan.corpus.join("labeled");
    let heldout = labeled.join("heldout");
    let mut all = Vec::new();
    for f in &plan.extra {
        all.extend(read_labeled(f, Source::Extra)?);
    }
    // Clauses written for training only (`training/`) count as labeled ones.
    for f in jsonl_in(&labeled, "")
        .into_iter()
        .chain(jsonl_in(&labeled.join("training"), ""))
    {
        all.extend(read_labeled(&f, Source::Labeled)?);
    }
    for f in jsonl_in(&heldout, "round1-") {
        all.extend(read_labeled(&f, Source::Round1)?);
    }
    for f in jsonl_in(&heldout, "round2-") {
        all.extend(read_labeled(&f, Source::Round2)?);
    }
    // Rounds 3–6 became development sets once measured and worked on; the
    // newest round stays out of training so that one set is always unseen.
    for (prefix, source) in [
        ("round3-", Source::Round3),
        ("round4-", Source::Round4),
        ("round5-", Source::Round5),
        ("round6-", Source::Round6),
    ] {
        for f in jsonl_in(&heldout, prefix) {
            all.extend(read_labeled(&f, source)?);
        }
    }
    let (examples, dropped_passes) = rule_examples(rules);
    all.extend(examples);
    all.extend(document_sentences(&plan.corpus)?);
    all.retain(|e| !plan.without.contains(&e.source));

    let mut first: HashMap<Vec<char>, usize> = HashMap::new();
    let mut kept: Vec<Option<Example>> = Vec::new();
    let mut conflicts = 0;
    for e in all {
        let key = normalize(&e.text);
        match first.get(&key) {
            Some(&i) => {
                if let Some(k) = &kept[i]
                    && k.label != e.label
                {
                    conflicts += 1;
                    if k.source == e.source {
                        kept[i] = None;
                    }
                }
            }
            None => {
                first.insert(key, kept.len());
                kept.push(Some(e));
            }
        }
    }
    let kept: Vec<Example> = kept.into_iter().flatten().collect();
    let summary = Summary {
        dropped_passes,
        conflicts,
        counts: count(&kept),
    };
    Ok((kept, summary))
}

/// What went into a training set.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub dropped_passes: usize,
    pub conflicts: usize,
    /// (source, breaches, compliant texts).
    pub counts: Vec<(Source, usize, usize)>,
}

fn count(examples: &[Example]) -> Vec<(Source, usize, usize)> {
    let mut by: std::collections::BTreeMap<Source, (usize, usize)> = Default::default();
    for e in examples {
        let c = by.entry(e.source).or_default();
        if e.label.is_some() {
            c.0 += 1;
        } else {
            c.1 += 1;
        }
    }
    by.into_iter().map(|(s, (p, n))| (s, p, n)).collect()
}
