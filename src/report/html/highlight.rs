//! Flagged sentences inside one line of document text: `<mark>` elements,
//! nested where findings overlap, each finding's first mark carrying its id
//! and a numbered link to the finding after its last character.

use std::fmt::Write as _;

use super::page::{level_class, push_esc};
use crate::review::Level;

/// A finding's span in the document, in Unicode-scalar offsets.
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub level: Level,
    /// 1-based number of the finding within its document.
    pub number: usize,
    /// Hover text of the mark.
    pub tooltip: String,
}

/// Id of the first mark of finding `number` in document `doc`.
pub fn mark_id(doc: usize, number: usize) -> String {
    format!("d{doc}-m{number}")
}

/// Id of the card of finding `number` in document `doc`.
pub fn finding_id(doc: usize, number: usize) -> String {
    format!("d{doc}-f{number}")
}

/// Appends `line` (starting at `line_start`) escaped, with marks for every
/// span that touches it. `opened[n - 1]` records whether finding `n` already
/// has its id, so a span broken across lines or overlaps gets it only once.
pub fn render_line(
    out: &mut String,
    line: &str,
    line_start: usize,
    spans: &[&Span],
    opened: &mut [bool],
    doc: usize,
) {
    let line_len = line.chars().count();
    let line_end = line_start + line_len;
    let touching: Vec<&Span> = spans
        .iter()
        .copied()
        .filter(|s| s.end > s.start && s.start < line_end && s.end > line_start)
        .collect();
    if touching.is_empty() {
        push_esc(out, line);
        return;
    }
    // Relative boundaries of every segment.
    let mut cuts: Vec<usize> = vec![0, line_len];
    for s in &touching {
        cuts.push(s.start.saturating_sub(line_start).min(line_len));
        cuts.push(s.end.saturating_sub(line_start).min(line_len));
    }
    cuts.sort_unstable();
    cuts.dedup();
    let bytes = byte_offsets(line, &cuts);
    let mut stack: Vec<&Span> = Vec::new();
    for (k, pair) in cuts.windows(2).enumerate() {
        let abs = line_start + pair[0];
        // Outer marks first: earlier start, then longer, then less serious,
        // so the most serious colour shows where identical spans nest.
        let mut wanted: Vec<&Span> = touching
            .iter()
            .copied()
            .filter(|s| s.start <= abs && s.end > abs)
            .collect();
        wanted.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end), s.level, s.number));
        let keep = stack
            .iter()
            .zip(&wanted)
            .take_while(|(x, y)| x.number == y.number)
            .count();
        close_to(out, &mut stack, keep, abs, doc);
        for s in &wanted[keep..] {
            open(out, s, opened, doc);
            stack.push(s);
        }
        let (from, to) = (bytes[k], bytes[k + 1]);
        push_esc(out, line.get(from..to).unwrap_or(""));
    }
    close_to(out, &mut stack, 0, line_end, doc);
}

fn open(out: &mut String, s: &Span, opened: &mut [bool], doc: usize) {
    let _ = write!(out, "<mark class=\"{}\"", level_class(s.level));
    if let Some(first) = opened.get_mut(s.number.wrapping_sub(1))
        && !*first
    {
        *first = true;
        let _ = write!(out, " id=\"{}\"", mark_id(doc, s.number));
    }
    let _ = write!(
        out,
        " data-finding=\"{}\" title=\"",
        finding_id(doc, s.number)
    );
    push_esc(out, &s.tooltip);
    out.push_str("\">");
}

/// Closes marks down to `keep` open ones; findings that end at `at` get
/// their numbered links once all the marks closing there are closed.
fn close_to(out: &mut String, stack: &mut Vec<&Span>, keep: usize, at: usize, doc: usize) {
    let mut ended = Vec::new();
    while stack.len() > keep {
        let Some(s) = stack.pop() else { break };
        out.push_str("</mark>");
        if s.end == at {
            ended.push(s.number);
        }
    }
    ended.sort_unstable();
    for number in ended {
        let _ = write!(
            out,
            "<a class=\"ref\" href=\"#{}\">[{number}]</a>",
            finding_id(doc, number)
        );
    }
}

/// Byte offsets of the given ascending char offsets (the last may equal the length).
fn byte_offsets(line: &str, cuts: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(cuts.len());
    let mut want = cuts.iter().peekable();
    for (chars, (byte, _)) in line.char_indices().enumerate() {
        while want.next_if(|&&c| c == chars).is_some() {
            out.push(byte);
        }
    }
    while want.next().is_some() {
        out.push(line.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: usize, end: usize, level: Level, number: usize) -> Span {
        Span {
            start,
            end,
            level,
            number,
            tooltip: format!("t{number}"),
        }
    }

    fn render(line: &str, start: usize, spans: &[Span], opened: &mut [bool]) -> String {
        let mut out = String::new();
        let spans: Vec<&Span> = spans.iter().collect();
        render_line(&mut out, line, start, &spans, opened, 1);
        out
    }

    #[test]
    fn marks_nest_and_split_without_repeating_ids() {
        let spans = [span(2, 6, Level::Warning, 1), span(4, 8, Level::Error, 2)];
        let mut opened = [false, false];
        let html = render("一二三四五六七八九", 0, &spans, &mut opened);
        assert_eq!(
            html,
            "一二<mark class=\"lv-warning\" id=\"d1-m1\" data-finding=\"d1-f1\" title=\"t1\">三四\
             <mark class=\"lv-error\" id=\"d1-m2\" data-finding=\"d1-f2\" title=\"t2\">五六</mark>\
             </mark><a class=\"ref\" href=\"#d1-f1\">[1]</a>\
             <mark class=\"lv-error\" data-finding=\"d1-f2\" title=\"t2\">七八</mark>\
             <a class=\"ref\" href=\"#d1-f2\">[2]</a>九"
        );
    }

    #[test]
    fn spans_across_lines_get_one_id_and_text_is_escaped() {
        let spans = [span(3, 9, Level::Suggestion, 1)];
        let mut opened = [false];
        let first = render("a<b&c", 0, &spans, &mut opened);
        assert_eq!(
            first,
            "a&lt;b<mark class=\"lv-suggestion\" id=\"d1-m1\" data-finding=\"d1-f1\" title=\"t1\">&amp;c</mark>"
        );
        // The next line starts after the newline at offset 5.
        let second = render("第二行文字", 6, &spans, &mut opened);
        assert_eq!(
            second,
            "<mark class=\"lv-suggestion\" data-finding=\"d1-f1\" title=\"t1\">第二行</mark><a class=\"ref\" href=\"#d1-f1\">[1]</a>文字"
        );
    }
}
