//! The second opinion in a review: sentences no rule reported, scored by the
//! model, reported as suggestions when the score reaches the threshold.

use serde::Deserialize;

use super::features::normalize;
use super::model::{Model, Prediction};
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
    /// A sentence with no punctuation at all and at most this many characters
    /// is a label (heading, table cell, signature), not a measure.
    pub label_max_chars: usize,
    /// Lines starting with one of these are document furniture (attachment
    /// notes, copy-to lines), not measures.
    pub furniture_prefixes: Vec<String>,
    pub evidence: usize,
    pub explanation: String,
    pub suggestion: String,
    /// Note added to a rule finding whose item the model reads differently.
    pub reclassified: String,
    /// Threshold for a table row read as `header：cell；…`: a row of
    /// categories and objective thresholds shares the words of a selective
    /// one more closely than a sentence does (chosen on document rounds 1–3).
    pub row_threshold: f32,
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
        let covered = |s: &crate::document::Sentence| {
            let first = spans.partition_point(|&(_, end)| end <= s.start);
            // Rule findings are sentence spans, so any overlap starts early.
            spans[first..]
                .iter()
                .take_while(|&&(start, _)| start < s.end)
                .next()
                .is_some()
        };
        let mut out = Vec::new();
        let mut in_flagged_row = std::collections::HashSet::new();
        for row in doc.table_rows() {
            if row.sentences.iter().any(|&si| covered(&doc.sentences[si])) {
                continue;
            }
            if let Some((cell, p)) = self.read_row(
                doc,
                &row,
                &catch_all,
                &speaks_about_measures,
                &lead_in_exempts_items,
            ) {
                out.push(self.finding(doc, cell, p, standards, &cite));
                in_flagged_row.extend(row.sentences);
            }
        }
        for (si, s) in doc.sentences.iter().enumerate() {
            if covered(s) || in_flagged_row.contains(&si) {
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
            let judged = self.judge(
                doc,
                (text, &chars),
                si,
                self.settings.threshold,
                &catch_all,
                (&speaks_about_measures, &lead_in_exempts_items),
            );
            if let Some(p) = judged {
                out.push(self.finding(doc, (si, si), p, standards, &cite));
            }
        }
        out
    }

    /// A table row read as `header：cell；…` (after the table's lead-in when
    /// that fits), and the cell to report — the one holding most of the
    /// evidence — as its first and last sentence: a cell is read whole (a fee
    /// cell lists the rate for local and for outside vehicles). `None` when
    /// the row does not reach the threshold.
    fn read_row(
        &self,
        doc: &Document,
        row: &crate::document::tables::Row,
        catch_all: &[(u8, u8)],
        speaks_about_measures: impl Fn(&str) -> bool,
        lead_in_exempts_items: impl Fn(&str) -> bool,
    ) -> Option<((usize, usize), Prediction)> {
        let chars = normalize(&row.reading);
        if chars.len() < self.settings.min_chars || chars.len() > self.settings.max_chars {
            return None;
        }
        let p = self.judge(
            doc,
            (&row.reading, &chars),
            row.sentences[0],
            self.settings.row_threshold,
            catch_all,
            (speaks_about_measures, lead_in_exempts_items),
        )?;
        // The row's cells as runs of sentences in one cell (a cell of several
        // paragraphs is several blocks at one position).
        let pos = |si: usize| doc.blocks.get(doc.sentences[si].block).and_then(|b| b.cell);
        let mut cells: Vec<(usize, usize)> = Vec::new();
        for &si in &row.sentences {
            match cells.last_mut() {
                Some((_, last)) if pos(*last) == pos(si) => *last = si,
                _ => cells.push((si, si)),
            }
        }
        let holds = |&(first, last): &(usize, usize)| {
            let (start, end) = (
                doc.sentences[first].byte_start,
                doc.sentences[last].byte_end,
            );
            let cell: String = normalize(&doc.text[start..end]).into_iter().collect();
            p.evidence
                .iter()
                .filter(|e| cell.contains(e.as_str()))
                .count()
        };
        // The first cell holding the most evidence (max_by_key keeps the last).
        let cell = cells.iter().rev().copied().max_by_key(holds)?;
        Some((cell, p))
    }

    /// The model's prediction for `text` (normalised as `chars`), standing
    /// where sentence `si` stands, when it reaches `threshold` alone or after
    /// the lead-in of `si`'s list or table — unless the text only speaks about
    /// measures or the lead-in exempts its items. The lead-in names the
    /// benefit or the procedure, which decides the item (a 名录 condition for
    /// a subsidy is not one for entry).
    fn judge(
        &self,
        doc: &Document,
        (text, chars): (&str, &[char]),
        si: usize,
        threshold: f32,
        catch_all: &[(u8, u8)],
        (speaks_about_measures, lead_in_exempts_items): (
            impl Fn(&str) -> bool,
            impl Fn(&str) -> bool,
        ),
    ) -> Option<Prediction> {
        let predict = |chars: &[char]| {
            self.model
                .predict_at_least(chars, threshold, self.settings.evidence, catch_all)
        };
        let lead_in = doc
            .lead_in(si)
            .map(|lead| doc.sentence_text(&doc.sentences[lead]));
        let joined = self.joined(lead_in, chars);
        let mut p = predict(chars).or_else(|| predict(joined.as_deref()?))?;
        if speaks_about_measures(text) || lead_in.is_some_and(lead_in_exempts_items) {
            return None;
        }
        if let Some(joined) = &joined {
            p.item = self.model.item(joined, catch_all);
        }
        Some(p)
    }

    /// The finding the model raises on sentences `first..=last`.
    fn finding(
        &self,
        doc: &Document,
        (first, last): (usize, usize),
        p: Prediction,
        standards: &Standards,
        cite: impl Fn(usize) -> String,
    ) -> Finding {
        let (s, end) = (&doc.sentences[first], &doc.sentences[last]);
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
        Finding {
            id: format!("{RULE_ID}@{}", s.start),
            rule: RULE_ID.to_string(),
            article,
            item,
            level: Level::Suggestion,
            confidence: (p.score * 100.0).round() / 100.0,
            clause: cite(first),
            start: s.start,
            end: end.end,
            page: block.and_then(|b| b.page),
            text: doc.text[s.byte_start..end.byte_end].to_string(),
            explanation: fill(&self.settings.explanation),
            suggestion: fill(&self.settings.suggestion),
            evidence: p.evidence,
            ocr: block.is_some_and(|b| b.ocr.is_some()),
            similar: Vec::new(),
        }
    }

    /// A list item or table cell read after its lead-in, when the two are
    /// short enough to be scored together.
    fn joined(&self, lead_in: Option<&str>, chars: &[char]) -> Option<Vec<char>> {
        lead_in
            .map(|lead| {
                let mut joined = normalize(lead);
                joined.extend_from_slice(chars);
                joined
            })
            .filter(|joined| joined.len() <= self.settings.max_chars)
    }

    /// Rule findings whose sentence the model also reads as a breach, but of
    /// another item, take the model's item. A rule names a mechanism, and one
    /// mechanism can fall under different items (a named operator is a
    /// designated supplier in one measure and an operating right granted
    /// without competition in another); the model learned from whole clauses
    /// labeled by item which words of the clause decide. The explanation says
    /// so. A catch-all item of the rule's own article never replaces it.
    pub fn reconsider_items(
        &self,
        doc: &Document,
        findings: &mut Vec<Finding>,
        standards: &Standards,
    ) {
        let catch_all = super::catch_all_items(standards);
        // A sentence reports an item once: a rule that already names the
        // model's item keeps its own finding, and the other one goes.
        let mut taken: std::collections::HashSet<(usize, u8, u8)> = findings
            .iter()
            .map(|f| (f.start, f.article, f.item))
            .collect();
        let mut dropped = vec![false; findings.len()];
        for (f, dropped) in findings.iter_mut().zip(&mut dropped) {
            let Some((score, item)) = self.item_of(doc, f.start, &catch_all) else {
                continue;
            };
            let same_article_catch_all = item.0 == f.article && catch_all.contains(&item);
            if score < self.settings.threshold
                || item == (f.article, f.item)
                || same_article_catch_all
            {
                continue;
            }
            if !taken.insert((f.start, item.0, item.1)) {
                *dropped = true;
                continue;
            }
            let (article, it) = item;
            let title = standards
                .item(article, it)
                .map(|i| i.title.as_str())
                .unwrap_or_default();
            let note = self
                .settings
                .reclassified
                .replace("{rule}", &f.rule)
                .replace("{rule_article}", &to_chinese(f.article.into()))
                .replace("{rule_item}", &to_chinese(f.item.into()))
                .replace("{article}", &to_chinese(article.into()))
                .replace("{item}", &to_chinese(it.into()))
                .replace("{title}", title)
                .replace("{score}", &format!("{score:.2}"));
            f.explanation.push_str(&note);
            (f.article, f.item) = item;
        }
        let mut dropped = dropped.into_iter();
        findings.retain(|_| !dropped.next().unwrap_or(false));
        findings.sort_by_key(|f| (f.start, f.article, f.item));
    }

    /// The model's score and item for the sentence starting at `start`, read
    /// after its lead-in when it has one (the lead-in names the benefit or
    /// the procedure, which decides the item).
    fn item_of(
        &self,
        doc: &Document,
        start: usize,
        catch_all: &[(u8, u8)],
    ) -> Option<(f32, (u8, u8))> {
        let si = doc.sentence_starting_at(start)?;
        let chars = normalize(doc.sentence_text(&doc.sentences[si]));
        let lead_in = doc
            .lead_in(si)
            .map(|lead| doc.sentence_text(&doc.sentences[lead]));
        let (score, item) = self.model.score_chars(&chars, catch_all);
        Some(match self.joined(lead_in, &chars) {
            Some(joined) => {
                let (joined_score, joined_item) = self.model.score_chars(&joined, catch_all);
                (score.max(joined_score), joined_item)
            }
            None => (score, item),
        })
    }

    /// Whether a sentence can be a measure at all: the model learned from
    /// clauses, and on a document's furniture — its title, issuer, addressee
    /// and other lead-ins ending in a colon, attachment notes, headings and
    /// table cells — it only sees words it knows out of their context.
    fn reads_as_a_measure(&self, doc: &Document, si: usize, chars: usize) -> bool {
        let text = doc.sentence_text(&doc.sentences[si]).trim();
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
        !doc.names_the_document(si)
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
