//! Literal gates for `re:` terms.
//!
//! Most patterns can only match where some literals occur
//! (`(本地|本市)[^，。]{0,8}?(分支机构|子公司)` needs one of 本地/本市 *and* one of
//! 分支机构/子公司). Those literals are found in the same cheap automaton pass as
//! the other terms, and a pattern then runs only on the sentences holding one
//! literal of every set it needs — instead of scanning the whole text once per
//! pattern.

use regex_syntax::hir::{Class, Hir, HirKind};

/// Sets of literals such that every match of `pattern` contains at least one
/// literal of each set, or `None` when there is no such set (the pattern then
/// scans the whole text).
pub fn required_literals(pattern: &str) -> Option<Vec<Vec<String>>> {
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    let mut sets = all_required(&hir);
    sets.retain(|set| !set.is_empty() && set.iter().all(|s| !s.is_empty()));
    sets.dedup();
    // A set holding a single character (的, 市) occurs in nearly every
    // sentence: it gates nothing and only floods the automaton with matches.
    // Such sets are dropped unless there is nothing better.
    let shortest = |set: &Vec<String>| set.iter().map(|s| s.chars().count()).min().unwrap_or(0);
    if sets.iter().any(|set| shortest(set) >= 2) {
        sets.retain(|set| shortest(set) >= 2);
    } else {
        let best = sets.iter().max_by_key(|set| shortest(set)).cloned();
        sets = best.into_iter().collect();
    }
    (!sets.is_empty()).then_some(sets)
}

/// Whether no match of `pattern` can contain `ch`: no literal or class of it
/// holds the character, and it has no look-around that could depend on text
/// beyond one stretch.
pub fn never_matches(pattern: &str, ch: char) -> bool {
    regex_syntax::Parser::new()
        .parse(pattern)
        .is_ok_and(|hir| !can_match(&hir, ch))
}

fn can_match(h: &Hir, ch: char) -> bool {
    match h.kind() {
        HirKind::Empty => false,
        HirKind::Literal(l) => std::str::from_utf8(&l.0).map_or(true, |s| s.contains(ch)),
        HirKind::Class(Class::Unicode(c)) => {
            c.ranges().iter().any(|r| r.start() <= ch && ch <= r.end())
        }
        HirKind::Class(Class::Bytes(_)) | HirKind::Look(_) => true,
        HirKind::Repetition(r) => can_match(&r.sub, ch),
        HirKind::Capture(c) => can_match(&c.sub, ch),
        HirKind::Concat(hs) | HirKind::Alternation(hs) => hs.iter().any(|h| can_match(h, ch)),
    }
}

/// Every set the whole of `h` needs (a conjunction of alternatives).
fn all_required(h: &Hir) -> Vec<Vec<String>> {
    match h.kind() {
        HirKind::Capture(c) => all_required(&c.sub),
        HirKind::Repetition(r) if r.min >= 1 => all_required(&r.sub),
        HirKind::Concat(children) => {
            // Neighbouring fixed pieces join into longer, rarer literals:
            // 应(在|为) needs 应在 or 应为, not just 应.
            let mut sets = Vec::new();
            let mut run: Option<Vec<String>> = None;
            for child in children {
                match (exact(child), run.take()) {
                    (Some(next), None) => run = Some(next),
                    (Some(next), Some(prev)) => {
                        run = Some(match joined(&prev, &next) {
                            Some(both) => both,
                            None => {
                                sets.push(prev);
                                next
                            }
                        })
                    }
                    (None, prev) => {
                        sets.extend(prev);
                        sets.extend(all_required(child));
                    }
                }
            }
            sets.extend(run);
            sets
        }
        _ => one_set(h).into_iter().collect(),
    }
}

/// Most literals a joined set may hold.
const MAX_JOINED: usize = 400;

