//! The second opinion in a review: sentences no rule reported, scored by the
//! model, reported as suggestions when the score reaches the threshold.

use serde::Deserialize;

use super::features::normalize;
use super::model::Model;
use crate::document::Document;
use crate::document::numerals::to_chinese;
use crate::review::{Finding, Level};
use crate::rules::Standards;

/// A sentence longer than this many times `max_chars` before normalisation
/// cannot come under `max_chars` after it (only spaces are dropped).
const RAW_LENGTH_FACTOR: usize = 4;

/// Rule id of every finding the model raises.
pub const RULE_ID: &str = "model.second-opinion";

/// `dictionaries/model/model.toml`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub threshold: f32,
    pub min_chars: usize,
    pub max_chars: usize,
    pub evidence: usize,
    pub explanation: String,
    pub suggestion: String,
}

/// A loaded model with its settings.
#[derive(Debug, Clone)]
pub struct SecondOpinion {
    pub model: Model,
    pub settings: Settings,
}

impl SecondOpinion {
    /// Findings for the sentences of `doc` that no finding in `covered` overlaps.
    pub fn review(
        &self,
        doc: &Document,
        covered: &[Finding],
        standards: &Standards,
        cite: impl Fn(usize) -> String,
    ) -> Vec<Finding> {
        let mut spans: Vec<(usize, usize)> = covered.iter().map(|f| (f.start, f.end)).collect();
        spans.sort_unstable();
        let catch_all = super::catch_all_items(standards);
        let mut out = Vec::new();
        for (si, s) in doc.sentences.iter().enumerate() {
            let first = spans.partition_point(|&(_, end)| end <= s.start);
            // Rule findings are sentence spans, so any overlap starts early.
            if spans[first..]
                .iter()
                .take_while(|&&(start, _)| start < s.end)
                .next()
                .is_some()
            {
                continue;
            }
            let text = doc.sentence_text(s);
            // Far too long to be one clause (a text with no stops): skip it
            // before normalising, which would copy all of it.
            if s.end - s.start > RAW_LENGTH_FACTOR * self.settings.max_chars {
                continue;
            }
            let chars = normalize(text);
            if chars.len() < self.settings.min_chars || chars.len() > self.settings.max_chars {
                continue;
            }
            let Some(p) = self.model.predict_at_least(
                &chars,
                self.settings.threshold,
                self.settings.evidence,
                &catch_all,
            ) else {
                continue;
            };
            let (article, item) = p.item;
            let title = standards
                .item(article, item)
                .map(|i| i.title.as_str())
                .unwrap_or_default();
            let fill = |template: &str| {
                template
                    .replace("{article}", &to_chinese(article.into()))
                    .replace("{item}", &to_chinese(item.into()))
                    .replace("{title}", title)
                    .replace("{score}", &format!("{:.2}", p.score))
                    .replace("{evidence}", &quoted(&p.evidence))
            };
            let block = doc.blocks.get(s.block);
            out.push(Finding {
                id: format!("{RULE_ID}@{}", s.start),
                rule: RULE_ID.to_string(),
                article,
                item,
                level: Level::Suggestion,
                confidence: (p.score * 100.0).round() / 100.0,
                clause: cite(si),
                start: s.start,
                end: s.end,
                page: block.and_then(|b| b.page),
                text: text.to_string(),
                evidence: p.evidence.clone(),
                explanation: fill(&self.settings.explanation),
                suggestion: fill(&self.settings.suggestion),
                ocr: block.is_some_and(|b| b.ocr.is_some()),
                similar: Vec::new(),
            });
        }
        out
    }
}

fn quoted(terms: &[String]) -> String {
    terms
        .iter()
        .map(|t| format!("“{t}”"))
        .collect::<Vec<_>>()
        .join("、")
}
