//! Helpers for the extractors' table tests: every format must give the same
//! cells the same positions.

use super::{BlockKind, Extracted};

/// A cell position as (table, row, col).
pub type Pos = Option<(u32, u32, u32)>;

/// Each block's text with its cell position.
pub fn cells(ex: &Extracted) -> Vec<(String, Pos)> {
    let chars: Vec<char> = ex.text.chars().collect();
    ex.blocks
        .iter()
        .map(|b| {
            let text = chars.get(b.start..b.end).unwrap_or_default();
            (
                text.iter().collect(),
                b.cell.map(|c| (c.table, c.row, c.col)),
            )
        })
        .collect()
}

pub fn want(list: &[(&str, Pos)]) -> Vec<(String, Pos)> {
    list.iter().map(|(t, c)| (t.to_string(), *c)).collect()
}

/// A block has a position exactly when it is a table cell.
pub fn assert_only_cells_have_positions(ex: &Extracted) {
    for b in &ex.blocks {
        assert_eq!(b.kind == BlockKind::TableCell, b.cell.is_some(), "{b:?}");
    }
}

/// The blocks of the 3×3 fixture every extractor is tested with: a lead-in,
/// a header row (项目 / 条件 / 标准), two data rows, a closing paragraph.
/// `middle` is how the format splits the two paragraphs of the middle cell
/// into blocks.
pub fn three_by_three(middle: &[&str]) -> Vec<(String, Pos)> {
    let mut out = want(&[
        ("第一条 申报条件如下：", None),
        ("项目", Some((0, 0, 0))),
        ("条件", Some((0, 0, 1))),
        ("标准", Some((0, 0, 2))),
        ("技术改造", Some((0, 1, 0))),
    ]);
    out.extend(middle.iter().map(|t| (t.to_string(), Some((0, 1, 1)))));
    out.extend(want(&[
        ("补助百分之十", Some((0, 1, 2))),
        ("首台套", Some((0, 2, 0))),
        ("经省级认定", Some((0, 2, 1))),
        ("奖励五十万元", Some((0, 2, 2))),
        ("第二条 本办法自印发之日起施行。", None),
    ]));
    out
}
