//! Table cell positions: rows, grid columns, merges and table numbers.

use super::*;
use crate::extract::CellPos;
use crate::extract::cell_tests::{assert_only_cells_have_positions, cells, three_by_three, want};

/// A `w:tbl` of rows, each a list of cells given as their inner markup.
fn table(rows: &[Vec<String>]) -> String {
    let mut out = String::from("<w:tbl>");
    for row in rows {
        out.push_str("<w:tr>");
        for cell in row {
            out.push_str(cell);
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
    out
}

/// A plain cell with one paragraph.
fn tc(text: &str) -> String {
    format!("<w:tc>{}</w:tc>", p(text))
}

/// A cell with cell properties (`w:tcPr` content) and paragraphs.
fn tc_with(props: &str, paragraphs: &str) -> String {
    format!("<w:tc><w:tcPr>{props}</w:tcPr>{paragraphs}</w:tc>")
}

fn docx(body: &str) -> Extracted {
    let bytes = package(&[
        ("[Content_Types].xml", "<Types/>"),
        ("word/document.xml", &document(body)),
    ]);
    extract(&bytes).expect("readable")
}

#[test]
fn three_by_three_table_with_header_row_has_cell_positions() {
    let body = [
        p("第一条 申报条件如下："),
        table(&[
            vec![tc("项目"), tc("条件"), tc("标准")],
            vec![
                tc("技术改造"),
                format!(
                    "<w:tc>{}{}</w:tc>",
                    p("在本区登记注册"),
                    p("投资额不低于五百万元")
                ),
                tc("补助百分之十"),
            ],
            vec![tc("首台套"), tc("经省级认定"), tc("奖励五十万元")],
        ]),
        p("第二条 本办法自印发之日起施行。"),
    ]
    .concat();
    let ex = docx(&body);
    assert_eq!(
        cells(&ex),
        // Two paragraphs of one cell: two blocks, one position.
        three_by_three(&["在本区登记注册", "投资额不低于五百万元"])
    );
    assert_only_cells_have_positions(&ex);
}

#[test]
fn grid_spans_skipped_columns_and_merges_move_cells_on_the_grid() {
    let body = table(&[
        vec![
            tc_with(r#"<w:vMerge w:val="restart"/>"#, &p("类别")),
            tc("条件"),
            tc("标准"),
            tc("备注"),
        ],
        vec![
            // Continuation of the vertical merge: no cell of its own.
            tc_with("<w:vMerge/>", &p("")),
            tc_with(r#"<w:gridSpan w:val="2"/>"#, &p("合并两列")),
            tc("无"),
        ],
        vec![
            tc("乙类"),
            tc_with(r#"<w:gridSpan w:val="3"/>"#, &p("合并三列")),
        ],
        vec![
            "<w:trPr><w:gridBefore w:val=\"2\"/></w:trPr>".to_string(),
            tc("第三列起"),
            tc("末列"),
        ],
        vec![
            tc_with(r#"<w:vMerge w:val="restart"/>"#, &p("上格")),
            tc("甲"),
            tc("乙"),
            tc("丙"),
        ],
        vec![
            // A continuation cell that still holds text belongs to the merged cell.
            tc_with(r#"<w:vMerge w:val="continue"/>"#, &p("续写")),
            tc("丁"),
            tc("戊"),
            tc("己"),
        ],
    ]);
    let ex = docx(&body);
    assert_eq!(
        cells(&ex),
        want(&[
            ("类别", Some((0, 0, 0))),
            ("条件", Some((0, 0, 1))),
            ("标准", Some((0, 0, 2))),
            ("备注", Some((0, 0, 3))),
            ("合并两列", Some((0, 1, 1))),
            ("无", Some((0, 1, 3))),
            ("乙类", Some((0, 2, 0))),
            ("合并三列", Some((0, 2, 1))),
            ("第三列起", Some((0, 3, 2))),
            ("末列", Some((0, 3, 3))),
            ("上格", Some((0, 4, 0))),
            ("甲", Some((0, 4, 1))),
            ("乙", Some((0, 4, 2))),
            ("丙", Some((0, 4, 3))),
            ("续写", Some((0, 4, 0))),
            ("丁", Some((0, 5, 1))),
            ("戊", Some((0, 5, 2))),
            ("己", Some((0, 5, 3))),
        ])
    );
}

#[test]
fn former_cell_properties_under_revision_do_not_place_cells() {
    let body = table(&[
        vec![tc("甲"), tc("乙"), tc("丙")],
        vec![
            tc_with(
                r#"<w:gridSpan w:val="2"/><w:tcPrChange w:id="1" w:author="a"><w:tcPr><w:gridSpan w:val="1"/></w:tcPr></w:tcPrChange>"#,
                &p("合并"),
            ),
            tc("丁"),
        ],
    ]);
    let ex = docx(&body);
    assert_eq!(
        cells(&ex),
        want(&[
            ("甲", Some((0, 0, 0))),
            ("乙", Some((0, 0, 1))),
            ("丙", Some((0, 0, 2))),
            ("合并", Some((0, 1, 0))),
            ("丁", Some((0, 1, 2))),
        ])
    );
}

#[test]
fn nested_table_gets_its_own_number_and_the_outer_cell_keeps_its_place() {
    let inner = table(&[vec![tc("内甲"), tc("内乙")], vec![tc("内丙"), tc("内丁")]]);
    let body = [
        table(&[
            vec![tc("外甲"), tc("外乙")],
            vec![
                format!("<w:tc>{}{inner}{}</w:tc>", p("嵌套之前"), p("嵌套之后")),
                tc("外丁"),
            ],
        ]),
        p("两表之间"),
        table(&[vec![tc("后甲"), tc("后乙")]]),
    ]
    .concat();
    let ex = docx(&body);
    assert_eq!(
        cells(&ex),
        want(&[
            ("外甲", Some((0, 0, 0))),
            ("外乙", Some((0, 0, 1))),
            ("嵌套之前", Some((0, 1, 0))),
            ("内甲", Some((1, 0, 0))),
            ("内乙", Some((1, 0, 1))),
            ("内丙", Some((1, 1, 0))),
            ("内丁", Some((1, 1, 1))),
            ("嵌套之后", Some((0, 1, 0))),
            ("外丁", Some((0, 1, 1))),
            ("两表之间", None),
            ("后甲", Some((2, 0, 0))),
            ("后乙", Some((2, 0, 1))),
        ])
    );
}

#[test]
fn two_tables_are_numbered_zero_and_one_and_other_blocks_have_no_cell() {
    let body = [
        p("附表"),
        table(&[vec![tc("甲"), tc("乙")], vec![tc("丙"), tc("丁")]]),
        p("说明文字"),
        table(&[vec![tc("子"), tc("丑")], vec![tc("寅"), tc("卯")]]),
        format!(
            "<w:p><w:r><w:t>锚定段落</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>{}</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice></mc:AlternateContent></w:r></w:p>",
            p("文本框")
        ),
    ]
    .concat();
    let ex = docx(&body);
    let got: Vec<(BlockKind, Option<CellPos>)> =
        ex.blocks.iter().map(|b| (b.kind, b.cell)).collect();
    let at = |table, row, col| Some(CellPos { table, row, col });
    use BlockKind::*;
    assert_eq!(
        got,
        [
            (Paragraph, None),
            (TableCell, at(0, 0, 0)),
            (TableCell, at(0, 0, 1)),
            (TableCell, at(0, 1, 0)),
            (TableCell, at(0, 1, 1)),
            (Paragraph, None),
            (TableCell, at(1, 0, 0)),
            (TableCell, at(1, 0, 1)),
            (TableCell, at(1, 1, 0)),
            (TableCell, at(1, 1, 1)),
            (Paragraph, None),
            (TextBox, None),
        ]
    );
    // Non-table blocks serialise exactly as before: no `cell` key.
    let json = serde_json::to_value(&ex.blocks[0]).unwrap();
    assert!(json.get("cell").is_none(), "{json}");
    let json = serde_json::to_value(&ex.blocks[1]).unwrap();
    assert_eq!(
        json["cell"],
        serde_json::json!({"table": 0, "row": 0, "col": 0})
    );
}
