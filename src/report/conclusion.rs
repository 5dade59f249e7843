//! The proposed conclusion for one document, shared by every output that
//! states one: 可以出台, 修改后出台 or 不得出台, with the reason.
//!
//! The tool only proposes; the reviewing body decides and signs.
//!
//! Rule for 不得出台: when the sentences flagged at warning or above make up
//! more than half of the document's text (and there are at least three of
//! them), the restriction is taken to be the measure's purpose rather than a
//! clause a rewrite can fix.

use std::collections::BTreeSet;

use crate::review::{Level, Review};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conclusion {
    /// 可以出台: nothing at warning or above.
    MayIssue,
    /// 修改后出台: findings a rewrite of the clauses can remove.
    IssueAfterRevision,
    /// 不得出台: the measure's purpose itself is the restriction.
    MayNotIssue,
}

impl Conclusion {
    pub fn label(&self) -> &'static str {
        match self {
            Conclusion::MayIssue => "可以出台",
            Conclusion::IssueAfterRevision => "修改后出台",
            Conclusion::MayNotIssue => "不得出台",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub conclusion: Conclusion,
    pub reason: String,
}

/// Appended wherever a proposal is shown.
pub const PROPOSAL_NOTE: &str = "以上为工具提出的建议，结论由审查机构作出。";

/// Share of the text above which the flagged sentences are the measure itself.
const PURPOSE_SHARE: f64 = 0.5;
/// Fewest flagged sentences before a document can be 不得出台.
const PURPOSE_MIN_SENTENCES: usize = 3;

/// The proposal for a review; `None` when the file could not be read.
pub fn propose(review: &Review) -> Option<Proposal> {
    if review.error.is_some() {
        return None;
    }
    let serious: Vec<_> = review
        .findings
        .iter()
        .filter(|f| f.level >= Level::Warning)
        .collect();
    let to_verify = review.findings.len() - serious.len();
    if serious.is_empty() {
        let reason = if to_verify == 0 {
            "未发现违反《公平竞争审查条例》第八条至第十一条审查标准的条款。".to_string()
        } else {
            format!(
                "未发现明确违反审查标准的条款；有 {to_verify} 处需核实法律依据或例外情形的提示，核实无误后可以出台。"
            )
        };
        return Some(Proposal {
            conclusion: Conclusion::MayIssue,
            reason,
        });
    }
    let spans: BTreeSet<(usize, usize)> = serious.iter().map(|f| (f.start, f.end)).collect();
    let flagged = covered(&spans);
    let share = if review.chars == 0 {
        0.0
    } else {
        flagged as f64 / review.chars as f64
    };
    let errors = serious.iter().filter(|f| f.level == Level::Error).count();
    let warnings = serious.len() - errors;
    if spans.len() >= PURPOSE_MIN_SENTENCES && share > PURPOSE_SHARE {
        return Some(Proposal {
            conclusion: Conclusion::MayNotIssue,
            reason: format!(
                "被标记的 {} 个句子占全文约 {:.0}%，排除、限制竞争的内容构成措施的主体，修改个别条款难以消除影响。",
                spans.len(),
                share * 100.0
            ),
        });
    }
    Some(Proposal {
        conclusion: Conclusion::IssueAfterRevision,
        reason: format!(
            "发现 {} 处可能排除、限制竞争的条款（错误 {errors}，警告 {warnings}），删除或修改这些条款后可以出台。",
            serious.len()
        ),
    })
}

/// Characters covered by the union of spans.
fn covered(spans: &BTreeSet<(usize, usize)>) -> usize {
    let mut total = 0;
    let mut reach = 0;
    for &(start, end) in spans {
        let from = start.max(reach);
        if end > from {
            total += end - from;
        }
        reach = reach.max(end);
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::{Finding, ReviewMeta};

    fn review(chars: usize, findings: &[(usize, usize, Level)]) -> Review {
        Review {
            path: "x".into(),
            format: "txt".into(),
            sha256: None,
            chars,
            meta: ReviewMeta::default(),
            error: None,
            warnings: vec![],
            findings: findings
                .iter()
                .map(|&(start, end, level)| Finding {
                    id: String::new(),
                    rule: "r".into(),
                    article: 10,
                    item: 2,
                    level,
                    confidence: 0.9,
                    clause: String::new(),
                    start,
                    end,
                    page: None,
                    text: String::new(),
                    evidence: vec![],
                    explanation: String::new(),
                    suggestion: String::new(),
                    ocr: false,
                })
                .collect(),
            suppressed: vec![],
        }
    }

    #[test]
    fn conclusions_follow_the_flagged_share() {
        let c = |r: &Review| propose(r).unwrap().conclusion;
        assert_eq!(c(&review(100, &[])), Conclusion::MayIssue);
        assert_eq!(
            c(&review(100, &[(0, 10, Level::Suggestion)])),
            Conclusion::MayIssue
        );
        assert_eq!(
            c(&review(100, &[(0, 10, Level::Error)])),
            Conclusion::IssueAfterRevision
        );
        // Two rules on one sentence count it once.
        let most = [
            (0, 30, Level::Error),
            (0, 30, Level::Warning),
            (30, 50, Level::Error),
            (60, 90, Level::Warning),
        ];
        assert_eq!(c(&review(100, &most)), Conclusion::MayNotIssue);
        assert_eq!(
            c(&review(200, &most)),
            Conclusion::IssueAfterRevision,
            "80 of 200 characters is not most of the text"
        );
        let mut failed = review(10, &[]);
        failed.error = Some(crate::review::ReviewError {
            kind: "io".into(),
            message: "x".into(),
        });
        assert!(propose(&failed).is_none());
    }
}
