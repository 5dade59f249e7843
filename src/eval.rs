//! Accuracy measurement: precision, recall and article+item accuracy, overall
//! and per item, on labeled clauses (JSON Lines) and on a corpus folder with
//! hand-written expected findings (`expected/*.toml`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::limits::Limits;
use crate::review::{Finding, Level};
use crate::rules::RuleSet;
use crate::scan::review_file;

/// Counts for one item or for everything.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Tally {
    /// Expected violations found (by any item).
    pub found: usize,
    /// Expected violations.
    pub expected: usize,
    /// Found ones whose article and item are right.
    pub item_right: usize,
    /// Predictions that match an expected violation.
    pub true_predictions: usize,
    /// All predictions at warning level or above.
    pub predictions: usize,
}

impl Tally {
    pub fn precision(&self) -> f64 {
        ratio(self.true_predictions, self.predictions)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.found, self.expected)
    }
    pub fn item_accuracy(&self) -> f64 {
        ratio(self.item_right, self.found)
    }
    fn add(&mut self, o: &Tally) {
        self.found += o.found;
        self.expected += o.expected;
        self.item_right += o.item_right;
        self.true_predictions += o.true_predictions;
        self.predictions += o.predictions;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub overall: Tally,
    /// Keyed by (article, item).
    pub per_item: BTreeMap<(u8, u8), Tally>,
    /// Negative examples (or compliant documents) and how many findings they drew.
    pub negatives: usize,
    pub negatives_flagged: usize,
    /// Findings on negatives, second-opinion suggestions included.
    pub negative_findings: usize,
    /// Of those, the rule findings at warning level or above.
    pub negative_warnings: usize,
    /// Human-readable misses and false alarms.
    pub notes: Vec<String>,
}

impl Report {
    fn record(&mut self, key: (u8, u8), t: Tally) {
        self.overall.add(&t);
        self.per_item.entry(key).or_default().add(&t);
    }

    /// Mean findings (warning or above, and second-opinion suggestions) per
    /// negative example or compliant document.
    pub fn negative_rate(&self) -> f64 {
        self.per_negative(self.negative_findings)
    }

    /// Mean findings at warning level or above per negative example or
    /// compliant document.
    pub fn negative_warning_rate(&self) -> f64 {
        self.per_negative(self.negative_warnings)
    }

    fn per_negative(&self, n: usize) -> f64 {
        if self.negatives == 0 {
            0.0
        } else {
            n as f64 / self.negatives as f64
        }
    }

    pub fn render(&self) -> String {
        let o = &self.overall;
        let mut s = format!(
            "总体：精确率 {:.3}，召回率 {:.3}，条目判定准确率 {:.3}（应发现 {}，发现 {}，报出 {}，其中正确 {}）\n",
            o.precision(),
            o.recall(),
            o.item_accuracy(),
            o.expected,
            o.found,
            o.predictions,
            o.true_predictions
        );
        s.push_str(&format!(
            "合规样本：{} 个，其中 {} 个被报出问题，平均每个 {:.2} 处（警告及以上 {:.2} 处）\n",
            self.negatives,
            self.negatives_flagged,
            self.negative_rate(),
            self.negative_warning_rate()
        ));
        s.push_str("条目\t应发现\t召回率\t报出\t精确率\n");
        for ((a, i), t) in &self.per_item {
            s.push_str(&format!(
                "{a}({i})\t{}\t{:.3}\t{}\t{:.3}\n",
                t.expected,
                t.recall(),
                t.predictions,
                t.precision()
            ));
        }
        s
    }
}

/// Findings that count as a verdict: warning level or above, and the
/// learned second opinion (a suggestion by design, yet a verdict on the clause).
fn flagged(findings: Vec<Finding>) -> Vec<Finding> {
    findings
        .into_iter()
        .filter(|f| f.level >= Level::Warning || f.rule == crate::classify::RULE_ID)
        .collect()
}

