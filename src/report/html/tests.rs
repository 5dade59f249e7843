//! The page read back with an HTML parser, checked as a reviewer would.

use std::io::{self, Write};
use std::sync::{Arc, Mutex};

use scraper::{ElementRef, Html, Selector};

use super::HtmlReporter;
use crate::extract::{BlockKind, text::TextBuilder};
use crate::report::{Reporter, Summary};
use crate::review::{Finding, Level, Review, ReviewError, ReviewMeta};
use crate::rules::RuleSet;

#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| io::Error::other("poisoned"))?
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

const HOSTILE_PATH: &str = "收件/<script>alert(1)</script>&<b>.txt";
const HOSTILE_LINE: &str = "<script>alert(1)</script>对本地企业 A & B < C 给予奖励。";

/// A document: its lines, and findings as (line, quoted part, level, article, item).
struct Case {
    path: &'static str,
    title: Option<&'static str>,
    lines: Vec<&'static str>,
    findings: Vec<(usize, &'static str, Level, u8, u8)>,
    error: bool,
}

impl Case {
    fn text(&self) -> (String, Vec<crate::extract::Block>) {
        let mut b = TextBuilder::new();
        for (i, line) in self.lines.iter().enumerate() {
            let kind = if i == 0 {
                BlockKind::Heading
            } else {
                BlockKind::Paragraph
            };
            b.push(kind, line, Some(1 + i as u32 / 3), Some(i as u32));
        }
        let ex = b.finish();
        (ex.text, ex.blocks)
    }

    fn review(&self) -> Review {
        let (text, _) = self.text();
        let findings = self
            .findings
            .iter()
            .enumerate()
            .map(|(k, &(line, part, level, article, item))| {
                let line_start: usize = self.lines[..line]
                    .iter()
                    .map(|l| l.chars().count() + 1)
                    .sum();
                let byte = self.lines[line].find(part).expect("part in line");
                let start = line_start + self.lines[line][..byte].chars().count();
                Finding {
                    id: format!("f{k}"),
                    rule: format!("test.rule-{k}"),
                    article,
                    item,
                    level,
                    confidence: 0.8,
                    clause: format!("第{}条", k + 1),
                    start,
                    end: start + part.chars().count(),
                    page: Some(1),
                    text: part.to_string(),
                    evidence: vec!["本地".to_string()],
                    explanation: "解释<img src=x onerror=alert(1)>".to_string(),
                    suggestion: "删除限定条件 & 改为公开标准".to_string(),
                    ocr: false,
                    similar: Vec::new(),
                }
            })
            .collect();
        Review {
            path: self.path.to_string(),
            format: "txt".to_string(),
            sha256: Some("ab".repeat(32)),
            chars: text.chars().count(),
            meta: ReviewMeta {
                title: self.title.map(str::to_string),
                doc_number: Some("青政发〔2024〕1号".to_string()),
                issuer: Some("青禾市人民政府".to_string()),
                date: Some("2024-03-18".to_string()),
            },
            error: self.error.then(|| ReviewError {
                kind: "corrupt".to_string(),
                message: "文件损坏：无法解压<zip>".to_string(),
            }),
            warnings: vec![],
            findings: if self.error { vec![] } else { findings },
            suppressed: vec![],
        }
    }
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            path: "docs/a.txt",
            title: Some("关于印发《青禾市促进民营经济发展若干措施》的通知"),
            lines: vec![
                "青禾市促进民营经济发展若干措施",
                "一、对在本市注册的企业给予奖励。对本地纳税大户优先安排用地。",
                "二、招标文件不得限定投标人所在地。",
                "三、对外地企业设置额外备案要求。",
            ],
            findings: vec![
                (1, "对在本市注册的企业给予奖励。", Level::Error, 10, 2),
                // Overlaps the first: nested marks.
                (1, "企业给予奖励。对本地纳税大户", Level::Warning, 9, 2),
                (3, "对外地企业设置额外备案要求。", Level::Suggestion, 9, 1),
            ],
            error: false,
        },
        Case {
            path: HOSTILE_PATH,
            title: Some("<script>alert(1)</script>"),
            lines: vec!["标题 & <i>斜体</i>", HOSTILE_LINE],
            findings: vec![(1, HOSTILE_LINE, Level::Error, 10, 2)],
            error: false,
        },
        Case {
            path: "docs/broken.docx",
            title: None,
            lines: vec![],
            findings: vec![],
            error: true,
        },
        Case {
            path: "docs/clean.txt",
            title: None,
            lines: vec!["某某办法", "第一条 依法平等对待各类经营主体。"],
            findings: vec![],
            error: false,
        },
    ]
}

