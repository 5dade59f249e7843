//! Chinese word segmentation (jieba-rs) with the domain dictionary.
//!
//! Rules match words, not substrings: 本地 must not be found inside 日本地区, nor 唯一
//! inside 统一社会信用代码. The domain dictionary (`dictionaries/jieba/fairscan.dict`)
//! keeps the review vocabulary (先征后返, 名录库, 特许经营权 …) whole, so a rule sees the
//! term a drafter wrote rather than its fragments.

mod boundaries;

pub use boundaries::WordBoundaries;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use jieba_rs::Jieba;

/// The domain dictionary, `word freq tag` per line. jieba's loader has no comment
/// syntax, so neither has this file.
pub(crate) const DOMAIN_DICT: &str = include_str!("../../dictionaries/jieba/fairscan.dict");

/// HMM stays off. On policy text HMM only changed runs the dictionaries do not know,
/// and mostly for the worse: it glued function characters to their neighbours
/// (按本|办法, 由市, 对市, 经市, 局将), which are exactly the boundaries rules on 本市 or
/// 本办法 depend on; every domain term stayed whole either way. Speed was equal within
/// noise (about 140 MB/s on one core either way, 20 MB of policy text). Without HMM
/// the tokens follow from the dictionaries alone, so a reviewer's word list changes
/// results predictably.
const HMM: bool = false;

/// Largest user dictionary accepted; jieba's own dictionary is about 5 MB.
const MAX_USER_DICT_BYTES: u64 = 32 * 1024 * 1024;

/// Largest frequency accepted, so that summing frequencies can never overflow.
const MAX_FREQ: usize = 1_000_000_000;

/// Why a user dictionary could not be loaded. Messages name the file and, where
/// there is one, the line.
#[derive(Debug, thiserror::Error)]
pub enum SegmentError {
    #[error("无法读取用户词典 {}：{source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("用户词典 {} 过大（上限 {MAX_USER_DICT_BYTES} 字节）", path.display())]
    TooLarge { path: PathBuf },
    #[error("用户词典 {} 第 {line} 行不是 UTF-8 编码，请将文件另存为 UTF-8", path.display())]
    NotUtf8 { path: PathBuf, line: usize },
    #[error("用户词典 {} 第 {line} 行：{reason}", path.display())]
    Entry {
        path: PathBuf,
        line: usize,
        reason: String,
    },
    #[error("用户词典 {} 中含标点的词条无法编译：{reason}", path.display())]
    Matcher { path: PathBuf, reason: String },
}

/// A word of the input with its Unicode-scalar (char) offsets, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Token<'a> {
    pub word: &'a str,
    pub start: usize,
    pub end: usize,
}

/// jieba plus the terms it cannot keep whole by itself.
///
/// jieba only forms words inside runs of CJK, ASCII alphanumerics and `+#&._%-`, so a
/// term such as 首台（套） is always cut at its brackets. Such terms are matched on the
/// text instead and the tokens they span are merged.
///
/// Not `Clone` on purpose: one jieba instance costs tens of megabytes. Share
/// [`Segmenter::global`] or one instance behind a reference.
#[derive(Debug)]
pub struct Segmenter {
    jieba: Jieba,
    joined: Option<AhoCorasick>,
}

impl Segmenter {
    /// The shared instance: jieba's default dictionary plus the domain dictionary,
    /// built on first use.
    pub fn global() -> &'static Segmenter {
        static GLOBAL: OnceLock<Segmenter> = OnceLock::new();
        GLOBAL.get_or_init(|| {
            let builder = Builder::with_domain_dict();
            // Only a matcher over a handful of embedded terms is built here; it cannot
            // exceed aho-corasick's limits, and the tests build it too.
            let joined = builder.matcher().ok().flatten();
            Segmenter {
                jieba: builder.jieba,
                joined,
            }
        })
    }

    /// A segmenter with reviewers' own word lists (same `word [freq] [tag]` format)
    /// loaded after the domain dictionary, in order; a later entry overrides the
    /// frequency of an earlier one.
    pub fn with_user_dicts(paths: &[PathBuf]) -> Result<Segmenter, SegmentError> {
        let mut builder = Builder::with_domain_dict();
        for path in paths {
            let text = read_user_dict(path)?;
            builder
                .load(&text)
                .map_err(|(line, reason)| SegmentError::Entry {
                    path: path.clone(),
                    line,
                    reason,
                })?;
        }
        let joined = builder.matcher().map_err(|reason| SegmentError::Matcher {
            path: paths.last().cloned().unwrap_or_default(),
            reason,
        })?;
        Ok(Segmenter {
            jieba: builder.jieba,
            joined,
        })
    }

    /// The words of `text` in order; together they cover the whole text (spaces and
    /// punctuation become tokens of their own).
    pub fn tokens<'a>(&self, text: &'a str) -> Vec<Token<'a>> {
        let raw = self.jieba.cut(text, HMM);
        match &self.joined {
            Some(matcher) if matcher.is_match(text) => join_terms(text, &raw, matcher),
            _ => raw
                .into_iter()
                .map(|t| Token {
                    word: t.word,
                    start: t.start,
                    end: t.end,
                })
                .collect(),
        }
    }

    /// The words of `text` without offsets.
    pub fn cut<'a>(&self, text: &'a str) -> Vec<&'a str> {
        self.tokens(text).into_iter().map(|t| t.word).collect()
    }
}

