//! Clause labels (第X章, 第X条, 一、, （一）, 1., （1）, 附件N) and the clause tree.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use super::lines::Line;
use super::numerals;

/// Clause kinds from the outermost to the innermost level of GB/T 9704 bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClauseKind {
    Attachment,
    Chapter,
    Section,
    Article,
    /// 一、
    CnItem,
    /// （一）
    ParenCnItem,
    /// 1.
    NumItem,
    /// （1）
    ParenNumItem,
}

#[derive(Debug, Clone, Serialize)]
pub struct Clause {
    pub kind: ClauseKind,
    /// The label in normalised form: 第三条, 一、, （二）, 1., （1）, 附件1.
    pub label: String,
    pub number: u32,
    /// Unicode-scalar span of the clause with everything under it.
    pub start: usize,
    pub end: usize,
    /// Line (= block) where the clause starts.
    pub line: usize,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
}

/// A label found at the start of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub kind: ClauseKind,
    pub number: u32,
    pub label: String,
}

static CHAPTER_LIKE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^第([一二三四五六七八九十百零〇两0-9０-９]{1,6})\s*([章节条])")
        .expect("valid regex")
});
static CN_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([一二三四五六七八九十]{1,3})\s*[、．]").expect("valid regex"));
static PAREN_CN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]").expect("valid regex")
});
static NUM_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([0-9０-９]{1,3})\s*[．.、]").expect("valid regex"));
static PAREN_NUM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[（(]\s*([0-9０-９]{1,3})\s*[）)]").expect("valid regex"));
static ATTACHMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^附\s*件\s*([0-9０-９]{0,3}|[一二三四五六七八九十]{0,3})\s*[:：]?\s*$")
        .expect("valid regex")
});
static ATTACHMENT_WITH_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^附\s*件\s*([0-9０-９]{1,3})\s*[:：]?\s*\S").expect("valid regex")
});

/// Recognises a clause label at the start of a line (leading spaces ignored).
pub fn parse_label(line: &str) -> Option<Label> {
    let s = line.trim_start();
    // Every label starts with 第, a numeral or a bracket: most lines are
    // settled by their first character, without running the patterns.
    let first = s.chars().next()?;
    if !(matches!(first, '第' | '（' | '(' | '0'..='9' | '０'..='９')
        || "一二三四五六七八九十".contains(first))
    {
        return None;
    }
    if let Some(c) = CHAPTER_LIKE.captures(s) {
        let number = numerals::parse(&c[1])?;
        let (kind, unit) = match &c[2] {
            "章" => (ClauseKind::Chapter, "章"),
            "节" => (ClauseKind::Section, "节"),
            _ => (ClauseKind::Article, "条"),
        };
        // "第一条规定" style cross references are rare at line start but the
        // article label is always followed by a space or the text proper.
        return Some(Label {
            kind,
            number,
            label: format!("第{}{}", numerals::to_chinese(number), unit),
        });
    }
    if let Some(c) = CN_ITEM.captures(s) {
        let number = numerals::parse(&c[1])?;
        return Some(label(ClauseKind::CnItem, number, format!("{}、", &c[1])));
    }
    if let Some(c) = PAREN_CN.captures(s) {
        let number = numerals::parse(&c[1])?;
        return Some(label(
            ClauseKind::ParenCnItem,
            number,
            format!("（{}）", &c[1]),
        ));
    }
    if let Some(c) = NUM_ITEM.captures(s) {
        // "1.5亿元" and "2024.3" are numbers, not labels.
        let after = s[c.get(0)?.end()..].chars().next();
        if after.is_some_and(|ch| ch.is_ascii_digit() || ('０'..='９').contains(&ch)) {
            return None;
        }
        let number = numerals::parse(&c[1])?;
        return Some(label(ClauseKind::NumItem, number, format!("{number}.")));
    }
    if let Some(c) = PAREN_NUM.captures(s) {
        let number = numerals::parse(&c[1])?;
        return Some(label(
            ClauseKind::ParenNumItem,
            number,
            format!("（{number}）"),
        ));
    }
    None
}

/// An attachment heading: `附件1` alone on its line, or `附件1：标题`.
pub fn parse_attachment(line: &str) -> Option<Label> {
    let s = line.trim();
    if !s.starts_with('附') {
        return None;
    }
    let caps = ATTACHMENT
        .captures(s)
        .or_else(|| ATTACHMENT_WITH_TITLE.captures(s))?;
    let digits = caps.get(1).map_or("", |m| m.as_str());
    let number = if digits.is_empty() {
        1
    } else {
        numerals::parse(digits)?
    };
    let text = if digits.is_empty() {
        "附件".to_string()
    } else {
        format!("附件{number}")
    };
    Some(label(ClauseKind::Attachment, number, text))
}

