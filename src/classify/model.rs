//! The fitted classifier: file format, loading and prediction.
//!
//! File layout (`clauses.model`): the 8 bytes `FSCLF01\n`, then one deflate
//! stream holding, little-endian:
//!
//! | field | type |
//! |---|---|
//! | classes `K` | u32, then `K` × (article u8, item u8); class 0 is "none" (0, 0) |
//! | features `F` | u32 |
//! | n-gram keys | `F` × LEB128 varint of the gap to the previous key (keys ascend) |
//! | idf | `F` × f32 |
//! | bias | `K` × f32 |
//! | weight scale | `K` × f32 (one per class) |
//! | weights | `F` × `K` × i16, feature-major; weight = i16 × scale of its class |
//!
//! Weights are quantised to 16 bits per class: the loss is far below what
//! changes a score at two decimals, and it halves the file.

use std::io::{Read, Write};

use super::features::{Vectorizer, key_len, normalize, unpack};

const MAGIC: &[u8; 8] = b"FSCLF01\n";

/// A multinomial linear model over tf-idf n-grams.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// Class `k`'s article and item; class 0 is "no breach".
    pub classes: Vec<(u8, u8)>,
    pub vectorizer: Vectorizer,
    /// `weights[j * classes + k]`.
    pub weights: Vec<f32>,
    pub bias: Vec<f32>,
    /// The weights as the model file stores them, used for every score: half
    /// the memory to read per n-gram, and the same numbers whether the model
    /// was just trained or loaded.
    packed: Packed,
}

/// Weights quantised to 16 bits: weight = `values[j * classes + k]` ×
/// `scales[k]`.
#[derive(Debug, Clone, PartialEq)]
struct Packed {
    scales: Vec<f32>,
    values: Vec<i16>,
}

impl Packed {
    fn of(weights: &[f32], k: usize) -> Packed {
        let scales: Vec<f32> = (0..k)
            .map(|c| {
                let max = weights
                    .iter()
                    .skip(c)
                    .step_by(k)
                    .fold(0.0f32, |m, w| m.max(w.abs()));
                if max > 0.0 {
                    max / i16::MAX as f32
                } else {
                    1.0
                }
            })
            .collect();
        let values = weights
            .iter()
            .enumerate()
            .map(|(i, w)| (w / scales[i % k]).round() as i16)
            .collect();
        Packed { scales, values }
    }
}

/// What the model thinks of one sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// `1 − P(none)`: how likely the sentence breaches some item.
    pub score: f32,
    /// The most likely item (article, item).
    pub item: (u8, u8),
    /// N-grams of two characters or more that push hardest towards the item
    /// (against "none"), strongest first.
    pub evidence: Vec<String>,
}

/// Classes of a model over the 19 items of Articles 8–11 plus "none".
const ITEM_CLASSES: usize = 20;

impl Model {
    pub fn new(
        classes: Vec<(u8, u8)>,
        vectorizer: Vectorizer,
        weights: Vec<f32>,
        bias: Vec<f32>,
    ) -> Model {
        let packed = Packed::of(&weights, classes.len());
        Model {
            classes,
            vectorizer,
            weights,
            bias,
            packed,
        }
    }

    /// Probabilities of every class for a normalised text.
    fn probabilities(&self, chars: &[char]) -> Vec<f32> {
        let k = self.classes.len();
        // The row's norm is known only at the end: scale the sums then.
        // Single precision keeps the per-feature loop vectorised.
        let mut features: Vec<(u32, f32)> = Vec::with_capacity(chars.len() * 2);
        self.vectorizer.visit(chars, |j, x| features.push((j, x)));
        let norm2: f32 = features.iter().map(|&(_, x)| x * x).sum();
        let sums: Vec<f32> = if k == ITEM_CLASSES {
            // The usual shape (19 items + none): a fixed width the compiler
            // turns into a few vector operations per n-gram.
            let mut z = [0f32; ITEM_CLASSES];
            for &(j, x) in &features {
                let q: &[i16; ITEM_CLASSES] = self.packed.values
                    [j as usize * k..(j as usize + 1) * k]
                    .try_into()
                    .expect("rows are ITEM_CLASSES wide");
                for c in 0..ITEM_CLASSES {
                    z[c] += x * f32::from(q[c]);
                }
            }
            z.to_vec()
        } else {
            let mut z = vec![0f32; k];
            for &(j, x) in &features {
                let q = &self.packed.values[j as usize * k..(j as usize + 1) * k];
                for (zc, &qc) in z.iter_mut().zip(q) {
                    *zc += x * f32::from(qc);
                }
            }
            z
        };
        let norm = if norm2 > 0.0 { norm2.sqrt() } else { 1.0 };
        let z: Vec<f64> = sums
            .iter()
            .zip(&self.packed.scales)
            .zip(&self.bias)
            .map(|((&sum, &scale), &b)| (sum * scale / norm + b) as f64)
            .collect();
        let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let exp: Vec<f64> = z.iter().map(|v| (v - max).exp()).collect();
        let sum: f64 = exp.iter().sum();
        exp.iter().map(|e| (e / sum) as f32).collect()
    }

