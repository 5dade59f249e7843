//! Literal gates for `re:` terms.
//!
//! Most patterns can only match where some literal occurs (`…(分支机构|子公司)`).
//! Those literals are found in the same cheap automaton pass as the other
//! terms, and a pattern then runs only on the sentences holding one — instead
//! of scanning the whole text once per pattern.

use regex_syntax::hir::{Hir, HirKind};

/// Literals one of which every match of `pattern` contains, or `None` when
/// the pattern has no such set (it then scans the whole text).
pub fn required_literals(pattern: &str) -> Option<Vec<String>> {
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    required(&hir).filter(|set| !set.is_empty() && set.iter().all(|s| !s.is_empty()))
}

fn required(h: &Hir) -> Option<Vec<String>> {
    match h.kind() {
        HirKind::Literal(l) => Some(vec![String::from_utf8(l.0.to_vec()).ok()?]),
        HirKind::Capture(c) => required(&c.sub),
        HirKind::Repetition(r) if r.min >= 1 => required(&r.sub),
        HirKind::Concat(children) => children
            .iter()
            .filter_map(required)
            .max_by_key(|set| set.iter().map(|s| s.chars().count()).min().unwrap_or(0)),
        HirKind::Alternation(children) => {
            let mut all = Vec::new();
            for c in children {
                all.extend(required(c)?);
            }
            Some(all)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_literals_every_match_needs() {
        let set = required_literals("(须|应当)[^，。]{0,20}?(分支机构|子公司)").unwrap();
        assert!(
            set == ["分支机构", "子公司"] || set == ["须", "应当"],
            "{set:?}"
        );
        assert_eq!(
            required_literals(r"[\p{Han}]{2,40}(有限公司|集团公司)").unwrap(),
            ["有限公司", "集团公司"]
        );
        assert_eq!(required_literals("[0-9]+强"), Some(vec!["强".to_string()]));
        assert_eq!(required_literals(r"[\p{Han}]{1,5}"), None);
        assert_eq!(required_literals("(甲|[乙丙])"), None);
    }
}
