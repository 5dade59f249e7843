//! Turning what a reviewer types into tantivy's query language.
//!
//! Plain Chinese needs no operators: a run of text is cut into words and all of
//! them must occur (in any field, any order). Quotes ("地方留成" or “地方留成”)
//! ask for the words in that order; `-词` excludes; `OR`/`AND`/`NOT` and
//! parentheses combine; `title:` and the other field names restrict a word to
//! a field.

use super::tokenizer::ZhTokenizer;

/// Field names a reviewer may use as `name:value`.
const FIELD_NAMES: &[&str] = &[
    "title",
    "doc_number",
    "issuer",
    "path",
    "text",
    "finding",
    "explanation",
    "rule",
    "level",
    "status",
    "fingerprint",
];

#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Open,
    Close,
    Operator(&'static str),
    /// Text to match; `quoted` keeps word order, `sign` is '-' or '+'.
    Text {
        text: String,
        quoted: bool,
        sign: Option<char>,
        field: Option<String>,
    },
}

/// Deepest bracket nesting passed on to the parser.
const MAX_DEPTH: usize = 8;

/// Longest query read, in characters; the rest is ignored.
const MAX_QUERY_CHARS: usize = 1_000;

/// Rewrites `input` into tantivy syntax; `None` when nothing searchable remains.
pub fn rewrite(input: &str, words: &ZhTokenizer) -> Option<String> {
    let input: String = input.chars().take(MAX_QUERY_CHARS).collect();
    let mut out: Vec<String> = Vec::new();
    for piece in lex(&input) {
        match piece {
            Piece::Open => out.push("(".into()),
            Piece::Close => out.push(")".into()),
            Piece::Operator(op) => out.push(op.into()),
            Piece::Text {
                text,
                quoted,
                sign,
                field,
            } => {
                // Exact-value fields take the value as typed.
                if let Some(f @ ("rule" | "level" | "status" | "fingerprint")) = field.as_deref() {
                    out.push(format!("{}{f}:{}", sign_str(sign), quote(&text)));
                    continue;
                }
                let tokens: Vec<String> = words.tokens(&text).into_iter().map(|t| t.text).collect();
                if tokens.is_empty() {
                    continue;
                }
                let prefix = match &field {
                    Some(f) => format!("{f}:"),
                    None => String::new(),
                };
                let phrase = quoted || sign == Some('-') || field.is_some();
                if phrase || tokens.len() == 1 {
                    out.push(format!(
                        "{}{prefix}{}",
                        sign_str(sign),
                        quote(&tokens.join(" "))
                    ));
                } else {
                    let all: Vec<String> = tokens.iter().map(|t| quote(t)).collect();
                    out.push(format!("{}({})", sign_str(sign), all.join(" ")));
                }
            }
        }
    }
    let out = tidy(out);
    (!out.is_empty()).then(|| out.join(" "))
}

fn sign_str(sign: Option<char>) -> &'static str {
    match sign {
        Some('-') => "-",
        Some('+') => "+",
        _ => "",
    }
}

fn quote(s: &str) -> String {
    let escaped: String = s.chars().filter(|c| *c != '"' && *c != '\\').collect();
    format!("\"{escaped}\"")
}

/// Drops operators left dangling (at the ends, doubled, next to a bracket)
/// and unbalanced brackets, so a half-typed query still runs.
fn tidy(pieces: Vec<String>) -> Vec<String> {
    let is_op = |s: &str| matches!(s, "AND" | "OR" | "NOT");
    let mut out: Vec<String> = Vec::new();
    let mut depth = 0usize;
    // Brackets nested deeper than this are dropped (the parser recurses).
    let mut flattened = 0usize;
    for p in pieces {
        match p.as_str() {
            "(" if depth >= MAX_DEPTH => flattened += 1,
            ")" if flattened > 0 => flattened -= 1,
            "(" => {
                depth += 1;
                out.push(p);
            }
            ")" => {
                if depth == 0 {
                    continue;
                }
                while out.last().is_some_and(|l| is_op(l)) {
                    out.pop();
                }
                if out.last().is_some_and(|l| l == "(") {
                    out.pop();
                } else {
                    out.push(p);
                }
                depth -= 1;
            }
            op if is_op(op) => {
                let after_nothing = out.last().is_none_or(|l| is_op(l) || l == "(");
                if !(after_nothing && op != "NOT") {
                    out.push(p);
                }
            }
            _ => out.push(p),
        }
    }
    while out.last().is_some_and(|l| is_op(l) || l == "(") {
        if out.pop().is_some_and(|l| l == "(") {
            depth = depth.saturating_sub(1);
        }
    }
    out.extend(std::iter::repeat_n(")".to_string(), depth));
    // `NOT x` is spelled `-x` in tantivy.
    let mut fixed = Vec::with_capacity(out.len());
    let mut negate = false;
    for p in out {
        if p == "NOT" {
            negate = true;
            continue;
        }
        if negate && !p.starts_with('-') && p != "(" {
            fixed.push(format!("-{}", p.trim_start_matches('+')));
        } else {
            fixed.push(p);
        }
        negate = false;
    }
    fixed
}

