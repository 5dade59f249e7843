//! Throughput benchmark: `cargo bench --bench throughput`.
//!
//! In one run, on a generated corpus of at least 50 MB of policy text:
//! - fairscan's scan pipeline (read → decode → structure → segment → rules) with 1 and 2 threads;
//! - jieba-rs `cut` alone over the same files, with 1 and 2 threads;
//! - a Python jieba + regex script matching the same trigger terms (on a 10 MB slice);
//! - peak RSS of the `fairscan scan` binary over the whole corpus;
//! - extraction speed per format on `corpus/docs` next to a reference reader.
//!
//! Results are printed as Markdown tables and written to `target/bench-results.md`.

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use fairscan::extract::{self, sniff};
use fairscan::limits::Limits;
use fairscan::rules::RuleSet;
use fairscan::scan::{self, ScanOptions};
use fairscan::segment::Segmenter;

/// Rounds of timing over all pipeline configurations.
const ROUNDS: usize = 3;

const TARGET_BYTES: usize = 52 * 1024 * 1024;
const FILE_BYTES: usize = 128 * 1024;
const PYTHON_SLICE_BYTES: usize = 10 * 1024 * 1024;

fn main() {
    // `cargo bench` passes `--bench`; nothing else is configurable.
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let out_dir = root.join("target/bench-corpus");
    let files = generate_corpus(&root, &out_dir);
    let bytes: usize = files
        .iter()
        .map(|f| std::fs::metadata(f).map_or(0, |m| m.len() as usize))
        .sum();
    let mb = bytes as f64 / 1e6;
    let mut report = String::new();
    writeln!(
        report,
        "Corpus: {} files, {:.1} MB of .txt policy text, {} cores\n",
        files.len(),
        mb,
        num_cpus()
    )
    .ok();

    let _ = Segmenter::global(); // load dictionaries once, outside the timings
    // Every configuration is timed in turn, three rounds over all of them,
    // and each keeps its best time: the ratios then compare runs made under
    // the same machine conditions rather than minutes apart.
    let corpus = &files;
    let mut configs: Vec<(String, Box<dyn Fn() + '_>)> = Vec::new();
    for threads in [1, 2] {
        configs.push((
            format!("jieba-rs cut only, {threads} thread(s)"),
            Box::new(move || cut_only(corpus, threads)),
        ));
    }
    for (label, model) in [("", true), (", rules only (--no-model)", false)] {
        for threads in [1, 2] {
            configs.push((
                format!("fairscan scan{label}, {threads} thread(s)"),
                Box::new(move || scan_pipeline(corpus, threads, model)),
            ));
        }
    }
    let mut best = vec![Duration::MAX; configs.len()];
    for _ in 0..ROUNDS {
        for ((_, run), best) in configs.iter().zip(&mut best) {
            *best = (*best).min(time_best(1, run));
        }
    }
    let rows: Vec<(String, f64, f64)> = configs
        .iter()
        .zip(&best)
        .map(|((name, _), t)| {
            (
                name.clone(),
                mb / t.as_secs_f64(),
                files.len() as f64 / t.as_secs_f64(),
            )
        })
        .collect();
    // Measure RSS before any other child process (the Python baseline) runs:
    // getrusage reports the largest child so far.
    let rss = peak_rss_mb(&out_dir);
    let python = python_baseline(&root, &files);
    writeln!(report, "| pipeline | MB/s | docs/s |\n|---|---:|---:|").ok();
    for (name, mbs, docs) in &rows {
        writeln!(report, "| {name} | {mbs:.1} | {docs:.1} |").ok();
    }
    if let Some(p) = python {
        writeln!(
            report,
            "| Python jieba + regex (10 MB slice), 1 thread | {p:.2} | — |"
        )
        .ok();
    }
    let cut = |n: usize| rows[n - 1].1;
    // Rows 3–4: the default scan; rows 5–6: rules only.
    for (label, first) in [("", 2), (" (rules only)", 4)] {
        let scan_mbs = |n: usize| rows[first + n - 1].1;
        writeln!(
            report,
            "\nRatios{label}: scan/cut-only = {:.2} (1 thread), {:.2} (2 threads); scan 2 threads / 1 thread = {:.2}",
            scan_mbs(1) / cut(1),
            scan_mbs(2) / cut(2),
            scan_mbs(2) / scan_mbs(1)
        )
        .ok();
        if let Some(p) = python {
            writeln!(
                report,
                "scan{label} (1 thread) / Python baseline = {:.0}×",
                scan_mbs(1) / p
            )
            .ok();
        }
    }
    if let Some(rss) = rss {
        writeln!(
            report,
            "Peak RSS of `fairscan scan --jobs 2` over the corpus: {rss} MB"
        )
        .ok();
    }
    writeln!(report, "\n{}", extraction_table(&root)).ok();
    println!("{report}");
    let _ = std::fs::write(root.join("target/bench-results.md"), &report);
}

fn num_cpus() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn time_best(runs: usize, f: impl Fn()) -> Duration {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool")
}

fn cut_only(files: &[PathBuf], threads: usize) {
    let seg = Segmenter::global();
    pool(threads).install(|| {
        files.par_iter().for_each(|f| {
            let bytes = std::fs::read(f).expect("read");
            let text = extract::txt::decode(&bytes).text;
            let n: usize = text.lines().map(|l| seg.cut(l).len()).sum();
            std::hint::black_box(n);
        })
    });
}

fn scan_pipeline(files: &[PathBuf], threads: usize, model: bool) {
    let rules = RuleSet::load(&[]).expect("rules");
    let rules = if model { rules } else { rules.without_model() };
    let opts = ScanOptions::new(Limits::default(), Some(threads), std::sync::Arc::new(rules));
    let mut findings = 0usize;
    scan::run(files, &opts, |r| {
        findings += r.findings.len();
        Ok(())
    })
    .expect("scan");
    std::hint::black_box(findings);
}

/// Writes ≥ 52 MB of .txt files built from the corpus sources' paragraphs,
/// shuffled deterministically so files differ. Reuses an existing corpus.
fn generate_corpus(root: &Path, dir: &Path) -> Vec<PathBuf> {
    let existing: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "txt"))
                .collect()
        })
        .unwrap_or_default();
    let size: usize = existing
        .iter()
        .map(|f| std::fs::metadata(f).map_or(0, |m| m.len() as usize))
        .sum();
    if size >= TARGET_BYTES - FILE_BYTES {
        let mut existing = existing;
        existing.sort();
        return existing;
    }
    let paragraphs = common::source_paragraphs(root);
    assert!(
        !paragraphs.is_empty(),
        "corpus/sources has no text to build the benchmark corpus from"
    );
    std::fs::create_dir_all(dir).expect("bench dir");
    let mut files = Vec::new();
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut written = 0usize;
    let mut n = 0usize;
    while written < TARGET_BYTES {
        let mut text = String::with_capacity(FILE_BYTES + 4096);
        while text.len() < FILE_BYTES {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            text.push_str(&paragraphs[(seed % paragraphs.len() as u64) as usize]);
            text.push('\n');
        }
        let path = dir.join(format!("policy-{n:04}.txt"));
        std::fs::write(&path, &text).expect("write bench file");
        written += text.len();
        files.push(path);
        n += 1;
    }
    files
}