/// Accumulates dictionary entries before the matcher is built.
struct Builder {
    jieba: Jieba,
    /// Terms jieba cannot produce as one token (see [`Segmenter`]).
    joined: Vec<String>,
}

impl Builder {
    fn with_domain_dict() -> Builder {
        let mut builder = Builder {
            jieba: Jieba::new(),
            joined: Vec::new(),
        };
        // The embedded file is checked line by line in the tests, so an error here
        // cannot happen in a build that passed them; a bad line would only be skipped.
        for line in DOMAIN_DICT.lines() {
            if let Ok(Some(entry)) = parse_entry(line) {
                builder.add(entry);
            }
        }
        builder
    }

    /// Loads one dictionary text, stopping at the first bad line (1-based number).
    fn load(&mut self, text: &str) -> Result<(), (usize, String)> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        for (index, line) in text.lines().enumerate() {
            if let Some(entry) = parse_entry(line).map_err(|reason| (index + 1, reason))? {
                self.add(entry);
            }
        }
        Ok(())
    }

    fn add(&mut self, entry: Entry<'_>) {
        if entry.word.chars().all(jieba_word_char) {
            self.jieba.add_word(entry.word, entry.freq, entry.tag);
        } else if !self.joined.iter().any(|w| w == entry.word) {
            self.joined.push(entry.word.to_owned());
        }
    }

    fn matcher(&self) -> Result<Option<AhoCorasick>, String> {
        if self.joined.is_empty() {
            return Ok(None);
        }
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&self.joined)
            .map(Some)
            .map_err(|e| e.to_string())
    }
}

/// Characters jieba (like Python jieba's `re_han_default`) lets into a word: CJK
/// ideographs, ASCII letters and digits, and `+#&._%-`. Anything else splits a block.
fn jieba_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || matches!(c, '+' | '#' | '&' | '.' | '_' | '%' | '-');
    }
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2A6DF}'
        | '\u{2A700}'..='\u{2EBEF}'
        | '\u{2F800}'..='\u{2FA1F}'
    )
}

/// Rewrites jieba's tokens so that every match of a joined term is one token. jieba's
/// tokens cover the text without gaps, so char offsets are recounted as we go; a token
/// that straddles a match edge is cut there.
fn join_terms<'a>(
    text: &'a str,
    raw: &[jieba_rs::Token<'a>],
    matcher: &AhoCorasick,
) -> Vec<Token<'a>> {
    let mut out = TokenSink {
        text,
        tokens: Vec::with_capacity(raw.len()),
        chars: 0,
    };
    let mut matches = matcher.find_iter(text).peekable();
    for token in raw {
        let mut piece_start = token.byte_start;
        let piece_end = token.byte_end;
        while let Some(m) = matches.peek() {
            if piece_end <= m.start() {
                break;
            }
            if piece_start < m.start() {
                out.push(piece_start, m.start());
            }
            if piece_end < m.end() {
                // This token lies inside the match; the match is emitted by the
                // token that reaches its end.
                piece_start = piece_end;
                break;
            }
            out.push(m.start(), m.end());
            piece_start = m.end();
            matches.next();
        }
        out.push(piece_start, piece_end);
    }
    out.tokens
}

/// Emits tokens by byte range, keeping the running char offset.
struct TokenSink<'a> {
    text: &'a str,
    tokens: Vec<Token<'a>>,
    chars: usize,
}

impl<'a> TokenSink<'a> {
    fn push(&mut self, byte_start: usize, byte_end: usize) {
        let Some(word) = self.text.get(byte_start..byte_end) else {
            return;
        };
        if word.is_empty() {
            return;
        }
        let start = self.chars;
        self.chars += word.chars().count();
        self.tokens.push(Token {
            word,
            start,
            end: self.chars,
        });
    }
}

/// One dictionary line: `word [freq] [tag]`, separated by whitespace (jieba's format;
/// a missing frequency is chosen by jieba so that the word is just kept whole).
#[derive(Debug, PartialEq, Eq)]
struct Entry<'a> {
    word: &'a str,
    freq: Option<usize>,
    tag: Option<&'a str>,
}

