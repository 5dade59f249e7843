//! The 统计 sheet: findings by item (all 19 items, zero rows included) and by
//! issuer, batch totals, and how the proposed conclusions were reached.

use std::collections::{BTreeMap, BTreeSet};
use std::io;

use super::sheet::{Column, Sheet, Styles, col, xl};
use crate::report::Summary;
use crate::report::cells::{item_citation, item_code};
use crate::report::conclusion::{self, Conclusion};
use crate::review::{Level, Review};
use crate::rules::RuleSet;
use crate::rules::standards::group_name;

const ITEM_COLUMNS: &[Column] = &[
    // Column A also holds issuer names and the totals' labels below.
    col("条目", 30, false),
    col("条例条款", 40, false),
    col("名称", 50, true),
    col("类别", 22, false),
    col("问题数", 16, false),
    col("错误", 16, false),
    col("警告", 16, false),
    col("提示", 16, false),
    col("涉及文件数", 16, false),
];

const ISSUER_HEADERS: [&str; 10] = [
    "发文机关",
    "文件数",
    "无法读取",
    "问题数",
    "错误",
    "警告",
    "提示",
    "建议不得出台",
    "建议修改后出台",
    "建议可以出台",
];

const UNKNOWN_ISSUER: &str = "（未识别）";

/// Per level, in the order error, warning, suggestion.
type LevelCounts = [usize; 3];

fn level_index(level: Level) -> usize {
    match level {
        Level::Error => 0,
        Level::Warning => 1,
        Level::Suggestion => 2,
    }
}

/// Per conclusion, in the order 不得出台, 修改后出台, 可以出台.
fn conclusion_index(c: Conclusion) -> usize {
    match c {
        Conclusion::Reject => 0,
        Conclusion::Revise => 1,
        Conclusion::Publish => 2,
    }
}

#[derive(Default)]
struct ItemCount {
    levels: LevelCounts,
    documents: usize,
}

#[derive(Default)]
struct IssuerCount {
    documents: usize,
    unreadable: usize,
    levels: LevelCounts,
    conclusions: [usize; 3],
}

#[derive(Default)]
pub struct Stats {
    items: BTreeMap<(u8, u8), ItemCount>,
    issuers: BTreeMap<String, IssuerCount>,
    conclusions: [usize; 3],
}

