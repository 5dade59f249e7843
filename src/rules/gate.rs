//! Literal gates for `re:` terms.
//!
//! Most patterns can only match where some literals occur
//! (`(本地|本市)[^，。]{0,8}?(分支机构|子公司)` needs one of 本地/本市 *and* one of
//! 分支机构/子公司). Those literals are found in the same cheap automaton pass as
//! the other terms, and a pattern then runs only on the sentences holding one
//! literal of every set it needs — instead of scanning the whole text once per
//! pattern.

use regex_syntax::hir::{Class, Hir, HirKind};

/// One literal set a pattern needs, in the pattern's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Need {
    pub literals: Vec<String>,
    /// Most bytes between the end of the previous set's literal and the
    /// start of this one's in any match (`None`: unbounded, or the first set).
    pub gap: Option<usize>,
}

/// Sets of literals such that every match of `pattern` contains at least one
/// literal of each set, one after the other in this order, or `None` when
/// there is no such set (the pattern then scans the whole text).
pub fn required_literals(pattern: &str, common_char: impl Fn(char) -> bool) -> Option<Vec<Need>> {
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    let mut sets = all_required(&hir);
    drop_sets(&mut sets, |set| {
        set.literals.is_empty() || set.literals.iter().any(|s| s.is_empty())
    });
    // A repeated set needs one literal, not two in a row.
    let mut i = 1;
    while i < sets.len() {
        if sets[i].literals == sets[i - 1].literals {
            drop_at(&mut sets, i);
        } else {
            i += 1;
        }
    }
    // A set holding a character common in policy text (的, 市) occurs in
    // nearly every sentence: it gates nothing and only floods the automaton
    // with matches. Such sets are dropped unless there is nothing better.
    // Rarer single characters (奖, 杯, %) still gate well.
    let shortest = |set: &Need| {
        set.literals
            .iter()
            .map(|s| s.chars().count())
            .min()
            .unwrap_or(0)
    };
    let common = |set: &Need| {
        set.literals
            .iter()
            .any(|s| s.chars().count() == 1 && s.chars().all(&common_char))
    };
    if sets.iter().any(|set| !common(set)) {
        drop_sets(&mut sets, common);
    } else {
        let best = sets.iter().max_by_key(|set| shortest(set)).cloned();
        sets = best.into_iter().collect();
    }
    if let Some(first) = sets.first_mut() {
        first.gap = None;
    }
    (!sets.is_empty()).then_some(sets)
}

fn drop_sets(sets: &mut Vec<Need>, drop: impl Fn(&Need) -> bool) {
    let mut i = 0;
    while i < sets.len() {
        if drop(&sets[i]) {
            drop_at(sets, i);
        } else {
            i += 1;
        }
    }
}