    /// Score and item only (no evidence), for evaluation loops. `catch_all`
    /// lists the articles' "other" items (see [`Model::best_item`]).
    pub fn score(&self, text: &str, catch_all: &[(u8, u8)]) -> (f32, (u8, u8)) {
        self.score_chars(&normalize(text), catch_all)
    }

    /// Like [`Model::score`], for a normalised text.
    pub fn score_chars(&self, chars: &[char], catch_all: &[(u8, u8)]) -> (f32, (u8, u8)) {
        let p = self.probabilities(chars);
        let best = self.best_item(&p, catch_all);
        (1.0 - p[0], self.classes[best])
    }

    /// The item only, for a normalised text.
    pub fn item(&self, chars: &[char], catch_all: &[(u8, u8)]) -> (u8, u8) {
        self.classes[self.best_item(&self.probabilities(chars), catch_all)]
    }

    pub fn predict(&self, text: &str, evidence: usize, catch_all: &[(u8, u8)]) -> Prediction {
        self.predict_at_least(&normalize(text), 0.0, evidence, catch_all)
            .expect("every score reaches 0")
    }

    /// The prediction for a normalised text whose score reaches `threshold`
    /// (evidence is only worked out then: most sentences stop at the score).
    pub fn predict_at_least(
        &self,
        chars: &[char],
        threshold: f32,
        evidence: usize,
        catch_all: &[(u8, u8)],
    ) -> Option<Prediction> {
        let k = self.classes.len();
        let p = self.probabilities(chars);
        let score = 1.0 - p[0];
        if score < threshold {
            return None;
        }
        let best = self.best_item(&p, catch_all);
        let mut pushes: Vec<(f32, u64)> = self
            .vectorizer
            .transform(chars)
            .iter()
            .filter(|&&(j, _)| key_len(self.vectorizer.keys[j as usize]) >= 2)
            .map(|&(j, x)| {
                let w = &self.weights[j as usize * k..(j as usize + 1) * k];
                (x * (w[best] - w[0]), self.vectorizer.keys[j as usize])
            })
            .filter(|&(push, _)| push > 0.0)
            .collect();
        pushes.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        Some(Prediction {
            score,
            item: self.classes[best],
            evidence: distinct_pieces(pushes.into_iter().map(|(_, key)| unpack(key)), evidence),
        })
    }

    /// The class to report: first the article whose items together are the
    /// most likely (its items share wording, so the sum is steadier than any
    /// one item), then that article's most likely specific item. The
    /// catch-all item only counts towards its article: a specific item tells
    /// the reviewer more, and it is reported only when the article has none.
    fn best_item(&self, p: &[f32], catch_all: &[(u8, u8)]) -> usize {
        let article_of = |k: usize| self.classes[k].0;
        let mut sums: Vec<(u8, f32)> = Vec::new();
        for (k, &pk) in p.iter().enumerate().skip(1) {
            match sums.iter_mut().find(|(a, _)| *a == article_of(k)) {
                Some((_, sum)) => *sum += pk,
                None => sums.push((article_of(k), pk)),
            }
        }
        // Ties go to the earlier article and item, as the classes are ordered.
        let article = sums
            .iter()
            .fold(None::<(u8, f32)>, |best, &(a, sum)| match best {
                Some((_, b)) if b >= sum => best,
                _ => Some((a, sum)),
            })
            .map_or(0, |(a, _)| a);
        let most_likely = |specific_only: bool| {
            (1..p.len())
                .filter(|&k| article_of(k) == article)
                .filter(|&k| !specific_only || !catch_all.contains(&self.classes[k]))
                .max_by(|&a, &b| p[a].total_cmp(&p[b]).then(b.cmp(&a)))
        };
        most_likely(true).or(most_likely(false)).unwrap_or(1)
    }

