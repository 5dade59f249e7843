//! A document's text with its flagged sentences highlighted by level, one
//! paragraph per line, and the clause citations of each paragraph's findings
//! in the margin beside it.

use std::fmt::Write as _;

use super::{item_citation, level_class, push_esc};
use crate::review::Finding;

/// Above this many characters only the paragraphs with findings are shown.
pub const FULL_TEXT_LIMIT: usize = 300_000;

/// Id of finding `n`'s card and of its first highlight.
pub fn card_id(n: usize) -> String {
    format!("f{n}")
}

pub fn mark_id(n: usize) -> String {
    format!("m{n}")
}

/// Appends the text; `findings` are numbered from 1 in the given order.
pub fn render(out: &mut String, text: &str, findings: &[&Finding]) {
    let total = text.chars().count();
    let only_flagged = total > FULL_TEXT_LIMIT;
    if only_flagged {
        out.push_str("<p class=\"muted\">文件较长，只显示含问题条款的段落。</p>");
    }
    let mut opened = vec![false; findings.len()];
    let mut line_start = 0usize;
    let mut skipped = false;
    for (k, line) in text.split('\n').enumerate() {
        let len = line.chars().count();
        let line_end = line_start + len;
        let touching: Vec<(usize, &Finding)> = findings
            .iter()
            .enumerate()
            .map(|(i, f)| (i + 1, *f))
            .filter(|(_, f)| f.end > f.start && f.start < line_end && f.end > line_start)
            .collect();
        if only_flagged && touching.is_empty() {
            skipped = true;
            line_start = line_end + 1;
            continue;
        }
        if skipped {
            out.push_str("<div class=\"para gap\"><p>……</p></div>");
            skipped = false;
        }
        let _ = write!(out, "<div class=\"para\" id=\"p{k}\"><p>");
        line_html(out, line, line_start, &touching, &mut opened);
        out.push_str("</p>");
        let starting: Vec<&(usize, &Finding)> = touching
            .iter()
            .filter(|(_, f)| f.start >= line_start && f.start <= line_end)
            .collect();
        if !starting.is_empty() {
            out.push_str("<aside class=\"cite\">");
            for (n, f) in starting {
                let _ = write!(
                    out,
                    "<a class=\"{}\" href=\"#{}\">[{n}] ",
                    level_class(f.level),
                    card_id(*n)
                );
                push_esc(out, &f.clause);
                if !f.clause.is_empty() {
                    out.push_str(" · ");
                }
                out.push_str(&item_citation(f.article, f.item));
                out.push_str("</a>");
            }
            out.push_str("</aside>");
        }
        out.push_str("</div>\n");
        line_start = line_end + 1;
    }
}

/// One line: segments between finding boundaries, each covered segment in a
/// `<mark>` of the most serious covering level.
fn line_html(
    out: &mut String,
    line: &str,
    line_start: usize,
    touching: &[(usize, &Finding)],
    opened: &mut [bool],
) {
    if touching.is_empty() {
        push_esc(out, line);
        return;
    }
    let len = line.chars().count();
    let mut cuts = vec![0, len];
    for (_, f) in touching {
        cuts.push(f.start.saturating_sub(line_start).min(len));
        cuts.push(f.end.saturating_sub(line_start).min(len));
    }
    cuts.sort_unstable();
    cuts.dedup();
    let bytes: Vec<usize> = {
        let mut b: Vec<usize> = line.char_indices().map(|(i, _)| i).collect();
        b.push(line.len());
        b
    };
    for pair in cuts.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        let piece = match (bytes.get(from), bytes.get(to)) {
            (Some(&a), Some(&b)) => line.get(a..b).unwrap_or(""),
            _ => "",
        };
        let abs = line_start + from;
        let covering: Vec<&(usize, &Finding)> = touching
            .iter()
            .filter(|(_, f)| f.start <= abs && f.end > abs)
            .collect();
        let Some(top) = covering.iter().map(|(_, f)| f.level).max() else {
            push_esc(out, piece);
            continue;
        };
        let _ = write!(out, "<mark class=\"{}\"", level_class(top));
        for (n, _) in &covering {
            if let Some(first) = opened.get_mut(n - 1)
                && !*first
            {
                *first = true;
                let _ = write!(out, " id=\"{}\"", mark_id(*n));
                break;
            }
        }
        let numbers: Vec<String> = covering.iter().map(|(n, _)| n.to_string()).collect();
        let _ = write!(out, " data-findings=\"{}\">", numbers.join(" "));
        push_esc(out, piece);
        out.push_str("</mark>");
        for (n, f) in &covering {
            if f.end == line_start + to {
                let _ = write!(out, "<a class=\"ref\" href=\"#{}\">[{n}]</a>", card_id(*n));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::Level;

    fn finding(start: usize, end: usize, level: Level) -> Finding {
        Finding {
            id: "x".into(),
            rule: "r".into(),
            article: 8,
            item: 1,
            level,
            confidence: 0.9,
            clause: "第一条".into(),
            start,
            end,
            page: None,
            text: String::new(),
            evidence: vec![],
            explanation: String::new(),
            suggestion: String::new(),
            ocr: false,
            similar: vec![],
        }
    }

    #[test]
    fn flagged_text_is_marked_escaped_and_cited() {
        let text = "第一条 <b>本地</b>企业优先。\n第二条 其他。";
        let a = finding(4, 17, Level::Warning);
        let b = finding(13, 15, Level::Error);
        let mut out = String::new();
        render(&mut out, text, &[&a, &b]);
        assert!(out.contains("&lt;b&gt;"), "{out}");
        assert!(!out.contains("<b>"), "{out}");
        assert!(
            out.contains("<mark class=\"lv-warning\" id=\"m1\""),
            "{out}"
        );
        assert!(
            out.contains("<mark class=\"lv-error\" id=\"m2\" data-findings=\"1 2\">企业"),
            "{out}"
        );
        assert!(out.contains("[1] 第一条 · 第八条第（一）项"), "{out}");
        assert!(
            out.contains("<div class=\"para\" id=\"p1\"><p>第二条 其他。</p></div>"),
            "{out}"
        );
    }
}
