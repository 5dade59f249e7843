//! Word automatic numbering restored into the text.

use super::*;

/// One `w:lvl`; `extra` holds further level properties.
fn lvl(ilvl: u32, fmt: &str, text: &str, extra: &str) -> String {
    format!(
        r#"<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>{extra}<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="420"/></w:pPr></w:lvl>"#
    )
}

fn abstract_num(id: u32, levels: &[String]) -> String {
    format!(
        r#"<w:abstractNum w:abstractNumId="{id}">{}</w:abstractNum>"#,
        levels.concat()
    )
}

fn num(id: u32, abstract_id: u32, overrides: &str) -> String {
    format!(r#"<w:num w:numId="{id}"><w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>"#)
}

fn docx_with(body: &str, numbering: &str, styles: &str) -> Vec<u8> {
    package(&[
        ("word/document.xml", &document(body)),
        (
            "word/_rels/document.xml.rels",
            &rels(&[
                ("rId1", "numbering", "numbering.xml"),
                ("rId2", "styles", "styles.xml"),
            ]),
        ),
        ("word/numbering.xml", &part("w:numbering", numbering)),
        ("word/styles.xml", &part("w:styles", styles)),
    ])
}

/// The Chinese policy outline: 一、 / （一） / 1. with a legal-style fourth level.
fn outline() -> String {
    abstract_num(
        0,
        &[
            lvl(0, "chineseCounting", "%1、", ""),
            lvl(1, "chineseCounting", "（%2）", ""),
            lvl(2, "decimal", "%3.", ""),
            lvl(3, "decimal", "%1.%2.%3.%4", r#"<w:isLgl/>"#),
        ],
    )
}

#[test]
fn chinese_outline_labels_restart_per_level() {
    let numbering = [
        outline(),
        num(1, 0, ""),
        num(
            2,
            0,
            r#"<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>"#,
        ),
    ]
    .concat();
    let body = [
        np(1, 0, "总体要求"),
        np(1, 1, "基本原则"),
        np(1, 2, "坚持公平竞争"),
        np(1, 2, "坚持依法行政"),
        np(1, 1, "加大支持"),
        np(1, 2, "对新设立的企业"),
        np(1, 3, "具体事项"),
        np(1, 0, "重点任务"),
        np(1, 3, "跳过的层级"),
        np(1, 1, "清理规定"),
        np(1, 0, ""),
        np(1, 0, "保障措施"),
        // A restarted copy of the same list, then the first one continuing it.
        np(2, 0, "附则甲"),
        np(2, 1, "附则乙"),
        np(1, 0, "附则丙"),
    ]
    .concat();
    let ex = extract(&docx_with(&body, &numbering, "")).unwrap();
    assert_eq!(
        texts(&ex),
        [
            "一、总体要求",
            "（一）基本原则",
            "1.坚持公平竞争",
            "2.坚持依法行政",
            "（二）加大支持",
            "1.对新设立的企业",
            "1.2.1.1 具体事项",
            "二、重点任务",
            "2.0.0.1 跳过的层级",
            "（一）清理规定",
            "四、保障措施",
            "一、附则甲",
            "（一）附则乙",
            "二、附则丙",
        ]
    );
    // The label is part of its block.
    assert_eq!(ex.blocks[0].start, 0);
    assert_eq!(ex.blocks[0].paragraph, Some(0));
}

#[test]
fn counting_goes_past_ten() {
    let numbering = [outline(), num(1, 0, "")].concat();
    let body: String = (1..=21).map(|i| np(1, 0, &format!("第{i}项"))).collect();
    let ex = extract(&docx_with(&body, &numbering, "")).unwrap();
    let labels: Vec<String> = texts(&ex)
        .iter()
        .map(|t| t.split('、').next().unwrap_or_default().to_string())
        .collect();
    assert_eq!(labels[9], "十");
    assert_eq!(labels[10], "十一");
    assert_eq!(labels[19], "二十");
    assert_eq!(labels[20], "二十一");
}

#[test]
fn restart_rules_bullets_and_suffixes() {
    let numbering = [
        abstract_num(
            1,
            &[
                lvl(0, "decimal", "%1.", ""),
                lvl(1, "lowerLetter", "%2)", r#"<w:lvlRestart w:val="0"/>"#),
            ],
        ),
        abstract_num(2, &[lvl(0, "bullet", "\u{F0B7}", "")]),
        abstract_num(
            3,
            &[lvl(
                0,
                "chineseCounting",
                "第%1条",
                r#"<w:suff w:val="nothing"/>"#,
            )],
        ),
        abstract_num(
            4,
            &[lvl(
                0,
                "decimalEnclosedCircle",
                "%1",
                r#"<w:suff w:val="space"/>"#,
            )],
        ),
        num(3, 1, ""),
        num(4, 2, ""),
        num(5, 3, ""),
        num(6, 4, ""),
    ]
    .concat();
    let body = [
        np(3, 0, "Scope"),
        np(3, 1, "first"),
        np(3, 0, "Terms"),
        np(3, 1, "second"),
        np(4, 0, "要点"),
        np(5, 0, "为了规范"),
        np(6, 0, "企业"),
        np(9, 0, "未定义的编号"),
    ]
    .concat();
    let ex = extract(&docx_with(&body, &numbering, "")).unwrap();
    assert_eq!(
        texts(&ex),
        [
            "1. Scope",
            "a) first",
            "2. Terms",
            "b) second",
            "要点",
            "第一条为了规范",
            "①企业",
            "未定义的编号"
        ]
    );
}

#[test]
fn numbering_through_paragraph_styles() {
    let numbering = [
        abstract_num(
            0,
            &[
                lvl(
                    0,
                    "chineseCounting",
                    "第%1章",
                    r#"<w:pStyle w:val="1"/><w:suff w:val="space"/>"#,
                ),
                lvl(
                    1,
                    "chineseCounting",
                    "第%2节",
                    r#"<w:pStyle w:val="2"/><w:suff w:val="space"/>"#,
                ),
            ],
        ),
        num(5, 0, ""),
        abstract_num(1, &[lvl(0, "decimal", "%1.", "")]),
        num(7, 1, ""),
        // A list defined through a numbering style shares that style's list.
        r#"<w:abstractNum w:abstractNumId="2"><w:numStyleLink w:val="ListStyle"/></w:abstractNum>"#
            .to_string(),
        num(8, 2, ""),
    ]
    .concat();
    let styles = r#"
      <w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style>
      <w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:pPr><w:numPr><w:numId w:val="5"/></w:numPr></w:pPr></w:style>
      <w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/><w:pPr><w:numPr><w:numId w:val="5"/></w:numPr></w:pPr></w:style>
      <w:style w:type="paragraph" w:styleId="Clause"><w:name w:val="Clause"/><w:pPr><w:numPr><w:numId w:val="7"/></w:numPr></w:pPr></w:style>
      <w:style w:type="paragraph" w:styleId="ClauseChild"><w:name w:val="Clause child"/><w:basedOn w:val="Clause"/></w:style>
      <w:style w:type="numbering" w:styleId="ListStyle"><w:name w:val="List style"/><w:pPr><w:numPr><w:numId w:val="7"/></w:numPr></w:pPr></w:style>"#;
    let style = |id: &str| format!(r#"<w:pStyle w:val="{id}"/>"#);
    let body = [
        pp(&style("1"), "总则"),
        pp(&style("2"), "一般规定"),
        pp(&style("ClauseChild"), "适用范围"),
        pp(&style("Clause"), "基本原则"),
        pp(
            &format!(
                r#"{}<w:numPr><w:numId w:val="0"/></w:numPr>"#,
                style("Clause")
            ),
            "不编号",
        ),
        np(8, 0, "经由编号样式"),
        pp(&style("1"), "附则"),
    ]
    .concat();
    let ex = extract(&docx_with(&body, &numbering, styles)).unwrap();
    let got = blocks(&ex);
    let want = [
        (BlockKind::Heading, "第一章 总则"),
        (BlockKind::Heading, "第一节 一般规定"),
        (BlockKind::Paragraph, "1.适用范围"),
        (BlockKind::Paragraph, "2.基本原则"),
        (BlockKind::Paragraph, "不编号"),
        (BlockKind::Paragraph, "3.经由编号样式"),
        (BlockKind::Heading, "第二章 附则"),
    ]
    .map(|(k, t)| (k, t.to_string()));
    assert_eq!(got, want);
}

#[test]
fn labels_from_a_word_processor_export() {
    let ex = extract(include_bytes!(
        "../../../../tests/fixtures/docx/numbered.docx"
    ))
    .unwrap();
    let got = texts(&ex);
    let expected = include_str!("../../../../tests/fixtures/docx/numbered.expected.txt");
    let want: Vec<&str> = expected.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(got, want);
    let headings: Vec<String> = blocks(&ex)
        .into_iter()
        .filter(|(k, _)| *k == BlockKind::Heading)
        .map(|(_, t)| t)
        .collect();
    assert_eq!(headings, [want[0], "第一章 总体要求", "第二章 保障措施"]);
    assert_eq!(ex.hints.title.as_deref(), Some(want[0]));
}
