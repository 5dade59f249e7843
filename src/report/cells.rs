//! Cell texts shared by the tabular reporters (xlsx, csv): one finding as one
//! row of the 问题清单, items as reviewers cite them.

use std::collections::BTreeMap;

use crate::document::numerals::to_chinese;
use crate::review::{Finding, Review};
use crate::rules::RuleSet;

/// Columns of the 问题清单, in order. The last one is left for the reviewer.
pub const FINDING_HEADERS: [&str; 12] = [
    "文件",
    "标题",
    "条款位置",
    "原文",
    "条目",
    "级别",
    "置信度",
    "依据词",
    "理由",
    "修改建议",
    "规则编号",
    "审查决定",
];

/// Index of the level column in [`FINDING_HEADERS`].
pub const LEVEL_COLUMN: usize = 5;
/// Index of the confidence column in [`FINDING_HEADERS`] (a number, not text).
pub const CONFIDENCE_COLUMN: usize = 6;
/// Index of the 理由 column in [`FINDING_HEADERS`].
pub const REASON_COLUMN: usize = 8;

/// `8(3)`: the short code used in counts.
pub fn item_code(article: u8, item: u8) -> String {
    format!("{article}({item})")
}

/// `《公平竞争审查条例》第八条第（三）项`.
pub fn item_citation(article: u8, item: u8) -> String {
    format!(
        "《公平竞争审查条例》第{}条第（{}）项",
        to_chinese(article as u32),
        to_chinese(item as u32)
    )
}

/// The item's title from the standards catalogue.
pub fn item_title(article: u8, item: u8) -> &'static str {
    RuleSet::embedded()
        .standards
        .item(article, item)
        .map(|i| i.title.as_str())
        .unwrap_or("")
}

/// Citation and title, e.g. `《公平竞争审查条例》第八条第（三）项 限定交易：…`.
pub fn item_label(article: u8, item: u8) -> String {
    let title = item_title(article, item);
    if title.is_empty() {
        item_citation(article, item)
    } else {
        format!("{} {}", item_citation(article, item), title)
    }
}

/// Where the finding sits: the clause citation, the page when known, and a
/// reminder when the sentence was recognised from an image.
pub fn location(f: &Finding) -> String {
    let mut s = f.clause.clone();
    if let Some(p) = f.page {
        s.push_str(&format!("（第{p}页）"));
    }
    if f.ocr {
        s.push_str("（图像识别文字，请对照原件）");
    }
    s
}

/// Items a review touches with their finding counts: `8(3)、10(2)`.
pub fn items_touched(review: &Review) -> String {
    let mut counts: BTreeMap<(u8, u8), usize> = BTreeMap::new();
    for f in &review.findings {
        *counts.entry((f.article, f.item)).or_default() += 1;
    }
    counts
        .iter()
        .map(|(&(a, i), n)| format!("{}({n})", item_code(a, i)))
        .collect::<Vec<_>>()
        .join("、")
}

/// One finding as the cells of [`FINDING_HEADERS`].
pub fn finding_cells(review: &Review, f: &Finding) -> [String; 12] {
    [
        review.path.clone(),
        review.meta.title.clone().unwrap_or_default(),
        location(f),
        f.text.clone(),
        item_label(f.article, f.item),
        f.level.label().to_string(),
        format!("{:.2}", f.confidence),
        f.evidence.join("、"),
        f.explanation.clone(),
        f.suggestion.clone(),
        f.rule.clone(),
        String::new(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_cited_as_reviewers_write_them() {
        assert_eq!(item_code(10, 2), "10(2)");
        assert_eq!(item_citation(8, 3), "《公平竞争审查条例》第八条第（三）项");
        assert!(item_label(8, 3).ends_with(item_title(8, 3)));
        assert!(!item_title(8, 3).is_empty());
        assert_eq!(
            item_label(99, 1),
            "《公平竞争审查条例》第九十九条第（一）项"
        );
    }
}
