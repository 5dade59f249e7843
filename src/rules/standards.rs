//! The standards catalogue (`dictionaries/standards.toml`): the 19 items of
//! Articles 8–11 of 《公平竞争审查条例》, the Article 12 exceptions, the 具体情形
//! of the 2025 实施办法 mapped to items, and the crosswalk from the 2021 实施细则.

use std::collections::HashSet;
use std::path::Path;

use serde::Deserialize;

use super::pack::{DataError, parse_toml};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Standards {
    pub version: String,
    pub item: Vec<Item>,
    #[serde(default)]
    pub exception: Vec<Exception>,
    #[serde(default)]
    pub situation: Vec<Situation>,
    #[serde(default)]
    pub crosswalk: Vec<Crosswalk>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub article: u8,
    pub item: u8,
    /// `market_access`, `free_flow`, `costs` or `conduct`.
    pub group: String,
    pub title: String,
    /// Article 10: only a violation without a basis in law, administrative
    /// regulation or State Council approval.
    #[serde(default)]
    pub legal_basis_gate: bool,
    /// The "other" item that closes each article.
    #[serde(default)]
    pub catch_all: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exception {
    /// `12-1` … `12-4`: the 条例 article, then the reason's position.
    pub id: String,
    /// The 实施办法 article that details the exceptions, e.g. `办法第25条`.
    #[serde(default)]
    pub tag: Option<String>,
    pub title: String,
}

/// A 具体情形 of the 2025 实施办法, mapped to the 条例 item it details.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Situation {
    /// E.g. `办法第19条第（二）项`.
    pub tag: String,
    pub article: u8,
    pub item: u8,
    pub title: String,
}

/// One line of the 2021 实施细则 → 条例 crosswalk.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Crosswalk {
    /// 细则 article and item, e.g. `13(1)`.
    pub old: String,
    /// 条例 items it maps to, e.g. `["8(4)"]`; `"12"` stands for the Article 12
    /// exceptions as a whole, `"12-1"` for one of them.
    pub new: Vec<String>,
    /// What the old item was about, for reading old case reports.
    #[serde(default)]
    pub title: String,
}

/// Group names as reviewers say them.
pub fn group_name(group: &str) -> &'static str {
    match group {
        "market_access" => "市场准入和退出",
        "free_flow" => "商品和要素自由流动",
        "costs" => "影响生产经营成本",
        "conduct" => "影响生产经营行为",
        _ => "其他",
    }
}

/// The 实施办法 article number in a tag such as `办法第19条` or
/// `办法第13条第（二）项` (Chinese numerals such as `办法第十九条` are accepted too).
pub fn measures_article(tag: &str) -> Option<u8> {
    let rest = tag.strip_prefix("办法第")?;
    let (number, _) = rest.split_once('条')?;
    number.parse().ok().or_else(|| chinese_number(number))
}

/// 1–99 written as 一 … 九十九.
fn chinese_number(s: &str) -> Option<u8> {
    let digit = |c: char| {
        "一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as u8 + 1)
    };
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        [d] => digit(*d),
        ['十', u] => Some(10 + digit(*u)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', u] => Some(digit(*t)? * 10 + digit(*u)?),
        _ => None,
    }
}

impl Standards {
    pub fn parse(file: &Path, text: &str) -> Result<Standards, DataError> {
        let s: Standards = parse_toml(file, text)?;
        s.validate(file, text)?;
        Ok(s)
    }

    pub fn item(&self, article: u8, item: u8) -> Option<&Item> {
        self.item
            .iter()
            .find(|i| i.article == article && i.item == item)
    }

    /// `8(4)` → the item.
    pub fn item_by_code(&self, code: &str) -> Option<&Item> {
        let (a, rest) = code.split_once('(')?;
        let i = rest.strip_suffix(')')?;
        self.item(a.parse().ok()?, i.parse().ok()?)
    }

    /// The 具体情形 that detail one 条例 item.
    pub fn situations_for(&self, article: u8, item: u8) -> impl Iterator<Item = &Situation> {
        self.situation
            .iter()
            .filter(move |s| s.article == article && s.item == item)
    }

