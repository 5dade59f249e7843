//! The second opinion in a review: sentences no rule reported, scored by the
//! model, reported as suggestions when the score reaches the threshold.

use serde::Deserialize;

use super::features::normalize;
use super::model::Model;
use crate::document::Document;
use crate::document::numerals::to_chinese;
use crate::document::sentences::is_terminal;
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
    /// A sentence with no punctuation at all and at most this many characters
    /// is a label (heading, table cell, signature), not a measure.
    pub label_max_chars: usize,
    /// Lines starting with one of these are document furniture (attachment
    /// notes, copy-to lines), not measures.
    pub furniture_prefixes: Vec<String>,
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
        speaks_about_measures: impl Fn(&str) -> bool,
        lead_in_exempts_items: impl Fn(&str) -> bool,
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
            if chars.len() < self.settings.min_chars
                || chars.len() > self.settings.max_chars
                || !self.reads_as_a_measure(doc, si, chars.len())
            {
                continue;
            }
            let predict = |chars: &[char]| {
                self.model.predict_at_least(
                    chars,
                    self.settings.threshold,
                    self.settings.evidence,
                    &catch_all,
                )
            };
            let lead_in = doc
                .lead_in(si)
                .map(|lead| doc.sentence_text(&doc.sentences[lead]));
            let joined = lead_in
                .map(|lead| {
                    let mut joined = normalize(lead);
                    joined.extend_from_slice(&chars);
                    joined
                })
                .filter(|joined| joined.len() <= self.settings.max_chars);
            let Some(mut p) = predict(&chars).or_else(|| predict(joined.as_deref()?)) else {
                continue;
            };
            if speaks_about_measures(text) || lead_in.is_some_and(&lead_in_exempts_items) {
                continue;
            }
            // The lead-in names the benefit or the procedure, which decides
            // the item (a 名录 condition for a subsidy is not one for entry).
            if let Some(joined) = &joined {
                p.item = self.model.item(joined, &catch_all);
            }
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

    /// Whether a sentence can be a measure at all: the model learned from
    /// clauses, and on a document's furniture — its title, issuer, addressee
    /// and other lead-ins ending in a colon, attachment notes, headings and
    /// table cells — it only sees words it knows out of their context.
    fn reads_as_a_measure(&self, doc: &Document, si: usize, chars: usize) -> bool {
        let text = doc.sentence_text(&doc.sentences[si]).trim();
        let bare = text.trim_end_matches(is_punct);
        if doc.ends_with_colon(si) {
            return false;
        }
        if chars <= self.settings.label_max_chars && !text.chars().any(is_punct) {
            return false;
        }
        if self
            .settings
            .furniture_prefixes
            .iter()
            .any(|p| text.starts_with(p.as_str()))
        {
            return false;
        }
        // A line of the title, the issuer or an attachment title (a measure
        // ends with a full stop; a one-line text may be all title and measure).
        let meta = &doc.meta;
        let mut names = meta
            .title
            .iter()
            .chain(&meta.issuer)
            .chain(meta.attachments.iter().filter_map(|a| a.title.as_ref()));
        text.ends_with(is_terminal) || !names.any(|name| !bare.is_empty() && name.contains(bare))
    }
}

/// ASCII punctuation and that of Chinese text: CJK symbols, general
/// punctuation (dashes, quotes, ellipsis) and the full-width forms that are
/// neither digits nor letters.
fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(
            c,
            '\u{3000}'..='\u{303F}'
                | '\u{2010}'..='\u{2027}'
                | '\u{FF01}'..='\u{FF0F}'
                | '\u{FF1A}'..='\u{FF20}'
                | '\u{FF3B}'..='\u{FF40}'
                | '\u{FF5B}'..='\u{FF65}'
        )
}

fn quoted(terms: &[String]) -> String {
    terms
        .iter()
        .map(|t| format!("“{t}”"))
        .collect::<Vec<_>>()
        .join("、")
}
