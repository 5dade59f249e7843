//! The proposed conclusion for one document (建议结论), shared by every reporter.
//!
//! The tool proposes; a reviewer decides and signs. The rule, applied in order:
//!
//! 1. A file that could not be read gets no proposal.
//! 2. **不得出台** when the document's purpose itself appears to be the
//!    violation: its title is flagged at error level, or error-level findings
//!    cover at least [`REJECT_SHARE`] of its text. Rewriting single clauses
//!    cannot fix a measure whose point is to exclude or restrict competition.
//! 3. **修改后出台** when any finding is at warning level or above: the flagged
//!    clauses can be revised or deleted.
//! 4. **可以出台** otherwise; suggestions alone only ask the reviewer to look.
//!
//! Findings hidden by a baseline were accepted by a reviewer and do not count.

use crate::document::numerals::to_chinese;
use crate::review::{Level, Review};

/// Share of the text covered by error-level findings from which the whole
/// document is proposed as 不得出台.
pub const REJECT_SHARE: f64 = 0.5;

/// Printed wherever a conclusion is proposed.
pub const DISCLAIMER: &str = "建议结论由工具按规则自动提出，仅供参考，须由审查人员核定并签署。";

/// The rule above in one sentence, for reports that explain themselves.
pub const RULE: &str = "无警告及以上级别问题的，建议可以出台；有警告或错误、可通过修改条款消除的，建议修改后出台；标题本身被判为错误，或错误条款占正文一半以上的，建议不得出台。";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Conclusion {
    Publish,
    Revise,
    Reject,
}

impl Conclusion {
    pub const ALL: [Conclusion; 3] = [Conclusion::Publish, Conclusion::Revise, Conclusion::Reject];

    /// A stable ASCII name (CSS classes, JSON).
    pub fn as_str(&self) -> &'static str {
        match self {
            Conclusion::Publish => "adopt",
            Conclusion::Revise => "revise",
            Conclusion::Reject => "reject",
        }
    }

    /// The wording of the review form.
    pub fn label(&self) -> &'static str {
        match self {
            Conclusion::Publish => "可以出台",
            Conclusion::Revise => "修改后出台",
            Conclusion::Reject => "不得出台",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub conclusion: Conclusion,
    /// Why, in Chinese, naming the rule that applied.
    pub reason: String,
}

/// Why the proposal is what it is, or why there is none.
pub fn reason(review: &Review) -> String {
    propose(review).map_or_else(|| "文件无法读取，未作审查。".to_string(), |p| p.reason)
}

/// The proposed conclusion for a review; `None` when the file was not read.
pub fn propose(review: &Review) -> Option<Proposal> {
    if review.error.is_some() {
        return None;
    }
    let count = |level| review.findings.iter().filter(|f| f.level == level).count();
    let (errors, warnings, suggestions) = (
        count(Level::Error),
        count(Level::Warning),
        count(Level::Suggestion),
    );
    if let Some(item) = flagged_title(review) {
        return Some(Proposal {
            conclusion: Conclusion::Reject,
            reason: format!(
                "文件标题所述措施本身被判为错误（{item}），措施目的即涉嫌排除、限制竞争"
            ),
        });
    }
    let share = error_share(review);
    if errors > 0 && share >= REJECT_SHARE {
        return Some(Proposal {
            conclusion: Conclusion::Reject,
            reason: format!(
                "错误级别的问题条款占正文约 {:.0}%，措施主体即涉嫌排除、限制竞争",
                share * 100.0
            ),
        });
    }
    if errors + warnings > 0 {
        let counts: Vec<String> = [("错误", errors), ("警告", warnings)]
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(name, n)| format!("{name} {n} 处"))
            .collect();
        return Some(Proposal {
            conclusion: Conclusion::Revise,
            reason: format!("发现{}，逐条修改或删除相关条款后可出台", counts.join("、")),
        });
    }
    let reason = if suggestions > 0 {
        format!("未发现警告及以上级别的问题；另有提示 {suggestions} 处，请人工核对")
    } else {
        "未发现问题条款".to_string()
    };
    Some(Proposal {
        conclusion: Conclusion::Publish,
        reason,
    })
}

/// The item of an error-level finding whose sentence is the document's title.
fn flagged_title(review: &Review) -> Option<String> {
    let title = compact(review.meta.title.as_deref()?);
    if title.chars().count() < 6 {
        return None;
    }
    review
        .findings
        .iter()
        .filter(|f| f.level == Level::Error)
        .find(|f| {
            let text = compact(&f.text);
            text.chars().count() >= 6 && (text.contains(&title) || title.contains(&text))
        })
        .map(|f| {
            format!(
                "第{}条第（{}）项",
                to_chinese(f.article.into()),
                to_chinese(f.item.into())
            )
        })
}

