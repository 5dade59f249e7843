//! The standards catalogue (`dictionaries/standards.toml`): the 19 items of
//! Articles 8–11 of 《公平竞争审查条例》, the Article 12 exceptions, the 具体情形
//! of the 2025 实施办法 mapped to items, and the crosswalk from the 2021 实施细则.

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
    pub id: String,
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
    /// 条例 items it maps to, e.g. `["8(4)"]`.
    pub new: Vec<String>,
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

    fn validate(&self, file: &Path, text: &str) -> Result<(), DataError> {
        let line_of = |needle: &str| {
            text.find(needle)
                .map_or(1, |b| super::pack::line_of(text, b))
        };
        for s in &self.situation {
            if self.item(s.article, s.item).is_none() {
                return Err(DataError::new(
                    file,
                    line_of(&s.tag),
                    format!("情形 {} 指向不存在的条目 {}({})", s.tag, s.article, s.item),
                ));
            }
        }
        for c in &self.crosswalk {
            for code in &c.new {
                if self.item_by_code(code).is_none() {
                    return Err(DataError::new(
                        file,
                        line_of(&c.old),
                        format!("对照 {} 指向不存在的条目 {code}", c.old),
                    ));
                }
            }
        }
        Ok(())
    }
}