    /// Whether a finer tag (`办法第19条`, `办法第19条第（二）项`) names a 实施办法
    /// article that details the given 条例 item.
    pub fn tag_fits(&self, tag: &str, article: u8, item: u8) -> bool {
        measures_article(tag).is_some_and(|m| {
            self.situations_for(article, item)
                .any(|s| measures_article(&s.tag) == Some(m))
        })
    }

    /// 细则 code (`14(5)`) → the 条例 codes it maps to.
    pub fn old_to_new(&self, old: &str) -> Option<&[String]> {
        self.crosswalk
            .iter()
            .find(|c| c.old == old)
            .map(|c| c.new.as_slice())
    }

    /// 条例 code (`9(2)`) → every 细则 code that maps to it.
    pub fn new_to_old(&self, new: &str) -> Vec<&str> {
        self.crosswalk
            .iter()
            .filter(|c| c.new.iter().any(|n| n == new))
            .map(|c| c.old.as_str())
            .collect()
    }

    /// A 条例 code the crosswalk may point at: an item (`8(4)`), an exception
    /// (`12-1`), or the exceptions' article as a whole (`12`).
    fn resolves(&self, code: &str) -> bool {
        self.item_by_code(code).is_some()
            || self
                .exception
                .iter()
                .any(|e| e.id == code || e.id.split_once('-').is_some_and(|(a, _)| a == code))
    }