#[derive(Debug, Deserialize)]
struct LabeledLine {
    #[serde(default)]
    id: String,
    text: String,
    article: Option<u8>,
    item: Option<u8>,
}

/// Evaluates labeled clauses: a line with `article`/`item` is a violation of
/// that item, a line without is compliant.
pub fn eval_labeled(rules: &RuleSet, files: &[PathBuf]) -> Result<Report, String> {
    let mut report = Report::default();
    for file in files {
        let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        for (n, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let l: LabeledLine = serde_json::from_str(line)
                .map_err(|e| format!("{}:{}: {e}", file.display(), n + 1))?;
            let found = flagged(rules.evaluate_text(&l.text));
            match (l.article, l.item) {
                (Some(a), Some(i)) => {
                    let item_right = found.iter().any(|f| same_item(rules, f, a, i));
                    if found.is_empty() {
                        report
                            .notes
                            .push(format!("漏报 {} [{a}({i})] {}", l.id, l.text));
                    } else if !item_right {
                        report.notes.push(format!(
                            "条目不符 {} [{a}({i})，报为 {}] {}",
                            l.id,
                            items(&found),
                            l.text
                        ));
                    }
                    report.record(
                        (a, i),
                        Tally {
                            found: usize::from(!found.is_empty()),
                            expected: 1,
                            item_right: usize::from(item_right),
                            true_predictions: found.len(),
                            predictions: found.len(),
                        },
                    );
                }
                _ => {
                    report.negatives += 1;
                    if !found.is_empty() {
                        report.negatives_flagged += 1;
                        report.negative_findings += found.len();
                        report.negative_warnings += warnings(&found);
                        report
                            .notes
                            .push(format!("误报 {} [{}] {}", l.id, items(&found), l.text));
                        for f in &found {
                            report.record(
                                (f.article, f.item),
                                Tally {
                                    predictions: 1,
                                    ..Tally::default()
                                },
                            );
                        }
                    }
                }
            }
        }
    }
    Ok(report)
}

/// The finding names the expected item — or the expected item is its
/// article's catch-all ("其他…"), which any item of that article satisfies.
fn same_item(rules: &RuleSet, f: &Finding, article: u8, item: u8) -> bool {
    let catch_all = rules
        .standards
        .item(article, item)
        .is_some_and(|i| i.catch_all);
    item_accepted((f.article, f.item), (article, item), catch_all)
}

/// Whether a reported (article, item) counts as the expected one; any item
/// of the article counts when the expected item is a catch-all.
pub(crate) fn item_accepted(reported: (u8, u8), expected: (u8, u8), catch_all: bool) -> bool {
    reported.0 == expected.0 && (reported.1 == expected.1 || catch_all)
}

fn items(found: &[Finding]) -> String {
    found
        .iter()
        .map(|f| format!("{}({}) {}", f.article, f.item, f.rule))
        .collect::<Vec<_>>()
        .join("，")
}

/// One `expected/*.toml` of a corpus folder: a document and the violations
/// planted in it, each located by a quote.
#[derive(Debug, Deserialize)]
pub(crate) struct Expected {
    pub file: String,
    #[serde(default)]
    pub finding: Vec<ExpectedFinding>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct ExpectedFinding {
    pub article: u8,
    pub item: u8,
    pub quote: String,
}

/// Every `expected/*.toml` of a corpus folder, in name order, with its path.
pub(crate) fn expected_documents(dir: &Path) -> Result<Vec<(PathBuf, Expected)>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("expected"))
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(&f).map_err(|e| format!("{}: {e}", f.display()))?;
            let expected = toml::from_str(&text).map_err(|e| format!("{}: {e}", f.display()))?;
            Ok((f, expected))
        })
        .collect()
}

