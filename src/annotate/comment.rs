//! What one review comment says, whatever document it goes into.

use crate::document::numerals::to_chinese;
use crate::review::Finding;
use crate::rules::Standards;

pub const AUTHOR: &str = "fairscan";
pub const INITIALS: &str = "FS";

/// `《公平竞争审查条例》第十条第（二）项`.
pub fn regulation_item(article: u8, item: u8) -> String {
    format!(
        "《公平竞争审查条例》第{}条第（{}）项",
        to_chinese(article as u32),
        to_chinese(item as u32)
    )
}

/// The comment's paragraphs: headline, reason, suggestion, and a note on
/// where it is anchored when the sentence itself could not be marked.
pub fn paragraphs(f: &Finding, standards: &Standards, note: Option<&str>) -> Vec<String> {
    let title = standards
        .item(f.article, f.item)
        .map(|i| format!("（{}）", i.title))
        .unwrap_or_default();
    let clause = if f.clause.is_empty() {
        String::new()
    } else {
        format!("— {}", f.clause)
    };
    let mut out = vec![
        format!(
            "【{}】{}{title}{clause}",
            f.level.label(),
            regulation_item(f.article, f.item)
        ),
        format!("理由：{}", f.explanation),
        format!("建议：{}", f.suggestion),
    ];
    if !f.evidence.is_empty() {
        out.push(format!("依据词：{}", f.evidence.join("、")));
    }
    if let Some(note) = note {
        out.push(format!("注意：{note}原句：“{}”", f.text));
    }
    out
}

/// Drops characters XML 1.0 cannot carry (control characters other than tab
/// and line breaks), so a comment never makes a part unreadable.
pub fn xml_safe(text: &str) -> String {
    text.chars()
        .filter(|&c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .filter(|&c| !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citations_and_xml_text() {
        assert_eq!(
            regulation_item(10, 2),
            "《公平竞争审查条例》第十条第（二）项"
        );
        assert_eq!(xml_safe("a\u{1}b\nc"), "ab\nc");
    }
}
