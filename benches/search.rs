//! Search benchmark: `cargo bench --bench search`.
//!
//! On at least 10,000 generated policy documents (paragraphs of the corpus
//! sources, shuffled, with varied titles, issuers and dates):
//! - reviews written to the store (documents/s);
//! - index build from the store with 2 writer threads (documents/s) and the
//!   index's size on disk;
//! - query latency p50/p99 over a fixed query list (plain words, phrases,
//!   exclusions, OR, field and facet filters), snippets and facets included;
//! - `fairscan scan` of 1,000 files, then the same scan again with nothing
//!   changed (hash + lookup only).
//!
//! Results are printed as Markdown and written to `target/bench-search.md`.

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use fairscan::document::Document;
use fairscan::index::{Filters, SearchIndex};
use fairscan::review::Review;
use fairscan::rules::RuleSet;
use fairscan::segment::Segmenter;
use fairscan::store::Store;

const DOCUMENTS: usize = 10_000;
const SCAN_FILES: usize = 1_000;
const ROUNDS: usize = 10;

const ISSUERS: &[&str] = &[
    "青禾市人民政府",
    "青禾市人民政府办公室",
    "临溪市发展和改革委员会",
    "临溪市财政局",
    "澄江区人民政府",
    "云岭县人民政府",
    "云岭县住房和城乡建设局",
    "澄江区商务局",
];
const TOPICS: &[&str] = &[
    "促进民营经济发展若干措施",
    "招商引资优惠政策",
    "政府采购管理工作的通知",
    "工程建设项目招标投标管理办法",
    "支持总部经济高质量发展若干措施",
    "人才引进培育和企业创新奖补办法",
    "新能源汽车推广应用行动方案",
    "粮食和重要农产品流通保供实施方案",
    "市政公用事业特许经营管理办法",
    "促进外贸稳规模优结构若干措施",
];