/// Every string `h` can match, when it matches only a few fixed strings.
fn exact(h: &Hir) -> Option<Vec<String>> {
    match h.kind() {
        HirKind::Literal(l) => Some(vec![String::from_utf8(l.0.to_vec()).ok()?]),
        HirKind::Capture(c) => exact(&c.sub),
        // X? is X or nothing.
        HirKind::Repetition(r) if r.min == 0 && r.max == Some(1) => {
            let mut all = exact(&r.sub)?;
            all.push(String::new());
            Some(all)
        }
        HirKind::Class(Class::Unicode(class)) => {
            let mut all = Vec::new();
            for r in class.ranges() {
                for ch in r.start()..=r.end() {
                    all.push(ch.to_string());
                    if all.len() > MAX_JOINED {
                        return None;
                    }
                }
            }
            Some(all)
        }
        HirKind::Alternation(children) => {
            let mut all = Vec::new();
            for c in children {
                all.extend(exact(c)?);
            }
            (all.len() <= MAX_JOINED).then_some(all)
        }
        HirKind::Concat(children) => children
            .iter()
            .try_fold(vec![String::new()], |acc, c| joined(&acc, &exact(c)?)),
        _ => None,
    }
}

/// Every `a` followed by every `b`, if that is not too many.
fn joined(a: &[String], b: &[String]) -> Option<Vec<String>> {
    (a.len() * b.len() <= MAX_JOINED).then(|| {
        a.iter()
            .flat_map(|x| b.iter().map(move |y| format!("{x}{y}")))
            .collect()
    })
}

/// One set of literals one of which every match of `h` contains.
fn one_set(h: &Hir) -> Option<Vec<String>> {
    match h.kind() {
        HirKind::Literal(l) => Some(vec![String::from_utf8(l.0.to_vec()).ok()?]),
        HirKind::Capture(c) => one_set(&c.sub),
        HirKind::Repetition(r) if r.min >= 1 => one_set(&r.sub),
        // The set whose shortest literal is longest: the rarest to occur.
        HirKind::Concat(children) => children
            .iter()
            .filter_map(one_set)
            .max_by_key(|set| set.iter().map(|s| s.chars().count()).min().unwrap_or(0)),
        HirKind::Alternation(children) => {
            let mut all = Vec::new();
            for c in children {
                all.extend(one_set(c)?);
            }
            Some(all)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(sets: &[&[&str]]) -> Vec<Vec<String>> {
        sets.iter()
            .map(|s| s.iter().map(|t| t.to_string()).collect())
            .collect()
    }

    #[test]
    fn finds_every_set_of_literals_a_match_needs() {
        assert_eq!(
            required_literals("(须|应当)[^，。]{0,20}?(分支机构|子公司)").unwrap(),
            strings(&[&["分支机构", "子公司"]])
        );
        assert_eq!(
            required_literals(r"[\p{Han}]{2,40}(有限公司|集团公司)").unwrap(),
            strings(&[&["有限公司", "集团公司"]])
        );
        assert_eq!(required_literals("[0-9]+强").unwrap(), strings(&[&["强"]]));
        assert_eq!(
            required_literals("(本市|本地)[^，]{0,4}的(企业|单位)").unwrap(),
            strings(&[&["本市", "本地"], &["的企业", "的单位"]])
        );
        assert_eq!(
            required_literals("(甲|乙丙)?(丁|戊)").unwrap(),
            strings(&[&["甲丁", "甲戊", "乙丙丁", "乙丙戊", "丁", "戊"]])
        );
        assert_eq!(
            required_literals("应(在|为)[^，]*").unwrap(),
            strings(&[&["应为", "应在"]])
        );
        let mut joined = required_literals("(向|由)(所在地)?(市|县)[^，]*").unwrap();
        joined[0].sort();
        assert_eq!(
            joined,
            strings(&[&[
                "向县",
                "向市",
                "向所在地县",
                "向所在地市",
                "由县",
                "由市",
                "由所在地县",
                "由所在地市"
            ]])
        );
        assert_eq!(required_literals(r"[\p{Han}]{1,5}"), None);
        assert_eq!(required_literals("(甲|[乙丙])"), None);
    }

    #[test]
    fn knows_patterns_that_stay_inside_a_comma_piece() {
        assert!(never_matches("本地[^，。]{0,8}企业", '，'));
        assert!(!never_matches("本地[^。]{0,8}企业", '，'));
        assert!(!never_matches("本地.{0,8}企业", '，'));
        assert!(!never_matches(r"\b本地", '，'));
    }

    #[test]
    fn an_alternative_of_sequences_needs_one_literal_of_each_branch() {
        assert_eq!(
            required_literals("(甲[^，]乙|丙丁)").unwrap(),
            strings(&[&["乙", "丙丁"]])
        );
    }
}
