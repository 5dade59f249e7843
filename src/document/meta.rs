//! Document metadata read off the text: title, 发文字号, 发文机关, 成文日期, 附件.
//!
//! GB/T 9704 fixes where each element sits, so position does most of the work:
//! masthead and 发文字号 on top, then the title up to the 主送机关 line; the
//! signature and 成文日期 close the body; attachments follow.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use super::clauses::{BodyBounds, parse_attachment};
use super::lines::{Line, compact};
use super::numerals;
use crate::extract::MetaHints;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Meta {
    pub title: Option<String>,
    /// 发文字号, brackets normalised to 〔〕: 青政发〔2024〕12号.
    pub doc_number: Option<String>,
    /// 发文机关.
    pub issuer: Option<String>,
    /// 成文日期, ISO `YYYY-MM-DD`.
    pub date: Option<String>,
    pub attachments: Vec<Attachment>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attachment {
    pub label: String,
    pub title: Option<String>,
    /// Line where the attachment starts.
    pub line: usize,
}

/// How far into the document the masthead and title may sit.
const HEAD_LINES: usize = 40;

static DOC_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"([\p{Han}A-Za-z]{1,12}?)\s*[〔\[［【(（]\s*((?:19|20)\d{2})\s*[〕\]］】)）]\s*(?:第\s*)?([0-9０-９]{1,5})\s*号",
    )
    .expect("valid regex")
});
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"((?:19|20)[0-9]{2}|[一二〇○零OＯ]{1}[〇○零OＯ一二三四五六七八九]{3})\s*年\s*([0-9]{1,2}|[十一二三四五六七八九]{1,3})\s*月\s*([0-9]{1,2}|[十一二三四五六七八九]{1,4})\s*日",
    )
    .expect("valid regex")
});

const TITLE_ENDINGS: &[&str] = &[
    "通知",
    "意见",
    "办法",
    "方案",
    "措施",
    "规定",
    "决定",
    "细则",
    "规划",
    "批复",
    "函",
    "公告",
    "通告",
    "报告",
    "纲要",
    "计划",
    "指引",
    "条例",
    "规则",
    "标准",
    "清单",
    "目录",
    "政策",
    "要点",
    "指南",
    "实施意见",
    "若干规定",
];
const ORGAN_ENDINGS: &[&str] = &[
    "人民政府",
    "政府",
    "办公室",
    "办公厅",
    "委员会",
    "局",
    "厅",
    "委",
    "部",
    "署",
    "中心",
    "院",
    "管委会",
    "管理委员会",
    "领导小组",
    "指挥部",
    "联合会",
    "协会",
    "商会",
    "总队",
    "支队",
];

pub fn read(lines: &[Line], hints: &MetaHints) -> (Meta, BodyBounds) {
    let doc_number = find_doc_number(lines);
    let date_line = find_date_line(lines);
    let title = find_title(lines, doc_number.as_ref().map(|(i, _)| *i))
        .or_else(|| find_title(lines, None))
        .or_else(|| hints.title.clone())
        .or_else(|| first_line_title(lines));
    let date = date_line
        .and_then(|i| parse_date(lines[i].text))
        .or_else(|| hints.date.clone());
    let issuer = date_line
        .and_then(|i| signature_before(lines, i))
        .or_else(|| masthead_organ(lines))
        .or_else(|| title.as_deref().and_then(organ_in_title))
        .or_else(|| hints.issuer.clone());
    let attachment_list = find_attachment_list(lines, date_line);
    let attachments = find_attachments(lines, date_line);
    let meta = Meta {
        title,
        doc_number: doc_number.map(|(_, n)| n),
        issuer,
        date,
        attachments,
    };
    (
        meta,
        BodyBounds {
            attachment_list,
            date_line,
        },
    )
}

/// A 发文字号 alone on its line (maybe beside 签发人), or labelled 发文字号：.
fn find_doc_number(lines: &[Line]) -> Option<(usize, String)> {
    lines.iter().take(HEAD_LINES * 2).find_map(|line| {
        let text = compact(line.text);
        let caps = DOC_NUMBER.captures(&text)?;
        let whole = caps.get(0)?;
        let before = &text[..whole.start()];
        let after = &text[whole.end()..];
        let labelled = before.ends_with("发文字号:")
            || before.ends_with("发文字号：")
            || before.ends_with("文号:")
            || before.ends_with("文号：");
        let alone = before.is_empty() && (after.is_empty() || after.starts_with("签发人"));
        let signer_first = before.starts_with("签发人");
        (labelled || alone || signer_first && after.is_empty()).then(|| {
            let number = numerals::parse(&caps[3]).unwrap_or(0);
            (
                line.index,
                format!("{}〔{}〕{}号", &caps[1], &caps[2], number),
            )
        })
    })
}