/// Evaluates a corpus folder: every `expected/*.toml` names a document and the
/// violations planted in it (each located by a quote).
pub fn eval_corpus(rules: &RuleSet, dir: &Path) -> Result<Report, String> {
    let mut report = Report::default();
    for (_, expected) in expected_documents(dir)? {
        let (review, doc) = review_file(&dir.join(&expected.file), &Limits::default(), rules);
        let Some(doc) = doc else {
            // An unreadable document misses every violation planted in it.
            let why = review.error.map(|e| e.message).unwrap_or_default();
            report
                .notes
                .push(format!("无法读取 {}：{why}", expected.file));
            for e in &expected.finding {
                report.record(
                    (e.article, e.item),
                    Tally {
                        expected: 1,
                        ..Tally::default()
                    },
                );
            }
            continue;
        };
        let found = flagged(review.findings);
        let index = SquashedText::new(&doc.text);
        let mut matched = vec![false; found.len()];
        for e in &expected.finding {
            let Some((qs, qe)) = index.find(&e.quote) else {
                return Err(format!("{}: 找不到引文 {}", expected.file, e.quote));
            };
            let hits: Vec<usize> = (0..found.len())
                .filter(|&k| found[k].start < qe && qs < found[k].end)
                .collect();
            for &k in &hits {
                matched[k] = true;
            }
            // Another sentence of the same clause flagged for the same article
            // is the same violation seen twice, not a false alarm.
            if let Some(clause) = doc.clause_at(qs).map(|c| doc.citation(c)) {
                for (k, f) in found.iter().enumerate() {
                    if f.clause == clause && f.article == e.article {
                        matched[k] = true;
                    }
                }
            }
            let item_right = hits
                .iter()
                .any(|&k| same_item(rules, &found[k], e.article, e.item));
            if hits.is_empty() {
                report.notes.push(format!(
                    "漏报 {} [{}({})] {}",
                    expected.file, e.article, e.item, e.quote
                ));
            } else if !item_right {
                let got: Vec<Finding> = hits.iter().map(|&k| found[k].clone()).collect();
                report.notes.push(format!(
                    "条目不符 {} [{}({})，报为 {}] {}",
                    expected.file,
                    e.article,
                    e.item,
                    items(&got),
                    e.quote
                ));
            }
            report.record(
                (e.article, e.item),
                Tally {
                    found: usize::from(!hits.is_empty()),
                    expected: 1,
                    item_right: usize::from(item_right),
                    ..Tally::default()
                },
            );
        }
        for (k, f) in found.iter().enumerate() {
            report.record(
                (f.article, f.item),
                Tally {
                    predictions: 1,
                    true_predictions: usize::from(matched[k]),
                    ..Tally::default()
                },
            );
            if !matched[k] {
                report.notes.push(format!(
                    "误报 {} [{}({}) {}] {}",
                    expected.file, f.article, f.item, f.rule, f.text
                ));
            }
        }
        if expected.finding.is_empty() {
            report.negatives += 1;
            report.negatives_flagged += usize::from(!found.is_empty());
            report.negative_findings += found.len();
            report.negative_warnings += warnings(&found);
        }
    }
    Ok(report)
}

/// How many findings are at warning level or above.
fn warnings(found: &[Finding]) -> usize {
    found.iter().filter(|f| f.level >= Level::Warning).count()
}

/// The text with whitespace removed, mapped back to character offsets, so a
/// quote is found even where an extractor put spaces or line breaks.
struct SquashedText {
    squashed: String,
    /// Original char offset of each squashed char.
    offsets: Vec<usize>,
}

impl SquashedText {
    fn new(text: &str) -> Self {
        let mut squashed = String::new();
        let mut offsets = Vec::new();
        for (i, c) in text.chars().enumerate() {
            if !c.is_whitespace() {
                squashed.push(c);
                offsets.push(i);
            }
        }
        SquashedText { squashed, offsets }
    }

    fn find(&self, quote: &str) -> Option<(usize, usize)> {
        let q: String = quote.chars().filter(|c| !c.is_whitespace()).collect();
        let byte = self.squashed.find(&q)?;
        let first = self.squashed[..byte].chars().count();
        let n = q.chars().count();
        Some((self.offsets[first], self.offsets[first + n - 1] + 1))
    }
}
