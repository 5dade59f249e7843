//! One structure at a time, on documents built in memory.

use super::build::{Builder, list_sprms, plf_lfo, plf_lst, stsh};
use super::{blocks, extract};
use crate::extract::BlockKind::{self, *};
use crate::extract::doc::fib;

fn texts(bytes: &[u8]) -> Vec<(BlockKind, String)> {
    blocks(&extract(bytes).expect("readable"))
}

fn pairs(list: &[(BlockKind, &str)]) -> Vec<(BlockKind, String)> {
    list.iter().map(|(k, t)| (*k, t.to_string())).collect()
}

#[test]
fn eight_bit_and_unicode_pieces_in_cp_order() {
    let doc = Builder::new()
        .ansi(b"Scope: \x93fair\x94 \x96 open\x85\r")
        .unicode("第一条\u{0B}为了规范\u{09}市场\u{1E}秩序\u{1F}。\r")
        .build();
    assert_eq!(
        texts(&doc),
        pairs(&[
            (
                Paragraph,
                "Scope: \u{201C}fair\u{201D} \u{2013} open\u{2026}"
            ),
            (Paragraph, "第一条 为了规范 市场-秩序。"),
        ])
    );
}

#[test]
fn field_codes_hidden_results_kept_even_nested() {
    let doc = Builder::new()
        .unicode(concat!(
            "详见\u{13} HYPERLINK \"https://example.gov.cn\" \u{14}门户网站\u{15}公告",
            "\u{13} TOC \\o \u{13} PAGE \u{14}9\u{15}\u{14}目录\u{15}",
            "\u{13} SEQ 表 \u{15}\u{1}\u{8}。\r",
            "\u{13} REF a \u{14}甲\u{13} PAGE \u{14}乙\u{15}丙\u{15}\r",
        ))
        .build();
    assert_eq!(
        texts(&doc),
        pairs(&[(Paragraph, "详见门户网站公告目录。"), (Paragraph, "甲乙丙")])
    );
}

#[test]
fn tracked_deletions_are_not_text() {
    let text = "行政机关不得限定经营，但经批准的除外。\r";
    let start = "行政机关不得限定经营".chars().count() as u32;
    let end = start + "，但经批准的除外".chars().count() as u32;
    let doc = Builder::new().unicode(text).deleted(start..end).build();
    assert_eq!(texts(&doc), pairs(&[(Paragraph, "行政机关不得限定经营。")]));
}

#[test]
fn cell_marks_without_paragraph_properties() {
    let doc = Builder::new()
        .unicode("甲\u{07}乙\u{07}\u{07}正文\r")
        .build();
    assert_eq!(
        texts(&doc),
        pairs(&[(TableCell, "甲"), (TableCell, "乙"), (Paragraph, "正文")])
    );
}

#[test]
fn table_cells_from_paragraph_properties() {
    let in_table = [0x16, 0x24, 1];
    let row_end = [0x16, 0x24, 1, 0x17, 0x24, 1];
    // "名称\r说明\x07值\x07\x07正文\r"
    let doc = Builder::new()
        .unicode("名称\r说明\u{07}值\u{07}\u{07}正文\r")
        .para(0..3, 0, &in_table)
        .para(3..6, 0, &in_table)
        .para(6..8, 0, &in_table)
        .para(8..9, 0, &row_end)
        .para(9..12, 0, &[])
        .build();
    let ex = extract(&doc).expect("readable");
    assert_eq!(
        blocks(&ex),
        pairs(&[
            (TableCell, "名称 说明"),
            (TableCell, "值"),
            (Paragraph, "正文")
        ])
    );
    let numbers: Vec<Option<u32>> = ex.blocks.iter().map(|b| b.paragraph).collect();
    assert_eq!(numbers, vec![Some(0), Some(2), Some(3)]);
}

