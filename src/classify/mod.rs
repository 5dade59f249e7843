//! A learned second opinion next to the rule packs: a multinomial logistic
//! regression over character 1–3-grams, trained on labeled clauses, rule
//! examples and ordinary document sentences. It only looks at sentences the
//! rules did not report, and only ever reports a suggestion to verify.

pub mod cv;
pub mod dataset;
pub mod features;
pub mod model;
pub mod opinion;
pub mod train;

use std::sync::OnceLock;

pub use model::{Model, Prediction};
pub use opinion::{RULE_ID, SecondOpinion, Settings};

use dataset::Example;
use features::{Vectorizer, normalize};

/// Where the embedded model and its settings live under `dictionaries/`.
pub const MODEL_FILE: &str = "model/clauses.model";
pub const SETTINGS_FILE: &str = "model/model.toml";

/// N-grams must occur in at least this many training texts: the others only
/// memorise one text, and dropping them keeps the file small.
pub const MIN_DF: usize = 2;

/// The model classes: "none", then every item of the standards in order.
pub fn classes(standards: &crate::rules::Standards) -> Vec<(u8, u8)> {
    let mut items: Vec<(u8, u8)> = standards.item.iter().map(|i| (i.article, i.item)).collect();
    items.sort_unstable();
    std::iter::once((0, 0)).chain(items).collect()
}

/// The articles' catch-all ("其他…") items, which the model reports only
/// when no specific item of the article is more likely.
pub fn catch_all_items(standards: &crate::rules::Standards) -> Vec<(u8, u8)> {
    standards
        .item
        .iter()
        .filter(|i| i.catch_all)
        .map(|i| (i.article, i.item))
        .collect()
}

/// Fits a model on `examples`.
pub fn fit(examples: &[Example], classes: &[(u8, u8)], settings: train::Settings) -> Model {
    let texts: Vec<Vec<char>> = examples.iter().map(|e| normalize(&e.text)).collect();
    let vectorizer = Vectorizer::fit(&texts, MIN_DF);
    let rows: Vec<_> = texts.iter().map(|t| vectorizer.transform(t)).collect();
    let labels: Vec<usize> = examples
        .iter()
        .map(|e| {
            let class = e.label.unwrap_or((0, 0));
            classes.iter().position(|&c| c == class).unwrap_or(0)
        })
        .collect();
    let fitted = train::fit(&rows, &labels, vectorizer.len(), classes.len(), settings);
    Model::new(classes.to_vec(), vectorizer, fitted.weights, fitted.bias)
}

/// The model and settings built into the binary, parsed once.
pub fn embedded(dir: &include_dir::Dir<'static>) -> Option<&'static SecondOpinion> {
    static OPINION: OnceLock<Option<SecondOpinion>> = OnceLock::new();
    OPINION
        .get_or_init(|| {
            let model = Model::from_bytes(dir.get_file(MODEL_FILE)?.contents()).ok()?;
            let settings = toml::from_str(dir.get_file(SETTINGS_FILE)?.contents_utf8()?).ok()?;
            Some(SecondOpinion { model, settings })
        })
        .as_ref()
}

#[cfg(test)]
mod tests;