fn queries() -> Vec<(&'static str, Filters)> {
    let none = Filters::default;
    vec![
        ("奖励", none()),
        ("地方留成", none()),
        ("\"地方留成\"", none()),
        ("本地企业 奖励", none()),
        ("政府采购", none()),
        ("招标投标 -工程", none()),
        ("财政补贴 OR 奖励", none()),
        ("指定 供应商", none()),
        ("市场准入", none()),
        ("title:措施", none()),
        ("特许经营", none()),
        ("分支机构", none()),
        ("保证金", none()),
        ("外地企业", none()),
        ("名录库", none()),
        ("新能源汽车 补贴", none()),
        ("人才 奖励 -住房", none()),
        ("总部企业", none()),
        (
            "奖励",
            Filters {
                article: Some(10),
                ..none()
            },
        ),
        (
            "",
            Filters {
                level: Some("warning".into()),
                since: Some("2022".into()),
                until: Some("2023-06".into()),
                ..none()
            },
        ),
        (
            "企业",
            Filters {
                issuer: Some("青禾市人民政府".into()),
                ..none()
            },
        ),
        (
            "",
            Filters {
                status: Some("open".into()),
                article: Some(9),
                ..none()
            },
        ),
    ]
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let work = root.join("target/bench-search");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).expect("bench dir");
    // Trimmed, as this corpus has always been built.
    let paragraphs: Vec<String> = common::source_paragraphs(&root)
        .iter()
        .map(|p| p.trim().to_string())
        .filter(|p| p.chars().count() > 8)
        .collect();
    assert!(!paragraphs.is_empty(), "corpus/sources has no text");
    let docs = generate(&paragraphs, DOCUMENTS);
    let bytes: usize = docs.iter().map(|(_, t)| t.len()).sum();
    let _ = Segmenter::global();
    let rules = RuleSet::embedded();
    let mut report = String::new();
    writeln!(
        report,
        "Search corpus: {} documents, {:.1} MB of text, {} cores\n",
        docs.len(),
        bytes as f64 / 1e6,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    )
    .ok();

    // Reviews (rules run in parallel), then stored one transaction each.
    let data = work.join("data");
    let t = Instant::now();
    let reviews: Vec<(String, Review, String)> = docs
        .par_iter()
        .map(|(name, text)| {
            let doc = Document::from_text(text);
            let mut review = Review::of_document(
                name.clone(),
                fairscan::extract::Format::Text,
                format!("{:x}", text.len()),
                &doc,
            );
            review.findings = rules.evaluate(&doc, Segmenter::global());
            (name.clone(), review, text.clone())
        })
        .collect();
    let reviewed = t.elapsed();
    let mut store = Store::open(&data).expect("store");
    let t = Instant::now();
    for (name, review, text) in &reviews {
        store
            .save_review(
                Path::new(&format!("/bench/{name}")),
                review,
                Some((text, &[])),
                &rules.version,
                None,
            )
            .expect("save");
    }
    let stored = t.elapsed();
    let findings: usize = reviews.iter().map(|(_, r, _)| r.findings.len()).sum();
    drop(reviews);

    let index = SearchIndex::open(&data).expect("index");
    let t = Instant::now();
    index.rebuild(&store, 2).expect("rebuild").expect("lock");
    let built = t.elapsed();
    let size = index.size_on_disk();

    writeln!(report, "| step | time | rate |\n|---|---:|---:|").ok();
    let rate = |d: Duration| docs.len() as f64 / d.as_secs_f64();
    writeln!(
        report,
        "| rules (2 threads, {findings} findings) | {:.2} s | {:.0} docs/s |",
        reviewed.as_secs_f64(),
        rate(reviewed)
    )
    .ok();
    writeln!(
        report,
        "| store write (1 transaction per document) | {:.2} s | {:.0} docs/s |",
        stored.as_secs_f64(),
        rate(stored)
    )
    .ok();
    writeln!(
        report,
        "| index build from the store (2 threads) | {:.2} s | {:.0} docs/s ({:.0} entries/s) |",
        built.as_secs_f64(),
        rate(built),
        (docs.len() + findings) as f64 / built.as_secs_f64()
    )
    .ok();
    writeln!(
        report,
        "\nIndex size on disk: {:.1} MB\n",
        size as f64 / 1e6
    )
    .ok();

    // Query latency, parse + search + snippets + facets, after one warm-up round.
    let list = queries();
    for (q, f) in &list {
        index.search(q, f, 10).expect("query");
    }
    let mut samples = Vec::new();
    let mut per_query = vec![Duration::ZERO; list.len()];
    let mut hits = vec![0usize; list.len()];
    for _ in 0..ROUNDS {
        for (i, (q, f)) in list.iter().enumerate() {
            let t = Instant::now();
            let r = index.search(q, f, 10).expect("query");
            let e = t.elapsed();
            samples.push(e);
            per_query[i] += e;
            hits[i] = r.documents_total + r.findings_total;
        }
    }
    samples.sort();
    let pct = |p: f64| samples[((samples.len() - 1) as f64 * p).round() as usize];
    writeln!(
        report,
        "Query latency over {} queries × {ROUNDS} rounds: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms\n",
        list.len(),
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        samples.last().copied().unwrap_or_default().as_secs_f64() * 1e3
    )
    .ok();
    writeln!(
        report,
        "| query | filters | hits | mean ms |\n|---|---|---:|---:|"
    )
    .ok();
    for (i, (q, f)) in list.iter().enumerate() {
        writeln!(
            report,
            "| `{}` | {} | {} | {:.2} |",
            q,
            describe(f),
            hits[i],
            per_query[i].as_secs_f64() * 1e3 / ROUNDS as f64
        )
        .ok();
    }

    // Incremental scan with the real binary.
    let files = work.join("files");
    std::fs::create_dir_all(&files).expect("files dir");
    for (name, text) in docs.iter().take(SCAN_FILES) {
        std::fs::write(files.join(name), text).expect("write");
    }
    let scan = |label: &str| -> Duration {
        let t = Instant::now();
        let status = Command::new(env!("CARGO_BIN_EXE_fairscan"))
            .args(["scan", "files", "--format", "jsonl", "--data", "scan-data"])
            .current_dir(&work)
            .stdout(std::process::Stdio::null())
            .status()
            .expect("run fairscan");
        assert!(status.code().is_some_and(|c| c <= 1), "{label}: {status}");
        t.elapsed()
    };
    let first = scan("first scan");
    let again = scan("re-scan");
    writeln!(
        report,
        "\n`fairscan scan` of {SCAN_FILES} files: first {:.2} s, unchanged re-scan {:.2} s ({:.1}× faster)",
        first.as_secs_f64(),
        again.as_secs_f64(),
        first.as_secs_f64() / again.as_secs_f64()
    )
    .ok();
    println!("{report}");
    let _ = std::fs::write(root.join("target/bench-search.md"), &report);
}

fn describe(f: &Filters) -> String {
    let mut parts = Vec::new();
    if let Some(a) = f.article {
        parts.push(format!("article {a}"));
    }
    if let Some(l) = &f.level {
        parts.push(format!("level {l}"));
    }
    if let Some(s) = &f.status {
        parts.push(format!("status {s}"));
    }
    if let Some(i) = &f.issuer {
        parts.push(format!("issuer {i}"));
    }
    if f.since.is_some() || f.until.is_some() {
        parts.push(format!(
            "{}..{}",
            f.since.as_deref().unwrap_or(""),
            f.until.as_deref().unwrap_or("")
        ));
    }
    parts.join(", ")
}

/// Deterministic varied documents: a header with title, number, issuer and
/// date, then shuffled paragraphs (1–4 KB of body).
fn generate(paragraphs: &[String], n: usize) -> Vec<(String, String)> {
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    (0..n)
        .map(|i| {
            let issuer = ISSUERS[(next() % ISSUERS.len() as u64) as usize];
            let topic = TOPICS[(next() % TOPICS.len() as u64) as usize];
            let year = 2018 + next() % 8;
            let (month, day) = (1 + next() % 12, 1 + next() % 28);
            let mut text = format!(
                "{issuer}文件\n发〔{year}〕{}号\n{issuer}关于印发{topic}的通知\n",
                1 + i % 97
            );
            let body = 1_000 + (next() % 3_000) as usize;
            while text.len() < body {
                text.push_str(&paragraphs[(next() % paragraphs.len() as u64) as usize]);
                text.push('\n');
            }
            text.push_str(&format!("{issuer}\n{year}年{month}月{day}日\n"));
            (format!("doc-{i:05}.txt"), text)
        })
        .collect()
}