fn lex(input: &str) -> Vec<Piece> {
    let chars: Vec<char> = input.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c.is_whitespace() || c == '\u{3000}' {
            i += 1;
            continue;
        }
        match c {
            '(' | '（' => {
                out.push(Piece::Open);
                i += 1;
                continue;
            }
            ')' | '）' => {
                out.push(Piece::Close);
                i += 1;
                continue;
            }
            _ => {}
        }
        let sign = match c {
            '-' | '+' | '－' | '＋' => {
                i += 1;
                Some(if matches!(c, '-' | '－') { '-' } else { '+' })
            }
            _ => None,
        };
        let (mut text, quoted, next) = read_word(&chars, i);
        i = next;
        let mut field = None;
        if !quoted
            && let Some((name, rest)) = text.split_once([':', '：'])
            && FIELD_NAMES.contains(&name)
        {
            field = Some(name.to_string());
            text = if rest.is_empty() {
                // `title:"…"`: the value is the next quoted word.
                let (value, _, after) = read_word(&chars, i);
                i = after;
                value
            } else {
                rest.to_string()
            };
        }
        if sign.is_none() && field.is_none() && !quoted {
            match text.as_str() {
                "AND" | "&&" => {
                    out.push(Piece::Operator("AND"));
                    continue;
                }
                "OR" | "||" | "或" => {
                    out.push(Piece::Operator("OR"));
                    continue;
                }
                "NOT" => {
                    out.push(Piece::Operator("NOT"));
                    continue;
                }
                _ => {}
            }
        }
        if !text.is_empty() {
            out.push(Piece::Text {
                text,
                quoted,
                sign,
                field,
            });
        }
    }
    out
}

/// One word from `at`: a quoted run (straight or curly quotes) or a run of
/// anything but spaces, quotes and brackets. Returns (text, quoted, next index).
fn read_word(chars: &[char], at: usize) -> (String, bool, usize) {
    let close = match chars.get(at) {
        Some('"') => Some('"'),
        Some('“') => Some('”'),
        Some('「') => Some('」'),
        _ => None,
    };
    if let Some(close) = close {
        let mut i = at + 1;
        let mut text = String::new();
        while let Some(&c) = chars.get(i) {
            i += 1;
            if c == close || (close == '”' && c == '"') {
                break;
            }
            text.push(c);
        }
        return (text, true, i);
    }
    let mut i = at;
    let mut text = String::new();
    while let Some(&c) = chars.get(i) {
        if c.is_whitespace() || matches!(c, '"' | '“' | '(' | ')' | '（' | '）' | '\u{3000}') {
            break;
        }
        text.push(c);
        i += 1;
    }
    (text, false, i.max(at + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rw(q: &str) -> String {
        rewrite(q, &ZhTokenizer::for_query()).unwrap_or_default()
    }

    #[test]
    fn plain_chinese_becomes_all_of_its_words() {
        assert_eq!(rw("奖励"), "\"奖励\"");
        let q = rw("本地企业奖励");
        assert!(q.starts_with('(') && q.contains("\"本地\""), "{q}");
    }

    #[test]
    fn quotes_exclusions_and_operators() {
        let phrase = rw("\"本地企业\"");
        assert_eq!(phrase, "\"本地 企业\"");
        assert_eq!(rw("“本地企业”"), phrase);
        assert_eq!(rw("奖励 -补贴"), "\"奖励\" -\"补贴\"");
        assert_eq!(rw("奖励 OR 补贴"), "\"奖励\" OR \"补贴\"");
        assert_eq!(rw("奖励 NOT 补贴"), "\"奖励\" -\"补贴\"");
        assert_eq!(rw("title:通知"), "title:\"通知\"");
        assert_eq!(rw("level:error"), "level:\"error\"");
    }

    #[test]
    fn broken_queries_are_tidied_not_rejected() {
        assert_eq!(rw("OR 奖励 AND"), "\"奖励\"");
        assert_eq!(rw("(奖励"), "( \"奖励\" )");
        assert_eq!(rw("奖励)"), "\"奖励\"");
        assert_eq!(rw("\"奖励"), "\"奖励\"");
        assert!(rewrite("，。", &ZhTokenizer::for_query()).is_none());
        let deep = format!("{}奖励{}", "(".repeat(500), ")".repeat(500));
        assert_eq!(rw(&deep).matches('(').count(), MAX_DEPTH);
        assert!(rewrite("", &ZhTokenizer::for_query()).is_none());
    }
}