fn label(kind: ClauseKind, number: u32, label: String) -> Label {
    Label {
        kind,
        number,
        label,
    }
}

/// Where the main body stops and attachments may begin, as found by the
/// metadata pass: the 成文日期 line, and the 附件说明 line before it.
#[derive(Debug, Clone, Copy, Default)]
pub struct BodyBounds {
    /// First line of the attachment list (附件：1．…) inside the main body.
    pub attachment_list: Option<usize>,
    /// The line holding the 成文日期; attachments start after it.
    pub date_line: Option<usize>,
}

/// Builds the clause tree. Lines of the attachment list inside the main body
/// never start clauses; attachment headings count only after the 成文日期.
pub fn build(lines: &[Line], bounds: BodyBounds, total_chars: usize) -> Vec<Clause> {
    let mut clauses: Vec<Clause> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let close = |clauses: &mut Vec<Clause>,
                 open: &mut Vec<usize>,
                 keep: &dyn Fn(&Clause) -> bool,
                 at: usize| {
        while let Some(&top) = open.last() {
            if keep(&clauses[top]) {
                break;
            }
            clauses[top].end = at;
            open.pop();
        }
    };
    for line in lines {
        let in_list = match (bounds.attachment_list, bounds.date_line) {
            (Some(a), Some(d)) => line.index >= a && line.index <= d,
            (Some(a), None) => line.index >= a,
            _ => false,
        };
        let after_body = bounds.date_line.is_none_or(|d| line.index > d);
        let found = if after_body {
            parse_attachment(line.text).or_else(|| parse_label(line.text))
        } else if in_list {
            None
        } else {
            parse_label(line.text)
        };
        if bounds.date_line == Some(line.index) {
            // The body ends where the signature block starts: close everything.
            close(&mut clauses, &mut open, &|_| false, line.char_start);
        }
        let Some(found) = found else { continue };
        let kind = found.kind;
        close(&mut clauses, &mut open, &|c| c.kind < kind, line.char_start);
        let idx = clauses.len();
        let parent = open.last().copied();
        if let Some(p) = parent {
            clauses[p].children.push(idx);
        }
        clauses.push(Clause {
            kind,
            label: found.label,
            number: found.number,
            start: line.char_start,
            end: total_chars,
            line: line.index,
            parent,
            children: Vec::new(),
        });
        open.push(idx);
    }
    // Clauses still open run to the end of the text.
    clauses
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::lines::lines;

    #[test]
    fn labels_are_recognised_and_normalised() {
        let l = |s: &str| parse_label(s).map(|l| l.label);
        assert_eq!(l("第十二条 企业应当"), Some("第十二条".into()));
        assert_eq!(l("第二章　总则"), Some("第二章".into()));
        assert_eq!(l("一、总体要求"), Some("一、".into()));
        assert_eq!(l("(三)加大支持"), Some("（三）".into()));
        assert_eq!(l("１．对新设立"), Some("1.".into()));
        assert_eq!(l("12、支持"), Some("12.".into()));
        assert_eq!(l("（2）其他"), Some("（2）".into()));
        assert_eq!(l("1.5亿元以上"), None);
        assert_eq!(l("2024.3.1"), None);
        assert_eq!(l("关于印发"), None);
        assert_eq!(
            parse_attachment("附件2").map(|l| l.label),
            Some("附件2".into())
        );
        assert_eq!(
            parse_attachment("附件").map(|l| l.label),
            Some("附件".into())
        );
        assert_eq!(parse_attachment("附件：1．某某办法"), None);
    }

    #[test]
    fn tree_nests_by_level_and_attachment_list_is_not_clauses() {
        let text = "通知正文\n一、总体要求\n（一）目标\n1.第一点\n2.第二点\n（二）原则\n二、措施\n附件：1．办法\n2．细则\n某市人民政府\n2024年3月1日\n附件1\n某办法\n第一条 总则\n（一）甲\n第二条 乙";
        let ls = lines(text);
        let bounds = BodyBounds {
            attachment_list: Some(7),
            date_line: Some(10),
        };
        let cs = build(&ls, bounds, text.chars().count());
        let labels: Vec<&str> = cs.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "一、",
                "（一）",
                "1.",
                "2.",
                "（二）",
                "二、",
                "附件1",
                "第一条",
                "（一）",
                "第二条"
            ]
        );
        assert_eq!(cs[2].parent, Some(1));
        assert_eq!(cs[4].parent, Some(0));
        assert_eq!(cs[7].parent, Some(6));
        assert_eq!(cs[8].parent, Some(7));
        assert_eq!(cs[9].parent, Some(6));
        // 二、 ends before the attachment list's signature block closes it.
        assert!(cs[5].end <= ls[10].char_start);
    }
}