fn render_with(cases: &[Case], spool: usize) -> (String, Vec<Review>, Summary) {
    let buf = Shared::default();
    let mut r = HtmlReporter::with_spool(Box::new(buf.clone()), spool);
    let mut summary = Summary {
        skipped: 2,
        ..Summary::default()
    };
    let mut reviews = Vec::new();
    for case in cases {
        let review = case.review();
        summary.add(&review);
        if !case.error {
            let (text, blocks) = case.text();
            r.document_text(&text, &blocks).unwrap();
        }
        crate::report::emit(&mut r, &review).unwrap();
        reviews.push(review);
    }
    r.finish(&summary).unwrap();
    let bytes = buf.0.lock().unwrap().clone();
    (String::from_utf8(bytes).unwrap(), reviews, summary)
}

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

fn stat(page: &Html, key: &str) -> usize {
    let s = sel(&format!("[data-stat=\"{key}\"]"));
    let e = page
        .select(&s)
        .next()
        .unwrap_or_else(|| panic!("no stat {key}"));
    text_of(e).trim().parse().unwrap()
}

#[test]
fn summary_numbers_match_the_batch() {
    let (html, _, s) = render_with(&cases(), super::SPOOL_BYTES);
    let page = Html::parse_document(&html);
    assert_eq!(stat(&page, "files"), 4);
    assert_eq!(stat(&page, "read"), 3);
    assert_eq!(stat(&page, "failed"), 1);
    assert_eq!(stat(&page, "skipped"), 2);
    assert_eq!(stat(&page, "findings"), 4);
    assert_eq!((s.errors, s.warnings, s.suggestions), (2, 1, 1));
    assert_eq!(stat(&page, "errors"), 2);
    assert_eq!(stat(&page, "warnings"), 1);
    assert_eq!(stat(&page, "suggestions"), 1);
    // a.txt: its error covers a sixth of the text.
    assert_eq!(stat(&page, "revise"), 1);
    // The hostile file: its one error covers most of its short text.
    assert_eq!(stat(&page, "reject"), 1);
    assert_eq!(stat(&page, "adopt"), 1);
    // One row per document, each linking to its section.
    let rows: Vec<_> = page.select(&sel("table.docs tbody tr")).collect();
    assert_eq!(rows.len(), 4);
    for (i, row) in rows.iter().enumerate() {
        let link = row.select(&sel("a")).next().unwrap();
        let target = format!("#doc-{}", i + 1);
        assert_eq!(link.value().attr("href"), Some(target.as_str()));
        assert_eq!(page.select(&sel(&target)).count(), 1);
    }
    // The unreadable file is listed with its reason.
    let unreadable = text_of(page.select(&sel("table.unreadable")).next().unwrap());
    assert!(unreadable.contains("docs/broken.docx"));
    let cell = |c: &str| text_of(page.select(&sel(c)).next().unwrap());
    assert_eq!(cell("table.unreadable td.kind"), "文件损坏");
    assert_eq!(
        cell("table.unreadable td.reason"),
        "文件损坏：无法解压<zip>"
    );
    let failed_section = text_of(page.select(&sel("#doc-3")).next().unwrap());
    assert!(failed_section.contains("无法审查（文件损坏）"));
}