    /// The model as file bytes (weights quantised to 16 bits).
    pub fn to_bytes(&self) -> Vec<u8> {
        let k = self.classes.len();
        let mut p = Vec::new();
        p.extend((k as u32).to_le_bytes());
        for &(a, i) in &self.classes {
            p.extend([a, i]);
        }
        p.extend((self.vectorizer.len() as u32).to_le_bytes());
        let mut previous = 0u64;
        for &key in &self.vectorizer.keys {
            write_varint(&mut p, key - previous);
            previous = key;
        }
        for v in self.vectorizer.idf.iter().chain(&self.bias) {
            p.extend(v.to_le_bytes());
        }
        for s in &self.packed.scales {
            p.extend(s.to_le_bytes());
        }
        for q in &self.packed.values {
            p.extend(q.to_le_bytes());
        }
        let mut out = MAGIC.to_vec();
        let mut z = flate2::write::DeflateEncoder::new(&mut out, flate2::Compression::best());
        z.write_all(&p).expect("writing to memory");
        z.finish().expect("writing to memory");
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Model, String> {
        let body = bytes
            .strip_prefix(MAGIC.as_slice())
            .ok_or("不是 fairscan 模型文件（文件头不符）")?;
        let mut p = Vec::new();
        flate2::read::DeflateDecoder::new(body)
            .read_to_end(&mut p)
            .map_err(|e| format!("模型文件已损坏：{e}"))?;
        let mut r = Reader { bytes: &p, at: 0 };
        let k = r.u32()? as usize;
        let mut classes = Vec::with_capacity(k);
        for _ in 0..k {
            classes.push((r.u8()?, r.u8()?));
        }
        let f = r.u32()? as usize;
        let mut keys = Vec::with_capacity(f);
        let mut key = 0u64;
        for _ in 0..f {
            // Keys strictly ascend: a zero or overflowing gap is a damaged file.
            key = match r.varint()? {
                0 => None,
                gap => key.checked_add(gap),
            }
            .ok_or("模型文件已损坏：特征键不是严格递增的")?;
            keys.push(key);
        }
        let idf = (0..f).map(|_| r.f32()).collect::<Result<Vec<_>, _>>()?;
        let bias = (0..k).map(|_| r.f32()).collect::<Result<Vec<_>, _>>()?;
        let scales = (0..k).map(|_| r.f32()).collect::<Result<Vec<_>, _>>()?;
        let mut weights = Vec::with_capacity(f * k);
        for i in 0..f * k {
            weights.push(r.i16()? as f32 * scales[i % k]);
        }
        if r.at != p.len() || k < 2 || classes[0] != (0, 0) {
            return Err("模型文件已损坏：长度或类别不符".to_string());
        }
        Ok(Model::new(
            classes,
            Vectorizer::new(keys, idf),
            weights,
            bias,
        ))
    }
}

fn write_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let b = self
            .bytes
            .get(self.at..self.at + N)
            .ok_or("模型文件已损坏：内容不完整")?;
        self.at += N;
        Ok(b.try_into().expect("length checked"))
    }
    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take::<1>()?[0])
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.take()?))
    }
    fn i16(&mut self) -> Result<i16, String> {
        Ok(i16::from_le_bytes(self.take()?))
    }
    fn f32(&mut self) -> Result<f32, String> {
        Ok(f32::from_le_bytes(self.take()?))
    }
    fn varint(&mut self) -> Result<u64, String> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            v |= ((b & 0x7f) as u64) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err("模型文件已损坏：编码错误".to_string())
    }
}

/// The first `n` pieces, strongest first, skipping a piece that overlaps one
/// already kept (“则上” after “原则上”): a reviewer reads each once.
fn distinct_pieces(pieces: impl Iterator<Item = String>, n: usize) -> Vec<String> {
    let mut kept: Vec<String> = Vec::with_capacity(n);
    for piece in pieces {
        if kept.len() == n {
            break;
        }
        if !kept
            .iter()
            .any(|k| k.contains(piece.as_str()) || piece.contains(k.as_str()))
        {
            kept.push(piece);
        }
    }
    kept
}

#[cfg(test)]
mod item_tests {
    use super::{Model, Vectorizer};

    fn model(classes: &[(u8, u8)]) -> Model {
        Model::new(
            classes.to_vec(),
            Vectorizer::new(Vec::new(), Vec::new()),
            Vec::new(),
            vec![0.0; classes.len()],
        )
    }

    #[test]
    fn article_is_chosen_by_its_items_together() {
        let m = model(&[(0, 0), (8, 3), (8, 4), (9, 1)]);
        // 9(1) is the strongest single item, but Article 8 is likelier.
        assert_eq!(m.best_item(&[0.1, 0.2, 0.3, 0.4], &[]), 2);
    }

    #[test]
    fn catch_all_item_gives_way_to_a_specific_one() {
        let m = model(&[(0, 0), (8, 4), (8, 5), (9, 1)]);
        assert_eq!(m.best_item(&[0.1, 0.2, 0.4, 0.3], &[(8, 5)]), 1);
        // Without a specific item of the article, the catch-all stands.
        let m = model(&[(0, 0), (8, 5), (9, 1)]);
        assert_eq!(m.best_item(&[0.1, 0.6, 0.3], &[(8, 5)]), 1);
    }
}

#[cfg(test)]
mod evidence_tests {
    use super::distinct_pieces;

    #[test]
    fn evidence_pieces_do_not_repeat_each_other() {
        let pieces = ["原则上", "则上", "不予", "原则", "本地"].map(String::from);
        assert_eq!(
            distinct_pieces(pieces.into_iter(), 3),
            ["原则上", "不予", "本地"]
        );
    }
}
