//! Sentence spans inside lines.

use serde::Serialize;

use super::lines::Line;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Sentence {
    /// Unicode-scalar span into the document text.
    pub start: usize,
    pub end: usize,
    /// Byte span of the same text, for slicing without counting characters.
    #[serde(skip)]
    pub byte_start: usize,
    #[serde(skip)]
    pub byte_end: usize,
    /// Block (= line) the sentence sits in.
    pub block: usize,
    /// Innermost clause containing the sentence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clause: Option<usize>,
}

/// Punctuation that ends a sentence. The semicolon counts: list items and
/// conditions in policy text are separated by it and are cited one by one.
pub fn is_terminal(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?' | '；' | ';')
}

/// Closing marks that stay with the sentence they close.
fn is_closer(c: char) -> bool {
    matches!(c, '”' | '’' | '」' | '』' | '）' | ')' | '》' | '"' | '\'')
}

/// Longest sentence, in characters; longer runs without a stop are cut.
pub const MAX_SENTENCE_CHARS: usize = 4000;

/// Splits one line into sentences; leading whitespace is not part of a sentence.
pub fn split_line(line: &Line, out: &mut Vec<Sentence>) {
    // Positions are (char index, byte index) pairs within the line.
    let mut start: Option<(usize, usize)> = None;
    let mut pending_end: Option<(usize, usize)> = None;
    let push = |out: &mut Vec<Sentence>, s: (usize, usize), e: (usize, usize)| {
        out.push(Sentence {
            start: line.char_start + s.0,
            end: line.char_start + e.0,
            byte_start: line.byte_start + s.1,
            byte_end: line.byte_start + e.1,
            block: line.index,
            clause: None,
        })
    };
    for (i, (b, c)) in line.text.char_indices().enumerate() {
        let after = (i + 1, b + c.len_utf8());
        if let Some(end) = pending_end {
            if is_closer(c) {
                pending_end = Some(after);
                continue;
            }
            if let Some(s) = start.take() {
                push(out, s, end);
            }
            pending_end = None;
        }
        if start.is_none() {
            if c.is_whitespace() {
                continue;
            }
            start = Some((i, b));
        }
        // A run of text with no stop is cut into bounded pieces: nothing that
        // long is one sentence, and later stages keep per-sentence state.
        if let Some(s) = start.filter(|s| i - s.0 >= MAX_SENTENCE_CHARS) {
            push(out, s, (i, b));
            start = Some((i, b));
        }
        if is_terminal(c) {
            pending_end = Some(after);
        }
    }
    if let Some(s) = start {
        // Lines come trimmed from the extractor, so the tail needs no trimming.
        push(
            out,
            s,
            pending_end.unwrap_or((line.char_len, line.text.len())),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::lines::lines;

    #[test]
    fn splits_on_stops_and_keeps_closers() {
        let text = "（一）对企业给予奖励。“资金”由财政承担。”其他；最后一句";
        let ls = lines(text);
        let mut out = Vec::new();
        split_line(&ls[0], &mut out);
        let parts: Vec<String> = out
            .iter()
            .map(|s| text.chars().skip(s.start).take(s.end - s.start).collect())
            .collect();
        assert_eq!(
            parts,
            [
                "（一）对企业给予奖励。",
                "“资金”由财政承担。”",
                "其他；",
                "最后一句"
            ]
        );
    }

    #[test]
    fn cuts_runs_without_a_stop_into_bounded_sentences() {
        let text = "甲".repeat(MAX_SENTENCE_CHARS * 2 + 10);
        let ls = lines(&text);
        let mut out = Vec::new();
        split_line(&ls[0], &mut out);
        let lengths: Vec<usize> = out.iter().map(|s| s.end - s.start).collect();
        assert_eq!(lengths, [MAX_SENTENCE_CHARS, MAX_SENTENCE_CHARS, 10]);
        assert_eq!(out[1].start, out[0].end);
    }
}