    fn validate(&self, file: &Path, text: &str) -> Result<(), DataError> {
        // Quoted, so `13(1)` in a comment or `8(4)` inside a longer code is not found.
        let line_of = |needle: &str| {
            text.find(&format!("\"{needle}\""))
                .map_or(1, |b| super::pack::line_of(text, b))
        };
        let last_line_of = |needle: &str| {
            text.rfind(&format!("\"{needle}\""))
                .map_or(1, |b| super::pack::line_of(text, b))
        };
        let mut seen = HashSet::new();
        for s in &self.situation {
            let err = |m: String| DataError::new(file, line_of(&s.tag), m);
            if self.item(s.article, s.item).is_none() {
                return Err(err(format!(
                    "情形 {} 指向不存在的条目 {}({})",
                    s.tag, s.article, s.item
                )));
            }
            if measures_article(&s.tag).is_none() {
                return Err(err(format!(
                    "情形标签 {} 无法识别，应形如 办法第13条第（二）项",
                    s.tag
                )));
            }
            if !seen.insert(s.tag.as_str()) {
                return Err(DataError::new(
                    file,
                    last_line_of(&s.tag),
                    format!("情形标签 {} 重复", s.tag),
                ));
            }
        }
        seen.clear();
        for c in &self.crosswalk {
            let err = |m: String| DataError::new(file, line_of(&c.old), m);
            if !seen.insert(c.old.as_str()) {
                return Err(DataError::new(
                    file,
                    last_line_of(&c.old),
                    format!("对照 {} 重复", c.old),
                ));
            }
            if c.new.is_empty() {
                return Err(err(format!("对照 {} 没有对应条目", c.old)));
            }
            if let Some(code) = c.new.iter().find(|code| !self.resolves(code)) {
                return Err(err(format!("对照 {} 指向不存在的条目 {code}", c.old)));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;

    const EMBEDDED: &str = include_str!("../../dictionaries/standards.toml");

    fn embedded() -> Standards {
        Standards::parse(Path::new("dictionaries/standards.toml"), EMBEDDED)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    fn code(article: u8, item: u8) -> String {
        format!("{article}({item})")
    }

    #[test]
    fn nineteen_items_in_four_groups() {
        let s = embedded();
        assert_eq!(s.item.len(), 19);
        let mut groups: BTreeMap<u8, (&str, usize)> = BTreeMap::new();
        for i in &s.item {
            let entry = groups.entry(i.article).or_insert((&i.group, 0));
            assert_eq!(entry.0, i.group, "第{}条的条目分属不同组", i.article);
            entry.1 += 1;
            assert_ne!(group_name(&i.group), "其他", "未知组名 {}", i.group);
        }
        let counts: Vec<(u8, usize)> = groups.iter().map(|(a, (_, n))| (*a, *n)).collect();
        assert_eq!(counts, [(8, 5), (9, 6), (10, 4), (11, 4)]);
        let distinct: BTreeSet<&str> = groups.values().map(|(g, _)| *g).collect();
        assert_eq!(distinct.len(), 4);
        // Items are numbered 1..=n without gaps, and only the last one is the catch-all.
        for (article, (_, n)) in &groups {
            for item in 1..=*n as u8 {
                let found = s.item(*article, item).expect("item numbering has a gap");
                assert_eq!(
                    found.catch_all,
                    item == *n as u8,
                    "{}",
                    code(*article, item)
                );
            }
        }
    }

    #[test]
    fn legal_basis_gate_is_exactly_article_ten() {
        for i in &embedded().item {
            assert_eq!(
                i.legal_basis_gate,
                i.article == 10,
                "{}",
                code(i.article, i.item)
            );
        }
    }

    #[test]
    fn sixty_six_situations_each_on_an_existing_item() {
        let s = embedded();
        assert_eq!(s.situation.len(), 66);
        for sit in &s.situation {
            assert!(s.item(sit.article, sit.item).is_some(), "{}", sit.tag);
            assert!(!sit.title.trim().is_empty(), "{}", sit.tag);
        }
    }

    #[test]
    fn situation_articles_follow_the_measures_layout() {
        // 实施办法 article → the 条例 items its situations may detail.
        let layout = |m: u8| -> Option<(u8, u8)> {
            match m {
                9..=12 => Some((8, m - 8)),
                13..=17 => Some((9, m - 12)),
                18..=20 => Some((10, m - 17)),
                21..=23 => Some((11, m - 20)),
                _ => None,
            }
        };
        let s = embedded();
        for sit in &s.situation {
            let m = measures_article(&sit.tag).expect("tag parses");
            let item = s.item(sit.article, sit.item).expect("item exists");
            match layout(m) {
                Some(expected) => assert_eq!((sit.article, sit.item), expected, "{}", sit.tag),
                None => {
                    assert_eq!(m, 24, "{}", sit.tag);
                    assert!(item.catch_all, "{} 应对应兜底条目", sit.tag);
                }
            }
        }
    }

    #[test]
    fn every_specific_item_has_a_situation() {
        let s = embedded();
        for i in s.item.iter().filter(|i| !i.catch_all) {
            assert!(
                s.situations_for(i.article, i.item).next().is_some(),
                "{} 没有具体情形",
                code(i.article, i.item)
            );
        }
    }

    #[test]
    fn exceptions_are_the_four_reasons_of_article_twelve() {
        let s = embedded();
        let ids: Vec<&str> = s.exception.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["12-1", "12-2", "12-3", "12-4"]);
        for e in &s.exception {
            assert_eq!(e.tag.as_deref().and_then(measures_article), Some(25));
        }
    }

    #[test]
    fn crosswalk_round_trips() {
        let s = embedded();
        let old: BTreeSet<&str> = s.crosswalk.iter().map(|c| c.old.as_str()).collect();
        assert_eq!(old.len(), 19, "细则第13–16条的18项加第17条");
        // Forward, then back through the reverse map: every old code returns.
        let mut back = BTreeSet::new();
        for o in &old {
            for new in s.old_to_new(o).expect("old code maps") {
                let olds = s.new_to_old(new);
                assert!(olds.contains(o), "{new} 反查不到 {o}");
                back.extend(olds);
            }
        }
        assert_eq!(back, old);
        // Every item is reached except the catch-alls nothing old maps to.
        for i in &s.item {
            let c = code(i.article, i.item);
            let reached = !s.new_to_old(&c).is_empty();
            let unmapped_catch_all = ["8(5)", "9(6)", "11(4)"].contains(&c.as_str());
            assert_eq!(reached, !unmapped_catch_all, "{c}");
        }
        assert_eq!(s.old_to_new("17"), Some(&["12".to_string()][..]));
        assert_eq!(s.old_to_new("14(5)").map(<[String]>::len), Some(2));
        assert_eq!(s.old_to_new("15(1)").map(<[String]>::len), Some(3));
    }

    #[test]
    fn tags_are_read_in_both_numeral_styles() {
        assert_eq!(measures_article("办法第19条"), Some(19));
        assert_eq!(measures_article("办法第13条第（二）项"), Some(13));
        assert_eq!(measures_article("办法第十九条"), Some(19));
        assert_eq!(measures_article("办法第二十四条第（一）项"), Some(24));
        assert_eq!(measures_article("办法第十条"), Some(10));
        assert_eq!(measures_article("办法第九条"), Some(9));
        assert_eq!(measures_article("细则第13条"), None);
        assert_eq!(measures_article("办法第条"), None);
        assert_eq!(measures_article("办法第十九"), None);
        let s = embedded();
        assert!(s.tag_fits("办法第19条", 10, 2));
        assert!(s.tag_fits("办法第十五条", 9, 3));
        assert!(s.tag_fits("办法第24条", 11, 4));
        assert!(!s.tag_fits("办法第19条", 10, 1));
        assert!(!s.tag_fits("办法第24条", 9, 1));
    }

    const MINIMAL: &str = "version = \"t\"\n\
        [[item]]\narticle = 8\nitem = 1\ngroup = \"market_access\"\ntitle = \"审批\"\n\
        [[exception]]\nid = \"12-1\"\ntitle = \"安全\"\n";

    fn parse_err(extra: &str) -> String {
        let text = format!("{MINIMAL}{extra}");
        match Standards::parse(Path::new("bad.toml"), &text) {
            Ok(_) => panic!("accepted: {extra}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn bad_references_fail_with_file_and_line() {
        assert!(Standards::parse(Path::new("ok.toml"), MINIMAL).is_ok());
        // MINIMAL has 9 lines; the extra table starts on line 10, its tag on 11.
        let e = parse_err(
            "[[situation]]\ntag = \"办法第9条第（一）项\"\narticle = 8\nitem = 9\ntitle = \"x\"\n",
        );
        assert!(e.starts_with("bad.toml:11: "), "{e}");
        assert!(e.contains("8(9)"), "{e}");
        let e = parse_err("[[crosswalk]]\nold = \"13(1)\"\nnew = [\"8(4)\"]\n");
        assert!(e.starts_with("bad.toml:11: "), "{e}");
        assert!(e.contains("8(4)"), "{e}");
        let e = parse_err("[[situation]]\ntag = \"第9条\"\narticle = 8\nitem = 1\ntitle = \"x\"\n");
        assert!(e.starts_with("bad.toml:11: "), "{e}");
        let dup = "[[crosswalk]]\nold = \"13(5)\"\nnew = [\"8(1)\"]\n";
        let e = parse_err(&format!("{dup}{dup}"));
        assert!(e.starts_with("bad.toml:14: "), "{e}");
        // Exceptions resolve by id and by article; unknown ones do not.
        let ok = "[[crosswalk]]\nold = \"17\"\nnew = [\"12\", \"12-1\"]\n";
        assert!(Standards::parse(Path::new("ok.toml"), &format!("{MINIMAL}{ok}")).is_ok());
        let e = parse_err("[[crosswalk]]\nold = \"17\"\nnew = [\"12-9\"]\n");
        assert!(e.starts_with("bad.toml:11: "), "{e}");
        // A shape error is located too.
        let e = parse_err(
            "[[situation]]\ntag = \"办法第9条\"\narticle = \"八\"\nitem = 1\ntitle = \"x\"\n",
        );
        assert!(e.starts_with("bad.toml:12: "), "{e}");
    }

    #[test]
    fn embedded_rules_point_at_items_and_fitting_tags() {
        let set = crate::rules::RuleSet::embedded();
        let s = &set.standards;
        for r in set.rules() {
            assert!(
                s.item(r.article, r.item).is_some(),
                "规则 {} 指向不存在的条目 {}",
                r.id,
                code(r.article, r.item)
            );
            if let Some(tag) = &r.tag {
                assert!(
                    s.tag_fits(tag, r.article, r.item),
                    "规则 {} 的标签 {tag} 不是细化 {} 的办法条文",
                    r.id,
                    code(r.article, r.item)
                );
            }
        }
    }
}
