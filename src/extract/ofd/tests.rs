//! Tests over the packages in `tests/fixtures/ofd` (written by
//! `make_ofd_fixtures.py` there from `notice.txt`) and over small packages
//! built here.

use std::io::{Cursor, Write};
use std::time::{Duration, Instant};

use super::*;
use crate::limits::{Deadline, Limits};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/ofd/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn source_lines() -> Vec<String> {
    String::from_utf8(fixture("notice.txt"))
        .expect("utf-8 sample text")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

fn run_with(bytes: &[u8], limits: &Limits, budget: Duration) -> Result<Extracted, ExtractError> {
    let ctx = Context {
        limits,
        deadline: Deadline::after(budget),
    };
    OfdExtractor.extract(bytes, &ctx)
}

fn run(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    run_with(bytes, &Limits::default(), Duration::from_secs(60))
}

fn block_texts(ex: &Extracted) -> Vec<String> {
    let chars: Vec<char> = ex.text.chars().collect();
    ex.blocks
        .iter()
        .map(|b| {
            chars
                .get(b.start..b.end)
                .unwrap_or_default()
                .iter()
                .collect()
        })
        .collect()
}

fn ideographs(text: &str) -> Vec<char> {
    text.chars()
        .filter(|c| matches!(*c as u32, 0x3400..=0x9FFF | 0x20000..=0x3FFFF))
        .collect()
}

/// Length of the longest common subsequence.
fn lcs(a: &[char], b: &[char]) -> usize {
    let mut row = vec![0usize; b.len() + 1];
    for &x in a {
        let mut diag = 0;
        for (j, &y) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = if x == y { diag + 1 } else { up.max(row[j]) };
            diag = up;
        }
    }
    row[b.len()]
}

#[test]
fn notice_recall_precision_and_paragraphs() {
    let ex = run(&fixture("notice.ofd")).expect("notice.ofd");
    let source = source_lines();
    let want = ideographs(&source.concat());
    let got = ideographs(&ex.text);
    let common = lcs(&want, &got) as f64;
    let recall = common / want.len() as f64;
    let precision = common / got.len().max(1) as f64;
    assert!(recall >= 0.99, "recall {recall:.4}");
    assert!(precision >= 0.99, "precision {precision:.4}");
    // The layout is regular enough to come back paragraph for paragraph.
    assert_eq!(block_texts(&ex), source);
    assert!(ex.warnings.is_empty(), "{:?}", ex.warnings);
}

#[test]
fn notice_clause_labels_in_order() {
    let ex = run(&fixture("notice.ofd")).expect("notice.ofd");
    let blocks = block_texts(&ex);
    let labels = [
        "一、",
        "（一）",
        "（二）",
        "二、",
        "（一）",
        "1. ",
        "2. ",
        "3. ",
        "（二）",
        "三、",
        "（一）",
        "（二）",
        "（三）",
        "附件：",
        "附件",
        "第一条",
        "第二条",
        "第三条",
        "第四条",
        "第五条",
        "第六条",
        "第七条",
    ];
    let mut from = 0;
    for label in labels {
        let found = blocks
            .iter()
            .skip(from)
            .position(|b| b.starts_with(label))
            .unwrap_or_else(|| panic!("{label} not found after block {from}"));
        from += found + 1;
    }
}

#[test]
fn notice_pages_furniture_and_kinds() {
    let ex = run(&fixture("notice.ofd")).expect("notice.ofd");
    let blocks = block_texts(&ex);
    let mut last = 0;
    for (i, b) in ex.blocks.iter().enumerate() {
        let page = b.page.expect("every block has a page");
        assert!((1..=4).contains(&page) && page >= last, "page {page}");
        last = page;
        assert_eq!(b.paragraph, Some(i as u32));
    }
    assert_eq!(last, 4);
    for furniture in ["—", "行政规范性文件", "印发\n", "办公室印发"] {
        assert!(!ex.text.contains(furniture), "{furniture} kept");
    }
    // Item 1 wraps from page 1 onto page 2 and starts on page 1.
    let i = blocks
        .iter()
        .position(|b| b.starts_with("1. 按照"))
        .expect("item 1");
    assert_eq!(ex.blocks[i].page, Some(1));
    assert!(blocks[i].ends_with("奖励的；"));
    let heading = |text: &str| {
        let i = blocks.iter().position(|b| b == text).expect(text);
        ex.blocks[i].kind
    };
    assert_eq!(heading(&source_lines()[1]), BlockKind::Heading);
    assert_eq!(
        heading("青禾市招商引资政策公平竞争审查实施细则"),
        BlockKind::Heading
    );
    assert_eq!(heading("附件"), BlockKind::Paragraph);
}