/// Removes a set; the next one's gap then spans the removed literal too.
fn drop_at(sets: &mut Vec<Need>, i: usize) {
    let removed = sets.remove(i);
    if let Some(next) = sets.get_mut(i) {
        let longest = removed.literals.iter().map(String::len).max().unwrap_or(0);
        next.gap = match (removed.gap, next.gap) {
            (Some(a), Some(b)) if i > 0 => Some(a + longest + b),
            _ => None,
        };
    }
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

/// Every set the whole of `h` needs (a conjunction of alternatives), in
/// order, with the gaps between consecutive sets.
fn all_required(h: &Hir) -> Vec<Need> {
    match h.kind() {
        HirKind::Capture(c) => all_required(&c.sub),
        HirKind::Repetition(r) if r.min >= 1 => all_required(&r.sub),
        HirKind::Concat(children) => {
            // Neighbouring fixed pieces join into longer, rarer literals:
            // 应(在|为) needs 应在 or 应为, not just 应.
            let mut sets = Vec::new();
            // The children the last set came from: the next set's gap is at
            // most their length plus everything up to the next set's own.
            let mut last_from: Option<usize> = None;
            let mut push = |sets: &mut Vec<Need>, from: usize, to: usize, mut group: Vec<Need>| {
                if group.is_empty() {
                    return;
                }
                group[0].gap = last_from.and_then(|a| {
                    children[a..=to]
                        .iter()
                        .map(|c| c.properties().maximum_len())
                        .sum::<Option<usize>>()
                });
                last_from = Some(from);
                sets.extend(group);
            };
            let mut run: Option<(usize, Vec<String>)> = None;
            for (i, child) in children.iter().enumerate() {
                match (exact(child), run.take()) {
                    (Some(next), None) => run = Some((i, next)),
                    (Some(next), Some((from, prev))) => {
                        run = Some(match joined(&prev, &next) {
                            Some(both) => (from, both),
                            None => {
                                push(&mut sets, from, i - 1, vec![need(prev)]);
                                (i, next)
                            }
                        })
                    }
                    (None, prev) => {
                        if let Some((from, prev)) = prev {
                            push(&mut sets, from, i - 1, vec![need(prev)]);
                        }
                        push(&mut sets, i, i, all_required(child));
                    }
                }
            }
            if let Some((from, prev)) = run {
                push(&mut sets, from, children.len() - 1, vec![need(prev)]);
            }
            sets
        }
        _ => one_set(h).map(need).into_iter().collect(),
    }
}

fn need(literals: Vec<String>) -> Need {
    Need {
        literals,
        gap: None,
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

    fn literals(pattern: &str) -> Option<Vec<Vec<String>>> {
        // Every single character counts as common here.
        required_literals(pattern, |_| true)
            .map(|sets| sets.into_iter().map(|s| s.literals).collect())
    }

    fn gaps(pattern: &str) -> Vec<Option<usize>> {
        required_literals(pattern, |_| true)
            .unwrap()
            .into_iter()
            .map(|s| s.gap)
            .collect()
    }

    #[test]
    fn finds_every_set_of_literals_a_match_needs() {
        assert_eq!(
            literals("(须|应当)[^，。]{0,20}?(分支机构|子公司)").unwrap(),
            strings(&[&["分支机构", "子公司"]])
        );
        assert_eq!(
            literals(r"[\p{Han}]{2,40}(有限公司|集团公司)").unwrap(),
            strings(&[&["有限公司", "集团公司"]])
        );
        assert_eq!(literals("[0-9]+强").unwrap(), strings(&[&["强"]]));
        assert_eq!(
            literals("(本市|本地)[^，]{0,4}的(企业|单位)").unwrap(),
            strings(&[&["本市", "本地"], &["的企业", "的单位"]])
        );
        assert_eq!(
            literals("(甲|乙丙)?(丁|戊)").unwrap(),
            strings(&[&["甲丁", "甲戊", "乙丙丁", "乙丙戊", "丁", "戊"]])
        );
        assert_eq!(
            literals("应(在|为)[^，]*").unwrap(),
            strings(&[&["应为", "应在"]])
        );
        let mut joined = literals("(向|由)(所在地)?(市|县)[^，]*").unwrap();
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
        assert_eq!(literals(r"[\p{Han}]{1,5}"), None);
        assert_eq!(literals("(甲|[乙丙])"), None);
    }

    #[test]
    fn rare_single_characters_still_gate() {
        let sets = |p: &str| {
            required_literals(p, |c| "的市".contains(c))
                .unwrap()
                .into_iter()
                .map(|s| s.literals)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            sets("(本地|本县)[^，]{0,12}?(金奖|奖|杯)"),
            strings(&[&["本地", "本县"], &["金奖", "奖", "杯"]])
        );
        assert_eq!(
            sets("(本地|市)[^，]{0,12}?(金奖|奖)"),
            strings(&[&["金奖", "奖"]])
        );
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
            literals("(甲[^，]乙|丙丁)").unwrap(),
            strings(&[&["乙", "丙丁"]])
        );
    }

    #[test]
    fn bounds_the_gap_between_consecutive_sets() {
        // 本市 … 的企业: at most 4 characters of up to 4 bytes between, plus
        // the lengths of the pieces the literals sit in.
        assert_eq!(
            gaps("(本市|本地)[^，]{0,4}的(企业|单位)"),
            [None, Some(6 + 16 + 9)]
        );
        assert_eq!(gaps("(本市|本地)[^，]*的(企业|单位)"), [None, None]);
        // A dropped one-character set widens the gap across it.
        assert_eq!(
            gaps("(本市|本地)[^，]{0,2}(甲|乙)[^，]{0,2}(企业|单位)"),
            [None, Some((6 + 8 + 3) + 3 + (3 + 8 + 6))]
        );
    }
}
