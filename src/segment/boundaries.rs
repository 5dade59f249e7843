//! Word boundaries of a whole document, kept compactly for the rules.
//!
//! Rules find candidate terms with a scan over the whole text and keep a match
//! only where it starts and ends on word boundaries, so 本地 is never found in
//! 日本地区. One `u32` per word keeps a 50 MB document's index small.

use super::Segmenter;

/// Longest piece handed to jieba at once; longer sentences (hostile one-line
/// files) are cut at this many characters so memory stays bounded.
const MAX_PIECE_CHARS: usize = 2048;

#[derive(Debug, Clone, Default)]
pub struct WordBoundaries {
    /// Sorted Unicode-scalar offsets where a word starts or ends.
    offsets: Vec<u32>,
}

impl WordBoundaries {
    /// Segments one sentence starting at character `start` of the document.
    /// The rules segment only sentences where a term was found.
    pub fn of_sentence(seg: &Segmenter, text: &str, start: usize) -> WordBoundaries {
        let mut offsets = sentence_offsets(seg, text, start);
        offsets.dedup();
        WordBoundaries { offsets }
    }

    pub fn is_boundary(&self, offset: usize) -> bool {
        self.offsets.binary_search(&(offset as u32)).is_ok()
    }

    /// True when a boundary lies strictly inside `start..end`.
    pub fn any_between(&self, start: usize, end: usize) -> bool {
        let i = self.offsets.partition_point(|&o| o as usize <= start);
        self.offsets.get(i).is_some_and(|&o| (o as usize) < end)
    }

    /// True when `start..end` begins and ends on word boundaries.
    pub fn is_whole(&self, start: usize, end: usize) -> bool {
        self.is_boundary(start) && self.is_boundary(end)
    }

    pub fn len(&self) -> usize {
        self.offsets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.offsets.is_empty()
    }
}

fn sentence_offsets(seg: &Segmenter, text: &str, start: usize) -> Vec<u32> {
    let mut offsets = vec![start as u32];
    let mut base = start;
    for piece in pieces(text) {
        for t in seg.tokens(piece) {
            offsets.push((base + t.start) as u32);
        }
        base += piece.chars().count();
        offsets.push(base as u32);
    }
    offsets
}

/// Splits text into pieces of at most `MAX_PIECE_CHARS` characters.
fn pieces(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let cut = rest
            .char_indices()
            .nth(MAX_PIECE_CHARS)
            .map_or(rest.len(), |(i, _)| i);
        let (head, tail) = rest.split_at(cut);
        rest = tail;
        Some(head)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;
    use crate::extract::{BlockKind, text::TextBuilder};

    #[test]
    fn substrings_across_words_are_not_whole() {
        let mut b = TextBuilder::new();
        b.push(
            BlockKind::Paragraph,
            "日本地区的企业。对本地注册企业给予奖励。",
            None,
            None,
        );
        let doc = Document::from_extracted(b.finish());
        let mut offsets = Vec::new();
        for s in &doc.sentences {
            let w = WordBoundaries::of_sentence(Segmenter::global(), doc.sentence_text(s), s.start);
            offsets.extend(w.offsets);
        }
        let wb = WordBoundaries { offsets };
        // 本地 inside 日本地区 (chars 1..3) is not a word.
        assert!(!wb.is_whole(1, 3));
        // 本地注册 (chars 9..13) is.
        let text: Vec<char> = doc.text.chars().collect();
        let at = text.iter().collect::<String>().find("本地注册").unwrap();
        let start = doc.text[..at].chars().count();
        assert!(wb.is_whole(start, start + 4));
    }

    #[test]
    fn long_sentences_are_cut_into_bounded_pieces() {
        let long = "甲".repeat(5000);
        let lens: Vec<usize> = pieces(&long).map(|p| p.chars().count()).collect();
        assert_eq!(lens, [2048, 2048, 904]);
    }
}
