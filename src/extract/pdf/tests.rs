//! Tests over the fixture PDFs in `tests/fixtures/pdf` (made by
//! `make_pdf_fixtures.py` there, from the sample texts beside it).

use std::time::Duration;

use super::*;
use crate::limits::{Deadline, Limits};

pub(super) fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/pdf/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub(super) fn source_lines(name: &str) -> Vec<String> {
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

pub(super) fn run(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    run_with(bytes, &Limits::default())
}

pub(super) fn block_texts(ex: &Extracted) -> Vec<String> {
    let chars: Vec<char> = ex.text.chars().collect();
    ex.blocks
        .iter()
        .map(|b| chars[b.start..b.end].iter().collect())
        .collect()
}

pub(super) fn ideographs(text: &str) -> Vec<char> {
    text.chars().filter(|&c| chars::is_ideograph(c)).collect()
}

/// Length of the longest common subsequence.
pub(super) fn lcs(a: &[char], b: &[char]) -> usize {
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
    // With tesseract these pages are recognised and found not to be text
    // (a gradient, glyphs of a font without Unicode); without it the
    // message says what to install. Real scans: `ocr::tests`.
    let hint = if crate::extract::ocr::Ocr::installed().is_ok() {
        "已进行文字识别"
    } else {
        "tesseract-ocr-chi-sim"
    };
    for pdf in ["image_only.pdf", "unmapped_identity.pdf"] {
        let err = run(&fixture(pdf)).expect_err(pdf);
        assert_eq!(err.kind(), "needs_ocr", "{pdf}: {err}");
        assert!(err.to_string().contains(hint), "{pdf}: {err}");
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
    let gbk =
        lopdf::Object::string_literal(encoding_rs::GB18030.encode("关于印发若干措施的通知").0);
    assert_eq!(
        decode_info_text(&gbk).as_deref(),
        Some("关于印发若干措施的通知")
    );
    let utf8 = lopdf::Object::string_literal("公平竞争审查".as_bytes());
    assert_eq!(decode_info_text(&utf8).as_deref(), Some("公平竞争审查"));
    let pdfdoc = lopdf::Object::string_literal(&b"Caf\xe9 report"[..]);
    assert_eq!(decode_info_text(&pdfdoc).as_deref(), Some("Café report"));
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
        "columns.pdf",
        "ruled_table.pdf",
    ] {
        let original = fixture(name);
        for round in 0..60 {
            // Mutated fonts send pages to OCR, a second each: only some
            // rounds take that path.
            scan::SKIP_IN_TEST.with(|skip| skip.set(round % 8 != 0));
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

/// A one-page PDF whose font /F1 is STSong-Light with UniGB-UCS2-H, plus
/// whatever `extra` adds to the page resources.
pub(super) fn synthetic_pdf(
    content: &[u8],
    extra: impl FnOnce(&mut Document, &mut lopdf::Dictionary),
) -> Vec<u8> {
    use lopdf::{Dictionary, Object, Stream};
    let name = |n: &str| Object::Name(n.as_bytes().to_vec());
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut cid = Dictionary::new();
    cid.set("Type", name("Font"));
    cid.set("Subtype", name("CIDFontType0"));
    cid.set("BaseFont", name("STSong-Light"));
    let cid_id = doc.add_object(cid);
    let mut font = Dictionary::new();
    font.set("Type", name("Font"));
    font.set("Subtype", name("Type0"));
    font.set("BaseFont", name("STSong-Light"));
    font.set("Encoding", name("UniGB-UCS2-H"));
    font.set("DescendantFonts", vec![Object::Reference(cid_id)]);
    let font_id = doc.add_object(font);
    let mut fonts = Dictionary::new();
    fonts.set("F1", Object::Reference(font_id));
    let mut resources = Dictionary::new();
    resources.set("Font", fonts);
    extra(&mut doc, &mut resources);
    let content_id = doc.add_object(Stream::new(Dictionary::new(), content.to_vec()));
    let mut page = Dictionary::new();
    page.set("Type", name("Page"));
    page.set("Parent", Object::Reference(pages_id));
    page.set("MediaBox", vec![0.into(), 0.into(), 595.into(), 842.into()]);
    page.set("Contents", Object::Reference(content_id));
    page.set("Resources", resources);
    let page_id = doc.add_object(page);
    let mut pages = Dictionary::new();
    pages.set("Type", name("Pages"));
    pages.set("Kids", vec![Object::Reference(page_id)]);
    pages.set("Count", 1);
    doc.objects.insert(pages_id, Object::Dictionary(pages));
    let mut catalog = Dictionary::new();
    catalog.set("Type", name("Catalog"));
    catalog.set("Pages", Object::Reference(pages_id));
    let catalog_id = doc.add_object(catalog);
    doc.trailer.set("Root", Object::Reference(catalog_id));
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("in-memory save");
    out
}

/// `BT /F1 14 Tf 72 700 Td <UCS-2 text> Tj ET`
fn show_text(text: &str) -> Vec<u8> {
    let hex: String = text.encode_utf16().map(|u| format!("{u:04X}")).collect();
    format!("BT /F1 14 Tf 72 700 Td <{hex}> Tj ET").into_bytes()
}

#[test]
fn self_drawing_forms_and_deep_nesting_terminate() {
    let mut form_content = show_text("第一条 表单只画一次。");
    form_content.extend_from_slice(b" /Fm1 Do");
    let bytes = synthetic_pdf(b"/Fm1 Do /Fm1 Do", |doc, res| {
        use lopdf::{Dictionary, Object, Stream};
        let id = doc.new_object_id();
        let mut dict = Dictionary::new();
        dict.set("Type", Object::Name(b"XObject".to_vec()));
        dict.set("Subtype", Object::Name(b"Form".to_vec()));
        let mut xobjects = Dictionary::new();
        xobjects.set("Fm1", Object::Reference(id));
        let mut own = res.clone();
        own.set("XObject", xobjects.clone());
        dict.set("Resources", own);
        doc.objects
            .insert(id, Object::Stream(Stream::new(dict, form_content)));
        res.set("XObject", xobjects);
    });
    let ex = run(&bytes).expect("cycle cut");
    // Drawn twice at the same place: the duplicate glyphs fold into one line.
    assert_eq!(block_texts(&ex), ["第一条 表单只画一次。"]);

    let mut nested = b"q ".repeat(50_000);
    nested.extend(show_text("第二条 嵌套很深。"));
    nested.extend(b" Q".repeat(60_000));
    let ex = run(&synthetic_pdf(&nested, |_, _| {})).expect("deep nesting");
    assert_eq!(block_texts(&ex), ["第二条 嵌套很深。"]);
}

#[test]
fn forms_drawing_forms_many_times_stay_bounded() {
    let bytes = synthetic_pdf(b"/X0 Do", |doc, res| {
        use lopdf::{Dictionary, Object, Stream};
        let ids: Vec<_> = (0..10).map(|_| doc.new_object_id()).collect();
        let mut xobjects = Dictionary::new();
        for (i, id) in ids.iter().enumerate() {
            xobjects.set(format!("X{i}"), Object::Reference(*id));
        }
        for (i, id) in ids.iter().enumerate() {
            let content = if i + 1 < ids.len() {
                format!("/X{} Do ", i + 1).repeat(50).into_bytes()
            } else {
                show_text("第五条 表单层层嵌套。")
            };
            let mut dict = Dictionary::new();
            dict.set("Subtype", Object::Name(b"Form".to_vec()));
            let mut own = res.clone();
            own.set("XObject", xobjects.clone());
            dict.set("Resources", own);
            doc.objects
                .insert(*id, Object::Stream(Stream::new(dict, content)));
        }
        res.set("XObject", xobjects);
    });
    let started = std::time::Instant::now();
    let ex = run(&bytes).expect("bounded");
    assert_eq!(block_texts(&ex), ["第五条 表单层层嵌套。"]);
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn huge_cmap_ranges_are_not_expanded() {
    let cmap = b"1 begincodespacerange <0000> <FFFF> endcodespacerange
        1 beginbfrange <0000> <FFFF> <0000> endbfrange
        1 begincidrange <00000000> <FFFFFFFF> 0 endcidrange";
    let bytes = synthetic_pdf(&show_text("第三条 范围很大。"), |doc, res| {
        use lopdf::{Dictionary, Object, Stream};
        let id = doc.add_object(Stream::new(Dictionary::new(), cmap.to_vec()));
        let fonts = res.get(b"Font").and_then(Object::as_dict).expect("fonts");
        let font_id = fonts.get(b"F1").and_then(Object::as_reference).expect("F1");
        let font = doc.get_dictionary_mut(font_id).expect("font");
        font.set("ToUnicode", Object::Reference(id));
        font.set("Encoding", Object::Name(b"Identity-H".to_vec()));
    });
    let started = std::time::Instant::now();
    let ex = run(&bytes).expect("identity map");
    assert_eq!(block_texts(&ex), ["第三条 范围很大。"]);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn rotated_watermarks_are_left_out() {
    let mut content = show_text("第四条 正文内容。");
    content.extend_from_slice(
        b" BT /F1 60 Tf 0.7071 0.7071 -0.7071 0.7071 150 300 Tm <5185 90E8 8D44 6599> Tj ET",
    );
    let ex = run(&synthetic_pdf(&content, |_, _| {})).expect("page");
    assert_eq!(block_texts(&ex), ["第四条 正文内容。"]);
}
