//! One `re:` term, searched from where its matches can begin.
//!
//! Most patterns begin with one of a few literals (`(本地|本市)…`). Instead of
//! scanning a stretch forwards for a match's end and then backwards for its
//! start, such a pattern is tried anchored at each place one of those
//! literals begins: the DFA walks only as far as the pattern can reach from
//! there, and no reverse scan is needed. Matches are the same as an
//! unanchored leftmost-first search, because every match starts at such a
//! place and the places are tried left to right.

use aho_corasick::{AhoCorasick, MatchKind};
use regex_automata::meta::Regex;
use regex_automata::{Anchored, Input};
use regex_syntax::hir::literal::{ExtractKind, Extractor};

#[derive(Debug)]
pub struct Pattern {
    source: String,
    re: Regex,
    /// Literals every match begins with; `None` when they cannot be listed.
    starts: Option<AhoCorasick>,
}

impl Pattern {
    pub fn new(pattern: &str) -> Result<Pattern, String> {
        let re = Regex::new(pattern).map_err(|e| e.to_string())?;
        let starts = match_starts(pattern).and_then(|lits| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostFirst)
                .build(lits)
                .ok()
        });
        Ok(Pattern {
            source: pattern.to_string(),
            re,
            starts,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Calls `found(start, end)` for each leftmost-first, non-overlapping,
    /// non-empty match in `hay`, in order (byte offsets into `hay`).
    pub fn each_match(&self, hay: &str, mut found: impl FnMut(usize, usize)) {
        let Some(starts) = &self.starts else {
            for m in self.re.find_iter(hay) {
                if m.start() < m.end() {
                    found(m.start(), m.end());
                }
            }
            return;
        };
        let mut from = 0;
        while from < hay.len() {
            let Some(at) = starts
                .find(aho_corasick::Input::new(hay).range(from..))
                .map(|m| m.start())
            else {
                return;
            };
            let input = Input::new(hay).range(at..).anchored(Anchored::Yes);
            match self.re.search(&input) {
                Some(m) if m.end() > at => {
                    found(at, m.end());
                    from = m.end();
                }
                // Another start may begin inside this one's first character.
                _ => from = at + hay[at..].chars().next().map_or(1, char::len_utf8),
            }
        }
    }
}

/// The literals every match of `pattern` begins with, when there are finitely
/// many and none is empty.
fn match_starts(pattern: &str) -> Option<Vec<String>> {
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
    let literals = seq.literals()?;
    if literals.is_empty() {
        return None;
    }
    literals
        .iter()
        .map(|l| {
            std::str::from_utf8(l.as_bytes())
                .ok()
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(p: &Pattern, hay: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        p.each_match(hay, |s, e| out.push((s, e)));
        out
    }

    #[test]
    fn anchored_tries_find_what_an_unanchored_search_finds() {
        let patterns = [
            "(本地|本市|本地区)[^，。；]{0,8}?(企业|供应商)",
            "(县级|级市)[^，。]{0,4}单位",
            "前[0-9一二三四五六七八九十百]{1,3}(名|位|强)",
            "[\\p{Han}]{2,6}(有限公司|集团公司)",
            "(不得|禁止)[^，。；]{0,10}?(限定|指定)",
        ];
        let texts = [
            "对本地区注册的本地企业，本市供应商优先；本市本地企业。",
            "县级市所属单位和县级单位，级市单位。",
            "排名前十名、前3强和前百位的企业，前后。",
            "由某某环卫科技有限公司和甲乙集团公司承担。",
            "不得限定，禁止在本地指定，不得。",
        ];
        for pattern in patterns {
            let p = Pattern::new(pattern).unwrap();
            let plain = regex::Regex::new(pattern).unwrap();
            for text in texts {
                let expected: Vec<(usize, usize)> = plain
                    .find_iter(text)
                    .map(|m| (m.start(), m.end()))
                    .collect();
                assert_eq!(all(&p, text), expected, "{pattern} on {text}");
            }
        }
    }

    #[test]
    fn patterns_with_a_leading_class_of_many_characters_scan_instead() {
        assert!(match_starts("[\\p{Han}]{2,6}公司").is_none());
        assert_eq!(
            match_starts("(本地|本市)企业").unwrap(),
            ["本地企业", "本市企业"]
        );
    }
}