/// Whitespace and trailing punctuation removed, so a title split over lines
/// still matches its sentence.
fn compact(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .trim_end_matches(['。', '；', '，', '.', ';'])
        .to_string()
}

/// Share of the text covered by error-level findings, overlaps counted once.
fn error_share(review: &Review) -> f64 {
    if review.chars == 0 {
        return 0.0;
    }
    let mut spans: Vec<(usize, usize)> = review
        .findings
        .iter()
        .filter(|f| f.level == Level::Error && f.start < f.end)
        .map(|f| (f.start, f.end.min(review.chars)))
        .collect();
    spans.sort_unstable();
    let mut covered = 0usize;
    let mut reach = 0usize;
    for (start, end) in spans {
        let start = start.max(reach);
        if end > start {
            covered += end - start;
            reach = end;
        }
    }
    covered as f64 / review.chars as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::{Finding, ReviewMeta};

    fn finding(level: Level, start: usize, end: usize, text: &str) -> Finding {
        Finding {
            id: "x".into(),
            rule: "r".into(),
            article: 8,
            item: 3,
            level,
            confidence: 0.9,
            clause: "第一条".into(),
            start,
            end,
            page: None,
            text: text.into(),
            evidence: vec![],
            explanation: String::new(),
            suggestion: String::new(),
            ocr: false,
            similar: Vec::new(),
        }
    }

    fn review(chars: usize, title: &str, findings: Vec<Finding>) -> Review {
        let mut r = Review::failed("a.txt".into(), "txt", None, "x", String::new());
        r.error = None;
        r.chars = chars;
        r.meta = ReviewMeta {
            title: Some(title.into()),
            ..ReviewMeta::default()
        };
        r.findings = findings;
        r
    }

    fn conclusion(r: &Review) -> Conclusion {
        propose(r).unwrap().conclusion
    }

    #[test]
    fn unreadable_files_get_no_proposal() {
        let r = Review::failed("a.docx".into(), "docx", None, "corrupt", "坏".into());
        assert_eq!(propose(&r), None);
    }

    #[test]
    fn suggestions_alone_still_allow_publishing() {
        let r = review(1000, "关于某事的通知", vec![]);
        assert_eq!(conclusion(&r), Conclusion::Publish);
        let r = review(
            1000,
            "关于某事的通知",
            vec![finding(Level::Suggestion, 0, 900, "某句")],
        );
        let p = propose(&r).unwrap();
        assert_eq!(p.conclusion, Conclusion::Publish);
        assert!(p.reason.contains("提示 1 处"));
    }

    #[test]
    fn a_few_flagged_clauses_ask_for_revision() {
        let r = review(
            1000,
            "关于某事的通知",
            vec![
                finding(Level::Error, 100, 200, "限定购买本地产品。"),
                finding(Level::Warning, 300, 350, "某句"),
            ],
        );
        let p = propose(&r).unwrap();
        assert_eq!(p.conclusion, Conclusion::Revise);
        assert!(p.reason.contains("错误 1 处、警告 1 处"));
    }

    #[test]
    fn mostly_flagged_text_is_not_to_be_published() {
        // Overlapping spans count once: 100..400 and 350..700 cover 600 of 1000.
        let r = review(
            1000,
            "关于某事的通知",
            vec![
                finding(Level::Error, 100, 400, "甲"),
                finding(Level::Error, 350, 700, "乙"),
            ],
        );
        let p = propose(&r).unwrap();
        assert_eq!(p.conclusion, Conclusion::Reject);
        assert!(p.reason.contains("60%"), "{}", p.reason);
        // Warnings never make a document unpublishable on their own.
        let r = review(
            1000,
            "关于某事的通知",
            vec![finding(Level::Warning, 0, 1000, "甲")],
        );
        assert_eq!(conclusion(&r), Conclusion::Revise);
    }

    #[test]
    fn a_flagged_title_is_not_to_be_published() {
        let title = "关于限定使用本地企业产品的通知";
        let r = review(
            5000,
            title,
            vec![finding(
                Level::Error,
                0,
                15,
                "关于限定使用本地企业产品的通知",
            )],
        );
        let p = propose(&r).unwrap();
        assert_eq!(p.conclusion, Conclusion::Reject);
        assert!(p.reason.contains("第八条第（三）项"), "{}", p.reason);
    }
}
