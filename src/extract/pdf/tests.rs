//! Tests over the fixture PDFs in `tests/fixtures/pdf` (made by
//! `make_pdf_fixtures.py` there, from the sample texts beside it).

use std::time::Duration;

use super::*;
use crate::limits::{Deadline, Limits};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/pdf/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn source_lines(name: &str) -> Vec<String> {
    String::from_utf8(fixture(name))
        .expect("utf-8 sample text")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

fn run_with(bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    let ctx = Context {
        limits,
        deadline: Deadline::after(Duration::from_secs(60)),
    };
    PdfExtractor.extract(bytes, &ctx)
}

fn run(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    run_with(bytes, &Limits::default())
}

fn block_texts(ex: &Extracted) -> Vec<String> {
    let chars: Vec<char> = ex.text.chars().collect();
    ex.blocks
        .iter()
        .map(|b| chars[b.start..b.end].iter().collect())
        .collect()
}

fn ideographs(text: &str) -> Vec<char> {
    text.chars().filter(|&c| chars::is_ideograph(c)).collect()
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

/// Checks one extraction against its sample text: ideograph recall and
/// precision (furniture would lower it), clause labels at block starts and
/// a page on every block.
fn check_against_source(pdf: &str, source: &str, pages: u32) -> Extracted {
    let ex = run(&fixture(pdf)).unwrap_or_else(|e| panic!("{pdf}: {e}"));
    let lines = source_lines(source);
    let want = ideographs(&lines.concat());
    let got = ideographs(&ex.text);
    let common = lcs(&want, &got) as f64;
    let recall = common / want.len() as f64;
    let precision = common / got.len().max(1) as f64;
    assert!(recall >= 0.99, "{pdf}: recall {recall:.4}");
    assert!(
        precision >= 0.99,
        "{pdf}: precision {precision:.4} (furniture in the text?)"
    );

    let blocks = block_texts(&ex);
    for line in lines.iter().filter(|l| paragraphs::starts_clause(l)) {
        let label: String = line.chars().take(4).collect();
        assert!(
            blocks.iter().any(|b| b.starts_with(&label)),
            "{pdf}: no block starts with {label}"
        );
    }
    let mut last_page = 0;
    for b in &ex.blocks {
        let page = b
            .page
            .unwrap_or_else(|| panic!("{pdf}: block without page"));
        assert!(
            (1..=pages).contains(&page) && page >= last_page,
            "{pdf}: page {page}"
        );
        last_page = page;
    }
    assert_eq!(last_page, pages, "{pdf}");
    ex
}

#[test]
fn libreoffice_pages_come_back_paragraph_for_paragraph() {
    for pdf in ["policy_a.pdf", "policy_a_identity.pdf"] {
        let ex = check_against_source(pdf, "policy_a.txt", 3);
        assert_eq!(block_texts(&ex), source_lines("policy_a.txt"), "{pdf}");
        assert!(
            !ex.text.contains("若干措施（试行）"),
            "{pdf}: running header kept"
        );
        assert!(!ex.text.contains('—'), "{pdf}: page number kept");
        assert_eq!(ex.blocks[0].kind, BlockKind::Heading);
        assert!(ex.warnings.is_empty());
    }
    let ex = run(&fixture("policy_a.pdf")).expect("policy_a");
    assert_eq!(
        ex.hints.title.as_deref(),
        Some("某市关于促进公平竞争优化营商环境的若干措施")
    );
}

#[test]
fn page_breaks_inside_a_sentence_rejoin() {
    let ex = run(&fixture("policy_a.pdf")).expect("policy_a");
    // 第四条's list continues on page 2; 第七条 ends page 2 and 第三章 opens page 3.
    let blocks = block_texts(&ex);
    let i = blocks
        .iter()
        .position(|b| b.starts_with("（一）对市场准入"))
        .expect("item");
    assert_eq!(ex.blocks[i].page, Some(2));

    let ex = run(&fixture("notice_b.pdf")).expect("notice_b");
    let blocks = block_texts(&ex);
    let last = "各单位要高度重视清理工作，明确分管领导和具体工作人员，严格对照审查标准，认真做好清理工作，确保不漏一件、不留死角。清理过程中遇到的问题，请及时与县市场监督管理局竞争执法股联系。";
    let i = blocks
        .iter()
        .position(|b| b == last)
        .expect("paragraph across pages");
    assert_eq!(
        ex.blocks[i].page,
        Some(2),
        "page where the paragraph starts"
    );
}

#[test]
fn unicode_cmap_font_with_wrapped_lines() {
    let ex = check_against_source("notice_b.pdf", "notice_b.txt", 3);
    assert_eq!(block_texts(&ex), source_lines("notice_b.txt"));
    assert!(!ex.text.contains("第 1 页") && !ex.text.contains("共 3 页"));
    assert!(!ex.text.contains("管理局规范性文件"), "running header kept");
}

#[test]
fn damaged_cross_reference_table_is_rebuilt() {
    let ex = run(&fixture("broken_xref.pdf")).expect("lopdf rebuilds the table");
    assert_eq!(block_texts(&ex), source_lines("notice_b.txt"));
}

#[test]
fn truncated_files_fail_cleanly_or_keep_what_survives() {
    let err = run(&fixture("truncated.pdf")).expect_err("page tree lost");
    assert_eq!(err.kind(), "corrupt", "{err}");

    let ex = run(&fixture("truncated_partial.pdf")).expect("page 1 survives");
    assert!(ex.blocks.iter().all(|b| b.page == Some(1)));
    assert!(block_texts(&ex).contains(&"二、清理重点".to_string()));
    assert_eq!(ex.warnings.len(), 1);
    assert!(ex.warnings[0].contains("第 2、3 页"), "{:?}", ex.warnings);
}

#[test]
fn predefined_and_simple_encodings() {
    let ex = run(&fixture("encodings.pdf")).expect("encodings");
    assert_eq!(
        block_texts(&ex),
        [
            "第一条 统一编码的文字。",
            "第二条 同样可以直接读取。",
            "第三条 本办法由县市场监督管理局负责解释。",
            "第四条 本办法自印发之日起施行。",
            "Fair competition review",
            "café “quoted”",
            "第五条 古籍用字𠀋保留。",
            "第六条 表单中的文字同样应当提取。",
        ]
    );
    assert_eq!(ex.hints.title.as_deref(), Some("多种编码的文字示例"));
}

#[test]
fn scans_and_unmapped_fonts_need_ocr() {
    for pdf in ["image_only.pdf", "unmapped_identity.pdf"] {
        let err = run(&fixture(pdf)).expect_err(pdf);
        assert_eq!(err.kind(), "needs_ocr", "{pdf}: {err}");
    }
    let ex = run(&fixture("partly_unmapped.pdf")).expect("page 1 is readable");
    assert_eq!(block_texts(&ex).len(), 2);
    assert!(ex.blocks.iter().all(|b| b.page == Some(1)));
    assert_eq!(ex.warnings.len(), 1);
    assert!(ex.warnings[0].contains("第 2 页") && ex.warnings[0].contains("OCR"));
}

#[test]
fn encryption() {
    let err = run(&fixture("encrypted_user.pdf")).expect_err("needs a password");
    assert_eq!(err.kind(), "encrypted");
    let ex = run(&fixture("encrypted_empty.pdf")).expect("empty user password");
    assert_eq!(
        block_texts(&ex),
        [
            "第一条 加密文件中的文字。",
            "第二条 只有空密码的文件才能直接读取。"
        ]
    );
}

#[test]
fn garbage_is_corrupt() {
    for bytes in [
        &b""[..],
        b"%PDF-1.7\n",
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
        b"not a pdf at all",
    ] {
        let err = run(bytes).expect_err("garbage");
        assert_eq!(err.kind(), "corrupt", "{err}");
    }
}

#[test]
fn limits_are_respected() {
    let bytes = fixture("notice_b.pdf");
    let small = Limits {
        max_text_bytes: 100,
        ..Limits::default()
    };
    assert_eq!(
        run_with(&bytes, &small).expect_err("text cap").kind(),
        "too_large"
    );

    let limits = Limits::default();
    let ctx = Context {
        limits: &limits,
        deadline: Deadline::after(Duration::ZERO),
    };
    std::thread::sleep(Duration::from_millis(2));
    let err = PdfExtractor.extract(&bytes, &ctx).expect_err("deadline");
    assert_eq!(err.kind(), "timeout");
}

#[test]
fn titles_that_are_file_or_program_names_are_ignored() {
    assert_eq!(plausible_title("Microsoft Word - 通知.docx"), None);
    assert_eq!(plausible_title("附件1.pdf"), None);
    assert_eq!(plausible_title("D:\\公文\\通知"), None);
    assert_eq!(plausible_title("tmp3F2A"), None);
    assert_eq!(
        plausible_title("关于开展清理工作的通知").as_deref(),
        Some("关于开展清理工作的通知")
    );
    assert_eq!(page_list(&[2, 3, 4, 7, 9, 10]), "2—4、7、9、10");
}

/// Damaged copies of the fixtures never panic (run without the
/// `catch_unwind` guard, so a panic anywhere fails the test).
#[test]
fn mutated_files_never_panic() {
    let limits = Limits::default();
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed as usize
    };
    for name in [
        "notice_b.pdf",
        "encodings.pdf",
        "partly_unmapped.pdf",
        "encrypted_empty.pdf",
    ] {
        let original = fixture(name);
        for round in 0..60 {
            let mut bytes = original.clone();
            for _ in 0..1 + next() % 6 {
                let pos = next() % bytes.len().max(1);
                match next() % 8 {
                    0 if round % 4 == 0 => bytes.truncate(pos.max(1)),
                    0..=3 => {
                        if let Some(b) = bytes.get_mut(pos) {
                            *b = next() as u8;
                        }
                    }
                    4..=5 => {
                        if let Some(b) = bytes.get_mut(pos) {
                            *b = b"0123456789<>[]()/ \n-."[next() % 21];
                        }
                    }
                    _ => {
                        let end = (pos + next() % 64).min(bytes.len());
                        bytes.drain(pos..end);
                    }
                }
            }
            let ctx = Context {
                limits: &limits,
                deadline: Deadline::after(Duration::from_secs(20)),
            };
            let _ = extract_pdf(&bytes, &ctx);
        }
    }
}
