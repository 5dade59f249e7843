//! Reading order on pages in two columns and pages with tables (fixtures
//! made by `make_layout_fixtures.py` in `tests/fixtures/pdf`).

use super::tests::{block_texts, fixture, ideographs, lcs, run, source_lines, synthetic_pdf};
use super::*;

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
