//! Reading order on pages in two columns and pages with tables (fixtures
//! made by `make_layout_fixtures.py` in `tests/fixtures/pdf`).

use super::tests::{block_texts, fixture, ideographs, lcs, run, source_lines, synthetic_pdf};
use super::*;
use crate::extract::cell_tests::{assert_only_cells_have_positions, cells, want};

/// Blocks of one kind, in order.
fn texts_of(ex: &Extracted, kind: BlockKind) -> Vec<String> {
    block_texts(ex)
        .into_iter()
        .zip(&ex.blocks)
        .filter(|(_, b)| b.kind == kind)
        .map(|(t, _)| t)
        .collect()
}

#[test]
fn two_columns_are_read_one_after_the_other() {
    let ex = run(&fixture("columns.pdf")).expect("columns");
    let source = source_lines("columns.txt");

    let want = ideographs(&source.concat());
    let got = ideographs(&ex.text);
    let mut left = got.clone();
    let found = want
        .iter()
        .filter(|c| match left.iter().position(|g| g == *c) {
            Some(i) => {
                left.swap_remove(i);
                true
            }
            None => false,
        })
        .count();
    let recall = found as f64 / want.len() as f64;
    let in_order = lcs(&want, &got) as f64 / want.len() as f64;
    assert!(recall >= 0.99, "recall {recall:.4}");
    assert!(in_order >= 0.99, "reading order {in_order:.4}");

    let labels = [
        "第一条",
        "第二条",
        "第三条",
        "第四条",
        "第五条",
        "第六条",
        "第七条",
        "第八条",
        "第九条",
        "第十条",
    ];
    let at: Vec<usize> = labels
        .iter()
        .map(|l| ex.text.find(l).unwrap_or_else(|| panic!("{l} missing")))
        .collect();
    assert!(
        at.windows(2).all(|w| w[0] < w[1]),
        "labels out of order: {at:?}"
    );

    // Every clause is one paragraph, the one that runs on from the left
    // column into the right one included; the page number is gone.
    assert_eq!(block_texts(&ex), source);
    assert_eq!(ex.blocks[0].kind, BlockKind::Heading);
    assert!(texts_of(&ex, BlockKind::TableCell).is_empty());
}

#[test]
fn ruled_table_is_read_cell_by_cell() {
    let ex = run(&fixture("ruled_table.pdf")).expect("ruled table");
    assert_eq!(
        texts_of(&ex, BlockKind::TableCell),
        [
            "项目",
            "申报条件",
            "支持标准",
            "技术改造",
            "在本区依法登记注册，上年度完成设备投资额不低于五百万元",
            "按设备投资额的百分之十给予补助",
            "首台套产品",
            "产品经省级部门认定为首台套装备",
            "一次性奖励五十万元",
            "专精特新",
            "获得国家级专精特新“小巨人”企业称号",
            "一次性奖励一百万元，已享受同类奖励的补足差额",
            "备注",
            "同一项目不得重复申报本区其他财政资金。",
        ]
    );
    let blocks = block_texts(&ex);
    assert_eq!(blocks[0], "某区中小企业发展专项资金申报指南");
    assert!(blocks[1].starts_with("为落实") && blocks[1].ends_with("按要求申报。"));
    assert_eq!(
        blocks.last().map(String::as_str),
        Some("申报材料请于六月三十日前报送区工业和信息化局。")
    );
    assert_eq!(ex.blocks.last().map(|b| b.kind), Some(BlockKind::Paragraph));
}

#[test]
fn table_without_rules_is_read_cell_by_cell() {
    let ex = run(&fixture("unruled_table.pdf")).expect("unruled table");
    assert_eq!(
        texts_of(&ex, BlockKind::TableCell),
        [
            "序号",
            "事项名称",
            "办理时限",
            "1",
            "食品经营许可证核发",
            "十个工作日",
            "2",
            "个体工商户设立登记",
            "当场办结",
            "3",
            "公共场所卫生许可（含新办、延续和变更）",
            "十五个工作日，需现场核查的另加五个工作日",
            "4",
            "招标投标情况书面报告备案",
            "三个工作日",
        ]
    );
    let blocks = block_texts(&ex);
    assert_eq!(blocks[0], "某区政务服务事项办理时限一览");
    assert_eq!(
        blocks[1],
        "下列事项自受理之日起按所列时限办结，申请材料齐全的当场受理。"
    );
    assert_eq!(
        blocks.last().map(String::as_str),
        Some("以上时限不含申请人补正材料的时间。")
    );
}

/// `BT /F1 12 Tf x y Td <UCS-2 text> Tj ET`
fn text_at(x: f32, y: f32, text: &str) -> String {
    let hex: String = text.encode_utf16().map(|u| format!("{u:04X}")).collect();
    format!("BT /F1 12 Tf {x} {y} Td <{hex}> Tj ET\n")
}