#[test]
fn one_chart_per_kind_with_proportional_bars() {
    let (html, reviews, _) = render_with(&cases(), super::SPOOL_BYTES);
    let page = Html::parse_document(&html);
    let items = RuleSet::embedded().standards.item.len();
    let flagged_docs = reviews.iter().filter(|r| !r.findings.is_empty()).count();
    for (kind, bars) in [
        ("group", 4),
        ("level", 3),
        ("item", items),
        ("document", flagged_docs),
    ] {
        let figure = sel(&format!("figure[data-chart=\"{kind}\"]"));
        let figures: Vec<_> = page.select(&figure).collect();
        assert_eq!(figures.len(), 1, "{kind}");
        assert_eq!(figures[0].select(&sel("svg")).count(), 1, "{kind}");
        let rows: Vec<(usize, f64)> = figures[0]
            .select(&sel("g.bar"))
            .map(|g| {
                let count: usize = g.value().attr("data-count").unwrap().parse().unwrap();
                let length: f64 = g
                    .select(&sel("rect.seg"))
                    .map(|r| r.value().attr("width").unwrap().parse::<f64>().unwrap())
                    .sum();
                (count, length)
            })
            .collect();
        assert_eq!(rows.len(), bars, "{kind}");
        let max = rows.iter().map(|r| r.0).max().unwrap();
        let longest = rows.iter().map(|r| r.1).fold(0.0, f64::max);
        assert!(longest > 0.0, "{kind}");
        for (count, length) in rows {
            let expected = count as f64 / max as f64 * longest;
            assert!(
                (length - expected).abs() < 0.05,
                "{kind}: {count} → {length}"
            );
        }
    }
    let group = |label: &str| -> usize {
        page.select(&sel("figure[data-chart=\"group\"] g.bar"))
            .find(|g| g.value().attr("data-label").unwrap().contains(label))
            .unwrap()
            .value()
            .attr("data-count")
            .unwrap()
            .parse()
            .unwrap()
    };
    assert_eq!(group("市场准入和退出"), 0);
    assert_eq!(group("商品和要素自由流动"), 2);
    assert_eq!(group("影响生产经营成本"), 2);
    assert_eq!(group("影响生产经营行为"), 0);
}

#[test]
fn every_finding_is_cited_and_linked_to_its_highlight() {
    let (html, reviews, _) = render_with(&cases(), super::SPOOL_BYTES);
    let page = Html::parse_document(&html);
    let standards = &RuleSet::embedded().standards;
    let mut seen = 0;
    for (n, review) in reviews.iter().enumerate() {
        let n = n + 1;
        for (k, f) in review.findings.iter().enumerate() {
            let id = format!("d{n}-f{}", k + 1);
            let card = page
                .select(&sel(&format!("article#{id}")))
                .next()
                .unwrap_or_else(|| panic!("no card {id}"));
            let body = text_of(card);
            let cite = format!(
                "《公平竞争审查条例》第{}条第（{}）项",
                crate::document::numerals::to_chinese(f.article as u32),
                crate::document::numerals::to_chinese(f.item as u32)
            );
            assert!(body.contains(&cite), "{body}");
            assert!(body.contains(&standards.item(f.article, f.item).unwrap().title));
            assert!(body.contains(f.level.label()));
            assert!(body.contains(&f.clause));
            assert!(body.contains(&f.explanation));
            assert!(body.contains(&f.suggestion));
            assert!(body.contains("本地"));
            // The card links to the first mark, and the marks spell the sentence.
            let href = card
                .select(&sel("a.num"))
                .next()
                .unwrap()
                .value()
                .attr("href")
                .unwrap();
            let mark = page.select(&sel(href)).next().unwrap();
            assert_eq!(mark.value().name(), "mark");
            assert_eq!(mark.value().attr("data-finding"), Some(id.as_str()));
            let marked: String = page
                .select(&sel(&format!("mark[data-finding=\"{id}\"]")))
                .map(marked_text)
                .collect();
            assert_eq!(marked, f.text);
            let class = match f.level {
                Level::Error => "lv-error",
                Level::Warning => "lv-warning",
                Level::Suggestion => "lv-suggestion",
            };
            assert!(mark.value().classes().any(|c| c == class));
            // And the text links back to the card.
            let back = format!("a.ref[href=\"#{id}\"]");
            assert_eq!(page.select(&sel(&back)).count(), 1);
            seen += 1;
        }
    }
    assert_eq!(seen, 4);
    // Overlapping findings nest: the warning's mark sits inside the error's.
    let nested = sel("mark.lv-error > mark.lv-warning");
    assert_eq!(page.select(&nested).count(), 1);
    // A clean document's text is there, folded.
    let clean = page.select(&sel("#doc-4 details")).next().unwrap();
    assert!(text_of(clean).contains("依法平等对待各类经营主体"));
}

