//! A char-wise double-array Aho–Corasick automaton over a list of strings:
//! one transition per character rather than per byte, which suits Chinese
//! text. Rule terms and the second opinion's n-grams are both found with it.

use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder};

#[derive(Clone, PartialEq)]
pub struct Automaton(CharwiseDoubleArrayAhoCorasick<u32>);

impl Automaton {
    /// An automaton in which pattern `i` of `patterns` reports `i`.
    pub fn new<I, P>(patterns: I) -> Result<Automaton, String>
    where
        I: IntoIterator<Item = P>,
        P: AsRef<str>,
    {
        CharwiseDoubleArrayAhoCorasickBuilder::new()
            .build_with_values(patterns.into_iter().enumerate().map(|(i, p)| (p, i as u32)))
            .map(Automaton)
            .map_err(|e| e.to_string())
    }

    /// Every occurrence of every pattern, overlaps included, in order of
    /// their end: (start byte, end byte, pattern index).
    pub fn overlapping<'a>(
        &'a self,
        text: &'a str,
    ) -> impl Iterator<Item = (usize, usize, u32)> + 'a {
        self.0
            .find_overlapping_iter(text)
            .map(|m| (m.start(), m.end(), m.value()))
    }
}

impl std::fmt::Debug for Automaton {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Automaton({} states)", self.0.num_states())
    }
}