/// The 成文日期: the first line that is only a date, after the title area.
fn find_date_line(lines: &[Line]) -> Option<usize> {
    lines.iter().skip(1).find_map(|line| {
        // A date line is short and ends in 日; most lines fail this cheaply.
        if line.char_len > 40 || !line.text.trim_end().ends_with(['日', ')', '）']) {
            return None;
        }
        let text = compact(line.text);
        let text = text.trim_matches(|c| c == '（' || c == '）' || c == '(' || c == ')');
        let m = DATE.find(text)?;
        (m.start() == 0 && m.end() == text.len()).then_some(line.index)
    })
}

pub fn parse_date(text: &str) -> Option<String> {
    let compacted = compact(text);
    let caps = DATE.captures(&compacted)?;
    let year = numerals::parse(&caps[1].replace(['O', 'Ｏ'], "〇"))?;
    let month = numerals::parse(&caps[2])?;
    let day = numerals::parse(&caps[3])?;
    ((1..=12).contains(&month) && (1..=31).contains(&day))
        .then(|| format!("{year:04}-{month:02}-{day:02}"))
}

/// Title lines sit between the 发文字号 (or masthead) and the 主送机关 line;
/// a title may wrap over two or three lines.
fn find_title(lines: &[Line], doc_number_line: Option<usize>) -> Option<String> {
    let head: Vec<&Line> = lines
        .iter()
        .take(HEAD_LINES)
        .skip(doc_number_line.map_or(0, |i| i + 1))
        .collect();
    let mut parts: Vec<String> = Vec::new();
    for line in head {
        let text = compact(line.text);
        if text.is_empty() || is_masthead(&text) || DOC_NUMBER.is_match(&text) && text.len() < 60 {
            if parts.is_empty() {
                continue;
            }
            break;
        }
        if is_addressee(&text) || super::clauses::parse_label(&text).is_some() {
            break;
        }
        // Titles are short; a long line is body text.
        if text.chars().count() > 80 {
            break;
        }
        parts.push(text.clone());
        if TITLE_ENDINGS.iter().any(|e| text.ends_with(e)) || parts.len() == 3 {
            break;
        }
    }
    let title = parts.concat();
    let plausible = TITLE_ENDINGS.iter().any(|e| title.ends_with(e)) || title.starts_with("关于");
    (plausible && !title.is_empty()).then_some(title)
}

/// Last resort for documents without GB/T 9704 furniture (articles, drafts):
/// a short first line without sentence punctuation.
fn first_line_title(lines: &[Line]) -> Option<String> {
    let text = compact(lines.iter().find(|l| !l.text.trim().is_empty())?.text);
    let n = text.chars().count();
    ((4..=60).contains(&n) && !text.contains(['。', '；', '，', '：'])).then_some(text)
}

fn is_masthead(text: &str) -> bool {
    text.ends_with("文件") && text.chars().count() <= 30
        || text.starts_with("签发人")
        || text.chars().all(|c| !c.is_alphanumeric())
}

/// 主送机关: "各区人民政府，市政府各部门：" — ends with a colon, no sentence stop.
fn is_addressee(text: &str) -> bool {
    (text.ends_with('：') || text.ends_with(':'))
        && !text.contains('。')
        && text.chars().count() <= 120
}

/// Signature lines directly above the date: organ names, possibly several.
fn signature_before(lines: &[Line], date_line: usize) -> Option<String> {
    let mut organs: Vec<String> = Vec::new();
    for line in lines[..date_line].iter().rev().take(4) {
        let text = compact(line.text);
        if text.is_empty() {
            continue;
        }
        let organs_on_line = split_organs(line.text);
        if organs_on_line.is_empty() {
            break;
        }
        organs.splice(0..0, organs_on_line);
    }
    (!organs.is_empty()).then(|| organs.join("、"))
}

/// Splits a signature line into organ names; empty if any part is not one.
fn split_organs(line: &str) -> Vec<String> {
    let parts: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == '、')
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() || !parts.iter().all(|p| is_organ(p)) {
        return Vec::new();
    }
    parts.into_iter().map(str::to_string).collect()
}