#[test]
fn notice_hints() {
    let ex = run(&fixture("notice.ofd")).expect("notice.ofd");
    assert_eq!(ex.hints.title.as_deref(), Some(source_lines()[1].as_str()));
    assert_eq!(ex.hints.issuer.as_deref(), Some("青禾市人民政府办公室"));
    assert_eq!(ex.hints.date, None, "CreationDate is not the issue date");
}

#[test]
fn missing_document_root_is_corrupt_and_named() {
    match run(&fixture("missing_docroot.ofd")) {
        Err(ExtractError::Corrupt(m)) => assert!(m.contains("Doc_0/Document.xml"), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_missing_page_is_skipped_with_a_warning() {
    let ex = run(&fixture("missing_page.ofd")).expect("other pages readable");
    let blocks = block_texts(&ex);
    assert_eq!(
        blocks,
        [
            "第一条 本页的文字可以正常读取。",
            "第三条 其余页面仍应当提取。"
        ]
    );
    let pages: Vec<Option<u32>> = ex.blocks.iter().map(|b| b.page).collect();
    assert_eq!(pages, [Some(1), Some(3)]);
    assert_eq!(ex.warnings.len(), 1);
    assert!(
        ex.warnings[0].contains("第 2 页")
            && ex.warnings[0].contains("Doc_0/Pages/Page_1/Content.xml"),
        "{:?}",
        ex.warnings
    );
}

#[test]
fn zip_bomb_page_is_too_large() {
    let started = Instant::now();
    let err = run(&fixture("zip_bomb.ofd")).expect_err("bomb");
    assert_eq!(err.kind(), "too_large", "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn entity_bomb_is_not_expanded() {
    let started = Instant::now();
    let ex = run(&fixture("entity_bomb.ofd")).expect("entities are dropped");
    assert_eq!(ex.text, "第一条 前后");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn image_only_pages_need_ocr() {
    let ex = run(&fixture("image_page.ofd")).expect("page 1 has text");
    assert_eq!(block_texts(&ex), ["第一条 本页的文字可以正常读取。"]);
    assert_eq!(ex.warnings.len(), 1);
    assert!(
        ex.warnings[0].contains("第 2 页") && ex.warnings[0].contains("OCR"),
        "{:?}",
        ex.warnings
    );
    let err = run(&fixture("scanned.ofd")).expect_err("scanned");
    assert_eq!(err.kind(), "needs_ocr", "{err}");
}

// --- packages built here -------------------------------------------------

const NS: &str = r#"xmlns:ofd="http://www.ofdspec.org/2016""#;

fn zip(entries: &[(&str, &str)]) -> Vec<u8> {
    let mut buf = Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default();
        for (name, data) in entries {
            w.start_file(*name, opts).expect("zip entry");
            w.write_all(data.as_bytes()).expect("zip data");
        }
        w.finish().expect("zip");
    }
    buf.into_inner()
}

fn entry_xml(bodies: &[&str]) -> String {
    let bodies: String = bodies
        .iter()
        .map(|root| format!("<ofd:DocBody><ofd:DocRoot>{root}</ofd:DocRoot></ofd:DocBody>"))
        .collect();
    format!(r#"<ofd:OFD {NS} Version="1.0" DocType="OFD">{bodies}</ofd:OFD>"#)
}

fn document_xml(locs: &[&str]) -> String {
    let pages: String = locs
        .iter()
        .enumerate()
        .map(|(i, l)| format!(r#"<ofd:Page ID="{i}" BaseLoc="{l}"/>"#))
        .collect();
    format!(r#"<ofd:Document {NS}><ofd:Pages>{pages}</ofd:Pages></ofd:Document>"#)
}

fn page_xml(text: &str) -> String {
    format!(
        r#"<ofd:Page {NS}><ofd:Content><ofd:Layer ID="1"><ofd:TextObject ID="2" Boundary="30 40 150 8" Size="5"><ofd:TextCode X="0" Y="5">{text}</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>"#
    )
}

fn one_page(page: &str) -> Vec<u8> {
    zip(&[
        ("OFD.xml", &entry_xml(&["Doc_0/Document.xml"])),
        (
            "Doc_0/Document.xml",
            &document_xml(&["Pages/Page_0/Content.xml"]),
        ),
        ("Doc_0/Pages/Page_0/Content.xml", page),
    ])
}

fn corrupt_message(bytes: &[u8]) -> String {
    match run(bytes) {
        Err(ExtractError::Corrupt(m)) => m,
        other => panic!("expected corrupt, got {other:?}"),
    }
}

#[test]
fn broken_structure_is_corrupt_with_the_part_named() {
    assert!(corrupt_message(b"PK\x03\x04 not really a zip").contains("压缩包"));
    let no_entry = zip(&[("Doc_0/Document.xml", &document_xml(&[]))]);
    assert!(corrupt_message(&no_entry).contains("OFD.xml"));

    let no_root = zip(&[(
        "OFD.xml",
        &format!("<ofd:OFD {NS}><ofd:DocBody/></ofd:OFD>"),
    )]);
    assert!(corrupt_message(&no_root).contains("DocRoot"));

    let bad_document = zip(&[
        ("OFD.xml", &entry_xml(&["Doc_0/Document.xml"])),
        (
            "Doc_0/Document.xml",
            "<ofd:Document><ofd:Pages><ofd:Page BaseLoc=\"a",
        ),
    ]);
    assert!(corrupt_message(&bad_document).contains("Doc_0/Document.xml"));

    let no_pages = zip(&[
        ("OFD.xml", &entry_xml(&["Doc_0/Document.xml"])),
        ("Doc_0/Document.xml", &document_xml(&[])),
    ]);
    assert!(corrupt_message(&no_pages).contains("没有页面"));

    let all_missing = zip(&[
        ("OFD.xml", &entry_xml(&["Doc_0/Document.xml"])),
        (
            "Doc_0/Document.xml",
            &document_xml(&["Pages/Page_0/Content.xml"]),
        ),
    ]);
    assert!(corrupt_message(&all_missing).contains("Doc_0/Pages/Page_0/Content.xml"));

    let bad_page = one_page("<ofd:Page><ofd:Content><ofd:Layer><ofd:TextObject Size=\"5");
    assert!(corrupt_message(&bad_page).contains("Content.xml"));

    let escaping = zip(&[("OFD.xml", &entry_xml(&["../../Document.xml"]))]);
    assert!(corrupt_message(&escaping).contains("Document.xml"));
}

#[test]
fn paths_with_a_leading_slash_or_odd_case_resolve() {
    let bytes = zip(&[
        ("OFD.xml", &entry_xml(&["/Doc_0/Document.xml"])),
        (
            "Doc_0/Document.xml",
            &document_xml(&[
                "/Doc_0/Pages/Page_0/Content.xml",
                "pages/page_1/content.xml",
            ]),
        ),
        ("Doc_0/Pages/Page_0/Content.xml", &page_xml("第一页。")),
        ("Doc_0/Pages/Page_1/Content.xml", &page_xml("第二页。")),
    ]);
    let ex = run(&bytes).expect("both pages");
    assert_eq!(block_texts(&ex), ["第一页。", "第二页。"]);
}

#[test]
fn only_the_first_document_is_read() {
    let bytes = zip(&[
        (
            "OFD.xml",
            &entry_xml(&["Doc_0/Document.xml", "Doc_1/Document.xml"]),
        ),
        (
            "Doc_0/Document.xml",
            &document_xml(&["Pages/Page_0/Content.xml"]),
        ),
        ("Doc_0/Pages/Page_0/Content.xml", &page_xml("第一份文档。")),
        (
            "Doc_1/Document.xml",
            &document_xml(&["Pages/Page_0/Content.xml"]),
        ),
        ("Doc_1/Pages/Page_0/Content.xml", &page_xml("第二份文档。")),
    ]);
    let ex = run(&bytes).expect("first document");
    assert_eq!(ex.text, "第一份文档。");
    assert_eq!(ex.warnings.len(), 1);
    assert!(ex.warnings[0].contains("2 个文档"), "{:?}", ex.warnings);
}

#[test]
fn a_missing_template_costs_a_warning() {
    let page = format!(
        r#"<ofd:Page {NS}><ofd:Template TemplateID="9"/><ofd:Content><ofd:Layer ID="1"><ofd:TextObject ID="2" Boundary="30 40 150 8" Size="5"><ofd:TextCode X="0" Y="5">正文。</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>"#
    );
    let ex = run(&one_page(&page)).expect("page text");
    assert_eq!(ex.text, "正文。");
    assert_eq!(ex.warnings.len(), 1, "{:?}", ex.warnings);
}

#[test]
fn deep_nesting_and_deadline_stop_cleanly() {
    let deep = format!(
        "<ofd:Page {NS}><ofd:Content><ofd:Layer>{}{}",
        "<ofd:PageBlock>".repeat(20_000),
        "</ofd:PageBlock>".repeat(20_000)
    );
    let err = run(&one_page(&deep)).expect_err("too deep");
    assert_eq!(err.kind(), "too_large", "{err}");

    let err = run_with(&fixture("notice.ofd"), &Limits::default(), Duration::ZERO)
        .expect_err("deadline passed");
    assert_eq!(err.kind(), "timeout", "{err}");
}

#[test]
fn text_limit_is_respected() {
    let limits = Limits {
        max_text_bytes: 64,
        ..Limits::default()
    };
    let err = run_with(&fixture("notice.ofd"), &limits, Duration::from_secs(60))
        .expect_err("more than 64 bytes of text");
    assert_eq!(err.kind(), "too_large", "{err}");
}

#[test]
fn damaged_packages_never_panic() {
    let original = fixture("notice.ofd");
    for cut in (0..original.len()).step_by(97) {
        let _ = run(original.get(..cut).unwrap_or_default());
    }
    // Flip bytes at pseudo-random places (a fixed linear congruential sequence).
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    for _ in 0..300 {
        let mut bytes = original.clone();
        for _ in 0..4 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let at = (state >> 33) as usize % bytes.len();
            if let Some(b) = bytes.get_mut(at) {
                *b ^= (state >> 24) as u8 | 1;
            }
        }
        let _ = run(&bytes);
    }
}

#[test]
fn page_lists() {
    assert_eq!(page_list(&[2]), "2");
    assert_eq!(page_list(&[1, 2, 4, 6, 7, 8]), "1、2、4、6—8");
}

#[test]
fn mangled_page_xml_never_panics() {
    let original = fixture("notice.ofd");
    let mut zip_in = zip::ZipArchive::new(Cursor::new(&original[..])).expect("fixture zip");
    let mut entries: Vec<(String, String)> = Vec::new();
    for i in 0..zip_in.len() {
        let mut f = zip_in.by_index(i).expect("entry");
        let mut s = String::new();
        if std::io::Read::read_to_string(&mut f, &mut s).is_ok() {
            let name = f.name().map(|n| n.to_string()).unwrap_or_default();
            entries.push((name, s));
        }
    }
    let target = entries
        .iter()
        .position(|(n, _)| n.ends_with("Page_0/Content.xml"))
        .expect("page 0");
    let alphabet = b"<>/\"= g-9.e0";
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..200 {
        let mut page = entries[target].1.clone().into_bytes();
        for _ in 0..6 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let at = (state >> 33) as usize % page.len();
            // Only ASCII positions, so the text stays UTF-8.
            if page.get(at).is_some_and(u8::is_ascii) {
                page[at] = alphabet[(state >> 20) as usize % alphabet.len()];
            }
        }
        let page = String::from_utf8(page).expect("ascii swaps keep utf-8");
        let files: Vec<(&str, &str)> = entries
            .iter()
            .enumerate()
            .map(|(i, (n, s))| {
                (
                    n.as_str(),
                    if i == target {
                        page.as_str()
                    } else {
                        s.as_str()
                    },
                )
            })
            .collect();
        let _ = run(&zip(&files));
    }
}

#[test]
fn sniffing_routes_packages_here() {
    let (format, result) =
        crate::extract::extract_bytes(&fixture("notice.ofd"), "公文.bin", &Limits::default());
    assert_eq!(format, crate::extract::Format::Ofd);
    assert!(result.is_ok_and(|ex| ex.text.contains("第七条")));
}