/// Parses one line; `Ok(None)` for a blank one. The error is a reason in Chinese.
fn parse_entry(line: &str) -> Result<Option<Entry<'_>>, String> {
    let mut fields = line.split_whitespace();
    let Some(word) = fields.next() else {
        return Ok(None);
    };
    let second = fields.next();
    let third = fields.next();
    if fields.next().is_some() {
        return Err("字段过多：每行应为“词语 词频 词性”，词语中不能含空格".to_owned());
    }
    let (freq, tag) = match (second, third) {
        (None, _) => (None, None),
        (Some(freq), tag) if freq.bytes().all(|b| b.is_ascii_digit()) => {
            (Some(parse_freq(freq)?), tag)
        }
        (Some(tag), None) if is_tag(tag) => (None, Some(tag)),
        (Some(freq), _) => return Err(format!("词频“{freq}”不是非负整数")),
    };
    if let Some(tag) = tag
        && !is_tag(tag)
    {
        return Err(format!(
            "词性“{tag}”无效，应为英文字母开头的标记，如 n、nz、v"
        ));
    }
    Ok(Some(Entry { word, freq, tag }))
}

fn parse_freq(field: &str) -> Result<usize, String> {
    match field.parse::<usize>() {
        Ok(freq) if freq <= MAX_FREQ => Ok(freq),
        _ => Err(format!("词频“{field}”过大，上限为 {MAX_FREQ}")),
    }
}

fn is_tag(field: &str) -> bool {
    let mut chars = field.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && field.len() <= 16
}

