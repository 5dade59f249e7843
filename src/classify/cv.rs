//! Choosing the threshold by cross-validation on the training data only:
//! each fold holds out one source of labeled clauses (as a new writer would
//! be) together with a third of the corpus documents.

use super::dataset::{Example, Source};
use super::{fit, train};

/// Held-out score and item of every example that belongs to a fold.
pub struct Scored {
    pub label: Option<(u8, u8)>,
    pub source: Source,
    pub score: f32,
    pub item: (u8, u8),
}

fn fold_of(e: &Example) -> Option<usize> {
    match e.source {
        Source::Labeled => Some(0),
        Source::Round1 => Some(1),
        Source::Rules => Some(2),
        Source::Documents => e.document.map(|d| d % 3),
        // Reviewer files and rounds 2–6 always stay in training.
        Source::Extra
        | Source::Round2
        | Source::Round3
        | Source::Round4
        | Source::Round5
        | Source::Round6 => None,
    }
}

pub fn cross_validate(
    examples: &[Example],
    classes: &[(u8, u8)],
    catch_all: &[(u8, u8)],
    settings: train::Settings,
) -> Vec<Scored> {
    let mut out = Vec::new();
    for k in 0..3 {
        let train: Vec<Example> = examples
            .iter()
            .filter(|e| fold_of(e) != Some(k))
            .cloned()
            .collect();
        let model = fit(&train, classes, settings);
        for e in examples.iter().filter(|e| fold_of(e) == Some(k)) {
            let (score, item) = model.score(&e.text, catch_all);
            out.push(Scored {
                label: e.label,
                source: e.source,
                score,
                item,
            });
        }
    }
    out
}

/// Clause-level precision and recall of labeled clauses at threshold `t`.
pub fn precision_recall(scored: &[Scored], t: f32) -> (f64, f64, usize) {
    let labeled = scored.iter().filter(|s| s.source != Source::Documents);
    let (mut tp, mut fp, mut pos) = (0usize, 0usize, 0usize);
    for s in labeled {
        pos += usize::from(s.label.is_some());
        if s.score >= t {
            if s.label.is_some() {
                tp += 1;
            } else {
                fp += 1;
            }
        }
    }
    let p = if tp + fp == 0 {
        1.0
    } else {
        tp as f64 / (tp + fp) as f64
    };
    let r = if pos == 0 {
        1.0
    } else {
        tp as f64 / pos as f64
    };
    (p, r, fp)
}

/// The lowest threshold (0.05–0.95 in steps of 0.01) whose precision reaches
/// `min_precision` and stays within 0.01 of it at every higher threshold.
pub fn lowest_threshold(scored: &[Scored], min_precision: f64) -> f32 {
    let grid: Vec<f32> = (5..=95).map(|i| i as f32 / 100.0).collect();
    let p: Vec<f64> = grid
        .iter()
        .map(|&t| precision_recall(scored, t).0)
        .collect();
    (0..grid.len())
        .find(|&i| p[i] >= min_precision && p[i..].iter().all(|&q| q >= min_precision - 0.01))
        .map_or(0.95, |i| grid[i])
}

/// Share of held-out breaches scoring at least `t` whose reported item is
/// right (any item of the article when the label is a catch-all item), per
/// labeled source: (source, right, breaches).
pub fn item_accuracy(
    scored: &[Scored],
    t: f32,
    catch_all: &[(u8, u8)],
) -> Vec<(Source, usize, usize)> {
    let mut out: Vec<(Source, usize, usize)> = Vec::new();
    for s in scored.iter().filter(|s| s.score >= t) {
        let Some(label) = s.label else { continue };
        let right = crate::eval::item_accepted(s.item, label, catch_all.contains(&label));
        match out.iter_mut().find(|(source, _, _)| *source == s.source) {
            Some((_, r, n)) => {
                *r += usize::from(right);
                *n += 1;
            }
            None => out.push((s.source, usize::from(right), 1)),
        }
    }
    out.sort_by_key(|(source, _, _)| *source);
    out
}
