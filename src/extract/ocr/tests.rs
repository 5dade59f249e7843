//! Recognition tests over the scanned fixtures in `tests/fixtures/scan`
//! (made by `make_scan_fixtures.py` there from `notice_scan.txt`). Tests that
//! need tesseract with the chi_sim model say so and pass when it is missing.

use std::path::Path;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use regex::Regex;

use super::*;
use crate::extract::pdf::PdfExtractor;
use crate::extract::pdf::chars::is_ideograph;
use crate::limits::{Deadline, Limits};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/scan/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn source_paragraphs() -> Vec<String> {
    String::from_utf8(fixture("notice_scan.txt"))
        .expect("utf-8 sample text")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

fn installed(test: &str) -> bool {
    match Ocr::installed() {
        Ok(_) => true,
        Err(e) => {
            eprintln!("skipped {test}: tesseract with chi_sim is not installed ({e})");
            false
        }
    }
}

fn run(extractor: &dyn Extractor, bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let limits = Limits::default();
    let ctx = Context {
        limits: &limits,
        deadline: Deadline::after(Duration::from_secs(120)),
    };
    extractor.extract(bytes, &ctx)
}

fn block_texts(ex: &Extracted) -> Vec<String> {
    let chars: Vec<char> = ex.text.chars().collect();
    ex.blocks
        .iter()
        .map(|b| chars[b.start..b.end].iter().collect())
        .collect()
}

/// 1 − edit distance / length, over the ideographs of both texts.
fn ideograph_accuracy(expected: &str, got: &str) -> f64 {
    let a: Vec<char> = expected.chars().filter(|c| is_ideograph(*c)).collect();
    let b: Vec<char> = got.chars().filter(|c| is_ideograph(*c)).collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    1.0 - row[b.len()] as f64 / a.len().max(1) as f64
}

static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:第[一二三四五六七八九十]+条|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)",
    )
    .expect("label pattern is valid")
});

fn labels<'a>(texts: impl IntoIterator<Item = &'a String>) -> Vec<String> {
    texts
        .into_iter()
        .filter_map(|t| LABEL.find(t).map(|m| m.as_str().to_string()))
        .collect()
}

/// Everything a recognised copy of the notice must get right.
fn check_notice(name: &str, ex: &Extracted) {
    let source = source_paragraphs();
    let got = block_texts(ex);
    let accuracy = ideograph_accuracy(&source.join("\n"), &ex.text);
    eprintln!("{name}: ideograph accuracy {:.2}%", accuracy * 100.0);
    assert!(
        accuracy >= 0.95,
        "{name}: accuracy {accuracy:.3}\n{}",
        ex.text
    );
    assert_eq!(
        labels(&got),
        labels(&source),
        "{name}: clause labels\n{}",
        ex.text
    );
    assert_eq!(got.len(), source.len(), "{name}: paragraphs\n{got:#?}");
    assert!(got[0].contains("公平竞争"), "{name}: title {got:?}");
    assert_eq!(ex.blocks[0].kind, BlockKind::Heading, "{name}");
    for block in &ex.blocks {
        assert_eq!(block.page, Some(1), "{name}");
        let conf = block
            .ocr
            .unwrap_or_else(|| panic!("{name}: block without ocr"));
        assert!((0.5..=1.0).contains(&conf), "{name}: confidence {conf}");
    }
    assert!(
        ex.warnings
            .iter()
            .any(|w| w.contains("OCR") && w.contains('%')),
        "{name}: {:?}",
        ex.warnings
    );
}

