//! `--format html`: the page a reviewer opens, read back with an HTML parser.

use std::path::Path;

use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

use crate::common::*;

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text_of(e: ElementRef) -> String {
    e.text().collect()
}

/// The text a mark highlights, without the numbered links to findings.
fn marked_text(e: ElementRef) -> String {
    e.descendants()
        .filter(|n| {
            !n.ancestors()
                .filter_map(ElementRef::wrap)
                .any(|a| a.value().name() == "a")
        })
        .filter_map(|n| n.value().as_text().map(|t| t.to_string()))
        .collect()
}

/// Every finding of the JSON output has its card, with the item citation,
/// linked to marks that spell its sentence.
fn assert_findings_shown(page: &Html, reviews: &[Value]) -> usize {
    let mut seen = 0;
    for (n, review) in reviews.iter().enumerate() {
        for (k, f) in review["findings"].as_array().unwrap().iter().enumerate() {
            let id = format!("d{}-f{}", n + 1, k + 1);
            let card = page
                .select(&sel(&format!("article#{id}")))
                .next()
                .unwrap_or_else(|| panic!("no card {id} for {}", review["path"]));
            let body = text_of(card);
            assert!(body.contains("《公平竞争审查条例》第"), "{body}");
            assert!(body.contains(f["clause"].as_str().unwrap()), "{body}");
            assert!(body.contains(f["explanation"].as_str().unwrap()));
            let marked: String = page
                .select(&sel(&format!("mark[data-finding=\"{id}\"]")))
                .map(marked_text)
                .collect();
            assert_eq!(marked, f["text"].as_str().unwrap(), "{id}");
            let href = card
                .select(&sel("a.num"))
                .next()
                .unwrap()
                .value()
                .attr("href");
            assert_eq!(href, Some(format!("#d{}-m{}", n + 1, k + 1).as_str()));
            seen += 1;
        }
    }
    seen
}

fn read_page(path: &Path) -> (String, Html) {
    let html = std::fs::read_to_string(path).unwrap();
    let page = Html::parse_document(&html);
    (html, page)
}

#[test]
fn scan_writes_one_escaped_offline_page() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("docs")).unwrap();
    let hostile = "一、<script>alert(1)</script>对在本市注册纳税的企业，按其地方财政贡献给予奖励。";
    std::fs::write(
        dir.path().join("docs/a&<b>.txt"),
        format!(
            "青禾市人民政府文件\n关于印发《某某措施》的通知\n{hostile}\n二、A & B < C 的企业依法平等对待。\n青禾市人民政府\n2024年3月18日\n"
        ),
    )
    .unwrap();
    std::fs::write(dir.path().join("docs/bad.docx"), b"PK\x03\x04garbage").unwrap();
    let out = run(
        &["scan", "docs", "--format", "html", "--out", "report.html"],
        dir.path(),
    );
    assert_eq!(out.code, 2, "an unreadable file makes the exit code 2");
    assert!(out.stdout.is_empty());
    let (html, page) = read_page(&dir.path().join("report.html"));
    assert_eq!(page.select(&sel("script")).count(), 0);
    assert!(!html.contains("<script>"));
    let stat = |key: &str| -> String {
        text_of(
            page.select(&sel(&format!("[data-stat=\"{key}\"]")))
                .next()
                .unwrap(),
        )
    };
    assert_eq!(stat("files"), "2");
    assert_eq!(stat("failed"), "1");
    let doc = text_of(page.select(&sel("#doc-1")).next().unwrap());
    assert!(doc.contains("docs/a&<b>.txt"));
    assert!(doc.contains(hostile));
    assert!(doc.contains("二、A & B < C 的企业依法平等对待。"));
    let unreadable = text_of(page.select(&sel("table.unreadable")).next().unwrap());
    assert!(unreadable.contains("docs/bad.docx") && unreadable.contains("不支持的格式"));

    let json = run(&["scan", "docs", "--format", "jsonl"], dir.path());
    let reviews = reviews(&json.stdout);
    assert!(assert_findings_shown(&page, &reviews) >= 1);
    for e in page.select(&sel("[src], [href]")) {
        let target = e.value().attr("href").unwrap_or("external");
        assert!(target.starts_with('#'), "{target}");
    }
}

#[test]
fn check_prints_one_document_page() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("draft.txt"),
        "关于印发《某某措施》的通知\n一、对在本市注册纳税的企业，按其地方财政贡献给予奖励。\n",
    )
    .unwrap();
    let out = run(&["check", "draft.txt", "--format", "html"], dir.path());
    assert_eq!(out.code, 1);
    let page = Html::parse_document(&out.stdout);
    assert_eq!(page.select(&sel("section.doc")).count(), 1);
    let verdict = text_of(page.select(&sel(".verdict")).next().unwrap());
    assert!(verdict.contains("建议结论"), "{verdict}");
    assert!(page.select(&sel("mark")).count() >= 1);
}

#[test]
fn corpus_page_shows_every_finding() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("corpus.html");
    let out = run(
        &[
            "scan",
            "corpus/docs",
            "--format",
            "html",
            "--out",
            report.to_str().unwrap(),
        ],
        root,
    );
    assert!(out.code == 0 || out.code == 1, "{}", out.stderr);
    let (_, page) = read_page(&report);
    let json = run(&["scan", "corpus/docs", "--format", "jsonl"], root);
    let reviews = reviews(&json.stdout);
    let total: usize = reviews
        .iter()
        .map(|r| r["findings"].as_array().unwrap().len())
        .sum();
    assert_eq!(assert_findings_shown(&page, &reviews), total);
    assert_eq!(
        page.select(&sel("section.doc")).count(),
        reviews.len(),
        "one section per file"
    );
}