/// Runs the Python baseline on the first ~10 MB; returns MB/s.
fn python_baseline(root: &Path, files: &[PathBuf]) -> Option<f64> {
    let mut slice = Vec::new();
    let mut size = 0usize;
    for f in files {
        if size >= PYTHON_SLICE_BYTES {
            break;
        }
        size += std::fs::metadata(f).ok()?.len() as usize;
        slice.push(f.clone());
    }
    let terms = root.join("target/bench-terms.txt");
    std::fs::write(&terms, trigger_terms(root).join("\n")).ok()?;
    let out = Command::new("python3")
        .arg(root.join("benches/baseline.py"))
        .arg("scan")
        .arg(&terms)
        .arg(root.join("dictionaries/jieba/fairscan.dict"))
        .args(&slice)
        .output()
        .ok()?;
    if !out.status.success() {
        eprintln!(
            "python baseline skipped: {}",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()
                .unwrap_or("")
        );
        return None;
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
    Some(v["bytes"].as_f64()? / 1e6 / v["seconds"].as_f64()?)
}

/// The trigger terms the Python baseline matches: every literal term the rules
/// look for.
fn trigger_terms(_root: &Path) -> Vec<String> {
    RuleSet::embedded()
        .literal_terms()
        .map(str::to_string)
        .collect()
}

fn peak_rss_mb(dir: &Path) -> Option<i64> {
    let status = Command::new(env!("CARGO_BIN_EXE_fairscan"))
        .args(["scan", "--jobs", "2", "--format", "jsonl"])
        .arg(dir)
        .stdout(std::process::Stdio::null())
        .status()
        .ok()?;
    let _ = status;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage fills the struct we own.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    Some(usage.ru_maxrss / 1024)
}

/// Extraction speed per format on corpus/docs, next to a reference reader.
/// Sample files per format: the corpus, plus the fixtures of the formats the
/// corpus lacks (.doc/.wps, OFD, scans).
fn samples(root: &Path) -> std::collections::BTreeMap<String, Vec<PathBuf>> {
    let fixtures = root.join("tests/fixtures");
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("corpus/docs"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    for f in [
        "doc/policy.doc",
        "doc/policy.wps",
        "ofd/notice.ofd",
        "scan/notice_scan.png",
        "scan/notice_scan_jpeg.pdf",
    ] {
        files.push(fixtures.join(f));
    }
    let mut by_format: std::collections::BTreeMap<String, Vec<PathBuf>> = Default::default();
    for p in files {
        let Ok(bytes) = std::fs::read(&p) else {
            continue;
        };
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut format = sniff::sniff(&bytes, &name).as_str().to_string();
        if p.starts_with(fixtures.join("scan")) {
            format.push_str(" (OCR)");
        }
        by_format.entry(format).or_default().push(p);
    }
    by_format
}

/// Extraction speed per format, next to a reference reader.
fn extraction_table(root: &Path) -> String {
    let by_format = samples(root);
    let mut table = String::from(
        "| format | files | fairscan MB/s | reference | reference MB/s |\n|---|---:|---:|---|---:|\n",
    );
    let limits = Limits::default();
    for (format, files) in &by_format {
        let inputs: Vec<(Vec<u8>, String)> = files
            .iter()
            .filter_map(|p| {
                Some((
                    std::fs::read(p).ok()?,
                    p.file_name()?.to_string_lossy().into_owned(),
                ))
            })
            .collect();
        let bytes: usize = inputs.iter().map(|(b, _)| b.len()).sum();
        let rounds = if format.contains("OCR") {
            1
        } else {
            (20_000_000 / bytes.max(1)).clamp(3, 200)
        };
        let t = time_best(3, || {
            for _ in 0..rounds {
                for (b, name) in &inputs {
                    std::hint::black_box(extract::extract_bytes(b, name, &limits).1.ok());
                }
            }
        });
        let ours = (bytes * rounds) as f64 / 1e6 / t.as_secs_f64();
        let (reference, theirs) = reference_speed(root, format, files);
        let theirs = theirs.map_or("—".to_string(), |v| format!("{v:.1}"));
        writeln!(
            table,
            "| {format} | {} | {ours:.1} | {reference} | {theirs} |",
            files.len()
        )
        .ok();
    }
    table
}

fn reference_speed(root: &Path, format: &str, files: &[PathBuf]) -> (&'static str, Option<f64>) {
    match format {
        "pdf" => {
            let bytes: u64 = files
                .iter()
                .filter_map(|f| std::fs::metadata(f).ok())
                .map(|m| m.len())
                .sum();
            let t = time_best(3, || {
                for f in files {
                    let _ = Command::new("pdftotext")
                        .arg(f)
                        .arg("-")
                        .stdout(std::process::Stdio::null())
                        .status();
                }
            });
            let ok = Command::new("pdftotext").arg("-v").output().is_ok();
            (
                "poppler pdftotext (one process per file)",
                ok.then(|| bytes as f64 / 1e6 / t.as_secs_f64()),
            )
        }
        "doc" => {
            let bytes: u64 = files
                .iter()
                .filter_map(|f| std::fs::metadata(f).ok())
                .map(|m| m.len())
                .sum();
            let ok = Command::new("catdoc").arg("-V").output().is_ok();
            let t = time_best(3, || {
                for f in files {
                    let _ = Command::new("catdoc")
                        .arg(f)
                        .stdout(std::process::Stdio::null())
                        .status();
                }
            });
            (
                "catdoc (one process per file)",
                ok.then(|| bytes as f64 / 1e6 / t.as_secs_f64()),
            )
        }
        "image (OCR)" | "pdf (OCR)" => {
            let bytes: u64 = files
                .iter()
                .filter_map(|f| std::fs::metadata(f).ok())
                .map(|m| m.len())
                .sum();
            let pngs: Vec<&PathBuf> = files
                .iter()
                .filter(|f| f.extension().is_some_and(|e| e == "png"))
                .collect();
            if pngs.is_empty() {
                return ("—", None);
            }
            let t = time_best(1, || {
                for f in &pngs {
                    let _ = Command::new("tesseract")
                        .arg(f)
                        .arg("-")
                        .args(["-l", "chi_sim+eng", "--psm", "6"])
                        .output();
                }
            });
            (
                "tesseract CLI on the PNG",
                Some(bytes as f64 / 1e6 / t.as_secs_f64()),
            )
        }
        "docx" | "html" => {
            let out = Command::new("python3")
                .arg(root.join("benches/baseline.py"))
                .arg(format)
                .args(files)
                .output()
                .ok();
            let speed = out.filter(|o| o.status.success()).and_then(|o| {
                let v: serde_json::Value = serde_json::from_slice(&o.stdout).ok()?;
                Some(v["bytes"].as_f64()? / 1e6 / v["seconds"].as_f64()?)
            });
            let name = if format == "docx" {
                "python-docx"
            } else {
                "Python html.parser"
            };
            (name, speed)
        }
        _ => ("—", None),
    }
}
