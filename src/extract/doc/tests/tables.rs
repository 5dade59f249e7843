//! Table cell positions from cell and row-end marks, nested tables included.

use super::build::Builder;
use super::extract;
use crate::extract::cell_tests::{
    self, Pos, assert_only_cells_have_positions, three_by_three, want,
};

const IN_TABLE: &[u8] = &[0x16, 0x24, 1];
const ROW_END: &[u8] = &[0x16, 0x24, 1, 0x17, 0x24, 1];
/// sprmPFInTable, sprmPItap 2, sprmPFInnerTableCell.
const INNER_CELL: &[u8] = &[0x16, 0x24, 1, 0x49, 0x66, 2, 0, 0, 0, 0x4B, 0x24, 1];
/// The same plus sprmPFInnerTtp: a nested table's row end.
const INNER_ROW_END: &[u8] = &[
    0x16, 0x24, 1, 0x49, 0x66, 2, 0, 0, 0, 0x4B, 0x24, 1, 0x4C, 0x24, 1,
];

/// A document from pieces of text, each with the paragraph properties that
/// every paragraph mark inside it gets.
fn doc(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let text: String = parts.iter().map(|(t, _)| *t).collect();
    let mut b = Builder::new().unicode(&text);
    let mut at = 0u32;
    for (t, sprms) in parts {
        let end = at + t.encode_utf16().count() as u32;
        b = b.para(at..end, 0, sprms);
        at = end;
    }
    b.build()
}

/// Each block's text with its cell position as (table, row, col).
fn cells(bytes: &[u8]) -> Vec<(String, Pos)> {
    let ex = extract(bytes).expect("readable");
    assert_only_cells_have_positions(&ex);
    cell_tests::cells(&ex)
}

#[test]
fn three_by_three_table_with_header_row_has_cell_positions() {
    let bytes = doc(&[
        ("第一条 申报条件如下：\r", &[]),
        ("项目\u{07}条件\u{07}标准\u{07}", IN_TABLE),
        ("\u{07}", ROW_END),
        (
            "技术改造\u{07}在本区登记注册\r投资额不低于五百万元\u{07}补助百分之十\u{07}",
            IN_TABLE,
        ),
        ("\u{07}", ROW_END),
        ("首台套\u{07}经省级认定\u{07}奖励五十万元\u{07}", IN_TABLE),
        ("\u{07}", ROW_END),
        ("第二条 本办法自印发之日起施行。\r", &[]),
    ]);
    assert_eq!(
        cells(&bytes),
        // The paragraphs of one cell are one block here.
        three_by_three(&["在本区登记注册 投资额不低于五百万元"])
    );
}

#[test]
fn nested_table_gets_its_own_number_and_the_outer_cell_keeps_its_place() {
    let bytes = doc(&[
        ("外甲\u{07}嵌套之前\r", IN_TABLE),
        ("内甲\r内乙\r", INNER_CELL),
        ("\r", INNER_ROW_END),
        ("内丙\r内丁\r", INNER_CELL),
        ("\r", INNER_ROW_END),
        ("嵌套之后\u{07}", IN_TABLE),
        ("\u{07}", ROW_END),
        ("外丙\u{07}外丁\u{07}", IN_TABLE),
        ("\u{07}", ROW_END),
        ("两表之间\r", &[]),
        ("后甲\u{07}后乙\u{07}", IN_TABLE),
        ("\u{07}", ROW_END),
    ]);
    assert_eq!(
        cells(&bytes),
        want(&[
            ("外甲", Some((0, 0, 0))),
            ("嵌套之前", Some((0, 0, 1))),
            ("内甲", Some((1, 0, 0))),
            ("内乙", Some((1, 0, 1))),
            ("内丙", Some((1, 1, 0))),
            ("内丁", Some((1, 1, 1))),
            ("嵌套之后", Some((0, 0, 1))),
            ("外丙", Some((0, 1, 0))),
            ("外丁", Some((0, 1, 1))),
            ("两表之间", None),
            ("后甲", Some((2, 0, 0))),
            ("后乙", Some((2, 0, 1))),
        ])
    );
}

#[test]
fn two_tables_are_numbered_zero_and_one_and_other_blocks_have_no_cell() {
    let bytes = doc(&[
        ("附表\r", &[]),
        ("甲\u{07}乙\u{07}", IN_TABLE),
        ("\u{07}", ROW_END),
        ("丙\u{07}丁\u{07}", IN_TABLE),
        ("\u{07}", ROW_END),
        ("说明文字\r", &[]),
        ("子\u{07}丑\u{07}", IN_TABLE),
        ("\u{07}", ROW_END),
        ("结尾\r", &[]),
    ]);
    assert_eq!(
        cells(&bytes),
        want(&[
            ("附表", None),
            ("甲", Some((0, 0, 0))),
            ("乙", Some((0, 0, 1))),
            ("丙", Some((0, 1, 0))),
            ("丁", Some((0, 1, 1))),
            ("说明文字", None),
            ("子", Some((1, 0, 0))),
            ("丑", Some((1, 0, 1))),
            ("结尾", None),
        ])
    );
}

#[test]
fn cell_marks_without_properties_still_give_positions() {
    let bytes = Builder::new()
        .unicode("甲\u{07}乙\u{07}\u{07}正文\r")
        .build();
    assert_eq!(
        cells(&bytes),
        want(&[
            ("甲", Some((0, 0, 0))),
            ("乙", Some((0, 0, 1))),
            ("正文", None),
        ])
    );
}
