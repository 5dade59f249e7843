//! Text features: character 1–3-grams weighted by tf-idf.
//!
//! A text is normalised (NFKC, lower case, whitespace removed) and cut into
//! every n-gram of one to three characters. The vocabulary keeps each n-gram
//! packed into a `u64` key (21 bits per character, plus one so that shorter
//! n-grams never collide with longer ones); a text's known n-grams are found
//! by walking, from every character, the prefixes of the vocabulary.

use rustc_hash::FxHashMap;
use unicode_normalization::UnicodeNormalization;

/// Longest n-gram, in characters.
pub const MAX_N: usize = 3;

const CHAR_BITS: u32 = 21;
const CHAR_MASK: u64 = (1 << CHAR_BITS) - 1;

/// The CJK Unified Ideographs block, U+4E00–U+9FFF.
const FIRST_IDEOGRAPH: usize = 0x4E00;
const IDEOGRAPHS: usize = 0x9FFF - 0x4E00 + 1;

/// NFKC, lower case, no whitespace: full-width and half-width forms, spacing
/// and letter case of one clause all read the same.
pub fn normalize(text: &str) -> Vec<char> {
    // A CJK ideograph is its own normal form, has no case and can neither
    // compose with a neighbour nor let its neighbours compose across it, so
    // only the stretches between ideographs need the normaliser.
    let mut out = Vec::with_capacity(text.len() / 3 + 1);
    let mut run_start = 0;
    for (at, c) in text.char_indices() {
        if is_ideograph(c) {
            normalize_run(&text[run_start..at], &mut out);
            out.push(c);
            run_start = at + c.len_utf8();
        }
    }
    normalize_run(&text[run_start..], &mut out);
    out
}

fn is_ideograph(c: char) -> bool {
    (c as usize).wrapping_sub(FIRST_IDEOGRAPH) < IDEOGRAPHS
}

fn normalize_run(run: &str, out: &mut Vec<char>) {
    out.extend(
        run.nfkc()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase),
    );
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
    prefixes: Prefixes,
}

/// Marks a prefix of some n-gram that is not itself in the vocabulary.
const PREFIX_ONLY: u32 = u32::MAX - 1;
/// Marks a string that begins no n-gram of the vocabulary.
const ABSENT: u32 = u32::MAX;
/// Characters below this code point are looked up in a flat table.
const TABLE_CHARS: usize = 0x10000;

/// Every prefix of every vocabulary n-gram, with the n-gram's feature index
/// where the prefix is one: from each character of a text, the walk stops at
/// the first string no n-gram begins with, so most lookups end early.
#[derive(Debug, Clone, PartialEq)]
struct Prefixes {
    map: FxHashMap<u64, u32>,
    /// One-character prefixes in the Basic Multilingual Plane (nearly every
    /// character of a Chinese text), indexed by code point; empty for an
    /// empty vocabulary.
    table: Vec<u32>,
}

impl Prefixes {
    fn new(keys: &[u64]) -> Prefixes {
        let mut map = FxHashMap::default();
        for (j, &key) in keys.iter().enumerate() {
            map.insert(key, j as u32);
            let mut prefix = key >> CHAR_BITS;
            while prefix != 0 {
                map.entry(prefix).or_insert(PREFIX_ONLY);
                prefix >>= CHAR_BITS;
            }
        }
        let mut table = Vec::new();
        if !keys.is_empty() {
            table = vec![ABSENT; TABLE_CHARS];
            for (code, slot) in table.iter_mut().enumerate() {
                if let Some(&v) = map.get(&(code as u64 + 1)) {
                    *slot = v;
                }
            }
        }
        Prefixes { map, table }
    }

    fn first(&self, c: char) -> u32 {
        match self.table.get(c as usize) {
            Some(&v) => v,
            None if self.table.is_empty() => ABSENT,
            None => self.get(pack(&[c])),
        }
    }

    fn get(&self, key: u64) -> u32 {
        self.map.get(&key).copied().unwrap_or(ABSENT)
    }

    /// Features of the one-, two- and three-character n-grams starting at
    /// `chars[i]` (`ABSENT` or `PREFIX_ONLY` where there is none).
    fn starting_at(&self, chars: &[char], i: usize) -> [u32; 3] {
        let mut out = [ABSENT; 3];
        out[0] = self.first(chars[i]);
        let mut key = chars[i] as u64 + 1;
        for n in 1..MAX_N.min(chars.len() - i) {
            if out[n - 1] == ABSENT {
                break;
            }
            key = (key << CHAR_BITS) | (chars[i + n] as u64 + 1);
            out[n] = self.get(key);
        }
        out
    }
}

fn is_feature(v: u32) -> bool {
    v < PREFIX_ONLY
}

/// One text as (feature index, value) pairs, sorted by index.
pub type SparseRow = Vec<(u32, f32)>;

thread_local! {
    /// Per-feature counts while one text is transformed; all zero between texts.
    // 16-bit counts keep the table small enough to stay in the nearest cache;
    // a count saturates only in texts far longer than any clause.
    static COUNTS: std::cell::RefCell<Vec<u16>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl Vectorizer {
    pub fn new(keys: Vec<u64>, idf: Vec<f32>) -> Vectorizer {
        let prefixes = Prefixes::new(&keys);
        Vectorizer {
            keys,
            idf,
            prefixes,
        }
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
        let mut row: SparseRow = Vec::with_capacity(chars.len() * MAX_N);
        self.visit(chars, |j, v| row.push((j, v)));
        row.sort_unstable_by_key(|&(j, _)| j);
        let norm = row.iter().map(|&(_, v)| v * v).sum::<f32>().sqrt();
        if norm > 0.0 {
            for (_, v) in &mut row {
                *v /= norm;
            }
        }
        row
    }

    /// Calls `f(feature, tf-idf)` once for every known n-gram of `chars`,
    /// in order of first occurrence (by end, longest first), before the row
    /// is normalised.
    pub fn visit(&self, chars: &[char], mut f: impl FnMut(u32, f32)) {
        COUNTS.with(|counts| {
            let mut counts = counts.borrow_mut();
            if counts.len() < self.keys.len() {
                counts.resize(self.keys.len(), 0);
            }
            let mut known: Vec<u32> = Vec::with_capacity(chars.len() * MAX_N);
            let mut count = |j: u32| {
                if counts[j as usize] == 0 {
                    known.push(j);
                }
                counts[j as usize] = counts[j as usize].saturating_add(1);
            };
            // The n-grams ending at character `i`, longest first: the
            // trigram that began two characters back, the bigram that began
            // one back, the character itself.
            let (mut trigram_2, mut trigram_1, mut bigram_1) = (ABSENT, ABSENT, ABSENT);
            for i in 0..chars.len() {
                let [one, two, three] = self.prefixes.starting_at(chars, i);
                for j in [trigram_2, bigram_1, one] {
                    if is_feature(j) {
                        count(j);
                    }
                }
                (trigram_2, trigram_1, bigram_1) = (trigram_1, three, two);
            }
            for &j in &known {
                let tf = std::mem::take(&mut counts[j as usize]);
                f(j, (1.0 + (tf as f32).ln()) * self.idf[j as usize]);
            }
        })
    }
}
