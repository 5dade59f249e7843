//! The proposed conclusion per document, shared by every reporter that shows one.
//!
//! The tool proposes; the reviewer decides and signs. The rule:
//! - 可以出台: no finding at warning level or above;
//! - 不得出台: error-level findings cover at least half of the document's
//!   characters — the measure's purpose itself is the problem, a rewrite of a
//!   few clauses cannot save it;
//! - 修改后出台: every other document with warning or error findings.

use serde::Serialize;

use crate::review::{Level, Review};

/// Share of the text that error-level findings must cover for 不得出台.
pub const REJECT_COVERAGE: f64 = 0.5;

/// Shown beside every proposed conclusion.
pub const NOTICE: &str = "以上为工具提出的建议结论，须由审查人员逐条核实后作出审查结论并签署意见。";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Conclusion {
    /// 可以出台
    Adopt,
    /// 修改后出台
    Revise,
    /// 不得出台
    Reject,
}

impl Conclusion {
    pub const ALL: [Conclusion; 3] = [Conclusion::Adopt, Conclusion::Revise, Conclusion::Reject];

    pub fn label(self) -> &'static str {
        match self {
            Conclusion::Adopt => "可以出台",
            Conclusion::Revise => "修改后出台",
            Conclusion::Reject => "不得出台",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Conclusion::Adopt => "adopt",
            Conclusion::Revise => "revise",
            Conclusion::Reject => "reject",
        }
    }
}

/// The proposed conclusion; `None` when the file could not be reviewed.
pub fn propose(review: &Review) -> Option<Conclusion> {
    if review.error.is_some() {
        return None;
    }
    if review.findings.iter().all(|f| f.level < Level::Warning) {
        return Some(Conclusion::Adopt);
    }
    if error_coverage(review) >= REJECT_COVERAGE {
        Some(Conclusion::Reject)
    } else {
        Some(Conclusion::Revise)
    }
}

/// One sentence saying why, in the reviewer's language.
pub fn reason(review: &Review) -> String {
    let count = |l: Level| review.findings.iter().filter(|f| f.level == l).count();
    match propose(review) {
        None => "文件无法读取，未作审查。".to_string(),
        Some(Conclusion::Adopt) if review.findings.is_empty() => {
            "未发现可能排除、限制竞争的条款。".to_string()
        }
        Some(Conclusion::Adopt) => format!(
            "仅有 {} 处提示，未发现警告或错误级别的问题。",
            count(Level::Suggestion)
        ),
        Some(Conclusion::Revise) => format!(
            "发现错误 {} 处、警告 {} 处，修改或删除相关条款后可以出台。",
            count(Level::Error),
            count(Level::Warning)
        ),
        Some(Conclusion::Reject) => format!(
            "错误级别的问题条款占全文约 {:.0}%，政策措施的主要内容即存在排除、限制竞争问题。",
            error_coverage(review) * 100.0
        ),
    }
}

/// Share of the document's characters inside error-level finding spans
/// (overlapping spans counted once).
fn error_coverage(review: &Review) -> f64 {
    if review.chars == 0 {
        return 0.0;
    }
    let mut spans: Vec<(usize, usize)> = review
        .findings
        .iter()
        .filter(|f| f.level == Level::Error && f.end > f.start)
        .map(|f| (f.start, f.end.min(review.chars)))
        .collect();
    spans.sort_unstable();
    let mut covered = 0;
    let mut reach = 0;
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

    fn review(chars: usize, spans: &[(Level, usize, usize)]) -> Review {
        Review {
            path: "a.txt".into(),
            format: "txt".into(),
            sha256: None,
            chars,
            meta: ReviewMeta::default(),
            error: None,
            warnings: vec![],
            findings: spans
                .iter()
                .map(|&(level, start, end)| Finding {
                    id: String::new(),
                    rule: "r".into(),
                    article: 9,
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
    fn proposes_by_level_and_coverage() {
        assert_eq!(propose(&review(100, &[])), Some(Conclusion::Adopt));
        let hint = review(100, &[(Level::Suggestion, 0, 90)]);
        assert_eq!(propose(&hint), Some(Conclusion::Adopt));
        assert!(reason(&hint).contains("1 处提示"));
        let one = review(100, &[(Level::Error, 10, 30), (Level::Warning, 40, 90)]);
        assert_eq!(propose(&one), Some(Conclusion::Revise));
        // Overlapping error spans count once: 20..60 is 40%.
        let overlap = review(100, &[(Level::Error, 20, 50), (Level::Error, 30, 60)]);
        assert_eq!(propose(&overlap), Some(Conclusion::Revise));
        let most = review(100, &[(Level::Error, 0, 30), (Level::Error, 25, 55)]);
        assert_eq!(propose(&most), Some(Conclusion::Reject));
        assert!(reason(&most).contains("55%"));
        let mut failed = review(0, &[]);
        failed.error = Some(crate::review::ReviewError {
            kind: "corrupt".into(),
            message: "损坏".into(),
        });
        assert_eq!(propose(&failed), None);
    }
}
