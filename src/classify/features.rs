//! Text features: character 1–3-grams weighted by tf-idf.
//!
//! A text is normalised (NFKC, lower case, whitespace removed) and cut into
//! every n-gram of one to three characters. Each n-gram is packed into a
//! `u64` key (21 bits per character, plus one so that shorter n-grams never
//! collide with longer ones), so no n-gram is ever allocated as a string.

use rustc_hash::FxHashMap;
use unicode_normalization::UnicodeNormalization;

/// Longest n-gram, in characters.
pub const MAX_N: usize = 3;

const CHAR_BITS: u32 = 21;
const CHAR_MASK: u64 = (1 << CHAR_BITS) - 1;

/// NFKC, lower case, no whitespace: full-width and half-width forms, spacing
/// and letter case of one clause all read the same.
pub fn normalize(text: &str) -> Vec<char> {
    text.nfkc()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The key of the n-gram `chars` (one to three characters).
pub fn pack(chars: &[char]) -> u64 {
    debug_assert!((1..=MAX_N).contains(&chars.len()));
    chars
        .iter()
        .fold(0u64, |key, &c| (key << CHAR_BITS) | (c as u64 + 1))
}

/// The n-gram a key stands for.
pub fn unpack(mut key: u64) -> String {
    let mut chars = Vec::with_capacity(MAX_N);
    while key != 0 {
        let code = (key & CHAR_MASK) - 1;
        chars.push(char::from_u32(code as u32).unwrap_or('\u{FFFD}'));
        key >>= CHAR_BITS;
    }
    chars.iter().rev().collect()
}

/// Characters in the n-gram a key stands for.
pub fn key_len(mut key: u64) -> usize {
    let mut n = 0;
    while key != 0 {
        n += 1;
        key >>= CHAR_BITS;
    }
    n
}

/// Raw counts of every n-gram of a normalised text.
pub fn count_ngrams(chars: &[char]) -> FxHashMap<u64, u32> {
    let mut counts = FxHashMap::default();
    counts.reserve(chars.len() * MAX_N);
    for i in 0..chars.len() {
        for n in 1..=MAX_N.min(chars.len() - i) {
            *counts.entry(pack(&chars[i..i + n])).or_insert(0) += 1;
        }
    }
    counts
}

/// Smoothed inverse document frequency: `ln((1 + docs) / (1 + df)) + 1`.
pub fn smooth_idf(docs: usize, df: usize) -> f32 {
    (((1 + docs) as f64 / (1 + df) as f64).ln() + 1.0) as f32
}

/// Vocabulary and idf: maps a text to a sparse, l2-normalised tf-idf row.
#[derive(Debug, Clone, PartialEq)]
pub struct Vectorizer {
    /// N-gram keys in ascending order; a feature's index is its position.
    pub keys: Vec<u64>,
    pub idf: Vec<f32>,
    index: FxHashMap<u64, u32>,
}

/// One text as (feature index, value) pairs, sorted by index.
pub type SparseRow = Vec<(u32, f32)>;

impl Vectorizer {
    pub fn new(keys: Vec<u64>, idf: Vec<f32>) -> Vectorizer {
        let index = keys
            .iter()
            .enumerate()
            .map(|(i, &k)| (k, i as u32))
            .collect();
        Vectorizer { keys, idf, index }
    }

    /// Learns the vocabulary of `texts`: every n-gram occurring in at least
    /// `min_df` of them.
    pub fn fit(texts: &[Vec<char>], min_df: usize) -> Vectorizer {
        let mut df: FxHashMap<u64, u32> = FxHashMap::default();
        for t in texts {
            for key in count_ngrams(t).into_keys() {
                *df.entry(key).or_insert(0) += 1;
            }
        }
        let mut kept: Vec<(u64, u32)> = df
            .into_iter()
            .filter(|&(_, d)| d as usize >= min_df)
            .collect();
        kept.sort_unstable();
        let idf = kept
            .iter()
            .map(|&(_, d)| smooth_idf(texts.len(), d as usize))
            .collect();
        Vectorizer::new(kept.into_iter().map(|(k, _)| k).collect(), idf)
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Sublinear tf (`1 + ln tf`) times idf, scaled to unit l2 norm.
    /// N-grams outside the vocabulary are ignored.
    pub fn transform(&self, chars: &[char]) -> SparseRow {
        // Known n-grams as feature indices; sorting groups repeats, so
        // counting needs no map of its own.
        let mut seen: Vec<u32> = Vec::with_capacity(chars.len() * MAX_N);
        for i in 0..chars.len() {
            for n in 1..=MAX_N.min(chars.len() - i) {
                if let Some(&j) = self.index.get(&pack(&chars[i..i + n])) {
                    seen.push(j);
                }
            }
        }
        seen.sort_unstable();
        let mut row: SparseRow = Vec::with_capacity(seen.len());
        for run in seen.chunk_by(|a, b| a == b) {
            let j = run[0];
            row.push((j, (1.0 + (run.len() as f32).ln()) * self.idf[j as usize]));
        }
        let norm = row.iter().map(|&(_, v)| v * v).sum::<f32>().sqrt();
        if norm > 0.0 {
            for (_, v) in &mut row {
                *v /= norm;
            }
        }
        row
    }
}