impl Stats {
    pub fn add(&mut self, review: &Review) {
        let issuer = review
            .meta
            .issuer
            .clone()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| UNKNOWN_ISSUER.to_string());
        let by_issuer = self.issuers.entry(issuer).or_default();
        by_issuer.documents += 1;
        if review.error.is_some() {
            by_issuer.unreadable += 1;
        }
        let mut touched = BTreeSet::new();
        for f in &review.findings {
            let l = level_index(f.level);
            by_issuer.levels[l] += 1;
            self.items.entry((f.article, f.item)).or_default().levels[l] += 1;
            touched.insert((f.article, f.item));
        }
        for key in touched {
            self.items.entry(key).or_default().documents += 1;
        }
        if let Some(p) = conclusion::propose(review) {
            let c = conclusion_index(p.conclusion);
            by_issuer.conclusions[c] += 1;
            self.conclusions[c] += 1;
        }
    }

    /// Fills the 统计 sheet. `overflow` counts findings the 问题清单 could not hold.
    pub fn write(
        &self,
        sheet: &mut Sheet,
        summary: &Summary,
        overflow: usize,
        styles: &Styles,
    ) -> io::Result<()> {
        self.write_items(sheet, styles)?;
        let items_end = sheet.row;
        sheet.row += 1;
        self.write_issuers(sheet, styles)?;
        sheet.row += 1;
        self.write_totals(sheet, summary, overflow, styles)?;
        sheet.ws.set_name("统计").map_err(xl)?;
        sheet.header_at(0, styles)?;
        sheet.ws.set_freeze_panes(1, 0).map_err(xl)?;
        sheet
            .ws
            .autofilter(
                0,
                0,
                items_end.saturating_sub(1),
                ITEM_COLUMNS.len() as u16 - 1,
            )
            .map_err(xl)?;
        sheet.print_setup()?;
        sheet.apply_widths()
    }

    fn write_items(&self, sheet: &mut Sheet, styles: &Styles) -> io::Result<()> {
        let standards = &RuleSet::embedded().standards;
        let mut keys: BTreeSet<(u8, u8)> =
            standards.item.iter().map(|i| (i.article, i.item)).collect();
        keys.extend(self.items.keys().copied());
        let empty = ItemCount::default();
        for (article, item) in keys {
            let count = self.items.get(&(article, item)).unwrap_or(&empty);
            let known = standards.item(article, item);
            let citation = item_citation(article, item);
            sheet.text(0, &item_code(article, item), styles, None)?;
            sheet.text(1, &citation, styles, None)?;
            sheet.text(2, known.map_or("", |i| i.title.as_str()), styles, None)?;
            sheet.text(3, known.map_or("", |i| group_name(&i.group)), styles, None)?;
            let total: usize = count.levels.iter().sum();
            let numbers = [
                total,
                count.levels[0],
                count.levels[1],
                count.levels[2],
                count.documents,
            ];
            for (i, n) in numbers.into_iter().enumerate() {
                sheet.number(4 + i as u16, n as f64, &styles.number)?;
            }
            sheet.end_row();
        }
        Ok(())
    }

    fn write_issuers(&self, sheet: &mut Sheet, styles: &Styles) -> io::Result<()> {
        for (c, h) in ISSUER_HEADERS.iter().enumerate() {
            sheet.text(c as u16, h, styles, Some(&styles.header))?;
        }
        sheet.end_row();
        let mut issuers: Vec<_> = self.issuers.iter().collect();
        issuers.sort_by(|a, b| b.1.documents.cmp(&a.1.documents).then(a.0.cmp(b.0)));
        for (name, count) in issuers {
            if !sheet.begin_row() {
                continue;
            }
            sheet.text(0, name, styles, None)?;
            let total: usize = count.levels.iter().sum();
            let numbers = [
                count.documents,
                count.unreadable,
                total,
                count.levels[0],
                count.levels[1],
                count.levels[2],
                count.conclusions[0],
                count.conclusions[1],
                count.conclusions[2],
            ];
            for (i, n) in numbers.into_iter().enumerate() {
                sheet.number(1 + i as u16, n as f64, &styles.number)?;
            }
            sheet.end_row();
        }
        Ok(())
    }

    fn write_totals(
        &self,
        sheet: &mut Sheet,
        s: &Summary,
        overflow: usize,
        styles: &Styles,
    ) -> io::Result<()> {
        sheet.text(0, "合计", styles, Some(&styles.header))?;
        sheet.text(1, "数量", styles, Some(&styles.header))?;
        sheet.end_row();
        let rows = [
            ("文件总数", s.files),
            ("已审查", s.files - s.failed.min(s.files)),
            ("无法读取", s.failed),
            ("跳过的非文档文件", s.skipped),
            ("问题总数", s.errors + s.warnings + s.suggestions),
            ("错误", s.errors),
            ("警告", s.warnings),
            ("提示", s.suggestions),
            ("已隐藏（基线或审查决定）", s.suppressed),
            ("建议不得出台", self.conclusions[0]),
            ("建议修改后出台", self.conclusions[1]),
            ("建议可以出台", self.conclusions[2]),
        ];
        for (label, n) in rows {
            sheet.text(0, label, styles, None)?;
            sheet.number(1, n as f64, &styles.number)?;
            sheet.end_row();
        }
        sheet.row += 1;
        let mut notes = vec![
            format!("说明：{}", conclusion::DISCLAIMER),
            format!("结论规则：{}", conclusion::RULE),
        ];
        if overflow > 0 {
            notes.push(format!(
                "问题清单超出 Excel 的行数上限，另有 {overflow} 处问题未列出，请用 --format jsonl 获取完整结果。"
            ));
        }
        for note in notes {
            // Notes span the table so they wrap instead of widening column A.
            sheet
                .ws
                .merge_range(sheet.row, 0, sheet.row, 8, &note, &styles.note)
                .map_err(xl)?;
            sheet.ws.set_row_height(sheet.row, 45).map_err(xl)?;
            sheet.end_row();
        }
        Ok(())
    }
}

pub fn sheet() -> Sheet {
    Sheet::new(ITEM_COLUMNS)
}
