//! A tantivy tokenizer on the shared jieba [`Segmenter`].
//!
//! It uses the process-wide [`Segmenter::global`] by reference: jieba is built
//! once per process, on first use, and never cloned (a clone costs tens of
//! megabytes and makes query parsing slow). Opening an index does not build
//! it, so a re-scan with nothing to analyse never loads the dictionaries.
//!
//! At index time a long CJK word also yields its two- and three-character
//! parts at the same position, so a two-character query such as 奖励 finds
//! 奖励资金. Queries are cut into whole words only: 奖励资金 in a query
//! matches the indexed word, and a phrase keeps its word order.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::segment::Segmenter;

/// Registered name of the tokenizer in the index.
pub const NAME: &str = "zh";

/// Words longer than this (in chars) are not indexed: no query would name them.
const MAX_WORD_CHARS: usize = 64;

#[derive(Clone)]
pub struct ZhTokenizer {
    parts: bool,
}

impl ZhTokenizer {
    /// Whole words plus their two- and three-character parts (for indexing).
    pub fn for_index() -> ZhTokenizer {
        ZhTokenizer { parts: true }
    }

    /// Whole words only (for queries).
    pub fn for_query() -> ZhTokenizer {
        ZhTokenizer { parts: false }
    }

    /// The tokens of `text`, byte offsets included.
    pub fn tokens(&self, text: &str) -> Vec<Token> {
        // Char offsets from the segmenter to byte offsets for tantivy.
        let mut bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        bytes.push(text.len());
        let byte_at = |c: usize| bytes.get(c).copied().unwrap_or(text.len());
        let mut out = Vec::new();
        let mut position = 0;
        for t in Segmenter::global().tokens(text) {
            let chars = t.end.saturating_sub(t.start);
            if chars == 0 || chars > MAX_WORD_CHARS || !t.word.chars().any(char::is_alphanumeric) {
                continue;
            }
            out.push(token(t.word, byte_at(t.start), byte_at(t.end), position));
            if self.parts && chars >= 3 && t.word.chars().all(is_cjk) {
                for n in [2, 3] {
                    for from in 0..=chars.saturating_sub(n) {
                        if n == chars {
                            continue;
                        }
                        let (a, b) = (byte_at(t.start + from), byte_at(t.start + from + n));
                        if let Some(part) = text.get(a..b) {
                            out.push(token(part, a, b, position));
                        }
                    }
                }
            }
            position += 1;
        }
        out
    }
}

fn token(word: &str, from: usize, to: usize, position: usize) -> Token {
    Token {
        offset_from: from,
        offset_to: to,
        position,
        text: word.to_lowercase(),
        position_length: 1,
    }
}

/// CJK unified ideographs (basic block and extension A).
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

impl Tokenizer for ZhTokenizer {
    type TokenStream<'a> = ZhTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ZhTokenStream {
        ZhTokenStream {
            tokens: self.tokens(text),
            next: 0,
            none: Token::default(),
        }
    }
}

pub struct ZhTokenStream {
    tokens: Vec<Token>,
    next: usize,
    /// Returned if asked for a token before `advance` (a caller error).
    none: Token,
}

impl TokenStream for ZhTokenStream {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        match self.next.checked_sub(1) {
            Some(i) => self.tokens.get(i).unwrap_or(&self.none),
            None => &self.none,
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        match self.next.checked_sub(1) {
            Some(i) => self.tokens.get_mut(i).unwrap_or(&mut self.none),
            None => &mut self.none,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(t: &ZhTokenizer, text: &str) -> Vec<(String, usize)> {
        t.tokens(text)
            .into_iter()
            .map(|t| (t.text, t.position))
            .collect()
    }

    #[test]
    fn index_tokens_carry_parts_of_long_words_at_the_same_position() {
        let text = "给予奖励资金，Ｗ公司";
        let tokens = ZhTokenizer::for_index().tokens(text);
        for t in &tokens {
            assert_eq!(&text[t.offset_from..t.offset_to].to_lowercase(), &t.text);
        }
        let query = words(&ZhTokenizer::for_query(), "奖励资金");
        assert!(!query.iter().any(|(w, _)| w == "奖励") || query.len() > 1);
        let indexed = words(&ZhTokenizer::for_index(), text);
        let reward = indexed.iter().find(|(w, _)| w == "奖励").unwrap();
        assert!(
            indexed.iter().all(|(w, _)| w != "，"),
            "punctuation dropped"
        );
        assert!(reward.1 >= 1);
    }

    #[test]
    fn empty_and_odd_text_gives_no_tokens_and_no_panic() {
        let t = ZhTokenizer::for_index();
        assert!(t.tokens("").is_empty());
        assert!(t.tokens("，。！？  \n").is_empty());
        let mut stream = ZhTokenizer::for_index();
        let mut s = stream.token_stream("");
        assert!(!s.advance());
    }
}