#[test]
fn rules_drawn_as_thin_bars_or_under_a_transform_make_a_table() {
    // Horizontal rules as filled bars; vertical ones stroked, drawn in a
    // coordinate system moved down by 100.
    let mut content = String::from(
        "72 700 300 0.5 re 72 650 300 0.5 re 72 600 300 0.5 re f\n\
         q 1 0 0 1 0 -100 cm 72 700 m 72 800 l 222 700 m 222 800 l 372 700 m 372 800 l S Q\n",
    );
    content += &text_at(72.0, 720.0, "第一条 表格之前的正文。");
    content += &text_at(80.0, 680.0, "项目");
    content += &text_at(230.0, 680.0, "标准");
    content += &text_at(80.0, 630.0, "补助");
    content += &text_at(230.0, 630.0, "按投资额的");
    content += &text_at(230.0, 614.0, "一成给予补助");
    content += &text_at(72.0, 570.0, "第二条 表格之后的正文。");
    let ex = run(&synthetic_pdf(content.as_bytes(), |_, _| {})).expect("table page");
    assert_eq!(
        block_texts(&ex),
        [
            "第一条 表格之前的正文。",
            "项目",
            "标准",
            "补助",
            "按投资额的一成给予补助",
            "第二条 表格之后的正文。",
        ]
    );
    let kinds: Vec<BlockKind> = ex.blocks.iter().map(|b| b.kind).collect();
    assert_eq!(kinds[1..5], [BlockKind::TableCell; 4]);
    assert_eq!(kinds[5], BlockKind::Paragraph);
}

/// Stroked rules: horizontal ones `(y, x0, x1)`, vertical ones `(x, y0, y1)`.
fn rules(horizontal: &[(f32, f32, f32)], vertical: &[(f32, f32, f32)]) -> String {
    let mut out = String::new();
    for (y, x0, x1) in horizontal {
        out += &format!("{x0} {y} m {x1} {y} l ");
    }
    for (x, y0, y1) in vertical {
        out += &format!("{x} {y0} m {x} {y1} l ");
    }
    out + "S\n"
}

#[test]
fn ruled_tables_give_cell_positions_spans_and_table_numbers() {
    let xs = [72.0, 172.0, 272.0, 372.0];
    // A 3×3 table with a header row.
    let mut content = rules(
        &[700.0, 670.0, 640.0, 610.0].map(|y| (y, 72.0, 372.0)),
        &xs.map(|x| (x, 610.0, 700.0)),
    );
    // Below it, a table whose middle row has one cell over two columns.
    content += &rules(
        &[540.0, 510.0, 480.0, 450.0].map(|y| (y, 72.0, 372.0)),
        &[
            (72.0, 450.0, 540.0),
            (172.0, 450.0, 540.0),
            (272.0, 510.0, 540.0),
            (272.0, 450.0, 480.0),
            (372.0, 450.0, 540.0),
        ],
    );
    content += &text_at(72.0, 730.0, "第一条 申报条件如下。");
    let first = [
        ["项目", "条件", "标准"],
        ["技术改造", "登记注册", "补助一成"],
        ["首台套", "省级认定", "奖励五十万"],
    ];
    for (r, row) in first.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            content += &text_at(xs[c] + 8.0, 680.0 - 30.0 * r as f32, text);
        }
    }
    content += &text_at(72.0, 570.0, "第二条 补助标准如下。");
    content += &text_at(80.0, 520.0, "类别");
    content += &text_at(180.0, 520.0, "条件");
    content += &text_at(280.0, 520.0, "标准");
    content += &text_at(80.0, 490.0, "补助");
    content += &text_at(180.0, 490.0, "按投资额的一成给予补助");
    content += &text_at(80.0, 460.0, "奖励");
    content += &text_at(180.0, 460.0, "首台套");
    content += &text_at(280.0, 460.0, "五十万元");
    content += &text_at(72.0, 420.0, "第三条 本办法自印发之日起施行。");
    let ex = run(&synthetic_pdf(content.as_bytes(), |_, _| {})).expect("table page");
    assert_eq!(
        cells(&ex),
        want(&[
            ("第一条 申报条件如下。", None),
            ("项目", Some((0, 0, 0))),
            ("条件", Some((0, 0, 1))),
            ("标准", Some((0, 0, 2))),
            ("技术改造", Some((0, 1, 0))),
            ("登记注册", Some((0, 1, 1))),
            ("补助一成", Some((0, 1, 2))),
            ("首台套", Some((0, 2, 0))),
            ("省级认定", Some((0, 2, 1))),
            ("奖励五十万", Some((0, 2, 2))),
            ("第二条 补助标准如下。", None),
            ("类别", Some((1, 0, 0))),
            ("条件", Some((1, 0, 1))),
            ("标准", Some((1, 0, 2))),
            ("补助", Some((1, 1, 0))),
            ("按投资额的一成给予补助", Some((1, 1, 1))),
            ("奖励", Some((1, 2, 0))),
            ("首台套", Some((1, 2, 1))),
            ("五十万元", Some((1, 2, 2))),
            ("第三条 本办法自印发之日起施行。", None),
        ])
    );
    assert_only_cells_have_positions(&ex);
}

#[test]
fn fixture_tables_pair_rows_with_their_header_row() {
    for (name, row, want) in [
        (
            "ruled_table.pdf",
            2,
            vec![
                ("项目", "首台套产品"),
                ("申报条件", "产品经省级部门认定为首台套装备"),
                ("支持标准", "一次性奖励五十万元"),
            ],
        ),
        (
            "unruled_table.pdf",
            2,
            vec![
                ("序号", "2"),
                ("事项名称", "个体工商户设立登记"),
                ("办理时限", "当场办结"),
            ],
        ),
    ] {
        let ex = run(&fixture(name)).expect(name);
        let all = cells(&ex);
        let at = |r: u32| {
            all.iter()
                .filter_map(move |(t, c)| c.filter(|c| c.0 == 0 && c.1 == r).map(|c| (c.2, t)))
        };
        let got: Vec<(&str, &str)> = at(row)
            .map(|(col, t)| {
                let head = at(0).find(|h| h.0 == col).map_or("", |h| h.1.as_str());
                (head, t.as_str())
            })
            .collect();
        assert_eq!(got, want, "{name}");
    }
}