#[test]
fn image_files_are_recognised() {
    if !installed("image_files_are_recognised") {
        return;
    }
    for name in ["notice_scan.png", "notice_scan.jpg"] {
        let started = Instant::now();
        let ex = run(&ImageExtractor, &fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        eprintln!("{name}: {:.1} s", started.elapsed().as_secs_f32());
        check_notice(name, &ex);
    }
}

#[test]
fn scanned_pdfs_are_recognised() {
    if !installed("scanned_pdfs_are_recognised") {
        return;
    }
    // JPEG and raw samples go to OCR as they are; CCITT is rendered first.
    for name in [
        "notice_scan_jpeg.pdf",
        "notice_scan_flate.pdf",
        "notice_scan_ccitt.pdf",
    ] {
        let started = Instant::now();
        let ex = run(&PdfExtractor, &fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        eprintln!("{name}: {:.1} s", started.elapsed().as_secs_f32());
        check_notice(name, &ex);
        assert!(ex.warnings[0].contains("第 1 页"), "{:?}", ex.warnings);
    }
}

#[test]
fn recognised_pages_keep_their_place_among_text_pages() {
    if !installed("recognised_pages_keep_their_place_among_text_pages") {
        return;
    }
    let ex = run(&PdfExtractor, &fixture("mixed.pdf")).expect("mixed.pdf");
    let texts = block_texts(&ex);
    let source = source_paragraphs();
    assert_eq!(texts.len(), source.len() + 2, "{texts:#?}");
    let (scanned, typed) = ex.blocks.split_at(source.len());
    assert!(scanned.iter().all(|b| b.page == Some(1) && b.ocr.is_some()));
    assert!(typed.iter().all(|b| b.page == Some(2) && b.ocr.is_none()));
    assert_eq!(
        texts[source.len()..],
        [
            "第六条 执行中遇到的问题，请及时向市市场监督管理局反映。",
            "第七条 本通知由市市场监督管理局负责解释。"
        ]
    );
    let paragraphs: Vec<Option<u32>> = ex.blocks.iter().map(|b| b.paragraph).collect();
    let expected: Vec<Option<u32>> = (0..texts.len() as u32).map(Some).collect();
    assert_eq!(paragraphs, expected);
    assert_eq!(ex.warnings.len(), 1, "{:?}", ex.warnings);
    assert!(
        ex.warnings[0].starts_with("第 1 页是扫描图像"),
        "{:?}",
        ex.warnings
    );
}

#[test]
fn image_bombs_are_refused_before_recognition() {
    let err = run(&ImageExtractor, &fixture("bomb.png")).expect_err("100000×100000");
    assert_eq!(err.kind(), "too_large", "{err}");
    let err = run(&ImageExtractor, b"\x89PNG\r\n\x1a\n").expect_err("no header");
    assert_eq!(err.kind(), "corrupt", "{err}");
}

#[test]
fn missing_tesseract_says_what_to_install() {
    let err = Ocr::with_program(Path::new("/nonexistent/bin/tesseract")).expect_err("missing");
    assert_eq!(err.kind(), "needs_ocr");
    let message = err.to_string();
    assert!(
        message.contains("tesseract-ocr") && message.contains("tesseract-ocr-chi-sim"),
        "{message}"
    );
}

/// A stand-in `tesseract` shell script in a temporary directory.
#[cfg(unix)]
fn fake_tesseract(dir: &Path, script: &str) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("tesseract");
    std::fs::write(&path, format!("#!/bin/sh\n{script}\n")).expect("write script");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    path
}

#[cfg(unix)]
#[test]
fn missing_chinese_model_is_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let program = fake_tesseract(
        dir.path(),
        "echo 'List of available languages (2):'; echo eng; echo osd",
    );
    let err = Ocr::with_program(&program).expect_err("no chi_sim");
    assert_eq!(err.kind(), "needs_ocr");
    assert!(err.to_string().contains("chi_sim"), "{err}");
    assert!(err.to_string().contains("tesseract-ocr-chi-sim"), "{err}");
}

#[cfg(unix)]
#[test]
fn hung_recognition_is_killed_at_the_deadline() {
    let dir = tempfile::tempdir().expect("temp dir");
    let program = fake_tesseract(
        dir.path(),
        "if [ \"$1\" = --list-langs ]; then echo chi_sim; else exec sleep 30; fi",
    );
    let ocr = Ocr::with_program(&program).expect("fake lists chi_sim");
    let limits = Limits::default();
    let ctx = Context {
        limits: &limits,
        deadline: Deadline::after(Duration::from_millis(300)),
    };
    let started = Instant::now();
    let err = ocr
        .recognise(Path::new("image.png"), dir.path(), &ctx)
        .expect_err("killed");
    assert_eq!(err.kind(), "timeout");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn low_confidence_and_empty_pages_are_not_used() {
    let para = |text: &str, confidence| Paragraph {
        text: text.into(),
        heading: false,
        confidence,
    };
    let noise = RecognisedPage {
        number: 1,
        paragraphs: vec![para("Up6GE z00", 0.22)],
        confidence: 0.22,
    };
    let err = image_text(std::slice::from_ref(&noise)).expect_err("noise");
    assert!(err.to_string().contains("22%"), "{err}");
    let err = image_text(&[]).expect_err("nothing");
    assert!(err.to_string().contains("未识别出文字"), "{err}");
    let good = RecognisedPage {
        number: 2,
        paragraphs: vec![para("第一条 本办法适用于本市。", 0.9)],
        confidence: 0.9,
    };
    let ex = image_text(&[noise, good]).expect("page 2 is text");
    assert_eq!(ex.text, "第一条 本办法适用于本市。");
    assert_eq!(ex.blocks[0].page, Some(2));
    assert_eq!(ex.blocks[0].ocr, Some(0.9));
    assert_eq!(ex.warnings.len(), 2, "{:?}", ex.warnings);
    assert!(ex.warnings[0].contains("90%"));
}