#[test]
fn document_text_and_names_are_escaped() {
    let (html, _, _) = render_with(&cases(), super::SPOOL_BYTES);
    let page = Html::parse_document(&html);
    assert_eq!(page.select(&sel("script")).count(), 0);
    assert_eq!(page.select(&sel("img")).count(), 0);
    assert_eq!(page.select(&sel("i")).count(), 0);
    assert_eq!(page.select(&sel("b")).count(), 0);
    let section = text_of(page.select(&sel("#doc-2")).next().unwrap());
    assert!(section.contains(HOSTILE_LINE));
    assert!(section.contains("标题 & <i>斜体</i>"));
    assert!(section.contains(HOSTILE_PATH));
    assert!(section.contains("<img src=x onerror=alert(1)>"));
    let table = text_of(page.select(&sel("table.docs")).next().unwrap());
    assert!(table.contains(HOSTILE_PATH));
    assert!(table.contains("<script>alert(1)</script>"));
    assert!(!html.contains("<script>"));
}

#[test]
fn the_page_needs_nothing_from_outside() {
    let (html, _, _) = render_with(&cases(), super::SPOOL_BYTES);
    let page = Html::parse_document(&html);
    for e in page.select(&sel("*")) {
        assert!(e.value().attr("src").is_none(), "{:?}", e.value());
        if let Some(href) = e.value().attr("href") {
            assert!(href.starts_with('#'), "{href}");
        }
    }
    // The SVG namespace is a name, not a fetch; nothing else points outside.
    let rest = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    assert!(!rest.contains("http://") && !rest.contains("https://"));
    for banned in ["url(", "@import", "<link", "<iframe", "<object"] {
        assert!(!rest.contains(banned), "{banned}");
    }
    let style = text_of(page.select(&sel("style")).next().unwrap());
    let print = &style[style.find("@media print").unwrap()..];
    assert!(print.contains("break-before: page"));
    assert!(print.contains("position: static"));
    assert!(print.contains("text-decoration-style: dashed"));
}

#[test]
fn spooling_to_disk_gives_the_same_page() {
    let (in_memory, _, _) = render_with(&cases(), super::SPOOL_BYTES);
    let (on_disk, _, _) = render_with(&cases(), 0);
    assert_eq!(in_memory, on_disk);
}

#[test]
fn long_documents_show_only_flagged_paragraphs() {
    let filler: &'static str = "第一条 本办法适用于全市范围内的各类经营主体，依法平等对待。"
        .repeat(40)
        .leak();
    let mut lines = vec!["某某办法"];
    lines.extend(std::iter::repeat_n(filler, 300));
    lines.push("对外地企业设置额外备案要求。");
    let case = Case {
        path: "long.txt",
        title: None,
        lines,
        findings: vec![(301, "对外地企业设置额外备案要求。", Level::Error, 9, 1)],
        error: false,
    };
    assert!(case.text().0.chars().count() > super::document::FULL_TEXT_LIMIT);
    let (html, _, _) = render_with(&[case], super::SPOOL_BYTES);
    let page = Html::parse_document(&html);
    let paragraphs = page.select(&sel("#doc-1 .para")).count();
    assert_eq!(paragraphs, 1);
    assert!(html.contains("仅显示含问题条款的段落"));
    assert_eq!(page.select(&sel("mark#d1-m1")).count(), 1);
}
