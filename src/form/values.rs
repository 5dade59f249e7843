//! What the review form says: one value per placeholder name.
//!
//! Names (all optional in a template):
//! `措施名称 文件名称 发文字号 起草单位 成文日期 审查标准 填表日期 问题数量`,
//! per article `8.标题 8.是否 8.情况` (8–11), per item `8-1.标题 8-1.是否 8-1.情况`,
//! `例外 例外说明 建议结论 结论理由 其他说明`.
//! Sector, type, reviewing body, contacts, consultation, expert opinion and the
//! head's opinion are left for the person filling in the form.

use std::collections::{BTreeMap, HashMap};

use crate::annotate::comment::regulation_item;
use crate::document::numerals::to_chinese;
use crate::report::conclusion::{self, DISCLAIMER as PROPOSAL_NOTE};
use crate::review::{Finding, Review};
use crate::rules::Standards;
use crate::rules::standards::group_name;

pub fn values(review: &Review, standards: &Standards, file_name: &str) -> HashMap<String, String> {
    let mut v = HashMap::new();
    let mut set = |k: &str, value: String| {
        v.insert(k.to_string(), value);
    };
    let stem = file_name
        .rsplit_once('.')
        .map_or(file_name, |(stem, _)| stem)
        .to_string();
    let meta = &review.meta;
    set("措施名称", meta.title.clone().unwrap_or(stem));
    set("文件名称", file_name.to_string());
    set("发文字号", meta.doc_number.clone().unwrap_or_default());
    set("起草单位", meta.issuer.clone().unwrap_or_default());
    set(
        "成文日期",
        meta.date.as_deref().map(chinese_date).unwrap_or_default(),
    );
    set("审查标准", standards.version.clone());
    set("填表日期", chinese_date(&crate::clock::now_utc()));
    set("问题数量", review.findings.len().to_string());

    let mut by_article: BTreeMap<u8, Vec<&Finding>> = BTreeMap::new();
    for item in &standards.item {
        let found: Vec<&Finding> = review
            .findings
            .iter()
            .filter(|f| f.article == item.article && f.item == item.item)
            .collect();
        let code = format!("{}-{}", item.article, item.item);
        set(&format!("{code}.标题"), item.title.clone());
        set(&format!("{code}.是否"), yes_no(!found.is_empty()).into());
        set(&format!("{code}.情况"), evidence(&found));
        by_article.entry(item.article).or_default().extend(found);
    }
    for (article, found) in &by_article {
        let group = standards
            .item
            .iter()
            .find(|i| i.article == *article)
            .map_or("其他", |i| group_name(&i.group));
        set(&format!("{article}.标题"), format!("{group}标准"));
        set(&format!("{article}.是否"), yes_no(!found.is_empty()).into());
        let mut items: Vec<u8> = found.iter().map(|f| f.item).collect();
        items.dedup();
        let summary = if found.is_empty() {
            "未发现违反本条标准的情形".to_string()
        } else {
            let list: Vec<String> = items
                .iter()
                .map(|i| format!("第（{}）项", to_chinese(*i as u32)))
                .collect();
            format!("涉及{}，共 {} 处", list.join("、"), found.len())
        };
        set(&format!("{article}.情况"), summary);
    }

    let exceptions: Vec<&Finding> = review
        .findings
        .iter()
        .filter(|f| suggests_exception(f))
        .collect();
    set("例外", yes_no(!exceptions.is_empty()).into());
    set(
        "例外说明",
        if exceptions.is_empty() {
            "未发现列明公共利益理由和实施期限、可能适用第十二条例外规定的条款。".into()
        } else {
            format!(
                "以下条款列明了公共利益理由和实施期限，可能适用《公平竞争审查条例》第十二条的例外规定，需说明理由、没有对公平竞争影响更小的替代方案以及实施期限：\n{}",
                evidence(&exceptions)
            )
        },
    );

    match conclusion::propose(review) {
        Some(p) => {
            set("建议结论", p.conclusion.label().into());
            set("结论理由", format!("{}{PROPOSAL_NOTE}", p.reason));
        }
        None => {
            set("建议结论", String::new());
            set("结论理由", "文件无法读取，未提出建议。".into());
        }
    }

    let mut notes = vec![format!(
        "本表由 fairscan 根据“{file_name}”预填，共发现 {} 处问题条款；是否违反、例外和结论均为建议，请审查机构逐项核对。",
        review.findings.len()
    )];
    if let Some(sha) = &review.sha256 {
        notes.push(format!("文件 SHA-256：{sha}"));
    }
    notes.extend(review.warnings.iter().map(|w| format!("注意：{w}")));
    if !review.suppressed.is_empty() {
        notes.push(format!(
            "另有 {} 处按基线确认为可接受，未列入。",
            review.suppressed.len()
        ));
    }
    set("其他说明", notes.join("\n"));
    v
}

fn yes_no(b: bool) -> &'static str {
    if b { "是" } else { "否" }
}

/// The findings as reviewers cite them, one per line.
fn evidence(found: &[&Finding]) -> String {
    if found.is_empty() {
        return "未发现".into();
    }
    found
        .iter()
        .map(|f| {
            let clause = if f.clause.is_empty() {
                "（未识别条款位置）".to_string()
            } else {
                f.clause.clone()
            };
            format!(
                "{clause}：“{}”（{}，{}）",
                f.text,
                f.level.label(),
                regulation_item(f.article, f.item)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The engine turns a finding into an Article 12 suggestion by saying so in
/// its explanation; that wording is the signal.
fn suggests_exception(f: &Finding) -> bool {
    f.explanation.contains("第十二条") && f.explanation.contains("例外")
}

/// `2024-03-18` → `2024年3月18日` (anything else as is).
fn chinese_date(iso: &str) -> String {
    let mut parts = iso.get(..10).unwrap_or(iso).split('-');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(y), Some(m), Some(d)) => {
            let n = |s: &str| s.trim_start_matches('0').to_string();
            format!("{y}年{}月{}日", n(m), n(d))
        }
        _ => iso.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(chinese_date("2024-03-18"), "2024年3月18日");
        assert_eq!(chinese_date("2024-11-05T10:00:00Z"), "2024年11月5日");
        assert_eq!(chinese_date("去年"), "去年");
    }
}