fn is_organ(text: &str) -> bool {
    let n = text.chars().count();
    (2..=30).contains(&n)
        && ORGAN_ENDINGS.iter().any(|e| text.ends_with(e))
        && !text.contains(['，', '。', '；', '：', ':'])
}

fn masthead_organ(lines: &[Line]) -> Option<String> {
    lines.iter().take(10).find_map(|line| {
        let text = compact(line.text);
        let organ = text.strip_suffix("文件")?;
        is_organ(organ).then(|| organ.to_string())
    })
}

/// "青禾市人民政府关于…的通知" → 青禾市人民政府.
fn organ_in_title(title: &str) -> Option<String> {
    let (organ, _) = title.split_once("关于")?;
    is_organ(organ).then(|| organ.to_string())
}

/// The 附件说明 line (附件：1．…) in the main body, before the date.
fn find_attachment_list(lines: &[Line], date_line: Option<usize>) -> Option<usize> {
    let end = date_line.unwrap_or(lines.len());
    lines[..end].iter().rev().take(12).find_map(|line| {
        let text = compact(line.text);
        (text.starts_with("附件：") || text.starts_with("附件:")).then_some(line.index)
    })
}

fn find_attachments(lines: &[Line], date_line: Option<usize>) -> Vec<Attachment> {
    let start = date_line.map_or(0, |d| d + 1);
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate().skip(start) {
        let Some(label) = parse_attachment(line.text) else {
            continue;
        };
        let own_title = compact(line.text)
            .split_once(['：', ':'])
            .map(|(_, t)| t.to_string())
            .filter(|t| !t.is_empty());
        let title = own_title.or_else(|| {
            lines[i + 1..]
                .iter()
                .map(|l| compact(l.text))
                .find(|t| !t.is_empty())
                .filter(|t| super::clauses::parse_label(t).is_none())
        });
        out.push(Attachment {
            label: label.label,
            title,
            line: line.index,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::lines::lines;

    const NOTICE: &str = "青禾市人民政府文件\n青政发〔2024〕12号\n青禾市人民政府关于印发《青禾市促进\n民营经济发展若干措施》的通知\n各区人民政府，市政府各部门：\n现将《若干措施》印发给你们，请认真贯彻执行。\n附件：1．青禾市促进民营经济发展若干措施\n2．申报指南\n青禾市人民政府\n2024年3月18日\n（此件公开发布）\n附件1\n青禾市促进民营经济发展若干措施\n一、总体要求\n附件2\n申报指南\n抄送：市委各部门。\n青禾市人民政府办公室 2024年3月20日印发";

    #[test]
    fn reads_gbt9704_furniture() {
        let ls = lines(NOTICE);
        let (meta, bounds) = read(&ls, &MetaHints::default());
        assert_eq!(meta.doc_number.as_deref(), Some("青政发〔2024〕12号"));
        assert_eq!(
            meta.title.as_deref(),
            Some("青禾市人民政府关于印发《青禾市促进民营经济发展若干措施》的通知")
        );
        assert_eq!(meta.issuer.as_deref(), Some("青禾市人民政府"));
        assert_eq!(meta.date.as_deref(), Some("2024-03-18"));
        assert_eq!(bounds.date_line, Some(9));
        assert_eq!(bounds.attachment_list, Some(6));
        let labels: Vec<_> = meta.attachments.iter().map(|a| a.label.as_str()).collect();
        assert_eq!(labels, ["附件1", "附件2"]);
        assert_eq!(meta.attachments[1].title.as_deref(), Some("申报指南"));
    }

    #[test]
    fn chinese_numeral_dates_and_bracket_variants() {
        assert_eq!(
            parse_date("二〇二四年三月十八日").as_deref(),
            Some("2024-03-18")
        );
        assert_eq!(
            parse_date("二○二三年十二月三十一日").as_deref(),
            Some("2023-12-31")
        );
        let ls = lines("云政办发[2023]7号\n关于做好清理工作的通知\n各县：");
        let (meta, _) = read(&ls, &MetaHints::default());
        assert_eq!(meta.doc_number.as_deref(), Some("云政办发〔2023〕7号"));
        assert_eq!(meta.title.as_deref(), Some("关于做好清理工作的通知"));
    }
}