/// Reads a user dictionary as UTF-8 (a BOM is allowed), bounded in size.
fn read_user_dict(path: &Path) -> Result<String, SegmentError> {
    let io_error = |source| SegmentError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io_error)?;
    let mut bytes = Vec::new();
    file.take(MAX_USER_DICT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    if bytes.len() as u64 > MAX_USER_DICT_BYTES {
        return Err(SegmentError::TooLarge {
            path: path.to_path_buf(),
        });
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let before_error = e.as_bytes().get(..valid).unwrap_or_default();
        let line = before_error.iter().filter(|&&b| b == b'\n').count() + 1;
        SegmentError::NotUtf8 {
            path: path.to_path_buf(),
            line,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Neutral sentences a term is embedded in; every dictionary term must come out
    /// as one token in each.
    const FRAMES: [&str; 3] = [
        "对符合条件的企业实行{}政策。",
        "各地在{}方面开展工作。",
        "通过{}加强管理",
    ];

    fn domain_entries() -> Vec<Entry<'static>> {
        DOMAIN_DICT
            .lines()
            .filter_map(|line| parse_entry(line).ok().flatten())
            .collect()
    }

    fn write_dict(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write temp dictionary");
        path
    }

    #[test]
    fn domain_dictionary_is_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for (index, line) in DOMAIN_DICT.lines().enumerate() {
            let entry = parse_entry(line)
                .unwrap_or_else(|e| panic!("line {}: {e}", index + 1))
                .unwrap_or_else(|| panic!("line {}: blank line", index + 1));
            assert!(entry.freq.is_some(), "line {}: no frequency", index + 1);
            assert!(entry.tag.is_some(), "line {}: no tag", index + 1);
            assert!(
                seen.insert(entry.word),
                "line {}: duplicate {}",
                index + 1,
                entry.word
            );
        }
        assert!(seen.len() >= 350, "only {} entries", seen.len());
    }

    #[test]
    fn every_domain_term_stays_whole_in_a_sentence() {
        let segmenter = Segmenter::global();
        let mut broken = Vec::new();
        for entry in domain_entries() {
            for frame in FRAMES {
                let sentence = frame.replace("{}", entry.word);
                let words = segmenter.cut(&sentence);
                if !words.contains(&entry.word) {
                    broken.push(words.join("/"));
                }
            }
        }
        assert!(broken.is_empty(), "terms split:\n{}", broken.join("\n"));
    }

    #[test]
    fn substrings_across_word_boundaries_are_not_words() {
        let segmenter = Segmenter::global();
        let cases = [
            ("日本地区的企业均可申报", "本地"),
            ("请填写统一社会信用代码", "唯一"),
            ("采购人员应当回避", "采购人"),
            ("社会变迁出现新情况", "迁出"),
            ("暂缓缴纳社会保险费", "缓缴"),
            ("参照市场指导价格", "指导价"),
            ("市统计局部署专项工作", "局部"),
        ];
        for (sentence, not_a_word) in cases {
            let words = segmenter.cut(sentence);
            assert!(!words.contains(&not_a_word), "{sentence}: {words:?}");
        }
        let words = segmenter.cut("对在本地注册的企业给予奖励，确定开标的时间");
        assert!(words.contains(&"本地注册"), "{words:?}");
        assert!(words.contains(&"开标"), "{words:?}");
    }

    #[test]
    fn offsets_are_char_offsets_that_slice_back_to_the_word() {
        let mixed =
            "第一条\r\n对首台（套）产品、首台(套)装备给予𠀀奖励 5% ABC。\t本地企业😀，首台（套）";
        for text in [mixed, "日本地区", ""] {
            let tokens = Segmenter::global().tokens(text);
            let mut next_start = 0;
            for token in &tokens {
                assert_eq!(token.start, next_start, "{tokens:?}");
                let sliced: String = text
                    .chars()
                    .skip(token.start)
                    .take(token.end - token.start)
                    .collect();
                assert_eq!(sliced, token.word, "{tokens:?}");
                next_start = token.end;
            }
            assert_eq!(next_start, text.chars().count(), "{tokens:?}");
        }
        let words = Segmenter::global().cut(mixed);
        for word in ["首台（套）", "首台(套)", "\r\n", "𠀀", "😀"] {
            assert!(words.contains(&word), "{word}: {words:?}");
        }
    }

    #[test]
    fn bracketed_terms_are_merged_even_across_token_edges() {
        let segmenter = Segmenter::global();
        for text in [
            "首台（套）首台(套)",
            "支持首台（套）",
            "首台(套)装备",
            "（套）",
            "首台套",
        ] {
            let words = segmenter.cut(text);
            assert_eq!(words.concat(), text);
            let whole = ["首台（套）", "首台(套)", "首台套"];
            let expected = text.matches("首台").count();
            let found = words.iter().filter(|w| whole.contains(w)).count();
            assert_eq!(found, expected, "{text}: {words:?}");
        }
    }

    #[test]
    fn user_dictionaries_add_words_in_order() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = write_dict(
            &dir,
            "first.dict",
            "\u{feff}某某环卫科技有限公司 100 nt\n\n联合体牵头人\n某某（集团）有限公司 nt\n"
                .as_bytes(),
        );
        let second = write_dict(&dir, "second.dict", "联合体牵头人 0\n".as_bytes());
        let segmenter = Segmenter::with_user_dicts(std::slice::from_ref(&first)).expect("loads");
        let words =
            segmenter.cut("授予某某环卫科技有限公司特许经营权，某某（集团）有限公司为联合体牵头人");
        for word in [
            "某某环卫科技有限公司",
            "特许经营权",
            "某某（集团）有限公司",
            "联合体牵头人",
        ] {
            assert!(words.contains(&word), "{word}: {words:?}");
        }
        // Frequency 0 in a later file withdraws the word again, as in jieba.
        let segmenter = Segmenter::with_user_dicts(&[first, second]).expect("loads");
        assert!(
            !segmenter
                .cut("由联合体牵头人负责")
                .contains(&"联合体牵头人")
        );
    }

    #[test]
    fn user_dictionary_errors_name_the_file_and_line() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cases: [(&str, &[u8], &str); 4] = [
            (
                "freq.dict",
                "好词 10 n\n\n坏词 十 n\n".as_bytes(),
                "第 3 行",
            ),
            ("fields.dict", "词 1 n 多余\n".as_bytes(), "第 1 行"),
            ("tag.dict", "词 1 名词\n".as_bytes(), "第 1 行"),
            ("gbk.dict", b"word 10\n\xb1\xbe\xb5\xd8 10\n", "第 2 行"),
        ];
        for (name, bytes, line) in cases {
            let path = write_dict(&dir, name, bytes);
            let message = match Segmenter::with_user_dicts(&[path]) {
                Ok(_) => panic!("{name} should fail"),
                Err(e) => e.to_string(),
            };
            assert!(
                message.contains(name) && message.contains(line),
                "{message}"
            );
        }
        let missing = dir.path().join("missing.dict");
        let message = Segmenter::with_user_dicts(&[missing])
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(message.contains("missing.dict"), "{message}");
    }

    #[test]
    fn entries_parse_like_jieba() {
        let entry = |word, freq, tag| Ok(Some(Entry { word, freq, tag }));
        assert_eq!(parse_entry("  \t"), Ok(None));
        assert_eq!(parse_entry("词"), entry("词", None, None));
        assert_eq!(parse_entry("词 12"), entry("词", Some(12), None));
        assert_eq!(parse_entry("词 nz"), entry("词", None, Some("nz")));
        assert_eq!(
            parse_entry("词\t12\tnz\r"),
            entry("词", Some(12), Some("nz"))
        );
        assert!(parse_entry("词 -1").is_err());
        assert!(parse_entry("词 99999999999999999999999").is_err());
        assert!(parse_entry("# 注释").is_err());
    }

    #[test]
    fn global_is_shared_and_thread_safe() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Segmenter>();
        assert!(std::ptr::eq(Segmenter::global(), Segmenter::global()));
    }
}