#[test]
fn numbering_from_styles_and_direct_formatting() {
    let heading_list = list_sprms(1, 0);
    let styles = stsh(&[
        (0, "Normal", vec![]),
        (1, "heading 1", heading_list),
        (0, "正文缩进", vec![]),
    ]);
    let text = "总则\r为了规范。\r重点任务\r附则\r";
    let doc = Builder::new()
        .unicode(text)
        .para(0..3, 1, &[])
        .para(3..9, 2, &[])
        .para(9..14, 2, &list_sprms(1, 1))
        .para(14..17, 1, &[])
        .table_part(fib::STSHF, &styles)
        .table_part(
            fib::PLF_LST,
            &plf_lst(7, &[(0x25, "第\u{0}章", 1), (0x25, "（\u{1}）", 0)]),
        )
        .table_part(fib::PLF_LFO, &plf_lfo(7))
        .build();
    assert_eq!(
        texts(&doc),
        pairs(&[
            (Heading, "第一章 总则"),
            (Paragraph, "为了规范。"),
            (Paragraph, "（一）重点任务"),
            (Heading, "第二章 附则"),
        ])
    );
}

#[test]
fn stories_in_order_with_header_index() {
    let main = "正文\r";
    let footnote = "\u{02}注释内容\r";
    let headers = "页眉文字\r第\u{13} PAGE \u{14}1\u{15}页\r";
    let endnote = "\u{02}尾注内容\r";
    let text_box = "文本框\r";
    let len = |s: &str| s.encode_utf16().count() as u32;
    let (h1, h2) = (len("页眉文字\r"), len(headers));
    let mut hdd = Vec::new();
    for cp in [0, 0, 0, 0, 0, 0, 0, 0, h1, h1, h2, h2, h2, h2] {
        hdd.extend_from_slice(&cp.to_le_bytes());
    }
    let mut b = Builder::new()
        .unicode(&format!("{main}{footnote}{headers}{endnote}{text_box}"))
        .table_part(fib::PLCF_HDD, &hdd);
    b.ccp = Some([
        len(main),
        len(footnote),
        h2,
        0,
        0,
        len(endnote),
        len(text_box),
        0,
    ]);
    assert_eq!(
        texts(&b.build()),
        pairs(&[
            (Paragraph, "正文"),
            (Footnote, "注释内容"),
            (Endnote, "尾注内容"),
            (Header, "页眉文字"),
            (TextBox, "文本框"),
        ])
    );
}

#[test]
fn title_from_summary_information() {
    let title = encoding_rs::GBK.encode("关于开展公平竞争审查的通知").0;
    let mut set = Vec::new();
    let props: [(u32, Vec<u8>); 2] = [
        (1, [2u32.to_le_bytes(), 936u32.to_le_bytes()].concat()),
        (2, {
            let mut v = 0x1Eu32.to_le_bytes().to_vec();
            v.extend_from_slice(&(title.len() as u32 + 1).to_le_bytes());
            v.extend_from_slice(&title);
            v.push(0);
            v.resize(v.len().div_ceil(4) * 4, 0);
            v
        }),
    ];
    let mut offset = 8 + 8 * props.len();
    let mut index = Vec::new();
    let mut values = Vec::new();
    for (id, value) in &props {
        index.extend_from_slice(&id.to_le_bytes());
        index.extend_from_slice(&(offset as u32).to_le_bytes());
        offset += value.len();
        values.extend_from_slice(value);
    }
    set.extend_from_slice(&(offset as u32).to_le_bytes());
    set.extend_from_slice(&(props.len() as u32).to_le_bytes());
    set.extend_from_slice(&index);
    set.extend_from_slice(&values);
    let mut stream = vec![0xFE, 0xFF, 0, 0, 0, 0, 0, 0];
    stream.extend_from_slice(&[0; 16]);
    stream.extend_from_slice(&1u32.to_le_bytes());
    stream.extend_from_slice(&[0; 16]);
    stream.extend_from_slice(&48u32.to_le_bytes());
    stream.extend_from_slice(&set);
    let doc = Builder::new()
        .unicode("正文\r")
        .stream("\u{5}SummaryInformation", stream)
        .build();
    let ex = extract(&doc).expect("readable");
    assert_eq!(
        ex.hints.title.as_deref(),
        Some("关于开展公平竞争审查的通知")
    );
}
